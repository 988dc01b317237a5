namespace CorsConformance.Specs.Model;

/// <summary>
/// One case of the catalog: pure data. The id is stable once published (snapshots and deviations are keyed by it);
/// the anchor names the Fetch Standard rule the case exercises.
/// </summary>
public sealed record CorsCase(
    string Id,
    string Anchor,
    string Description,
    Topology Origins,
    RequestSpec Request,
    ServerPlan Server,
    string Source = "")
{
    /// <summary>The first segment of the id: the catalog's category (e.g. <c>cors-check</c>).</summary>
    public string Category => Id.Split('/')[0];

    public string AnchorUrl => FetchSpec.Url(Anchor);

    /// <summary>The case asks to observe its preflight's headers (<c>observe: [preflight-headers]</c>): then the lines
    /// <see cref="Fetch.PreflightRequestHeaders"/> names are observed and judged.</summary>
    public bool ObservesPreflightHeaders { get; init; }

    /// <summary>
    /// Whether the standard may refuse the case's request at its own URL before anything is sent, so that the target's
    /// journal stays empty as it would for a server the browser could not reach. main fetch step 12, at a URL that is not
    /// same origin with the request's origin (and not a data: URL): "request's mode is "same-origin"": "Return a network
    /// error."; "request's mode is "no-cors"": "If request's redirect mode is not "follow", then return a network error."
    /// So is a fetch() whose keepalive body is over the 64 KiB quota (<see cref="RequestSpec.OverKeepaliveQuota"/>):
    /// HTTP-network-or-cache fetch returns a network error before it sends it, at any URL (a preflight may still go out).
    /// The page then sends a control request to the target's origin once the case's requests are done, which the harness
    /// needs to see before it believes an empty journal.
    /// </summary>
    public bool MayBeRefusedUnsent =>
        !Origins.Serverless && (((Origins.Target != Place.Page || Origins.OpaqueOrigin)
        && (Request.Mode == RequestMode.SameOrigin || (Request.Mode == RequestMode.NoCors && Request.Redirect != RedirectMode.Follow)))
            || Request.Sequence().Any(r => r.Request.Api == Api.Fetch && r.Request.OverKeepaliveQuota));

    /// <summary>Whether an answer of the case sets the case's own cookie (a <c>Set-Cookie</c> naming
    /// <see cref="Placeholders.CaseCookie"/>): then whether the last request carried it back is observed and judged.</summary>
    public bool SetsCaseCookie =>
        Server.Responses().Any(response => response.Headers.Any(IsCaseCookie));

    /// <summary>Whether a follow-up of the case answers a conditional request with a 304 (<c>request.then[i].server.not-modified</c>):
    /// then whether the last request revalidated a stored response is observed and judged.</summary>
    public bool MayRevalidate => Server.Then?.Any(step => step.NotModified is not null) == true;

    /// <summary>
    /// Whether an answer of the case is a 401 with a <c>WWW-Authenticate</c> challenge, after which a browser may keep an
    /// authentication entry for the target's protection space. Such an entry outlives the case: HTTP-network-or-cache fetch
    /// uses "an authentication entry for httpRequest" for any later credentialed request there whose URL carries no
    /// credentials of its own, so the runner issues these cases after every other case of their page (Firefox, which
    /// retries such a 401 with the URL's user and password, otherwise sent its Authorization on a later case's request).
    /// </summary>
    public bool MayMakeAuthenticationEntry =>
        Server.Responses().Any(response => response.Status == 401
            && response.Headers.Any(h => h.Name.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A <c>Set-Cookie</c> line that sets the case's own cookie.</summary>
    public static bool IsCaseCookie(Header header) =>
        header.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase) && header.Value.Contains(Placeholders.CaseCookie, StringComparison.Ordinal);

    public override string ToString() => Id;
}
