using Microsoft.Extensions.Hosting;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// A host lifetime that leaves the process alone: the servers live inside a test run or a tool, which own Ctrl+C and
/// SIGTERM. (The default console lifetime would take those signals over and print a banner.)
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
