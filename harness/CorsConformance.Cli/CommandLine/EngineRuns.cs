using System.Diagnostics;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Cli;

/// <summary>What `run` and `report` ask of the engines.</summary>
internal sealed record EngineRunRequest(EngineSelection Engines, IReadOnlyList<string> CaseFiles, bool Install, string? Deviations, Shard? Shard = null, Uri? Grid = null, bool OneAtATime = false);

/// <summary>Runs the cases in every engine asked for, with a summary on the console (`run` and `report`).</summary>
internal static class EngineRuns
{
    public static async Task<(IReadOnlyList<EngineRun> Runs, TimeSpan Wall, IReadOnlyList<Specs.Model.CorsCase> Cases)> RunAsync(EngineRunRequest request, TextWriter output)
    {
        var cases = CaseFiles.Load(request.CaseFiles);
        // Read before anything is installed or started: a broken file is exit 2 with its entry and line, nothing else done.
        var deviations = request.Deviations is { } file
            ? KnownDeviations.Load(file, CaseCatalog.All.Concat(cases).Select(c => c.Id))
            : KnownDeviations.LoadDefault().OnlyFor(KnownDeviations.CatalogCasesAmong(cases));
        var fromEnvironment = EngineRun.SettingsFrom(null);
        Func<string, string?> settings = request.Grid is { } grid ? key => key == "grid.url" ? grid.ToString() : fromEnvironment(key) : fromEnvironment;
        SharedOptions.CheckEngineSettings(request.Engines.Engines, settings);
        // A grid serves its own browsers: nothing is installed on this machine for them.
        if (request.Install && settings("grid.url") is null) await BrowserInstaller.EnsureAsync(request.Engines.Engines, settings, output);
        var wall = Stopwatch.StartNew();
        await using var servers = await ReferenceServers.StartAsync();
        output.WriteLine($"Reference servers: http on {servers.HttpPort}, https on {servers.HttpsPort}, the page's host at another port on {servers.SameHostHttpPort} and {servers.SameHostHttpsPort} (loopback only); {cases.Count} cases"
            + (request.Shard is { } shard ? $", shard {shard}." : "."));
        // Each engine's cases: all of them, or this shard's part.
        var plan = (request.Shard?.Select(request.Engines.Engines, cases) ?? request.Engines.Engines.Select(e => (e, cases)).ToList())
            .ToDictionary(p => p.Item1.Id(), p => p.Item2);
        // Side by side unless asked otherwise: the catalog has cases that wait seconds on purpose (a preflight-cache entry
        // outliving its max-age), during which an engine's run leaves the cores idle; one engine after another, those
        // waits add up. Each engine has its own browser and tokens, so nothing one run does reaches another's verdicts.
        var runs = new Dictionary<string, EngineRun>();
        await ProgressDisplay.RunAsync(output, plan.Keys.ToList(), e => plan[e].Count, request.OneAtATime, async (engineName, progress) =>
        {
            var engine = Harness.Browsers.Engines.Parse(engineName);
            var run = await EngineRun.RunAsync(engine, servers, plan[engineName], deviations, settings, progress);
            lock (runs) runs[engineName] = run;
        });
        var ordered = plan.Keys.Select(e => runs[e]).ToList();
        foreach (var run in ordered) Summarize(run, output);
        // A file of your own (--deviations): its entries for an engine that did not run are said not checked. The shipped
        // list's are not: a run of one engine would print a line for each other engine on every ordinary run.
        if (request.Deviations is not null)
        {
            foreach (var line in deviations.NotChecked(ordered.Where(r => r.Ran).Select(r => r.Engine.Id()))) output.WriteLine($"? {line}");
        }
        return (ordered, wall.Elapsed, cases);
    }

    /// <summary>1 when what could not run fails the run (<see cref="LaunchRule"/>), each reason printed; null otherwise.</summary>
    public static int? LaunchExitCode(IReadOnlyList<EngineRun> runs, bool named, TextWriter output)
    {
        var failures = LaunchRule.Failures(runs.Select(r => (r.Engine, r.Unavailable)).ToList(), named, runs.Sum(r => r.Verdicts.Count));
        foreach (var failure in failures) output.WriteLine($"✗ {failure}");
        return failures.Count > 0 ? ExitCodes.Failure : null;
    }

    private static void Summarize(EngineRun run, TextWriter output)
    {
        if (!run.Ran)
        {
            output.WriteLine($"{run.Engine.Id()}: skipped — {run.Unavailable}");
            return;
        }
        var summary = ReportBuilder.Summarize(run.Verdicts.Select(ReportBuilder.VerdictOf));
        output.WriteLine($"{run.Description}: {summary.Cases} cases in {run.WallTime.TotalSeconds:F1} s — {summary.Conforms} conform, "
            + $"{summary.KnownDeviations} known deviations, {summary.Fails} fail, {summary.HarnessErrors} harness errors.");
        foreach (var failure in run.PageFailures)
        {
            output.WriteLine($"  ! the browser failed under the run: {failure}");
        }
        foreach (var verdict in run.Verdicts.Where(v => v.Judgement.Kind == JudgementKind.KnownDeviation))
        {
            output.WriteLine($"  ~ {verdict.Case.Id}: {verdict.Judgement.Deviation!.Reason}");
        }
        foreach (var verdict in run.Verdicts.Where(v => v.Judgement.ListedButConforms && !v.IsHarnessError))
        {
            output.WriteLine($"  ! {verdict.Case.Id}: {verdict.Judgement.Summary}");
        }
        foreach (var verdict in run.Verdicts.Where(v => !v.Judgement.Passed || v.IsHarnessError))
        {
            output.WriteLine("  ✗ " + verdict.Describe(run.Description!).Replace("\n", "\n    ").TrimEnd());
        }
    }
}
