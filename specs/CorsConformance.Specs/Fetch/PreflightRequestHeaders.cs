using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// Which header lines of a CORS-preflight request a case observes when it asks to (<c>observe: [preflight-headers]</c>): the
/// ones CORS-preflight fetch and HTTP-network-or-cache fetch decide — `Accept`, `Access-Control-Request-Method`, `Origin`,
/// `User-Agent` — and every header the page itself set on the request, none of which the preflight may carry (step 1 makes
/// it a new request, with a header list of its own). Access-Control-Request-Headers has a field of its own
/// (<c>requestHeaders</c>), and cookies and Authorization theirs (<c>preflightCarriedCredentials</c>). The harness
/// (Observer) reads these lines from the journal, the oracle predicts them: both take the names from here.
/// </summary>
public static class PreflightRequestHeaders
{
    /// <summary>The `User-Agent` value that is the page's navigator.userAgent: HTML's navigator.userAgent returns the default
    /// `User-Agent` value, which HTTP-network-or-cache fetch appends. Any other value is shown as it arrived.</summary>
    public const string DefaultUserAgent = "{user-agent}";

    public const string UserAgent = "user-agent";

    /// <summary>The names whose lines the standard decides on every preflight.</summary>
    public static IReadOnlyList<string> Decided { get; } = ["accept", "access-control-request-method", "origin", UserAgent];

    /// <summary>Header names a user agent may append to any request of its own, the preflight too, per HTTP-network-or-cache
    /// fetch 8.20: "Modify httpRequest's header list per HTTP. Do not append a given header if httpRequest's header list
    /// contains that header's name" — the preflight's holds none of the page's. Cache directives (RFC 9111 §5.2.1: a
    /// client may send `Cache-Control` request directives, `Pragma: no-cache` for HTTP/1.0 caches) and a priority (RFC 9218
    /// `Priority`). A line of one of them on the preflight may be the user agent's own, so a page's header of that name is
    /// not looked for there. (`Accept-Language` is not among them: "`Accept`, `Accept-Charset`, and `Accept-Language` must
    /// not be included at this point.")</summary>
    public static IReadOnlyList<string> UserAgentMayAdd { get; } = ["cache-control", "pragma", "priority"];

    /// <summary>The names observed on the preflight of <paramref name="request"/> (lower case): <see cref="Decided"/>, and the
    /// request's own header names but the forbidden ones (the browser drops those from the request, and adds some of them —
    /// `Connection`, `Host`, `Accept-Encoding` — to every request, the preflight too) and those a user agent may add of its
    /// own per HTTP (<see cref="UserAgentMayAdd"/>).</summary>
    public static IReadOnlyList<string> Names(RequestSpec request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. Decided.Concat(request.Headers.Where(h => !RequestHeaders.IsForbidden(h.Name)).Select(h => h.Name.ToLowerInvariant()).Except(UserAgentMayAdd))
            .Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The lines of <paramref name="preflight"/> that the case observes (<see cref="Names"/> of its last request), sorted.</summary>
    public static IReadOnlyList<string> Lines(Verdicts.WireRequest preflight, CorsCase @case) =>
        [.. Names(@case.Request.Sequence().Last().Request)
            .Select(name => (name, value: preflight.Header(name)))
            .Where(line => line.value is not null)
            .Select(line => Line(line.name, line.value!))
            .Order(StringComparer.Ordinal)];

    /// <summary>A line as the field shows it: the name in lower case, then the value.</summary>
    public static string Line(string name, string value) => $"{name.ToLowerInvariant()}: {value}";
}
