using System.Diagnostics;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Cli;

/// <summary>
/// `cors-conformance bench`: the catalog in each engine two ways, in the same process and on the same servers — naive (one
/// evaluate per case, one context) and the real runner (batches in parallel contexts) — with verdicts per second for each,
/// the ratio and browser launch time, each engine alone; then the whole matrix as `run` runs it, every engine launched and
/// run side by side, its wall time from the first launch to the last verdict (and, for comparison, the engines' launches and
/// runs added up, as one after another would take); then where the runner's best round went: HTTP
/// requests per second (from the journal), the time until its pages were open, and the CPU seconds the browser, its driver
/// and this process spent, against what the machine's cores could give. A measurement, not a test: nothing asserts a speed.
/// </summary>
public static class Benchmark
{
    /// <summary>One timed run of the catalog.</summary>
    private sealed record Round(TimeSpan Wall, int Requests, TimeSpan Setup, CpuSplit? Cpu);

    /// <returns>0, or 1 when an engine that was named cannot launch, or none can (<see cref="LaunchRule"/>), or a round had cases that reached no server.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<Engine> engines, bool named, IReadOnlyList<CorsCase> cases, int rounds, TextWriter output)
    {
        await using var servers = await ReferenceServers.StartAsync();
        var settings = EngineRun.SettingsFrom(null);
        output.WriteLine($"{cases.Count} cases; {Environment.ProcessorCount} cores; real runner: batches of {CaseRunner.DefaultBatchSize} in {CaseRunner.DefaultParallelism} contexts; best of {rounds} round(s).");
        output.WriteLine("| engine | launch | naive (1 evaluate per case, 1 context) | runner | speed-up |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        var matrix = Stopwatch.StartNew();
        var matrixWork = TimeSpan.Zero;
        var accounts = new List<string>();
        var launches = new List<(Engine, string?)>();
        var unmeasured = new List<string>();
        foreach (var engine in engines)
        {
            var launchClock = Stopwatch.StartNew();
            var launch = await BrowserLauncher.TryLaunchAsync(engine, settings);
            var launchTime = launchClock.Elapsed;
            launches.Add((engine, launch.Unavailable));
            if (launch.Session is not { } session)
            {
                output.WriteLine($"| {engine.Id()} | skipped: {launch.Unavailable} | | | |");
                continue;
            }
            await using (session)
            {
                try
                {
                    var naive = await BestAsync(rounds, cases, () => new CaseRunner(servers, session) { BatchSize = 1, Parallelism = 1 });
                    var runner = await BestAsync(rounds, cases, () => new CaseRunner(servers, session));
                    matrixWork += launchTime + runner.Wall;
                    output.WriteLine($"| {session.Description} | {launchTime.TotalSeconds:F1} s | {Rate(cases.Count, naive.Wall)} | {Rate(cases.Count, runner.Wall)} | ×{naive.Wall / runner.Wall:F1} |");
                    accounts.Add(Account(session.Description, runner));
                }
                catch (UnmeasuredRoundException e)
                {
                    // A speed over cases that never ran would mean nothing: no figure, and the command fails saying why.
                    output.WriteLine($"| {session.Description} | {launchTime.TotalSeconds:F1} s | not measured: {e.Message} | | |");
                    unmeasured.Add($"{engine.Id()}: not measured: {e.Message}");
                }
            }
        }
        output.WriteLine($"One after another ({string.Join(", ", engines.Select(e => e.Id()))}), each engine's launch and best runner round added up: {matrixWork.TotalSeconds:F1} s.");
        var ready = launches.Where(l => l.Item2 is null).Select(l => l.Item1).ToList();
        if (ready.Count > 0 && unmeasured.Count == 0)
        {
            try
            {
                var sideBySide = await SideBySideAsync(rounds, ready, servers, settings, cases);
                var cpu = sideBySide.Cpu is { } split
                    ? $"; CPU {split.Total:F1} s (browsers {split.Browser:F1}, drivers {split.Driver:F1}, harness {split.Harness:F1}), {split.Total / (Environment.ProcessorCount * sideBySide.Wall.TotalSeconds):P0} busy"
                    : "";
                output.WriteLine($"Whole matrix ({string.Join(", ", ready.Select(e => e.Id()))}), launches included, side by side as `run` runs it: {sideBySide.Wall.TotalSeconds:F1} s "
                    + $"(each engine's verdicts in at {string.Join(", ", sideBySide.Done.Select(d => $"{d.Engine.Id()} {d.At.TotalSeconds:F1} s"))}{cpu}).");
            }
            catch (UnmeasuredRoundException e)
            {
                output.WriteLine($"Whole matrix side by side: not measured: {e.Message}");
                unmeasured.Add($"side by side: not measured: {e.Message}");
            }
        }
        output.WriteLine($"(This command, with the naive rounds and servers: {matrix.Elapsed.TotalSeconds:F1} s.)");
        if (accounts.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Where the runner's best round went ({Environment.ProcessorCount} cores; CPU seconds from /proc, sampled every 100 ms, slightly low):");
            output.WriteLine("| engine | HTTP requests | last page ready at | CPU: browser | driver | harness | busy |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var line in accounts) output.WriteLine(line);
        }
        var failures = LaunchRule.Failures(launches, named, judged: null).Concat(unmeasured).ToList();
        foreach (var failure in failures) output.WriteLine($"✗ {failure}");
        return failures.Count > 0 ? 1 : 0;
    }

    /// <summary>One round of the whole matrix as `run` runs it: every engine launched and run at once, the wall time until
    /// the last engine's verdicts are in (its browser's close not counted); the best of <paramref name="rounds"/>.</summary>
    private static async Task<SideBySideRound> SideBySideAsync(int rounds, IReadOnlyList<Engine> engines, ReferenceServers servers, Func<string, string?> settings, IReadOnlyList<CorsCase> cases)
    {
        SideBySideRound? best = null;
        for (var i = 0; i < rounds; i++)
        {
            var cpu = ProcessTreeCpu.Start();
            var clock = Stopwatch.StartNew();
            var done = await Task.WhenAll(engines.Select(async engine =>
            {
                var launch = await BrowserLauncher.TryLaunchAsync(engine, settings);
                if (launch.Session is not { } session) throw new UnmeasuredRoundException($"{engine.Id()} did not launch this time: {launch.Unavailable}");
                await using (session)
                {
                    var runs = await new CaseRunner(servers, session).RunAsync(cases);
                    var at = clock.Elapsed;
                    ThrowIfUnreached(runs);
                    return (Engine: engine, At: at);
                }
            }));
            var wall = done.Max(d => d.At);
            var split = cpu is null ? null : await cpu.StopAsync();
            if (best is null || wall < best.Wall) best = new SideBySideRound(wall, done, split);
        }
        return best!;
    }

    private sealed record SideBySideRound(TimeSpan Wall, IReadOnlyList<(Engine Engine, TimeSpan At)> Done, CpuSplit? Cpu);

    private static void ThrowIfUnreached(IReadOnlyList<CaseRun> runs)
    {
        if (runs.Where(run => run.Observation.Outcome == Specs.Verdicts.Outcome.Unreached).ToList() is { Count: > 0 } unreached)
        {
            var first = unreached[0];
            throw new UnmeasuredRoundException($"{unreached.Count} of {runs.Count} cases reached no server (harness errors), the first "
                + $"{first.Case.Id}{(first.Observation.PageError is { } why ? ": " + why : "")}");
        }
    }

    private static async Task<Round> BestAsync(int rounds, IReadOnlyList<CorsCase> cases, Func<CaseRunner> runnerFor)
    {
        Round? best = null;
        for (var i = 0; i < rounds; i++)
        {
            var runner = runnerFor();
            var cpu = ProcessTreeCpu.Start();
            var clock = Stopwatch.StartNew();
            var runs = await runner.RunAsync(cases);
            clock.Stop();
            var split = cpu is null ? null : await cpu.StopAsync();
            ThrowIfUnreached(runs);
            var round = new Round(clock.Elapsed, runs.Sum(run => run.Journal.Count), runner.SetupTime, split);
            if (best is null || round.Wall < best.Wall) best = round;
        }
        return best!;
    }

    private static string Rate(int count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds:F0} verdicts/s ({elapsed.TotalSeconds:F2} s)";

    /// <summary>Busy = CPU seconds spent ÷ (cores × wall): near 100 % the cores were the bound, not waiting.</summary>
    private static string Account(string engine, Round round)
    {
        var requests = $"{round.Requests} ({round.Requests / round.Wall.TotalSeconds:F0}/s)";
        var setup = $"{round.Setup.TotalSeconds:F2} s of {round.Wall.TotalSeconds:F2} s";
        if (round.Cpu is not { } cpu) return $"| {engine} | {requests} | {setup} | n/a (no /proc) | | | |";
        var busy = cpu.Total / (Environment.ProcessorCount * round.Wall.TotalSeconds);
        return $"| {engine} | {requests} | {setup} | {cpu.Browser:F2} s | {cpu.Driver:F2} s | {cpu.Harness:F2} s | {busy:P0} |";
    }
}

/// <summary>A benchmark round whose cases did not all run: its speed is not reported.</summary>
internal sealed class UnmeasuredRoundException(string message) : Exception(message);
