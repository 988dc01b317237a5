namespace CorsConformance.Specs.Model;

/// <summary>
/// What the target server promises beyond a case's plan, so the oracle can know every header name a response carries.
/// The harness's tests hold the target server to it.
/// </summary>
public static class ServerContract
{
    /// <summary>Headers every target response carries besides the plan's (lowercase). No Server header, a fixed-length body.</summary>
    public static readonly IReadOnlyList<string> BaselineResponseHeaders = ["content-length", "content-type", "date"];

    /// <summary>The baseline headers of a response with <paramref name="status"/>: a 204 carries no Content-Length
    /// (RFC 9110 forbids it, and the server drops it).</summary>
    public static IReadOnlyList<string> BaselineFor(int status) =>
        status == 204 ? BaselineResponseHeaders.Where(h => h != "content-length").ToList() : BaselineResponseHeaders;

    /// <summary>The path of the runner page on the page origin: the page's URL is the origin and this path, no query, no
    /// fragment (what the request's referrer "client" stands for).</summary>
    public const string RunnerPagePath = "/pages/matrix.html";

    /// <summary>The name of the cookie the harness plants (SameSite=Lax) on every host of the topology before a run.</summary>
    public const string CookieName = "cc";

    /// <summary>The Content-Type of the body a fetch() or an XMLHttpRequest is answered with (the text <c>ok</c>), where the
    /// plan gives none; an element or EventSource gets its own (<see cref="Initiator.Body"/>).</summary>
    public const string PlainTextContentType = "text/plain; charset=utf-8";

    /// <summary>The name <see cref="Placeholders.CaseCookie"/> stands for in the answers to the case whose URL token is
    /// <paramref name="token"/>: a cookie of that case alone, so what other cases set never counts.</summary>
    public static string CaseCookieName(string token) => "case-" + token;
}
