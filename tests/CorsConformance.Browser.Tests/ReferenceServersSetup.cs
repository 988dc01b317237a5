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

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        TestContext.Progress.WriteLine($"Browsers: {Pool.Launched} launched for {Pool.Requests} launches asked (shared for the assembly).");
        await Pool.DisposeAsync();
        if (_servers is not null) await _servers.DisposeAsync();
        // With a ReportOut parameter (nightly.runsettings), the matrix's runs become report.json, report.md and report.html.
        if (TestContext.Parameters.Get("ReportOut") is { Length: > 0 } folder && !EngineRuns.IsEmpty)
        {
            var runs = EngineRuns.OrderBy(r => r.Engine).ToList();
            var report = Harness.Reports.ReportBuilder.Build(runs, DateTimeOffset.UtcNow);
            var target = Path.IsPathRooted(folder) ? folder : Path.Combine(Harness.RepositoryLayout.Root() ?? ".", folder);
            Directory.CreateDirectory(target);
            await Harness.Reports.ReportFile.WriteAsync(Path.Combine(target, "report.json"), report);
            await File.WriteAllTextAsync(Path.Combine(target, "report.md"), Harness.Reports.MarkdownReport.Render(report));
            await File.WriteAllTextAsync(Path.Combine(target, "report.html"), Harness.Reports.HtmlReport.Render(report));
        }
    }
}
