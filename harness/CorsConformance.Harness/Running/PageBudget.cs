using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// How long a runner page may take to answer a batch before the harness stops waiting for it. matrix.js bounds every request
/// it issues by the request's own timeout, and settles one the browser never settles a little after it; a page that has
/// answered nothing once all of those have run out, with room to spare, has hung or lost its renderer. A renderer killed
/// mid-run (2026-12-07, Chromium's headless shell over CDP) left the batch's evaluate unanswered and the run waiting for
/// good at 429 of 1,713 cases. That is a harness problem, said as one (<see cref="RunnerPageException"/>), never a verdict.
/// </summary>
public static class PageBudget
{
    /// <summary>What matrix.js's backstop adds to a request's timeout before it settles the request itself (ABORT_GRACE_MS).</summary>
    private const int GraceMs = 2000;

    /// <summary>Room for a page whose timers fire late on a loaded machine: waiting longer costs only a page that is gone.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(20);

    /// <summary>The longest a healthy page can take over <paramref name="batch"/>: its requests run side by side, each case's
    /// requests one after another (its repetitions, its follow-ups with their delays and step marks, its control request),
    /// each within its timeout and the backstop; a quarter more and <see cref="Slack"/> on top.</summary>
    public static TimeSpan Of(IReadOnlyList<PageRequest> batch)
    {
        var longest = batch.Count == 0 ? 0 : batch.Max(WorstMs);
        return TimeSpan.FromMilliseconds(longest * 1.25) + Slack;
    }

    private static double WorstMs(PageRequest request)
    {
        var followUps = request.Then?.Length ?? 0;
        var requests = Math.Max(1, request.Repeat) + followUps
            + (request.MarkUrl is null ? 0 : followUps)
            + (request.ControlUrl is null ? 0 : 1);
        return requests * ((double)Math.Max(0, request.TimeoutMs) + GraceMs) + (request.Then?.Sum(f => (double)Math.Max(0, f.DelayMs)) ?? 0);
    }

    /// <summary>
    /// <paramref name="page"/>'s answer to <paramref name="batch"/>, or <see cref="RunnerPageException"/> once
    /// <paramref name="budget"/> (by default <see cref="Of"/>) has passed without one. The driver's call is left to end on its
    /// own (the page is closed by its owner); what it ends with is observed, so it is never an unobserved task's exception.
    /// </summary>
    public static async Task<IReadOnlyList<PageResult>> RunWithinAsync(this IRunnerPage page, IReadOnlyList<PageRequest> batch, TimeSpan? budget = null)
    {
        var within = budget ?? Of(batch);
        var running = page.RunAsync(batch);
        try
        {
            return await running.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            _ = running.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw new RunnerPageException($"the runner page gave no answer to a batch of {batch.Count} request(s) within {within.TotalSeconds:0.#} s, "
                + "by when every timeout of the page's own had run out: the page hung, or its renderer crashed or was killed");
        }
    }
}
