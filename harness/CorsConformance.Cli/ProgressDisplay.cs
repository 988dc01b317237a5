using Spectre.Console;

namespace CorsConformance.Cli;

/// <summary>
/// Progress of a long run: cases done / total per engine and the elapsed time, drawn by Spectre.Console on an interactive
/// terminal; plain lines elsewhere (CI logs, redirected output, tests).
/// </summary>
public static class ProgressDisplay
{
    public static Task RunAsync(TextWriter output, IReadOnlyList<string> engines, int total, Func<string, IProgress<int>, Task> runEngine) =>
        RunAsync(output, engines, _ => total, runEngine);

    /// <param name="totalOf">Each engine's number of cases (a shard gives engines different numbers).</param>
    public static async Task RunAsync(TextWriter output, IReadOnlyList<string> engines, Func<string, int> totalOf, Func<string, IProgress<int>, Task> runEngine)
    {
        if (ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var tasks = engines.ToDictionary(e => e, e => context.AddTask(e, autoStart: false, maxValue: totalOf(e)));
                    foreach (var engine in engines)
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
                    }
                });
            return;
        }
        foreach (var engine in engines)
        {
            var started = DateTime.UtcNow;
            var total = totalOf(engine);
            await runEngine(engine, new Progress<int>(done =>
                output.WriteLine($"  {engine}: {done}/{total} ({(DateTime.UtcNow - started).TotalSeconds:F1} s)")));
        }
    }
}
