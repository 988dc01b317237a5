using CorsConformance.Harness.Running;

namespace CorsConformance.Harness.Browsers;

/// <summary>A runner page of a direct driver: the browser's words about it, kept under its key while it is open.
/// <see cref="DirectScope.OpenPageAsync"/> navigates it and waits until it is ready.</summary>
internal abstract class DirectPage(PageMessages messages, string key, string pageOrigin) : IRunnerPage
{
    private readonly BrowserMessages _messages = messages.Open(key);
    private string _pageOrigin = pageOrigin;

    /// <summary>What the protocol calls the page: its BiDi browsing context, its CDP session.</summary>
    protected string Key => key;

    public string PageOrigin => _pageOrigin;

    /// <summary>Loads <paramref name="url"/>; returns once the navigation has committed (the document may still be parsing).
    /// Throws <see cref="ProtocolException"/> when the browser will not load it.</summary>
    public abstract Task NavigateAsync(string url);

    /// <summary>The value of a JavaScript expression in the page; <see cref="RunnerPageException"/> if it throws.</summary>
    public abstract Task<T> EvaluateAsync<T>(string expression);

    public abstract Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch);

    public string? ReasonFor(string token) => _messages.ReasonFor(token);

    public string? TakeMessages() => _messages.Drain();

    /// <summary>Navigates to the runner page at <paramref name="pageOrigin"/> and waits until it is ready.</summary>
    internal async Task LoadAsync(string pageOrigin, bool moving = false)
    {
        if (moving) await EvaluateAsync<bool>(RunnerPageReady.Leaving);
        await NavigateAsync(pageOrigin + Specs.Model.ServerContract.RunnerPagePath);
        await RunnerPageReady.WaitAsync(pageOrigin, () => EvaluateAsync<bool>(RunnerPageReady.For(moving)));
    }

    public async Task MoveToAsync(string pageOrigin)
    {
        try
        {
            await LoadAsync(pageOrigin, moving: true);
        }
        catch (Exception e) when (e is ProtocolException { ConnectionGone: false } or RunnerPageException { Crashed: false })
        {
            // The browser would not load a page there. A crashed renderer or a connection gone is said as it is: that is no
            // answer about the origin (a server under test's calls from it were skipped as not judged).
            throw new PageOpenException(e.Message, e);
        }
        _pageOrigin = pageOrigin;
        _messages.Drain();
    }

    /// <summary>Closes the page in the browser.</summary>
    protected abstract Task CloseAsync();

    public async ValueTask DisposeAsync()
    {
        messages.Close(key);
        await CloseAsync();
    }
}
