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

    /// <summary>Asks <paramref name="isReady"/> (the driver evaluating <see cref="Expression"/>) until it says yes; after
    /// <see cref="Within"/>, throws <see cref="PageOpenException"/>, with what the page shows when <paramref name="shows"/> can tell.</summary>
    public static async Task WaitAsync(string pageOrigin, Func<Task<bool>> isReady, Func<Task<string?>>? shows = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await isReady())
        {
            if (waited.Elapsed > Within)
            {
                var state = shows is null ? null : await shows();
                throw new PageOpenException($"the runner page at {pageOrigin} was not ready within {Within.TotalSeconds:0} s{(state is null ? "" : ": " + state)}");
            }
            await Task.Delay(10);
        }
    }
}
