namespace CorsConformance.Specs.Model;

/// <summary>
/// How the target answers one kind of request. Header values may hold placeholders that are filled at run time:
/// <see cref="Placeholders.Origin"/> (the page origin's serialization),
/// <see cref="Placeholders.OriginUpper"/> (the same, upper-cased) and
/// <see cref="Placeholders.Echo"/> (whatever Origin header the request carried, reflected).
/// </summary>
/// <remarks>A value is a byte string: each char is one byte (0x00–0xFF). It may hold any byte but CR and LF, except as an
/// obs-fold (CRLF followed by SP or HTAB), which is sent as it stands. Lines of one name go on the wire in their order.</remarks>
public sealed record ResponsePlan(int Status, IReadOnlyList<Header> Headers)
{
    public static ResponsePlan Empty { get; } = new(200, []);

    /// <summary>The reason phrase of the status line, byte for byte; null for the server's usual one.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Whether this answer needs the target's raw path: bytes a conventional server (Kestrel) refuses to write and HTTP/2
    /// cannot carry — an interim (1xx) status as the answer, a reason phrase of the case's own, or a header value with a
    /// byte other than HTAB, SP and visible ASCII (a control byte such as NUL, VT or FF, a byte 0x80–0xFF, an obs-fold).
    /// Such an answer is written over HTTP/1.1 only.
    /// </summary>
    public bool IsRaw() => Status is < 200 or > 999 || Reason is not null || Headers.Any(h => !WireValue.IsPlain(h.Value));
}

/// <summary>The actual request is answered with a redirect, <paramref name="Hops"/> times, before the final answer.</summary>
/// <param name="To">Where every hop points, unless <see cref="Chain"/> names each hop's.</param>
/// <param name="Headers">Headers on each redirect response (the CORS check runs on redirects too).</param>
public sealed record RedirectPlan(int Status, Place To, int Hops, IReadOnlyList<Header> Headers)
{
    /// <summary>Where each hop points, in order (hop 1 first), for a chain whose hops go to different origins
    /// (page → same-site → cross-site → page); null when every hop goes to <see cref="To"/>. Its length is <see cref="Hops"/>.</summary>
    public IReadOnlyList<Place>? Chain { get; init; }

    /// <summary>The userinfo each Location carries before its host (<c>user:pass</c> in <c>http://user:pass@host/…</c>; <c>user:</c>,
    /// <c>:pass</c>, <c>:</c> or the empty string for the other shapes); null for none. A location URL whose user name or
    /// password is not empty "includes credentials", which HTTP-redirect fetch refuses to follow in cors mode across origins
    /// and whenever the response tainting is cors.</summary>
    public string? Userinfo { get; init; }

    /// <summary>URL's "includes credentials": the Location's user name or password is not the empty string.</summary>
    public bool LocationIncludesCredentials => Userinfo is { } userinfo && userinfo.Replace(":", "", StringComparison.Ordinal).Length > 0;

    /// <summary>A URL whose scheme is not an HTTP(S) scheme (<c>data:</c>, <c>about:blank</c>, <c>blob:</c>, <c>ws:</c>, …) that
    /// the (single) redirect's Location is instead of a URL of the reference servers; null for none. HTTP-redirect fetch
    /// refuses it: "If locationURL's scheme is not an HTTP(S) scheme, then return a network error."</summary>
    public string? SchemeLocation { get; init; }

    /// <summary>The answer to a preflight at a URL a redirect leads to (hop 1 and later: each hop's URL is its own, so a
    /// preflighted request is preflighted again there); null when it is <see cref="ServerPlan.Preflight"/>, as at the
    /// request's own URL.</summary>
    public ResponsePlan? Preflight { get; init; }

    /// <summary>The redirect carries no Location header at all (<c>server.redirect.location: ~</c>): its location URL is null, and
    /// HTTP-redirect fetch "If locationURL is null, then return response" hands the redirect response itself back.</summary>
    public bool OmitsLocation { get; init; }

    /// <summary>A Location of the case's own, sent as written, that the URL parser refuses (<c>http://a b</c>, <c>http://:</c>,
    /// <c>http://a:99999</c>; see <see cref="Fetch.LocationUrls"/>): its location URL is failure. Null for none.</summary>
    public string? GivenLocation { get; init; }

