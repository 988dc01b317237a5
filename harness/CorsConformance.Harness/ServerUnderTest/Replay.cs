using System.Net.Http.Headers;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>One raw answer of the server under test: status and header lines, or why there was none.</summary>
public sealed record RawResponse(int? Status, IReadOnlyList<Header> Headers, string? Failure)
{
    public bool Answered => Status is not null;

    /// <summary>Whether a Vary line names Origin (or is `*`): what a response whose Access-Control-Allow-Origin depends on the
    /// request's Origin needs, so that a shared cache keeps one origin's answer from another.</summary>
    public bool VariesOnOrigin => DefectSigns.VariesOnOrigin(Headers);

    /// <summary>Whether the server sent something back, even what this client could not parse (a header line without a
    /// colon, a response that ends early after some bytes): the server was reached, and the browser's own verdict stands.</summary>
    public bool Reached { get; init; }

    /// <summary>For an answer this client could not parse, its first lines as they came (escaped), so that the evidence shows what the server sent.</summary>
    public IReadOnlyList<string> Unparsed { get; init; } = [];

    /// <summary>Why the replay did not send this request at all (a browser would not: the server's preflight answer
    /// refuses it), or null.</summary>
    public string? Withheld { get; init; }

    /// <summary>The failure that stopped this exchange, whichever request it was (the preflight's when the request itself
    /// was withheld).</summary>
    public static string? FailureOf(RawResponse? preflight, RawResponse actual) => actual.Failure ?? preflight?.Failure;

    public override string ToString() =>
        Withheld is not null ? $"(not sent: {Withheld})" :
        Failure is not null
            ? $"(no answer: {Failure})" + string.Concat(Unparsed.Select(l => $"\n      | {l}"))
            : $"{Status}\n" + string.Join("\n", Headers.Select(h => $"      {h}"));
}

/// <summary>
/// Sends, outside any browser, the requests a browser sends for a case — the CORS preflight (when the standard calls for one)
/// and the actual request — with the same Origin and Access-Control-Request-* headers, to capture the raw answers as evidence
/// and to tell a CORS block (the server answered) from an unreachable server.
/// </summary>
public sealed class Replay(ReplayClient client, TimeSpan timeout, Authentication? authentication = null)
{
    /// <summary>The secrets a credentialed request carries (put in as it leaves, never kept in the case).</summary>
    public Authentication Authentication { get; } = authentication ?? Authentication.None;

    /// <summary>How long any one request may take, in the browser and in the replay.</summary>
    public TimeSpan Timeout => timeout;

    public async Task<(RawResponse? Preflight, RawResponse Actual)> RunAsync(PolicyCase @case, CancellationToken cancellationToken = default)
    {
        var request = Authentication.Reveal(@case.Request);
        var method = Methods.Normalize(request.Method);
        var unsafeNames = RequestHeaders.UnsafeNames(request.Headers);
        RawResponse? preflight = null;
        if (!Methods.IsCorsSafelisted(method) || unsafeNames.Count > 0)
        {
            var options = new HttpRequestMessage(HttpMethod.Options, @case.Resource);
            options.Headers.TryAddWithoutValidation(HeaderNames.Origin, @case.PageOrigin);
            options.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestMethod, method);
            if (unsafeNames.Count > 0) options.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestHeaders, string.Join(",", unsafeNames));
            preflight = await SendAsync(client, options, timeout, cancellationToken);
            // What a browser would not send, the replay does not either: a method or header the policy refuses (PATCH,
            // DELETE) reaches the server only where its own preflight answer admits it, as from a page.
            if (!BrowserSends(@case, preflight))
            {
                return (preflight, new RawResponse(null, [], null)
                {
                    Withheld = preflight.Answered ? "the server's preflight answer refuses it, so a browser does not send it" : "the preflight got no answer, so a browser does not send it",
                });
            }
        }
        var actual = new HttpRequestMessage(new HttpMethod(method), @case.Resource);
        actual.Headers.TryAddWithoutValidation(HeaderNames.Origin, @case.PageOrigin);
        if (request.Body is not null) actual.Content = new StringContent(request.Body);
        // A credentialed request carries the cookie jar's cookies for this URL, as the browser does (the preflight never does).
        if (request.Credentials == CredentialsMode.Include && Authentication.CookieHeaderFor(@case.Resource) is { } cookie)
        {
            actual.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        foreach (var header in request.Headers)
        {
            if (header.Name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase) && actual.Content is not null)
            {
                actual.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
            }
            else
            {
                actual.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }
        return (preflight, await SendAsync(client, actual, timeout, cancellationToken));
    }

    /// <summary>Whether, by the Fetch Standard, a browser that got this preflight answer sends the request itself (in any
    /// behaviour the standard allows).</summary>
    public static bool BrowserSends(PolicyCase @case, RawResponse preflight) =>
        preflight.Answered && Oracle.Expect(@case.Model with { Server = PlanOf(@case, preflight, null) }).Allowed.Any(e => e.ActualSent);

    /// <summary>The server's real answers as a plan the oracle can read: the page origin written as the oracle's token; a
    /// request not answered (or not sent) as an empty answer.</summary>
    public static ServerPlan PlanOf(PolicyCase @case, RawResponse? preflight, RawResponse? actual)
    {
        IReadOnlyList<Header> Tokenize(RawResponse response) => response.Headers
            .Select(h => h with { Value = @case.PageOrigin == "null" ? h.Value : h.Value.Replace(@case.PageOrigin, Oracle.PageOriginToken, StringComparison.Ordinal) })
            .ToList();
        return new ServerPlan(
            preflight is { Status: { } ps } ? new ResponsePlan(ps, Tokenize(preflight)) : ResponsePlan.Empty,
            actual is { Status: { } status } ? new ResponsePlan(status, Tokenize(actual)) : ResponsePlan.Empty);
    }

    /// <summary>Sends one request with a timeout; no answer (a hang, a reset, garbage) is a <see cref="RawResponse"/> with the reason, never an exception.</summary>
    public static Task<RawResponse> SendAsync(ReplayClient client, HttpRequestMessage message, TimeSpan timeout, CancellationToken cancellationToken) =>
        client.SendAsync(message, timeout, cancellationToken);

    /// <summary>A client that never follows redirects (a preflight must not be) and, when asked, accepts a test server's self-signed certificate.</summary>
    public static ReplayClient CreateClient(bool acceptAnyCertificate) => new(acceptAnyCertificate);
}
