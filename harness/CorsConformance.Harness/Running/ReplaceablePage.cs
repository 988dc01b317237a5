using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// A runner page at one origin that is replaced by a fresh one when it fails mid-run (its renderer crashed or was killed, the
/// page hung past <see cref="PageBudget"/>), so that one failure costs the cases it held, not every case after it: a
/// renderer killed mid-run had left the rest of the run waiting for good. A page that keeps failing is given up after
/// <see cref="MaxReplacements"/> fresh ones, and a browser that opens no fresh page ends the lane as before (every case
/// not yet observed a harness error with the reason).
/// </summary>
internal sealed class ReplaceablePage : IAsyncDisposable
{
    /// <summary>How many fresh pages one origin's page gets in a run: a renderer that dies on every page would otherwise cost
    /// a budget per case.</summary>
    public const int MaxReplacements = 3;

    /// <summary>How long closing a failed page may take: a hung page may not answer its close either.</summary>
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    /// <summary>How long opening a page may take (a browser frozen mid-run answers no command): the page's own wait for its
    /// runner (<see cref="RunnerPageReady.Within"/>) and room beyond it.</summary>
    internal static readonly TimeSpan OpenWithin = RunnerPageReady.Within + TimeSpan.FromSeconds(30);

    /// <summary><paramref name="open"/>, or <see cref="RunnerPageException"/> after <paramref name="within"/>.</summary>
    internal static async Task<T> WithinAsync<T>(Func<Task<T>> open, TimeSpan within, string what)
    {
        var opening = open();
        try
        {
            return await opening.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            _ = opening.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw new RunnerPageException($"{what} did not open within {within.TotalSeconds:0} s: the browser answers no command");
        }
    }

    private readonly Func<Task<IRunnerPage>> _open;

    private ReplaceablePage(Func<Task<IRunnerPage>> open, IRunnerPage page) => (_open, Page) = (open, page);

    public IRunnerPage Page { get; private set; }

    /// <summary>How many times the page was replaced.</summary>
    public int Replaced { get; private set; }

    /// <summary>Opens the first page; one that fails while it opens (its renderer killed before it was ready) is told to
    /// <paramref name="failed"/> and opened again, as a replacement (a browser that opens none fails as before).</summary>
    public static async Task<ReplaceablePage> OpenAsync(Func<Task<IRunnerPage>> open, Action<string> failed)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new ReplaceablePage(open, await WithinAsync(open, OpenWithin, "the runner page")) { Replaced = attempt };
            }
            catch (Exception e) when (attempt < MaxReplacements && CaseRunner.BrowserFailure(e) is { } failure)
            {
                failed("a page that would not open: " + failure);
            }
        }
    }

    /// <summary>Closes the page that failed with <paramref name="failure"/> and opens a fresh one in its place; throws
    /// <see cref="RunnerPageException"/> when the page has failed too often, or no fresh page opens.</summary>
    public async Task ReplaceAsync(string failure)
    {
        if (Replaced >= MaxReplacements)
        {
            throw new RunnerPageException($"the runner page failed {Replaced + 1} times in this run, so its remaining cases were not run; the last failure: {failure}");
        }
        Replaced++;
        await CloseQuietlyAsync(Page);
        try
        {
            Page = await WithinAsync(_open, OpenWithin, "a fresh runner page");
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } opening)
        {
            throw new RunnerPageException($"{failure}; a fresh page would not open in its place either: {opening}");
        }
    }

    private static Task CloseQuietlyAsync(IRunnerPage page) => CloseQuietlyAsync(page, CloseWithin);

    /// <summary>Closes a page or scope that may have failed, within <paramref name="within"/>: one that does not close cleanly
    /// goes with its scope or its browser, and the run goes on.</summary>
    internal static async Task CloseQuietlyAsync(IAsyncDisposable failed, TimeSpan within)
    {
        try
        {
            await failed.DisposeAsync().AsTask().WaitAsync(within);
        }
        catch (Exception e) when (e is TimeoutException || CaseRunner.BrowserFailure(e) is not null)
        {
            // Not closed now: closed with its scope or its browser.
        }
    }

    /// <summary>What closes <paramref name="closing"/> quietly (<see cref="CloseQuietlyAsync(IAsyncDisposable, TimeSpan)"/>) when
    /// disposed, for <c>await using</c>: a scope or page of a browser that died under the run threw out of the run as it was
    /// closed ("the browser's connection is gone"), and every call already judged was lost with it.</summary>
    internal static IAsyncDisposable ClosingQuietly(IAsyncDisposable closing) => new QuietClose(closing);

    private sealed class QuietClose(IAsyncDisposable closing) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(CloseQuietlyAsync(closing, CloseWithin));
    }

    /// <summary>Closes the page, within <see cref="CloseWithin"/>: a browser that failed under the run must not hold its end.</summary>
    public ValueTask DisposeAsync() => new(CloseQuietlyAsync(Page));
}