    /// <summary>The scheme of <see cref="SchemeLocation"/>, lower-cased (<c>data</c>, <c>about</c>, …); null for none.</summary>
    public string? LocationScheme => SchemeLocation?[..SchemeLocation.IndexOf(':')].ToLowerInvariant();

    /// <summary>The userinfo a case's <c>userinfo: true</c> stands for.</summary>
    public const string UserAndPassword = "user:pass";

    /// <summary>A hop's header lines as the target sends them, whatever its status: <paramref name="headers"/>, then a Location —
    /// the case's own (<see cref="GivenLocation"/>, <see cref="SchemeLocation"/>) or <paramref name="nextHop"/>, the URL the hop
    /// leads to — unless the plan omits it or sets one among its headers (a bad one, taken at its word). One rule for the
    /// target, which sends it, and the oracle, which reads it.</summary>
    public IReadOnlyList<Header> WithLocation(IReadOnlyList<Header> headers, string nextHop) =>
        OmitsLocation || headers.Contains(HeaderNames.Location) ? headers : [.. headers, new Header(HeaderNames.Location, GivenLocation ?? SchemeLocation ?? nextHop)];

    /// <summary>Where the redirect answered at <paramref name="hop"/> (0 for the request's own URL) points.</summary>
    public Place Destination(int hop) => Chain is { } chain ? chain[hop] : To;

    /// <summary>For people: "to CrossSite ×2", "through SameSite, CrossSite, Page".</summary>
    public string DescribeDestinations() => OmitsLocation ? "without a Location" : GivenLocation is { } given ? $"to Location '{given}'" : SchemeLocation is { } location ? $"to {location}" : (Chain is { } chain ? $"through {string.Join(", ", chain)}" : $"to {To} ×{Hops}") + (Userinfo is { } userinfo ? $" with {userinfo}@ in Location" : "");
}

/// <summary>
/// The target's whole behaviour for one case: a pure function of the request, carried in the request URL so one server
/// serves every case. <see cref="Preflight"/> answers an OPTIONS request that has Access-Control-Request-Method;
/// <see cref="Actual"/> answers everything else (after <see cref="Redirect"/>, if any).
/// </summary>
/// <param name="Content">The initiator whose body the final answer carries (<see cref="Initiator.Body"/>: an image for an img,
/// a script for a script, an event stream for EventSource), so that it accepts the answer when CORS allows. Chosen by the
/// runner from the case's initiator, not by a case.</param>
/// <param name="PageScheme">The page's scheme when the request's own URL is over the other one (an http page to an https
/// target), so the target fills <c>{origin}</c> with the page's origin and leads redirect hops over the page's scheme; null
/// when both are the same (then the scheme a request arrives over is the page's). Chosen by the runner, not by a case.</param>
/// <remarks>A sequence (<c>request.then</c>) may meet other answers at each follow-up (<see cref="Then"/>): the target tells
/// which request of the sequence it answers by the page's step marks, which arrive before each follow-up (the URL stays the
/// same, so the preflight cache and the cookies still carry over).</remarks>
public sealed record ServerPlan(ResponsePlan Preflight, ResponsePlan Actual, RedirectPlan? Redirect = null, Api Content = Api.Fetch, Scheme? PageScheme = null)
{
    /// <summary>The whole plan of each follow-up of <c>request.then</c>, in order (follow-up 1 first); null when every
    /// request of the case meets this plan's answers. A follow-up's plan has no <see cref="Then"/> of its own.</summary>
    public IReadOnlyList<ServerPlan>? Then { get; init; }

    /// <summary>The answer to a conditional request (one carrying <c>If-None-Match</c> or <c>If-Modified-Since</c>, as a
    /// cache revalidating a stored response sends it; RFC 9111, "Sending a Validation Request"): status 304 with these
    /// headers, in place of <see cref="Actual"/>; null when every request meets <see cref="Actual"/>. An unconditional
    /// request still meets <see cref="Actual"/>, so a browser that keeps no HTTP cache is answered as the plan says.</summary>
    public ResponsePlan? NotModified { get; init; }

    /// <summary>The status of <see cref="NotModified"/>.</summary>
    public const int NotModifiedStatus = 304;

    /// <summary>Whether a request carrying these header names is conditional: RFC 9110's If-None-Match or
    /// If-Modified-Since, the two a cache sends to validate a stored response.</summary>
    public static bool IsConditional(IEnumerable<string> headerNames) =>
        headerNames.Any(n => n.Equals("If-None-Match", StringComparison.OrdinalIgnoreCase) || n.Equals("If-Modified-Since", StringComparison.OrdinalIgnoreCase));

