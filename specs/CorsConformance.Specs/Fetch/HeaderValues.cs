using System.Text;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// What a user agent makes of the bytes a server sends, before Fetch reads a status or a header value: the rules of HTTP
/// that fetch's "HTTP-network fetch" follows ("Follow the relevant requirements from HTTP"), and fetch's own definitions of
/// a status and a header value. A value is a byte string here: each char is one byte (0x00–0xFF).
/// </summary>
public static class HeaderValues
{
    /// <summary>"A status is an integer in the range 0 to 999, inclusive." HTTP/1.1's status-code is 3DIGIT, so a server
    /// can send any of 100–999; 600–999 are statuses like any other to fetch (not ok, not redirects).</summary>
    [FetchAnchor("concept-status")]
    public static bool IsStatus(int status) => status is >= 0 and <= 999;

    /// <summary>
    /// HTTP-network fetch, while waiting for the response: "If status is in the range 100 to 199, inclusive: … Continue.
    /// These kind of HTTP responses are eventually followed by a "final" HTTP response." (101 ends the wait only for a
    /// WebSocket.) A 1xx is never the response fetch returns.
    /// </summary>
    [FetchAnchor("concept-http-network-fetch")]
    public static bool IsInterim(int status) => status is >= 100 and <= 199;

    /// <summary>
    /// Whether <paramref name="value"/> holds an obs-fold: CRLF followed by at least one SP or HTAB, the line folding that
    /// RFC 9112 §5.2 obsoletes (obs-fold = OWS CRLF RWS).
    /// </summary>
    public static bool HasObsFold(string value) => Enumerable.Range(0, value.Length).Any(i => FoldStartsAt(value, i));

