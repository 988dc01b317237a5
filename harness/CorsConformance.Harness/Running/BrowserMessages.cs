using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CorsConformance.Harness.Running;

/// <summary>
/// Collects the browser's own words about blocked requests on one page: Chromium reports CORS failures as console errors,
/// Firefox as page errors (and console warnings). Each message names the request URL, so it is matched to a case by its
/// token. Playwright's pages feed it through <see cref="Attach"/>, the direct drivers through <see cref="Add"/>.
/// </summary>
public sealed partial class BrowserMessages
{
    private readonly ConcurrentQueue<string> _messages = new();

    public void Attach(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning") _messages.Enqueue(message.Text);
        };
        page.PageError += (_, error) => Add(error);
    }

    /// <summary>Keeps a message's first line: an error arrives as its message and stack, and the message is the first line.</summary>
    public void Add(string text) => _messages.Enqueue(text.Split('\n')[0].Trim());

    /// <summary>Every message since the last call, joined; null when there are none.</summary>
    public string? Drain()
    {
        var taken = new List<string>();
        while (_messages.TryDequeue(out var message)) taken.Add(message);
        return taken.Count == 0 ? null : string.Join(" | ", taken.Distinct());
    }

    /// <summary>The messages that mention <paramref name="token"/>, in ordinal order (a browser may log two about one request,
    /// Firefox a blocked script's MIME type and its CORS words, in either order), joined; null when there are none.</summary>
    public string? For(string token)
    {
        var found = _messages.Where(m => m.Contains(token, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        return found.Count == 0 ? null : string.Join(" | ", found);
    }

    /// <summary>The messages about the request whose URL holds <paramref name="token"/>, with that URL written {url}.</summary>
    public string? ReasonFor(string token) => WithUrlAsPlaceholder(For(token), token);

    /// <summary>The URL that holds <paramref name="token"/> written {url}, so the words are stable across runs.</summary>
    public static string? WithUrlAsPlaceholder(string? text, string token) =>
        text is null ? null : Url().Replace(text, m => m.Value.Contains(token, StringComparison.Ordinal) ? "{url}" : m.Value);

    [GeneratedRegex(@"https?://[^\s'""‘’]+")]
    private static partial Regex Url();
}
