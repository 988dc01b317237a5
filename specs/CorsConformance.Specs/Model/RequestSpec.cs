namespace CorsConformance.Specs.Model;

/// <summary>Fetch's request mode, as far as a page chooses it.</summary>
[FetchAnchor("concept-request-mode")]
public enum RequestMode
{
    Cors,
    NoCors,

    /// <summary>fetch()'s <c>mode: "same-origin"</c>: main fetch returns a network error at any URL that is neither same
    /// origin with the request's origin (while the tainting is basic) nor a <c>data:</c> URL.</summary>
    SameOrigin,
}

/// <summary>Fetch's request credentials mode. For XHR, <c>withCredentials = true</c> is Include and false is SameOrigin.</summary>
[FetchAnchor("concept-request-credentials-mode")]
public enum CredentialsMode
{
    Omit,
    SameOrigin,
    Include,
}

/// <summary>Fetch's request redirect mode, as <c>fetch()</c>'s <c>redirect</c> option sets it (XHR and elements follow).</summary>
[FetchAnchor("concept-request-redirect-mode")]
public enum RedirectMode
{
    Follow,
    Error,
    Manual,
}

/// <summary>A request the page sends after the case's own, to the same URL (or the same path at <see cref="Target"/>).</summary>
/// <param name="DelayMs">How long the page waits after the previous request has finished before it sends this one.</param>
public sealed record FollowUp(string Method, IReadOnlyList<Header> Headers, CredentialsMode Credentials, string? Body = null, int DelayMs = 0)
{
    /// <summary>Where this request goes, when not to the case's own target (<c>request.then[i].target</c>): the same path and
    /// plan at another host, a URL of its own (its own preflight-cache entries, its own cookies); null for the case's.</summary>
    public Place? Target { get; init; }
}

