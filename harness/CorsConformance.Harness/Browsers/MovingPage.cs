namespace CorsConformance.Harness.Browsers;

/// <summary>
/// One runner page taken from origin to origin (<see cref="IRunnerPage.MoveToAsync"/>) for runs that visit many origins a
/// case or two each (a server under test's forged origins, an audit's probe origins): opened at the first, moved to each
/// next. A move that fails (<see cref="PageOpenException"/>) closes the page and tries the origin once more in a fresh one:
/// the page may have failed itself (a Firefox tab whose content process died shows its crash page, which refuses every
/// navigation: "Address rejected"), and a browser that refuses the origin refuses it in the fresh page too.
/// </summary>
public sealed class MovingPage(IBrowserScope scope) : IAsyncDisposable
{
    private IRunnerPage? _page;

    /// <summary>The runner page, ready at <paramref name="pageOrigin"/>; throws <see cref="PageOpenException"/> when the
    /// browser will not load a page there.</summary>
    public async Task<IRunnerPage> AtAsync(string pageOrigin)
    {
        if (_page is null) return _page = await scope.OpenPageAsync(pageOrigin);
        try
        {
            await _page.MoveToAsync(pageOrigin);
            return _page;
        }
        catch (PageOpenException)
        {
            await DropAsync();
        }
        return _page = await scope.OpenPageAsync(pageOrigin);
    }

    /// <summary>A fresh runner page at <paramref name="pageOrigin"/> in place of one that failed mid-run (its renderer
    /// crashed or was killed, it hung): the failed page is closed as far as it lets itself be. Throws
    /// <see cref="PageOpenException"/> when the browser will not open one.</summary>
    public async Task<IRunnerPage> FreshAsync(string pageOrigin)
    {
        await DropAsync();
        return _page = await scope.OpenPageAsync(pageOrigin);
    }

    /// <summary>Closes a page that failed mid-run, as far as it lets itself be; the next <see cref="AtAsync"/> opens a fresh one.</summary>
    public async Task DropAsync()
    {
        if (_page is not { } failed) return;
        _page = null;
        await Running.ReplaceablePage.CloseQuietlyAsync(failed, TimeSpan.FromSeconds(10));
    }

    /// <summary>Closes the page as far as it lets itself be: one whose browser died under the run must not throw out of it.</summary>
    public ValueTask DisposeAsync() => new(DropAsync());
}
