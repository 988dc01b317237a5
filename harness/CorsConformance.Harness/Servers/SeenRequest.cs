using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// What the target saw of one request, and what it answered: the server side of a case's evidence
/// (a negative case asserts both that the fetch failed and what reached the server).
/// </summary>
/// <param name="Host">The Host header (or <c>:authority</c>), with its port.</param>
/// <param name="PathAndQuery">The request target exactly as it arrived.</param>
/// <param name="Hop">How many redirects the request had followed to get here (the <c>hop</c> query parameter).</param>
/// <param name="IsPreflight">OPTIONS with Access-Control-Request-Method: the spec's condition, answered with the plan's preflight.</param>
/// <param name="Origin">The Origin header; null when absent (the string <c>null</c> when the browser sent <c>null</c>).</param>
/// <param name="HasCookie">A Cookie header carried the cookie named <see cref="ServerContract.CookieName"/>.</param>
/// <param name="ResponseStatus">The status the target answered with.</param>
public sealed record SeenRequest(
    string Method,
    Scheme Scheme,
    string Host,
    string PathAndQuery,
    int Hop,
    bool IsPreflight,
    string? Origin,
    string? AccessControlRequestMethod,
    string? AccessControlRequestHeaders,
    bool HasCookie,
    bool HasAuthorization,
    string? SecFetchMode,
    string? SecFetchSite,
    string? SecFetchDest,
    int ResponseStatus)
{
    /// <summary>A Cookie header carried the case's own cookie (<see cref="ServerContract.CaseCookieName"/>), which only an
    /// earlier answer of the same case can have set.</summary>
    public bool HasCaseCookie { get; init; }

    /// <summary>Every header line of the request as it arrived, in order, one <c>Name: value</c> a line (a name sent more
    /// than once is one line per value): a string, so the journal's records still compare by value. Empty in a journal
    /// entry made by hand. Read it as <see cref="Headers"/>.</summary>
    public string HeaderLines { get; init; } = string.Empty;

    /// <summary><see cref="HeaderLines"/> as header lines.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Header> Headers =>
        [.. HeaderLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(": ", 2)).Select(p => new Header(p[0], p.Length > 1 ? p[1] : string.Empty))];

    /// <summary>The <see cref="HeaderLines"/> of these headers.</summary>
    public static string LinesOf(IEnumerable<Header> headers) => string.Join("\n", headers.Select(h => $"{h.Name}: {h.Value}"));

    /// <summary>Fetch "get" on <see cref="Headers"/>: the values of every line named <paramref name="name"/> (in any case)
    /// joined by ", "; null when none is.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>Whether the request was conditional (If-None-Match or If-Modified-Since): a cache revalidating what it stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsConditional => ServerPlan.IsConditional(Headers.Select(h => h.Name));

    /// <summary>What the target sent back, byte for byte (null in a journal entry made by hand).</summary>
    public SentResponse? Sent { get; init; }

    /// <summary>The journal's arrival number, increasing across every token; set by <see cref="Journal.Record"/>.</summary>
    public long Sequence { get; init; }
}
