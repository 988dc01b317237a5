using System.Collections.Concurrent;
using CorsConformance.Harness.Running;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// The browser's words (console errors and warnings, uncaught errors) for the open pages. A message from a page's own
/// context is that page's; one from anywhere else (its sandboxed or data: frame, a worker) goes to every open page:
/// messages are matched to cases by the token in their URL, so a stranger's message matches no case of another page.
/// </summary>
internal sealed class PageMessages
{
    private readonly ConcurrentDictionary<string, BrowserMessages> _open = new();

    public BrowserMessages Open(string page) => _open.GetOrAdd(page, _ => new());

    public void Close(string page) => _open.TryRemove(page, out _);

    /// <param name="page">The page the message came from, when it came from a page's own context.</param>
    public void Add(string? page, string text)
    {
        if (page is not null && _open.TryGetValue(page, out var own)) own.Add(text);
        else foreach (var messages in _open.Values) messages.Add(text);
    }
}
