using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CorsConformance.Harness.Running;

/// <summary>
/// The runner page (fixtures/pages/matrix.html) open at one origin: issues batches of requests from that origin (or from its
/// sandboxed null-origin frame) and keeps the browser's own messages about them.
/// </summary>
public sealed partial class PageSession : IAsyncDisposable
{
    private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);
    private readonly IPage _page;
    private readonly BrowserMessages _messages = new();

    private PageSession(IPage page, string pageOrigin)
    {
        _page = page;
        PageOrigin = pageOrigin;
        _messages.Attach(page);
    }

    /// <summary>The origin the page has (scheme://host:port as the browser serializes it).</summary>
    public string PageOrigin { get; }

    public static async Task<PageSession> OpenAsync(IBrowserContext context, string pageOrigin)
    {
        var page = await context.NewPageAsync();
        var session = new PageSession(page, pageOrigin);
        await page.GotoAsync(pageOrigin + "/pages/matrix.html");
        await page.WaitForFunctionAsync("() => window.corsFrameReady === true", null, new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 10 });
        return session;
    }

    /// <summary>Issues one batch in one evaluate and returns what the page saw, in the batch's order.</summary>
    public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
    {
        // JSON both ways: the page contract is camelCase, whatever Playwright's own argument conversion does.
        var answer = await _page.EvaluateAsync<string>(
            "async json => JSON.stringify(await window.corsRun(JSON.parse(json)))",
            JsonSerializer.Serialize(batch, PageJson));
        // Console and page-error events can trail the evaluate's answer by a moment.
        await _page.EvaluateAsync("() => new Promise(resolve => setTimeout(resolve, 20))");
        var byId = (JsonSerializer.Deserialize<PageResult[]>(answer, PageJson) ?? []).ToDictionary(r => r.Id);
        return batch.Select(r => byId[r.Id]).ToList();
    }

    /// <summary>The browser's words about the request whose URL holds <paramref name="token"/>, with that URL written {url}.</summary>
    public string? ReasonFor(string token) =>
        _messages.For(token) is { } text
            ? Url().Replace(text, m => m.Value.Contains(token, StringComparison.Ordinal) ? "{url}" : m.Value)
            : null;

    /// <summary>Every browser message since the last call (for requests run one at a time, whose URL carries no token).</summary>
    public string? TakeMessages() => _messages.Drain();

    public async ValueTask DisposeAsync() => await _page.CloseAsync();

    [GeneratedRegex(@"https?://[^\s'""‘’]+")]
    private static partial Regex Url();
}
