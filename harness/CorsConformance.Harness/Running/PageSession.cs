using System.Text.Json;
using CorsConformance.Harness.Browsers;
using Microsoft.Playwright;

namespace CorsConformance.Harness.Running;

/// <summary>
/// The runner page (fixtures/pages/matrix.html) open at one origin in a Playwright context: issues batches of requests from
/// that origin (or from its sandboxed null-origin frame) and keeps the browser's own messages about them.
/// </summary>
public sealed class PageSession : IRunnerPage
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
        try
        {
            // DOMContentLoaded: the runner script has run. The null-origin frame goes on loading beside the first cases;
            // the page waits for it only where a batch needs it.
            await page.GotoAsync(pageOrigin + "/pages/matrix.html", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (PlaywrightException e)
        {
            await page.CloseAsync();
            throw new PageOpenException(e.Message.Split('\n')[0].Trim(), e);
        }
        await page.WaitForFunctionAsync("() => typeof window.corsRun === 'function'", null, new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 10 });
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

    public string? ReasonFor(string token) => BrowserMessages.WithUrlAsPlaceholder(_messages.For(token), token);

    public string? TakeMessages() => _messages.Drain();

    public async ValueTask DisposeAsync() => await _page.CloseAsync();
}
