using System.Diagnostics;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Cli;

/// <summary>
/// `cors-conformance bench`: the catalog in each engine two ways, in the same process and on the same servers — naive (one
/// evaluate per case, one context) and the real runner (batches in parallel contexts) — with verdicts per second for each,
/// the ratio, browser launch time and the wall time of the whole matrix. A measurement, not a test: nothing asserts a speed.
/// </summary>
public static class Benchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<Engine> engines, IReadOnlyList<CorsCase> cases, int rounds, TextWriter output)
    {
        await using var servers = await ReferenceServers.StartAsync();
        var settings = EngineRun.SettingsFrom(null);
        output.WriteLine($"{cases.Count} cases; {Environment.ProcessorCount} cores; real runner: batches of {CaseRunner.DefaultBatchSize} in {CaseRunner.DefaultParallelism} contexts; best of {rounds} round(s).");
        output.WriteLine("| engine | launch | naive (1 evaluate per case, 1 context) | runner | speed-up |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        var matrix = Stopwatch.StartNew();
        var matrixWork = TimeSpan.Zero;
        foreach (var engine in engines)
        {
            var launchClock = Stopwatch.StartNew();
            var launch = await BrowserLauncher.TryLaunchAsync(engine, settings);
            var launchTime = launchClock.Elapsed;
            if (launch.Session is not { } session)
            {
                output.WriteLine($"| {engine.Id()} | skipped: {launch.Unavailable} | | | |");
                continue;
            }
            await using (session)
            {
                var naive = await BestAsync(rounds, () => new CaseRunner(servers, session) { BatchSize = 1, Parallelism = 1 }.RunAsync(cases));
                var runner = await BestAsync(rounds, () => new CaseRunner(servers, session).RunAsync(cases));
                matrixWork += launchTime + runner;
                output.WriteLine($"| {session.Description} | {launchTime.TotalSeconds:F1} s | {Rate(cases.Count, naive)} | {Rate(cases.Count, runner)} | ×{naive / runner:F1} |");
            }
        }
        output.WriteLine($"Whole matrix ({string.Join(", ", engines.Select(e => e.Id()))}), launches included, with the runner: {matrixWork.TotalSeconds:F1} s "
            + $"(this command, with the naive rounds and servers: {matrix.Elapsed.TotalSeconds:F1} s).");
        return 0;
    }

    private static async Task<TimeSpan> BestAsync(int rounds, Func<Task<IReadOnlyList<CaseRun>>> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            var runs = await run();
            clock.Stop();
            if (runs.Any(r => r.Observation.Outcome == Specs.Verdicts.Outcome.Unreached))
            {
                throw new InvalidOperationException("a benchmark round had harness errors; its speed would mean nothing");
            }
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }

    private static string Rate(int count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds:F0} verdicts/s ({elapsed.TotalSeconds:F2} s)";
}
