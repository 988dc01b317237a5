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
        await using (session)
        {
            var runner = new CaseRunner(servers, session);
            var runs = await runner.RunAsync(cases, progress, cancellationToken);
            var verdicts = runs.Select(r => CaseVerdict.Judge(r, engine.Id(), deviations)).ToList();
            return new EngineRun(engine, null, session.Version, session.Description, session.Settings, session.CookiePolicy,
                session.LaunchTime, wall.Elapsed, verdicts) { PageFailures = runner.PageFailures };
        }
    }

    /// <summary>Where settings come from: environment variables (CORS_CHROMIUM_EXECUTABLE_PATH…) over the given parameters.</summary>
    public static Func<string, string?> SettingsFrom(Func<string, string?>? parameters) =>
        key => Environment.GetEnvironmentVariable(EngineSettings.EnvironmentName(key)) is { Length: > 0 } env ? env : parameters?.Invoke(key);
}
