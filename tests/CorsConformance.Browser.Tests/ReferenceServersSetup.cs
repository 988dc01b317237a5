using CorsConformance.Harness.Servers;

namespace CorsConformance.Browser.Tests;

/// <summary>The embedded reference servers, started once for every fixture in this assembly (the root namespace).</summary>
[SetUpFixture]
public sealed class ReferenceServersSetup
{
    private static ReferenceServers? _servers;

    public static ReferenceServers Servers => _servers ?? throw new InvalidOperationException("The reference servers have not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // On CI a missing snapshot fails instead of being written (Snapshooter's strict mode).
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1" && Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE") is null)
        {
            Environment.SetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE", "true");
        }
        _servers = await ReferenceServers.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_servers is not null) await _servers.DisposeAsync();
    }
}