    /// <summary>The plan a request of step <paramref name="step"/> meets: 0 is the case's own request (and its
    /// repetitions), n the n-th follow-up of <c>request.then</c>.</summary>
    public ServerPlan ForStep(int step) =>
        step <= 0 || Then is not { Count: > 0 } then ? this : then[Math.Min(step, then.Count) - 1] with { Content = Content, PageScheme = PageScheme };

    /// <summary>The answer to a preflight at the URL of <paramref name="hop"/> (0: the request's own URL).</summary>
    public ResponsePlan PreflightAt(int hop) => hop > 0 && Redirect?.Preflight is { } redirected ? redirected : Preflight;

    /// <summary>Every answer of the plan, each step's included (a redirect as its status and headers).</summary>
    public IEnumerable<ResponsePlan> Responses() =>
        new[] { this }.Concat(Then ?? []).SelectMany(plan => new[] { plan.Preflight, plan.Actual }.Concat(plan.NotModified is { } n ? [n] : Array.Empty<ResponsePlan>())
            .Concat(plan.Redirect is { } r ? [new ResponsePlan(r.Status, r.Headers), .. r.Preflight is { } p ? [p] : Array.Empty<ResponsePlan>()] : []));

    /// <summary>The plan with <paramref name="map"/> applied to every answer (a redirect's headers as one), each step's included.</summary>
    public ServerPlan MapResponses(Func<ResponsePlan, ResponsePlan> map) => this with
    {
        Preflight = map(Preflight),
        Actual = map(Actual),
        Redirect = Redirect is { } r ? r with { Headers = map(new ResponsePlan(r.Status, r.Headers)).Headers, Preflight = r.Preflight is { } p ? map(p) : null } : null,
        Then = Then?.Select(plan => plan.MapResponses(map)).ToList(),
        NotModified = NotModified is { } n ? map(n) : null,
    };
}

/// <summary>Placeholders a header value may contain. They are substituted by the runner (page origin) and the target (echo).</summary>
public static class Placeholders
{
    /// <summary>The page's tuple origin, serialized (e.g. <c>http://www.cors.test:41234</c>) — also in cases whose page is a
    /// null-origin frame, where it is the origin the frame does not have.</summary>
    public const string Origin = "{origin}";

    /// <summary>The page origin with every ASCII letter upper-cased: a case variant that must not match.</summary>
    public const string OriginUpper = "{origin-upper}";

    /// <summary>The Origin request header the target received, reflected verbatim (empty when none).</summary>
    public const string Echo = "{echo}";

    /// <summary>The page's host and port without a scheme (<c>www.cors.test:41234</c>): what a server that answers with a
    /// host instead of an origin sends. It may sit anywhere inside a value (<c>ftp://{host}</c>): the oracle spells it out
    /// (<see cref="PageAddress"/>) before it compares.</summary>
    public const string Host = "{host}";

    /// <summary>The same with every ASCII letter upper-cased (<c>WWW.CORS.TEST:41234</c>).</summary>
    public const string HostUpper = "{host-upper}";

    /// <summary>The page's host without its first label, and its port (<c>cors.test:41234</c>): a server that allows "the
    /// parent domain" (<c>*.{host-parent}</c>, <c>http://.{host-parent}</c>).</summary>
    public const string HostParent = "{host-parent}";

    /// <summary>The origin of the URL being answered (the target's own origin at this hop).</summary>
    public const string TargetOrigin = "{target-origin}";

    /// <summary>The runner page's URL (<c>http://www.cors.test:41234/pages/matrix.html</c>).</summary>
    public const string PageUrl = "{page-url}";

    /// <summary>The URL being answered, whole.</summary>
    public const string TargetUrl = "{target-url}";

    /// <summary>A cookie name of the case's own (<see cref="ServerContract.CaseCookieName"/>), for a <c>Set-Cookie</c> whose
    /// cookie a later request of the case may carry back (<see cref="CorsCase.SetsCaseCookie"/>).</summary>
    public const string CaseCookie = "{case-cookie}";

    public static readonly IReadOnlyList<string> All = [Origin, OriginUpper, Echo, Host, HostUpper, HostParent, TargetOrigin, PageUrl, TargetUrl, CaseCookie];

