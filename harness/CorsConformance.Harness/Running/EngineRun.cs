using System.Diagnostics;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Running;

/// <summary>The whole catalog (or a chosen list of cases) in one engine: launch, run, judge.</summary>
public sealed record EngineRun(
    Engine Engine,
    string? Unavailable,
    string? Version,
    string? Description,
    EngineSettings? Settings,
    CookiePolicy CookiePolicy,
    TimeSpan LaunchTime,
    TimeSpan WallTime,
    IReadOnlyList<CaseVerdict> Verdicts)
{
    public bool Ran => Unavailable is null;

    /// <summary>Each failure of a runner page during the run (<see cref="CaseRunner.PageFailures"/>); empty when none failed.</summary>
    public IReadOnlyList<string> PageFailures { get; init; } = [];

    public static async Task<EngineRun> RunAsync(
        Engine engine,
        ReferenceServers servers,
        IReadOnlyList<CorsCase> cases,
        KnownDeviations deviations,
        Func<string, string?> settings,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var launch = await BrowserLauncher.TryLaunchAsync(engine, settings);
        if (launch.Session is not { } session)
        {
            return new EngineRun(engine, launch.Unavailable, null, null, null, CookiePolicy.For(engine), TimeSpan.Zero, wall.Elapsed, []);
        }
        IReadOnlyList<CaseRun> runs;
        List<string> failures;
        await using (session)
        {
            var runner = new CaseRunner(servers, session);
            runs = await runner.RunAsync(cases, progress, cancellationToken);
            failures = [.. runner.PageFailures];
        }
        // A browser that died under the run (its process killed or crashed, its connection gone) left every case it had not
        // observed a harness error: they run again, once, in a browser launched afresh of its own (never a pool's, which would
        // hand back the one that died).
        (runs, var again) = await RunLostAgainAsync(runs, servers, async () => await BrowserLauncher.TryLaunchOwnAsync(engine, settings), cancellationToken);
        failures.AddRange(again);
        var verdicts = runs.Select(r => CaseVerdict.Judge(r, engine.Id(), deviations)).ToList();
        return new EngineRun(engine, null, session.Version, session.Description, session.Settings, session.CookiePolicy,
            session.LaunchTime, wall.Elapsed, verdicts) { PageFailures = failures };
    }

    /// <summary>Whether the browser failed before the case ran (<see cref="CaseRunner.BrowserFailed"/>).</summary>
    private static bool Lost(CaseRun run) => run.Observation.PageError?.StartsWith(CaseRunner.BrowserFailedPrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// The cases the browser failed before running, run once more in a browser <paramref name="relaunch"/> starts; a case
    /// that fails so again keeps its first failure. Returns the runs and what the run should say of it (nothing when no case
    /// was lost).
    /// </summary>
    internal static async Task<(IReadOnlyList<CaseRun> Runs, IReadOnlyList<string> Said)> RunLostAgainAsync(
        IReadOnlyList<CaseRun> runs, ReferenceServers servers, Func<Task<LaunchResult>> relaunch, CancellationToken cancellationToken)
    {
        var lost = Enumerable.Range(0, runs.Count).Where(i => Lost(runs[i])).ToList();
        if (lost.Count == 0) return (runs, []);
        var why = runs[lost[0]].Observation.PageError![CaseRunner.BrowserFailedPrefix.Length..];
        var launch = await relaunch();
        if (launch.Session is not { } fresh)
        {
            return (runs, [$"it failed before {lost.Count} case(s) ran ({why}), and could not be launched again to run them: {launch.Unavailable}"]);
        }
        var again = runs.ToArray();
        var said = new List<string>();
        await using (fresh)
        {
            var runner = new CaseRunner(servers, fresh);
            var rerun = await runner.RunAsync([.. lost.Select(i => runs[i].Case)], null, cancellationToken);
            var recovered = 0;
            for (var k = 0; k < lost.Count; k++)
            {
                if (Lost(rerun[k])) continue;
                again[lost[k]] = rerun[k];
                recovered++;
            }
            said.Add($"it failed before {lost.Count} case(s) ran ({why}); launched again, it ran {recovered} of them");
            said.AddRange(runner.PageFailures);
        }
        return (again, said);
    }

    /// <summary>Where settings come from: environment variables (CORS_CHROMIUM_EXECUTABLE_PATH…) over the given parameters.</summary>
    public static Func<string, string?> SettingsFrom(Func<string, string?>? parameters) =>
        key => Environment.GetEnvironmentVariable(EngineSettings.EnvironmentName(key)) is { Length: > 0 } env ? env : parameters?.Invoke(key);
}
