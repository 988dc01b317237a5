using Spectre.Console;

namespace CorsConformance.Cli;

/// <summary>
/// Progress of a long run: cases done / total per engine and the elapsed time, drawn by Spectre.Console on an interactive
/// terminal; plain lines elsewhere (CI logs, redirected output, tests). The engines run side by side, or one after another
/// when asked.
/// </summary>
public static class ProgressDisplay
{
    /// <param name="totalOf">Each engine's number of cases (a shard gives engines different numbers).</param>
    public static async Task RunAsync(TextWriter output, IReadOnlyList<string> engines, Func<string, int> totalOf, bool oneAtATime, Func<string, IProgress<int>, Task> runEngine)
    {
        if (ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var tasks = engines.ToDictionary(e => e, e => context.AddTask(e, autoStart: false, maxValue: totalOf(e)));
                    await EachAsync(engines, oneAtATime, async engine =>
                    {
                        var task = tasks[engine];
                        var total = totalOf(engine);
                        task.StartTask();
                        await runEngine(engine, new Progress<int>(done =>
                        {
                            task.Value = done;
                            task.Description = $"{engine} {done}/{total}";
                        }));
                        task.Value = total;
                        task.StopTask();
                    });
                });
            return;
        }
        var gate = new object();
        await EachAsync(engines, oneAtATime, async engine =>
        {
            var started = DateTime.UtcNow;
            var total = totalOf(engine);
            await runEngine(engine, new Progress<int>(done =>
            {
                // Progress callbacks of engines side by side arrive on any thread: one line at a time.
                lock (gate) output.WriteLine($"  {engine}: {done}/{total} ({(DateTime.UtcNow - started).TotalSeconds:F1} s)");
            }));
        });
    }

    private static async Task EachAsync(IReadOnlyList<string> engines, bool oneAtATime, Func<string, Task> run)
    {
        if (oneAtATime)
        {
            foreach (var engine in engines) await run(engine);
            return;
        }
        await Task.WhenAll(engines.Select(run));
    }
}