    /// <summary>Placeholders that must be a header's whole value: the oracle knows what they are only as a whole. The page's
    /// origin and host placeholders are not among them: the oracle knows their bytes (<see cref="PageAddress"/>).</summary>
    public static readonly IReadOnlyList<string> WholeValueOnly = [TargetOrigin, PageUrl, TargetUrl];

    /// <summary>Fills the placeholders of one value.</summary>
    public static string Fill(string value, PlaceholderValues values) =>
        value.Replace(OriginUpper, values.PageOrigin.ToUpperInvariant(), StringComparison.Ordinal)
             .Replace(Origin, values.PageOrigin, StringComparison.Ordinal)
             .Replace(Echo, values.EchoedOrigin ?? string.Empty, StringComparison.Ordinal)
             .Replace(HostUpper, values.PageHost.ToUpperInvariant(), StringComparison.Ordinal)
             .Replace(HostParent, values.PageHostParent, StringComparison.Ordinal)
             .Replace(Host, values.PageHost, StringComparison.Ordinal)
             .Replace(TargetOrigin, values.TargetOrigin, StringComparison.Ordinal)
             .Replace(PageUrl, values.PageUrl, StringComparison.Ordinal)
             .Replace(TargetUrl, values.TargetUrl, StringComparison.Ordinal)
             .Replace(CaseCookie, values.CaseCookie, StringComparison.Ordinal);
}

/// <summary>What each placeholder stands for where a response is answered (see <see cref="Placeholders"/>).</summary>
public sealed record PlaceholderValues(string PageOrigin, string? EchoedOrigin, string PageHost, string TargetOrigin, string PageUrl, string TargetUrl)
{
    /// <summary>The case's own cookie name; the oracle keeps the placeholder (it only needs to know the cookie is the case's).</summary>
    public string CaseCookie { get; init; } = Placeholders.CaseCookie;

    /// <summary>The page's host without its first label, with its port (<see cref="Placeholders.HostParent"/>).</summary>
    public string PageHostParent => PageAddress.Parent(PageHost);
}

/// <summary>
/// The page's address as the oracle knows it: its host name is the topology's (<see cref="HostName"/>), its port is the
/// run's, which no case can know. A value that splices the host into longer text (<c>http://{host}</c>) is compared byte for
/// byte once spelled out, with <see cref="PortMark"/> standing for the port's digits on every side.
/// </summary>
public static class PageAddress
{
    /// <summary>The page's host name; every run serves the page from it (the harness maps it to loopback in the browser).</summary>
    public const string HostName = "www.cors.test";

    /// <summary>Stands for the run's port: a character no header value of a case can hold (values are bytes, 0x00–0xFF), so
    /// a case's own text never spells it, and a spelled-out value equals another exactly when the real ones do.</summary>
    public const string PortMark = "\uE000";

    /// <summary>A host and port without the host's first label: <c>www.cors.test:41234</c> → <c>cors.test:41234</c>.</summary>
    public static string Parent(string hostAndPort)
    {
        var dot = hostAndPort.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? hostAndPort : hostAndPort[(dot + 1)..];
    }

    /// <summary>The page's host and port, the port marked.</summary>
    public static string Host => HostName + ":" + PortMark;

    /// <summary>The page's serialized origin over <paramref name="scheme"/>, the port marked.</summary>
    public static string Origin(Scheme scheme) => (scheme == Scheme.Https ? "https" : "http") + "://" + Host;

    /// <summary>A value whose placeholders were filled with the marked address (<see cref="Origin"/>, <see cref="Host"/>) written
    /// back with the placeholders, longest spelling first, so it reads as the case wrote it and compares as the browser
    /// does: <c>http://{host}</c> over http is <c>{origin}</c>, over https stays <c>http://{host}</c>.</summary>
    public static string Symbolic(string value, Scheme scheme)
    {
        if (!value.Contains(PortMark, StringComparison.Ordinal)) return value;
        var origin = Origin(scheme);
        return value.Replace(origin, Placeholders.Origin, StringComparison.Ordinal)
                    .Replace(origin.ToUpperInvariant(), Placeholders.Origin.ToUpperInvariant(), StringComparison.Ordinal)
                    .Replace(Host, Placeholders.Host, StringComparison.Ordinal)
                    .Replace(Host.ToUpperInvariant(), Placeholders.HostUpper, StringComparison.Ordinal)
                    .Replace(Parent(Host), Placeholders.HostParent, StringComparison.Ordinal);
    }
}
