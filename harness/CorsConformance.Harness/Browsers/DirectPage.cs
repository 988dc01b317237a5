using CorsConformance.Harness.Running;

namespace CorsConformance.Harness.Browsers;

/// <summary>A runner page of a direct driver: the browser's words about it, kept under its key while it is open.</summary>
internal abstract class DirectPage(PageMessages messages, string key, string pageOrigin) : IRunnerPage
{
    private readonly BrowserMessages _messages = messages.Open(key);

    /// <summary>What the protocol calls the page: its BiDi browsing context, its CDP session.</summary>
    protected string Key => key;

    public string PageOrigin => pageOrigin;

    public abstract Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch);

    public string? ReasonFor(string token) => _messages.ReasonFor(token);

    public string? TakeMessages() => _messages.Drain();

    /// <summary>Closes the page in the browser.</summary>
    protected abstract Task CloseAsync();

    /// <summary>Loads the runner page with <paramref name="load"/>; a page the browser will not load (the protocol says
    /// no) is closed and reported as <see cref="PageOpenException"/>.</summary>
    public async Task<IRunnerPage> LoadAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (Exception e) when (e is ProtocolException or RunnerPageException)
        {
            await DisposeAsync();
            throw new PageOpenException(e.Message, e);
        }
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        messages.Close(key);
        await CloseAsync();
    }
}