/// <summary>What the page asks for: the same record whether it is fetch() or XMLHttpRequest.</summary>
/// <param name="Method">Exactly as the page passes it; the browser normalizes it (or does not), the oracle models that.</param>
/// <param name="Headers">Author request headers, in order.</param>
/// <param name="Body">A string body, or null for none.</param>
/// <param name="Repeat">How many times the page issues the same request in sequence (for the preflight cache); at least 1.</param>
/// <param name="Mode">cors, no-cors (fetch's <c>mode: "no-cors"</c>; an element without a crossorigin attribute), or
/// same-origin (fetch's <c>mode: "same-origin"</c>).</param>
/// <param name="UploadListener">XHR only: a listener on <c>xhr.upload</c> before send(), which sets the use-CORS-preflight flag.</param>
/// <param name="Redirect">fetch() only: what a redirect does (follow it, fail, or hand the page an opaque-redirect response).</param>
/// <param name="ReferrerPolicy">fetch() only: the request's referrer policy (<c>no-referrer</c>, <c>same-origin</c>, …); null
/// for the default. It decides the Origin header of a request that is not in cors mode and is neither GET nor HEAD.</param>
/// <param name="Keepalive">fetch() only: <c>keepalive: true</c>.</param>
/// <param name="Then">Requests the page sends next to the same URL, in order, each after the last has finished (and its
/// delay): the preflight cache and the cookie jar carry over. Empty for most cases.</param>
/// <param name="XhrUser">XHR only: the <c>user</c> argument of <c>open(method, url, true, user, password)</c>; null when
/// not passed. XHR's open(): "If the username argument is not null, set the username given parsedURL and username."</param>
/// <param name="XhrPassword">XHR only: the <c>password</c> argument of open(); null when not passed ("set the password
/// given parsedURL and password").</param>
/// <param name="Referrer">fetch() only: the <c>referrer</c> option, and with it the case judges the Referer of the request
/// and of its preflight. <see cref="ClientReferrer"/> leaves the request's referrer "client" (the page's URL, as fetch()
/// does by default); the empty string is "no-referrer"; a path (<c>/…</c>) is a URL at the page's own origin. Null: not
/// given, and the Referer is not judged.</param>
public sealed record RequestSpec(
    Api Api,
    string Method,
    IReadOnlyList<Header> Headers,
    CredentialsMode Credentials,
    string? Body = null,
    int Repeat = 1,
    RequestMode Mode = RequestMode.Cors,
    bool UploadListener = false,
    RedirectMode Redirect = RedirectMode.Follow,
    IReadOnlyList<FollowUp>? Then = null,
    string? ReferrerPolicy = null,
    bool Keepalive = false,
    string? XhrUser = null,
    string? XhrPassword = null,
    string? Referrer = null)
{
    /// <summary>The word of <see cref="Referrer"/> for the request's referrer "client": the page's own URL.</summary>
    public const string ClientReferrer = "client";

    /// <summary>Whether open() was given a user or a password (the case then judges whether Authorization was sent).</summary>
    public bool OpensWithUserinfo => XhrUser is not null || XhrPassword is not null;

    /// <summary>Where this request goes when it is a follow-up sent elsewhere than the case's target (<see cref="FollowUp.Target"/>);
    /// null: the case's <c>origins.target</c>.</summary>
    public Place? Target { get; init; }

    /// <summary>URL: "A URL includes credentials if its username or password is not the empty string." True when open()
    /// set a non-empty user or password on the request URL; XHR's send() then sets the request's use-URL-credentials flag.</summary>
    [FetchAnchor("concept-request-use-url-credentials-flag")]
    public bool UrlIncludesCredentials => !string.IsNullOrEmpty(XhrUser) || !string.IsNullOrEmpty(XhrPassword);

    /// <summary>The referrer policies fetch() accepts (the empty string is the default, written as null here).</summary>
    [FetchAnchor("concept-request-referrer-policy")]
    public static readonly IReadOnlyList<string> ReferrerPolicies =
        ["no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"];

    /// <summary>The requests of the case in the order the page sends them: this one <see cref="Repeat"/> times, then each
    /// follow-up as a request of its own (the same initiator, mode and redirect mode).</summary>
    public IEnumerable<(RequestSpec Request, int DelayMs)> Sequence()
    {
        for (var i = 0; i < Math.Max(1, Repeat); i++) yield return (this, 0);
        foreach (var next in Then ?? [])
        {
            yield return (this with { Method = next.Method, Headers = next.Headers, Credentials = next.Credentials, Body = next.Body, Repeat = 1, Then = null, Target = next.Target }, next.DelayMs);
        }
    }

    /// <summary>The most bytes of body a keepalive request may carry (with every other keepalive request of its page in
    /// flight): HTTP-network-or-cache fetch, "If the sum of contentLength and inflightKeepaliveBytes is greater than 64
    /// kibibytes, then return a network error."</summary>
    public const int KeepaliveQuota = 64 * 1024;

    /// <summary>The body's length in bytes as fetch extracts it (a string is UTF-8 encoded); null where the request sends
    /// none (no body, or a GET or HEAD).</summary>
    public int? BodyLength => Body is null || Fetch.Methods.Normalize(Method) is "GET" or "HEAD" ? null : System.Text.Encoding.UTF8.GetByteCount(Body);

    /// <summary>The most bytes <c>request.body-bytes</c> may ask for: enough to pass any keepalive quota many times over.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The body as a description shows it: quoted, or its size and first bytes when it is too long to read.</summary>
    public string? BodyShown => Body is null ? null : Body.Length <= 100 ? $"'{Body}'" : $"of {System.Text.Encoding.UTF8.GetByteCount(Body)} bytes ('{Body[..16]}…')";

    /// <summary>The request's keepalive is true: fetch()'s <c>keepalive: true</c>, or a beacon (Beacon, sendBeacon(): "keepalive
    /// is true").</summary>
    public bool IsKeepalive => Keepalive || Api == Api.Beacon;

    /// <summary>A keepalive request whose body alone is over <see cref="KeepaliveQuota"/>: never sent.</summary>
    public bool OverKeepaliveQuota => IsKeepalive && BodyLength > KeepaliveQuota;

    /// <summary>What this request's initiator is and allows: <see cref="Initiators"/>.</summary>
    public Initiator Initiator => Initiators.Of(Api);

    /// <summary>An element or EventSource: the page chooses no method, header or body, and sees no status or header.</summary>
    public bool IsElementLike => Initiator.IsElement;

    public static RequestSpec Get { get; } = new(Api.Fetch, "GET", [], CredentialsMode.SameOrigin);
}
