using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// A lane's browser scope, replaced by a fresh one when a page will no longer open in it: WebKitGTK's WebDriver deletes the
/// whole session when its web process dies ("session deleted because of page crash or hang", 2026-12-07), and a session is
/// the scope there, so no fresh page (<see cref="ReplaceablePage"/>) could open and 1,487 of 1,713 cases were harness errors.
/// A new scope is a new session (a new cookie jar with the planted cookie, an empty preflight cache): cases have their own
/// URLs, so none meets what another left. Replaced at most <see cref="MaxReplacements"/> times; a browser that opens no
/// scope at all ends the lane as before.
/// </summary>
internal sealed class ReplaceableScope : IAsyncDisposable
{
    /// <summary>How many fresh scopes a lane gets in a run.</summary>
    public const int MaxReplacements = 2;

    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    private readonly Func<Task<IBrowserScope>> _open;
    private readonly Action<string> _failed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IBrowserScope _scope;
    private int _generation;
    private int _replaced;

    private ReplaceableScope(Func<Task<IBrowserScope>> open, Action<string> failed, IBrowserScope scope) => (_open, _failed, _scope) = (open, failed, scope);

    public static async Task<ReplaceableScope> OpenAsync(Func<Task<IBrowserScope>> open, Action<string> failed) =>
        new(open, failed, await ReplaceablePage.WithinAsync(open, ReplaceablePage.OpenWithin, "the browser scope"));

    /// <summary>A page in the scope; where none opens, in a fresh scope (once per failed scope, whichever page finds it
    /// failed first).</summary>
    public async Task<IRunnerPage> OpenPageAsync(string pageOrigin)
    {
        var (scope, generation) = (_scope, Volatile.Read(ref _generation));
        try
        {
            return await scope.OpenPageAsync(pageOrigin);
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            if (!await ReplaceAsync(generation, $"a page at {pageOrigin} would not open in it: {failure}")) throw;
            return await _scope.OpenPageAsync(pageOrigin);
        }
    }

    /// <summary>Replaces the scope of <paramref name="generation"/> unless another page did already; false when the scope has
    /// been replaced too often.</summary>
    private async Task<bool> ReplaceAsync(int generation, string why)
    {
        await _gate.WaitAsync();
        try
        {
            if (_generation != generation) return true;
            if (_replaced >= MaxReplacements) return false;
            _replaced++;
            var failed = _scope;
            _scope = await ReplaceablePage.WithinAsync(_open, ReplaceablePage.OpenWithin, "a fresh browser scope");
            _failed($"the browser scope was replaced by a fresh one, as {why}");
            Volatile.Write(ref _generation, generation + 1);
            await CloseQuietlyAsync(failed);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A scope whose session the driver deleted may not close cleanly; its processes go with the browser.</summary>
    private static Task CloseQuietlyAsync(IBrowserScope scope) => ReplaceablePage.CloseQuietlyAsync(scope, CloseWithin);

    /// <summary>Closes the scope, within a bound: a browser that failed under the run must not hold its end.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseQuietlyAsync(_scope);
        _gate.Dispose();
    }
}