    /// <summary>
    /// RFC 9112 §5.2: "A user agent that receives an obs-fold in a response message … MUST replace each received obs-fold
    /// with one or more SP octets prior to interpreting the field value." Each fold (with the OWS before it and the RWS
    /// after it) becomes one SP. CR or LF anywhere else is left as it is: it cannot arrive inside a value.
    /// </summary>
    [FetchAnchor("concept-http-network-fetch")]
    public static string Unfold(string value)
    {
        if (!HasObsFold(value)) return value;
        var text = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (FoldStartsAt(value, i))
            {
                // OWS before the CRLF and RWS after it are part of the fold.
                while (text.Length > 0 && text[^1] is ' ' or '\t') text.Length--;
                text.Append(' ');
                i += 2;
                while (i < value.Length && value[i] is ' ' or '\t') i++;
                continue;
            }
            text.Append(value[i++]);
        }
        return text.ToString();
    }

    /// <summary>
    /// A header value as fetch holds it once received: unfolded (<see cref="Unfold"/>), then normalized — "A header value is a
    /// byte sequence that … Has no leading or trailing HTTP tab or space bytes", so HTTP parsing strips the optional
    /// whitespace around a field value. Any other byte is kept: a vertical tab, a form feed or a byte 0x80–0xFF is part of
    /// the value (fetch's header value excludes only NUL, CR and LF; RFC 9110 §5.5 lets a recipient retain other CTLs).
    /// </summary>
    [FetchAnchor("header-value")]
    public static string Received(string raw) => Http.Normalize(Unfold(raw));

    /// <summary>
    /// Why a response as sent is a network error before any CORS rule reads it; null when it is not.
    /// <list type="bullet">
    /// <item>A 1xx is interim: the target sends it and closes the connection, so no final response arrives — the HTTP
    /// request fails, and HTTP-network fetch returns a network error.</item>
    /// <item>A header value with a NUL: "A header value is a byte sequence that … Contains no 0x00 (NUL) or HTTP newline
    /// bytes", so no header list can hold it; RFC 9110 §5.5: "a recipient of CR, LF, or NUL within a field value MUST
    /// either reject the message or replace each of those characters with SP". Browsers reject the message (the
    /// web-platform-tests of fetch/h1-parsing expect a network error), and so does this model.</item>
    /// <item>Content-Length values that differ (two lines, or a list in one) without a Transfer-Encoding that overrides them:
    /// fetch's "extract a length" returns failure for them, and RFC 9112 §6.3 makes such framing "an unrecoverable error"
    /// for which "the user agent MUST close the connection to the server and discard the received response" (Chromium:
    /// net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH). The same value twice is processed as that one value.</item>
    /// </list>
    /// </summary>
    [FetchAnchor("header-value")]
    public static string? NetworkError(int status, IReadOnlyList<Header> headers)
    {
        if (IsInterim(status))
        {
            return $"status {status} is an interim (1xx) response: fetch waits for a final response, and the connection closes without one";
        }
        if (headers.FirstOrDefault(h => h.Value.Contains('\0', StringComparison.Ordinal)) is { } bad)
        {
            return $"the {bad.Name} header value holds a NUL byte, which no header value may hold: the response is rejected";
        }
        return ConflictingContentLength(headers);
    }

    /// <summary>Why the Content-Length values make the response's framing invalid (values that differ, no Transfer-Encoding),
    /// or null. See <see cref="NetworkError"/>.</summary>
    [FetchAnchor("header-list-extract-a-length")]
    private static string? ConflictingContentLength(IReadOnlyList<Header> headers)
    {
        if (headers.Contains("Transfer-Encoding")) return null;
        var values = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',')).Select(v => v.Trim(' ', '\t')).Distinct(StringComparer.Ordinal).ToList();
        return values.Count > 1
            ? $"the response carries Content-Length values that differ ({string.Join(" and ", values.Select(v => $"'{v}'"))}): its length cannot be "
                + "extracted, and HTTP makes a user agent discard such a response (RFC 9112, section 6.3), so no CORS check reads it"
            : null;
    }

    /// <summary>
    /// The choice HTTP leaves a user agent over the bytes the target sends, as a conforming alternative of
    /// <paramref name="expected"/> (unchanged when none applies, or when it already holds alternatives):
    /// <list type="bullet">
    /// <item>A NUL in a value: RFC 9110 §5.5, "a recipient of CR, LF, or NUL within a field value MUST either reject the
    /// message or replace each of those characters with SP before further processing". Rejecting is the expectation (a
    /// network error, <see cref="NetworkError"/>); replacing is its alternative, evaluated by <paramref name="evaluate"/> on
    /// the case with each NUL a space.</item>
    /// <item>White space between a header name and its colon: RFC 9112 §5.1 forbids it and says what a server and a proxy
    /// do with it, not a user agent. Not reading the line as that header is the expectation; reading it with the white space
    /// removed (as a proxy must forward it) is its alternative.</item>
    /// </list>
    /// Fetch's HTTP-network fetch follows it: "Follow the relevant requirements from HTTP." (HTTP's retry of an idempotent
    /// request after the connection closes is its own: the harness counts the fetch's requests, not HTTP's attempts.)
    /// </summary>
    [FetchAnchor("concept-http-network-fetch")]
    public static Expectation WithHttpChoices(CorsCase @case, Expectation expected, Func<CorsCase, Expectation> evaluate)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(evaluate);
        if (expected.Alternatives.Count > 0) return expected;
        var plan = @case.Server;
        if (Responses(plan).Any(r => r.Headers.Any(h => h.Value.Contains('\0', StringComparison.Ordinal))))
        {
            var replaced = evaluate(@case with { Server = WithoutNul(plan) }) with
            {
                Choice = "the user agent replaced each NUL in a field value with a space, as HTTP allows",
            };
            return expected with
            {
                Choice = "the user agent rejected the message with a NUL in a field value, as HTTP allows (browsers do)",
                Alternatives = [replaced],
            };
        }
        if (Responses(plan).Any(r => r.Headers.Any(h => NameEndsInWhiteSpace(h.Name))))
        {
            var trimmed = evaluate(@case with { Server = plan.MapResponses(response => response with { Headers = [.. response.Headers.Select(h => h with { Name = h.Name.TrimEnd(' ', '\t') })] }) }) with
            {
                Choice = "the user agent removed the white space between a header name and its colon and read the line as that header, as HTTP requires of a proxy (Chromium does)",
            };
            return expected with
            {
                Choice = "the user agent did not read a line with white space before its colon as the header it names, which HTTP forbids (Firefox and WebKitGTK do not)",
                Alternatives = [trimmed],
            };
        }
        return expected;
    }

    /// <summary>A header line with white space between its name and its colon ("Access-Control-Allow-Origin : …"): RFC 9112
    /// §5.1 allows none there — a server rejects such a request, a proxy removes it from such a response — and leaves a user
    /// agent's reading open.</summary>
    public static bool NameEndsInWhiteSpace(string name) => name.Length > 0 && name[^1] is ' ' or '\t';

    private static IEnumerable<ResponsePlan> Responses(ServerPlan plan) => plan.Responses();

    private static ServerPlan WithoutNul(ServerPlan plan) =>
        plan.MapResponses(response => response with { Headers = [.. response.Headers.Select(h => h with { Value = h.Value.Replace('\0', ' ') })] });

    /// <summary>Whether an obs-fold's CRLF starts at <paramref name="i"/>: CR, LF, then SP or HTAB.</summary>
    private static bool FoldStartsAt(string value, int i) =>
        i + 2 < value.Length && value[i] == '\r' && value[i + 1] == '\n' && value[i + 2] is ' ' or '\t';
}
