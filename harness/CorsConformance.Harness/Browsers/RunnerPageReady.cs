using System.Diagnostics;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// When the runner page (fixtures/pages/matrix.html) is ready, for every driver: its document has been parsed and its runner
/// script has defined <c>corsRun</c>. One expression and one wait, so "ready" and "would not open" mean the same whatever
/// drives the browser.
/// </summary>
public static class RunnerPageReady
{
    /// <summary>True in the page once it can run batches (after DOMContentLoaded this is normally true at once).</summary>
    public const string Expression = "document.readyState !== 'loading' && typeof window.corsRun === 'function'";

    /// <summary>Evaluated in a runner page about to be moved to another origin (<see cref="IRunnerPage.MoveToAsync"/>): marks
    /// its document, so that <see cref="Moved"/> is not answered by the page before, which is ready too.</summary>
    public const string Leaving = "window.corsLeaving = true";

    /// <summary><see cref="Expression"/> in a document that is not the one <see cref="Leaving"/> marked.</summary>
    public const string Moved = "!window.corsLeaving && " + Expression;

    /// <summary>The expression that says a page is ready: <see cref="Moved"/> after a move, else <see cref="Expression"/>.</summary>
    public static string For(bool moved) => moved ? Moved : Expression;

    /// <summary>How long a page that has loaded may take to define its runner.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    /// <summary>True in a document that will never be ready: parsed (matrix.js is a parser-blocking script that defines
    /// <c>corsRun</c> at once) without the runner — the browser's error page for a page it would not open (WebKitGTK at a
    /// loopback origin the suite cannot map: each such page waited out <see cref="Within"/>, 63 s for three), or a runner
    /// script that did not load. Not the document being left by a move.</summary>
    public const string Dead = "!window.corsLeaving && document.readyState !== 'loading' && typeof window.corsRun !== 'function'";

    /// <summary>How long a document must stay <see cref="Dead"/> before the wait gives up (a navigation that has not yet
    /// replaced the document before it is not taken for one).</summary>
    public static readonly TimeSpan DeadFor = TimeSpan.FromSeconds(2);

    /// <summary>Asks <paramref name="isReady"/> (the driver evaluating <see cref="Expression"/>) until it says yes; after
    /// <see cref="Within"/>, throws <see cref="PageOpenException"/>, with what the page shows when <paramref name="shows"/> can tell.</summary>
    /// <param name="isDead">The driver evaluating <see cref="Dead"/>: when it stays true for <see cref="DeadFor"/>, the wait
    /// gives up then rather than after <see cref="Within"/>.</param>
    public static async Task WaitAsync(string pageOrigin, Func<Task<bool>> isReady, Func<Task<string?>>? shows = null, Func<Task<bool>>? isDead = null)
    {
        var waited = Stopwatch.StartNew();
        var lastAsked = TimeSpan.Zero;
        TimeSpan? deadSince = null;
        while (!await isReady())
        {
            if (isDead is not null && waited.Elapsed - lastAsked > TimeSpan.FromMilliseconds(250))
            {
                lastAsked = waited.Elapsed;
                deadSince = await isDead() ? deadSince ?? waited.Elapsed : null;
            }
            var dead = deadSince is { } since && waited.Elapsed - since > DeadFor;
            if (dead || waited.Elapsed > Within)
            {
                var state = shows is null ? null : await shows();
                throw new PageOpenException($"the runner page at {pageOrigin} was not ready "
                    + (dead ? $"(the document loaded without its runner for {DeadFor.TotalSeconds:0} s)" : $"within {Within.TotalSeconds:0} s")
                    + (state is null ? "" : ": " + state));
            }
            await Task.Delay(10);
        }
    }
}
