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
    public string PageOrigin { get; private set; }

    public static async Task<PageSession> OpenAsync(IBrowserContext context, string pageOrigin)
    {
        var page = await context.NewPageAsync();
        var session = new PageSession(page, pageOrigin);
        try
        {
            await LoadAsync(page, pageOrigin);
        }
        catch (PageOpenException)
        {
            await page.CloseAsync();
            throw;
        }
        return session;
    }

    /// <summary>Loads the runner page at <paramref name="pageOrigin"/> and waits until it is ready.</summary>
    private static async Task LoadAsync(IPage page, string pageOrigin, bool moving = false)
    {
        try
        {
            if (moving) await page.EvaluateAsync(RunnerPageReady.Leaving);
            // DOMContentLoaded: the runner script has run. The null-origin frame goes on loading beside the first cases;
            // the page waits for it only where a batch needs it.
            await page.GotoAsync(pageOrigin + Specs.Model.ServerContract.RunnerPagePath, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            // After DOMContentLoaded the runner script has normally run: one evaluate in the page's own world says so (Playwright's
            // WaitForFunction would first build its utility world, 0.1–0.2 s of a page that takes ~1 s to open). Poll only if not.
            await RunnerPageReady.WaitAsync(pageOrigin, () => page.EvaluateAsync<bool>(RunnerPageReady.For(moving)));
        }
        catch (PlaywrightException e)
        {
            throw new PageOpenException(e.Message.Split('\n')[0].Trim(), e);
        }
    }

    public async Task MoveToAsync(string pageOrigin)
    {
        await LoadAsync(_page, pageOrigin, moving: true);
        PageOrigin = pageOrigin;
        _messages.Drain();
    }

    /// <summary>Issues one batch in one evaluate and returns what the page saw, in the batch's order.</summary>
    public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
    {
        // JSON both ways: the page contract is camelCase, whatever Playwright's own argument conversion does.
        string answer;
        try
        {
            answer = await _page.EvaluateAsync<string>(RunBatchFunction, JsonSerializer.Serialize(batch, PageJson));
        }
        catch (PlaywrightException e)
        {
            throw new RunnerPageException("the runner page failed: " + e.Message.Split('\n')[0].Trim());
        }
        return InBatchOrder(batch, answer);
    }

    /// <summary>
    /// The function every driver calls with a batch as JSON text; it answers JSON text. Console and error messages can trail
    /// a request's failure by a moment: where an attempt of the batch failed, the page waits 20 ms before it answers, inside
    /// the same call (a second round trip costs ~50 ms in Firefox over BiDi), so they reach the driver before the answer
    /// does. A batch that all went through answers at once: the browser's words are about failures, and requests run one
    /// at a time (a server under test's, whose messages are told apart by time) lose 20 ms a case to nothing otherwise.
    /// </summary>
    public const string RunBatchFunction =
        "async json => { const results = await window.corsRun(JSON.parse(json)); "
        + "if (results.some(r => r.attempts.some(a => !a.ok))) await new Promise(resolve => setTimeout(resolve, 20)); return JSON.stringify(results); }";

    /// <summary>The page's answer to a batch, in the batch's order.</summary>
    public static IReadOnlyList<PageResult> InBatchOrder(IReadOnlyList<PageRequest> batch, string answer)
    {
        var byId = (JsonSerializer.Deserialize<PageResult[]>(answer, PageJson) ?? []).ToDictionary(r => r.Id);
        return batch.Select(r => byId[r.Id]).ToList();
    }

    public string? ReasonFor(string token) => _messages.ReasonFor(token);

    public string? TakeMessages() => _messages.Drain();

    public async ValueTask DisposeAsync() => await _page.CloseAsync();
}
