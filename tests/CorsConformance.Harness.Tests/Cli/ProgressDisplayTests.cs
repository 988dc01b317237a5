using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>
/// `run` and `report` take the engines side by side (an engine waiting on a case that waits seconds on purpose leaves the
/// cores to the others), or one after another with --one-engine-at-a-time. Held with stand-in engines that say when they
/// start and wait to be let go: no browser.
/// </summary>
public sealed class ProgressDisplayTests
{
    [Test]
    public async Task Side_by_side_every_engine_starts_before_any_has_finished()
    {
        var started = new List<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ProgressDisplay.RunAsync(new StringWriter(), ["a", "b", "c"], _ => 1, oneAtATime: false, async (engine, _) =>
        {
            lock (started)
            {
                started.Add(engine);
                if (started.Count == 3) allStarted.SetResult();
            }
            await release.Task;
        });
        var first = await Task.WhenAny(allStarted.Task, run, Task.Delay(TimeSpan.FromSeconds(10)));
        release.SetResult();
        await run;

        Assert.That(first, Is.SameAs(allStarted.Task), $"engines started while none had finished: {string.Join(", ", started)}");
    }

    [Test]
    public async Task One_at_a_time_an_engine_starts_only_when_the_one_before_has_finished()
    {
        var log = new List<string>();
        var output = new StringWriter();
        await ProgressDisplay.RunAsync(output, ["a", "b", "c"], _ => 2, oneAtATime: true, async (engine, progress) =>
        {
            lock (log) log.Add("start " + engine);
            await Task.Delay(20);
            progress.Report(1);
            lock (log) log.Add("end " + engine);
        });

        Assert.That(log, Is.EqualTo(new[] { "start a", "end a", "start b", "end b", "start c", "end c" }));
    }
}
