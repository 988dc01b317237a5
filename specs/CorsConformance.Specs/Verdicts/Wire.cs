using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// One request as it reached the target: read from the target's journal by the harness, or as the oracle says a
/// conforming browser sends it. Both sides write a value the same way — the page's origin as <see cref="Placeholders.Origin"/>,
/// the page's own navigator.userAgent as <see cref="Fetch.PreflightRequestHeaders.DefaultUserAgent"/> — so a field read from
/// a <see cref="Wire"/> (<see cref="ExtraField{T}.Read"/>) is measured and predicted by the same function.
/// </summary>
/// <param name="Hop">How many redirects the request had followed: 0 at the request's own URL.</param>
/// <param name="Headers">The header lines. The oracle writes those the standard decides (Origin, Referer, Authorization, the
/// validator of a revalidation, a preflight's own) and the page's own; a browser sends more (Accept-Language, Sec-Fetch-*,
/// …), so a field must read only lines the oracle models. Cookies are <see cref="CarriesCookie"/> and
/// <see cref="CarriesCaseCookie"/>, not a line.</param>
public sealed record WireRequest(bool IsPreflight, string Method, int Hop, IReadOnlyList<Header> Headers)
{
    /// <summary>It carried the cookie the harness planted (<see cref="ServerContract.CookieName"/>).</summary>
    public bool CarriesCookie { get; init; }

    /// <summary>It carried the case's own cookie, which only an earlier answer of the same case can have set.</summary>
    public bool CarriesCaseCookie { get; init; }

    /// <summary>Fetch "get": the values of every line named <paramref name="name"/> (in any case) joined by ", "; null when none is.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>Whether it was conditional (If-None-Match or If-Modified-Since): a cache revalidating what it stored.</summary>
    public bool IsConditional => ServerPlan.IsConditional(Headers.Select(h => h.Name));
}

/// <summary>
/// What reached the target of a case's last request (a sequence's last follow-up; the case's own request with all its
/// repetitions), in the order it arrived: every CORS-preflight request and every request itself, each redirect hop its own.
/// </summary>
public sealed record Wire(IReadOnlyList<WireRequest> Requests)
{
    public static Wire Empty { get; } = new([]);

    public IEnumerable<WireRequest> Preflights => Requests.Where(r => r.IsPreflight);

    /// <summary>The requests themselves, preflights left out.</summary>
    public IEnumerable<WireRequest> Actual => Requests.Where(r => !r.IsPreflight);

    public WireRequest? FirstPreflight => Preflights.FirstOrDefault();

    public WireRequest? LastPreflight => Preflights.LastOrDefault();

    /// <summary>The last request itself that arrived (the last hop of a redirected one); null where none did.</summary>
    public WireRequest? LastActual => Actual.LastOrDefault();
}
