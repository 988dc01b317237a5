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
        // This run's engine summaries only.
        if (File.Exists(Matrix.EngineSummaries.Path)) File.Delete(Matrix.EngineSummaries.Path);
        _servers = await ReferenceServers.StartAsync();
        // One browser per engine, settings and host mapping for the whole assembly, instead of one per fixture or test.
        Harness.Browsers.BrowserPool.Current = Pool;
    }

    private static readonly Harness.Browsers.BrowserPool Pool = new();

    /// <summary>Every engine run of the matrix in this test run, for the report (runsettings/nightly.runsettings).</summary>
    public static System.Collections.Concurrent.ConcurrentBag<Harness.Running.EngineRun> EngineRuns { get; } = [];

    /// <summary>Every engine run against the configured server under test, for its report (server-under-test.runsettings).</summary>
    public static System.Collections.Concurrent.ConcurrentBag<(Harness.ServerUnderTest.ServerUnderTestSettings Settings, Harness.ServerUnderTest.PolicyEngineRun Run)> PolicyRuns { get; } = [];

    /// <summary>Each route's protocol checks against the configured server under test, for its report; null when they did
    /// not run (the report then says so rather than leave them out silently).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Harness.ServerUnderTest.ProtocolFinding>>? ProtocolFindings { get; set; }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        TestContext.Progress.WriteLine($"Browsers: {Pool.Launched} launched for {Pool.Requests} launches asked (shared for the assembly).");
        await Pool.DisposeAsync();
        if (_servers is not null) await _servers.DisposeAsync();
        // With a ReportOut parameter (nightly.runsettings), the matrix's runs become report.json, report.md and report.html;
        // (server-under-test.runsettings) so do the server under test's, in ReportOut/server-under-test when the matrix ran too.
        if (TestContext.Parameters.Get("ReportOut") is { Length: > 0 } folder)
        {
            var target = Path.IsPathRooted(folder) ? folder : Path.Combine(Harness.RepositoryLayout.Root() ?? ".", folder);
            if (!EngineRuns.IsEmpty)
            {
                await Harness.Reports.ReportOutput.WriteAsync(target, Harness.Reports.ReportBuilder.Build(EngineRuns.OrderBy(r => r.Engine).ToList(), DateTimeOffset.UtcNow));
            }
            if (!PolicyRuns.IsEmpty)
            {
                var runs = PolicyRuns.OrderBy(r => r.Run.Engine).ToList();
                var report = Harness.Reports.PolicyReportBuilder.Build(runs[0].Settings, runs.Select(r => r.Run).ToList(), DateTimeOffset.UtcNow, ProtocolFindings);
                await Harness.Reports.ReportOutput.WriteAsync(EngineRuns.IsEmpty ? target : Path.Combine(target, "server-under-test"), report);
            }
        }
    }
}
