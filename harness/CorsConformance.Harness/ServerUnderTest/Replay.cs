using System.Net.Http.Headers;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>An interim (1xx) answer's status and header lines, as they came before the final answer.</summary>
public sealed record InterimAnswer(int Status, IReadOnlyList<Header> Headers);

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

    /// <summary>How long the request took, to its answer's head or its failure.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Whether the request failed at the TLS handshake (a certificate this client does not trust, say).</summary>
    public bool TlsFailed { get; init; }

    /// <summary>For an answer this client could not parse, its first lines as they came (escaped), so that the evidence shows what the server sent.</summary>
    public IReadOnlyList<string> Unparsed { get; init; } = [];

    /// <summary>Why the replay did not send this request at all (a browser would not: the server's preflight answer
    /// refuses it), or null.</summary>
    public string? Withheld { get; init; }

    /// <summary>The redirects the replay followed before this answer, as a browser follows them (first first).</summary>
    public IReadOnlyList<RedirectAnswer> Redirects { get; init; } = [];

    /// <summary>Why the standard's reading of this exchange is left out: the browser went on past this answer in a way the
    /// replay does not follow (a Location it cannot resolve or of another scheme, a chain whose redirects, or whose
    /// preflights after them, differ); null when the answers are read whole.</summary>
    public string? NotModelled { get; init; }

    /// <summary>Whether the request carried <see cref="Replay.SignedInCookie"/>, as a signed-in user's does (the browser's
    /// carried none).</summary>
    public bool SignedIn { get; init; }

    /// <summary>Whether this stands for an answer that came in place of the resource's own (<see cref="NotTheResource"/>):
    /// a redirect, or a status that says the request was not handled; <see cref="Failure"/> says which.</summary>
    public bool NotFromResource { get; init; }

    /// <summary>Statuses that say the resource did not handle the request at all: RFC 9110's 502 Bad Gateway, 503 Service
    /// Unavailable and 504 Gateway Timeout, and RFC 6585's 429 Too Many Requests — a proxy, a rate limit or a server not
    /// ready answered, and what CORS headers that answer lacks says nothing of the resource's own.</summary>
    public static bool IsUnhandledStatus(int status) => status is 429 or 502 or 503 or 504;

    /// <summary>Whether this answer and <paramref name="other"/>, to the same request asked twice, differ in what a CORS check
    /// or a cache reads: the status, or a line of Access-Control-* or Vary (a Date differs every time). An ask without an
    /// answer is no other answer (a dropped connection says nothing of what the server decides), nor is a status that says
    /// the request was not handled (<see cref="IsUnhandledStatus"/>: a rate limit that starts mid-run). The audit and the
    /// protocol checks ask each request twice and tell a server that answers it two ways by this.</summary>
    public bool DiffersFrom(RawResponse other) =>
        Status is { } a && other.Status is { } b && !IsUnhandledStatus(a) && !IsUnhandledStatus(b) && Signature(this) != Signature(other);

    private static string Signature(RawResponse answer) =>
        answer.Status + "\n" + string.Join("\n", answer.Headers
            .Where(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Name.ToLowerInvariant() + ": " + h.Value));

    /// <summary>An answer a check that reads the resource's own answer (and follows no redirect) must not take for it: a
    /// redirect (3xx with a Location), whose headers say nothing of the resource behind it (a browser reads that only after
    /// the redirect passes its CORS check, and then checks the resource's own answer), or an unhandled status
    /// (<see cref="IsUnhandledStatus"/>). An audited or checked `http://` URL that redirects to `https://`, or to a login
    /// page, or a rate-limited staging server, was found clean on that answer's lack of CORS headers. Any other answer is
    /// returned as it is.</summary>
    /// <param name="preflight">The answer is a preflight's: a redirect is then an answer that refuses (browsers never follow
    /// a preflight's redirect), and only an unhandled status stands in for the resource's own.</param>
    public static RawResponse NotTheResource(RawResponse answer, Uri url, bool preflight = false)
    {
        if (answer is not { Status: { } status }) return answer;
        if (IsUnhandledStatus(status))
        {
            return new RawResponse(null, [], $"the URL answers {status}, which says the request was not handled (a rate limit, a gateway, a server not ready): nothing of the resource's own answer was read; run again when it answers")
            {
                Reached = true,
                NotFromResource = true,
            };
        }
        if (preflight || !Oracle.IsRedirectStatus(status)) return answer;
        if (answer.Headers.LastOrDefault(h => h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase))?.Value is not { } location) return answer;
        var to = Uri.TryCreate(url, location, out var resolved) ? resolved.AbsoluteUri : location;
        // A redirect to the URL itself (a loop) has no other URL to point the check at.
        var why = resolved is not null && resolved.AbsoluteUri == url.AbsoluteUri
            ? $"the URL answers {status} with Location: {location}, a redirect to itself (a loop, which browsers give up after 20 hops), not with the resource: nothing of the resource's own answer was read"
            : $"the URL answers {status} with Location: {location}, not with the resource: this check reads the answer of the URL it is given and follows no redirect, so point it at {to} itself";
        return new RawResponse(null, [], why)
        {
            Reached = true,
            NotFromResource = true,
        };
    }

    /// <summary>Header lines of this answer without a colon, which browsers pass over (and so does this reading); shown as
    /// evidence.</summary>
    public IReadOnlyList<string> PassedOver { get; init; } = [];

    /// <summary>The interim (1xx) answers that came before this one on its connection, each with its header lines (103
    /// Early Hints); fetch reads none of them (HTTP-network fetch waits for the final response), but a server that puts its
    /// CORS headers on one shows them there.</summary>
    public IReadOnlyList<InterimAnswer> Interim { get; init; } = [];

    /// <summary>Why this answer lacks every Access-Control- header though the server sent some: they came only on an
    /// interim answer before it (a 103 Early Hints carrying them, the final answer none), which no browser reads for CORS;
    /// null when that is not so.</summary>
    public string? CorsOnlyOnInterim =>
        Status is not null && !Headers.Any(IsCorsLine) && Interim.FirstOrDefault(i => i.Headers.Any(IsCorsLine)) is { } early
            ? $"the server sent its Access-Control- headers only on the interim {early.Status} answer before it ("
                + string.Join("; ", early.Headers.Where(IsCorsLine).Take(3).Select(h => $"{h.Name}: {Specs.Fetch.Http.Shown(h.Value)}"))
                + $"{(early.Headers.Count(IsCorsLine) > 3 ? "; …" : "")}), and the final {Status} answer carries none: fetch reads only the final answer's headers "
                + "(HTTP-network fetch passes over a 1xx and waits for the final response), so browsers see no CORS header; send them on the final answer "
                + "(a 103 Early Hints may repeat them, but never replaces them)"
            : null;

    /// <summary>Why a CORS header of this answer may go unread: its line has white space between the name and the colon
    /// ("Access-Control-Allow-Origin : …"), which HTTP forbids and browsers read two ways; null when no line has.</summary>
    public string? CorsNameWithWhiteSpace =>
        Headers.FirstOrDefault(h => IsCorsLine(h) && Specs.Fetch.HeaderValues.NameEndsInWhiteSpace(h.Name)) is { } line
            ? $"its line '{RawHead.Escape(line.Name)}: {Specs.Fetch.Http.Shown(line.Value)}' has white space between the name and the colon, which HTTP forbids "
                + $"(RFC 9112, section 5.1): Firefox and WebKitGTK do not read it as {line.Name.TrimEnd(' ', '\t')} (Chromium does), so calls fail there; remove the white space"
            : null;

    private static bool IsCorsLine(Header h) => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The failure that stopped this exchange, whichever request it was (the preflight's when the request itself
    /// was withheld).</summary>
    public static string? FailureOf(RawResponse? preflight, RawResponse actual) => actual.Failure ?? preflight?.Failure;

    public override string ToString() =>
        string.Concat(Redirects.Select((r, i) => $"(redirect {i + 1}: {r})\n    ")) +
        (Withheld is not null ? $"(not sent: {Withheld})" :
        NotFromResource ? $"(not the resource's answer: {Failure})" :
        Failure is not null
            ? $"(no answer: {Failure})" + string.Concat(Unparsed.Select(l => $"\n      | {l}"))
            : string.Concat(Interim.Where(i => i.Headers.Count > 0).Select(i => $"(interim {i.Status}, not read by fetch:\n" + string.Join("\n", Shown(i.Headers).Select(h => $"      {h}")) + ")\n    "))
                + $"{Status}\n" + string.Join("\n", Shown(Headers).Select(h => $"      {h}"))
                + string.Concat(PassedOver.Select(l => $"\n      (passed over, as browsers do: a line without a colon: {l})")));

    /// <summary>How many header lines the evidence shows before it keeps only the CORS ones, and how much of a value.</summary>
    private const int ShownLines = 40, ShownValue = 512;

    /// <summary>The header lines as evidence shows them: every Access-Control-, Vary and Location line, the others up to
    /// <see cref="ShownLines"/>, each value up to <see cref="ShownValue"/> characters, saying how much more there was (a
    /// hostile server's 300 KB header made each failure's evidence 300 KB; the answer itself is kept whole).</summary>
    private static IEnumerable<string> Shown(IReadOnlyList<Header> headers)
    {
        static bool Cors(Header h) => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)
            || h.Name.Equals("Vary", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase);
        var left = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (i >= ShownLines && !Cors(h))
            {
                left++;
                continue;
            }
            yield return h.Value.Length <= ShownValue ? h.ToString() : $"{h.Name}: {h.Value[..ShownValue]}… ({h.Value.Length - ShownValue} more bytes)";
        }
        if (left > 0) yield return $"({left} more header lines)";
    }
}

/// <summary>A redirect the replay followed: the request (its URL, the Origin it carried — `null` once a hop to another
/// origin tainted it — and its method) and the server's redirect answer.</summary>
public sealed record RedirectAnswer(Uri Url, string Origin, string Method, RawResponse Answer, Uri To)
{
    /// <summary>The Origin the request it leads to carries (`null` once tainted).</summary>
    public string NextOrigin { get; init; } = Origin;

    /// <summary>The method of the request it leads to (GET after a 303, or a 301/302 of a POST).</summary>
    public string NextMethod { get; init; } = Method;

    /// <summary>The answer to the preflight a browser sends at <see cref="To"/> before the request it leads to (main fetch
    /// runs anew at each URL), or null where that request needs none.</summary>
    public RawResponse? NextPreflight { get; init; }

    public override string ToString() => $"{Method} {Url} with Origin: {Origin}, answered {Answer}"
        + (NextPreflight is { } preflight ? $"\n    (then the preflight at {To} with Origin: {NextOrigin}, answered {preflight})" : "");
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

    /// <summary>Whether the requests carry the headers a browser adds to a cross-origin fetch and HttpClient does not
    /// (<see cref="BrowserHeaders"/>): a server may answer them otherwise (Go 1.25's CrossOriginProtection reads
    /// Sec-Fetch-Site; bot defences the User-Agent).</summary>
    public bool AsBrowser { get; init; }

    /// <summary>The same replay, its requests carrying <see cref="BrowserHeaders"/>.</summary>
    public Replay WithBrowserHeaders() => new(client, timeout, Authentication) { AsBrowser = true };

    /// <summary>What a browser adds to a cross-origin fetch from a page (a preflight too): its User-Agent, Accept,
    /// Accept-Language (desktop Chrome, Firefox and Safari send one on every request; Chromium's headless shell does not, and
    /// is launched with one against a server under test, <see cref="PolicyRunner.AsDesktopBrowser"/>) and the fetch metadata of
    /// a cors-mode request (Sec-Fetch-Site as from another site, which a page at an allowed origin mostly is).</summary>
    public static readonly IReadOnlyList<Header> BrowserHeaders =
    [
        new("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"),
        new("Accept", "*/*"),
        new("Accept-Language", "en-US,en;q=0.9"),
        new("Sec-Fetch-Mode", "cors"),
        new("Sec-Fetch-Site", "cross-site"),
        new("Sec-Fetch-Dest", "empty"),
    ];

    private void AddBrowserHeaders(HttpRequestMessage message)
    {
        if (!AsBrowser) return;
        foreach (var header in BrowserHeaders) message.Headers.TryAddWithoutValidation(header.Name, header.Value);
    }

    /// <summary>The most redirects a fetch follows: HTTP-redirect fetch, "If request's redirect count is 20, then return a
    /// network error."</summary>
    public const int RedirectLimit = 20;

    /// <summary>
    /// Sends what a browser sends for the case: the preflight where one is due, then the request; and, as fetch's
    /// "follow" does, each redirect after it that a browser follows (HTTP-redirect fetch: the CORS check on the redirect
    /// response, a 301/302 POST or a 303 made a GET, Authorization dropped and the Origin tainted to `null` on a hop to
    /// another origin), so the answer the standard is read on is the one the browser got to, not the first redirect.
    /// A request that needs a preflight is preflighted again at each URL a redirect leads to (main fetch runs anew there),
    /// and sent on only where that preflight's answer lets a browser send it. Where the browser would go on in a way this
    /// replay does not follow (a Location it cannot parse, a chain whose redirects differ), it stops and says so in
    /// <see cref="RawResponse.NotModelled"/>.
    /// </summary>
    public async Task<(RawResponse? Preflight, RawResponse Actual)> RunAsync(PolicyCase @case, CancellationToken cancellationToken = default)
    {
        var request = Authentication.Reveal(@case.Request);
        var method = Methods.Normalize(request.Method);
        var unsafeNames = RequestHeaders.UnsafeNames(request.Headers);
        RawResponse? preflight = null;
        if (!Methods.IsCorsSafelisted(method) || unsafeNames.Count > 0)
        {
            preflight = await PreflightAsync(@case.Resource, @case.PageOrigin, method, unsafeNames, cancellationToken);
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
        var hop = new Hop(@case.Resource, @case.PageOrigin, method, request.Headers, request.Body);
        var redirects = new List<RedirectAnswer>();
        var signedIn = SendsSignedInCookie(@case);
        while (true)
        {
            var answer = await SendAsync(client, Message(hop, request.Credentials, signedIn), timeout, cancellationToken) with { SignedIn = signedIn };
            if (answer is not { Status: { } status } || !Oracle.IsRedirectStatus(status)) return (preflight, Chain(answer, redirects));
            // HTTP fetch: "If request's response tainting is "cors" and a CORS check for request and response returns
            // failure, then return a network error" — on a redirect response too: the browser stops here, and so does the replay.
            if (!Oracle.CorsCheck(hop.Origin, request.Credentials, answer.Headers.Select(h => h with { Value = h.Value.Trim(' ', '\t') }).ToList()).Ok)
            {
                return (preflight, Chain(answer, redirects));
            }
            var location = answer.Headers.LastOrDefault(h => h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase))?.Value;
            // "If locationURL is null, then return response": the redirect is the answer.
            if (location is null) return (preflight, Chain(answer, redirects));
            var redirected = $"the server redirects {hop.Method} {hop.Url} ({status}, Location: {location})";
            var unfollowed = (string why) => (preflight, Chain(answer, redirects) with { NotModelled = $"{redirected} and {why}" });
            if (!Uri.TryCreate(hop.Url, location, out var next) || !next.IsAbsoluteUri) return unfollowed("the Location is not a URL this replay can resolve");
            if (next.Scheme is not ("http" or "https")) return unfollowed($"a {next.Scheme}: Location is a network error the suite does not model for a server under test");
            if (next.UserInfo.Length > 0) return unfollowed("the Location carries credentials, which the suite does not model for a server under test");
            if (redirects.Count == RedirectLimit) return unfollowed($"the chain is longer than the {RedirectLimit} redirects fetch follows");
            var from = hop;
            hop = hop.Follow(next, status);
            // main fetch at the new URL: a request that needs a preflight is preflighted there, with the Origin it now carries.
            var names = RequestHeaders.UnsafeNames(hop.Headers);
            var again = preflight is not null && (!Methods.IsCorsSafelisted(hop.Method) || names.Count > 0)
                ? await PreflightAsync(next, hop.Origin, hop.Method, names, cancellationToken)
                : null;
            redirects.Add(new RedirectAnswer(from.Url, from.Origin, from.Method, answer, next) { NextOrigin = hop.Origin, NextMethod = hop.Method, NextPreflight = again });
            if (again is not null && BrowserSendsAfter(@case, preflight, redirects) is var sends and not true)
            {
                if (sends is null)
                {
                    redirects.RemoveAt(redirects.Count - 1);
                    return unfollowed("its redirects, or the preflights after them, differ, which the suite's model of a redirect chain does not hold");
                }
                return (preflight, new RawResponse(null, [], null)
                {
                    Redirects = redirects.ToList(),
                    Withheld = again.Answered
                        ? $"the server's answer to the preflight at {next} refuses it, so a browser does not send it there"
                        : $"the preflight at {next} got no answer, so a browser does not send it there",
                });
            }
        }
    }

    /// <summary>
    /// An allowed credentialed call that the browser and the standard block, sent again as a signed-in user's request goes:
    /// with <see cref="SignedInCookie"/> (its preflight, which never carries a cookie, is not sent again). A server that
    /// decides its CORS answer on the cookie (Starlette allowing `*` with credentials: `*` without a Cookie, the Origin
    /// reflected with one) blocks visitors without cookies and admits signed-in users, which the failure then says. Null
    /// where a cookie jar gives real cookies (the call carried them already), for a call that is not credentialed, or
    /// without an answer.
    /// </summary>
    public async Task<RawResponse?> SignedInAnswerAsync(PolicyCase @case, CancellationToken cancellationToken = default)
    {
        if (@case.Request.Credentials != CredentialsMode.Include || Authentication.Cookies.Count > 0) return null;
        var request = Authentication.Reveal(@case.Request);
        var hop = new Hop(@case.Resource, @case.PageOrigin, Methods.Normalize(request.Method), request.Headers, request.Body);
        var answer = await SendAsync(client, Message(hop, request.Credentials, signedIn: true), timeout, cancellationToken);
        return answer.Answered ? answer with { SignedIn = true } : null;
    }

    /// <summary>The cookie a credentialed refusal's replay carries when no cookie jar was given: a signed-in user's
    /// request carries the session's cookie, and a server may decide its CORS answer on it (Starlette, allowing `*` with
    /// credentials, answers `*` to a request without a Cookie and reflects the Origin with credentials to one with any),
    /// so a refusal shown only to visitors without a cookie is not shown to the users it protects.</summary>
    public const string SignedInCookie = "cors-conformance-session=signed-in";

    /// <summary>Whether the replay sends <see cref="SignedInCookie"/>: for a credentialed request the policy refuses, when
    /// no cookie jar gives real cookies. Not for an allowed one: there the replay stands for the browser's own request,
    /// which carries no cookie of ours.</summary>
    public bool SendsSignedInCookie(PolicyCase @case) =>
        @case.Request.Credentials == CredentialsMode.Include && Authentication.Cookies.Count == 0 && Oracle.Expect(@case.Model).Outcome != Outcome.Allowed;

    /// <summary>The least a preflight can ask: from the case's origin, for GET, without Access-Control-Request-Headers. Answered
    /// ok and admitting the origin, it shows that the CORS layer answers preflights there, so that a refused preflight of
    /// the case was refused for the method or headers it asked for, not by an authentication layer or a router.</summary>
    public Task<RawResponse> PlainPreflightAsync(PolicyCase @case, CancellationToken cancellationToken = default) =>
        PreflightAsync(@case.Resource, @case.PageOrigin, "GET", [], cancellationToken);

    /// <summary>A GET of the case's URL, without credentials, from the case's origin or (<paramref name="withOrigin"/> false)
    /// without Origin, as a navigation sends: where the first is refused 401 or 403 and the second answered ok, the refusal
    /// comes from a check of the Origin (a CORS layer that answers 403 to an origin it does not allow, as Tomcat's CorsFilter
    /// and Spring's CORS support do), not from an authentication layer, which refuses a request without a session whatever
    /// its Origin.</summary>
    public Task<RawResponse> PlainGetAsync(PolicyCase @case, bool withOrigin, CancellationToken cancellationToken = default)
    {
        var get = new HttpRequestMessage(HttpMethod.Get, @case.Resource);
        if (withOrigin) get.Headers.TryAddWithoutValidation(HeaderNames.Origin, @case.PageOrigin);
        return SendAsync(client, get, timeout, cancellationToken);
    }

    /// <summary>A GET of the case's URL from <paramref name="origin"/>, with a signed-in user's cookie where the case is
    /// credentialed: whether the server admits an origin that has nothing of the policy's in it (ForgedOriginsAnyOrigin).</summary>
    public Task<RawResponse> GetFromAsync(PolicyCase @case, string origin, CancellationToken cancellationToken = default)
    {
        var get = new HttpRequestMessage(HttpMethod.Get, @case.Resource);
        get.Headers.TryAddWithoutValidation(HeaderNames.Origin, origin);
        if (@case.Request.Credentials == CredentialsMode.Include) get.Headers.TryAddWithoutValidation("Cookie", SignedInCookie);
        return SendAsync(client, get, timeout, cancellationToken);
    }

    /// <summary>The case's own request (method, headers, body) without Origin and without credentials: answered ok where the
    /// same request from the case's origin was refused 401 or 403 and a GET from that origin is admitted, the refusal comes
    /// from a check of the method for that origin (Tomcat's CorsFilter answers 403 to a simple request whose method is not in
    /// cors.allowed.methods), not from an authentication layer, which refuses it without a session whatever its Origin.</summary>
    public async Task<RawResponse> WithoutOriginAsync(PolicyCase @case, CancellationToken cancellationToken = default)
    {
        var request = Authentication.Reveal(@case.Request);
        var message = Message(new Hop(@case.Resource, @case.PageOrigin, Methods.Normalize(request.Method), request.Headers, request.Body), CredentialsMode.Omit, signedIn: false);
        message.Headers.Remove(HeaderNames.Origin);
        return await SendAsync(client, message, timeout, cancellationToken);
    }

    private Task<RawResponse> PreflightAsync(Uri url, string origin, string method, IReadOnlyList<string> unsafeNames, CancellationToken cancellationToken)
    {
        var options = new HttpRequestMessage(HttpMethod.Options, url);
        AddBrowserHeaders(options);
        options.Headers.TryAddWithoutValidation(HeaderNames.Origin, origin);
        options.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestMethod, method);
        if (unsafeNames.Count > 0) options.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestHeaders, string.Join(",", unsafeNames));
        return SendAsync(client, options, timeout, cancellationToken);
    }

    /// <summary>Whether, by the Fetch Standard, a browser sends the request on after these redirects and the preflight at
    /// the last one's URL: the chain read with a final answer that admits anything (its own Origin reflected, with
    /// credentials), so whatever blocks it was on the way. Null where the oracle's plan cannot hold the chain (see <see cref="PlanOf"/>).</summary>
    private static bool? BrowserSendsAfter(PolicyCase @case, RawResponse? preflight, IReadOnlyList<RedirectAnswer> redirects)
    {
        var open = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, Placeholders.Echo), new(HeaderNames.AccessControlAllowCredentials, "true")], null)
        {
            Redirects = redirects.ToList(),
        };
        return PlanOf(@case, preflight, open) is { } plan ? Oracle.Expect(@case.Model with { Server = plan }).Allowed.Any(e => e.Outcome == Outcome.Allowed) : null;
    }

    /// <summary>The final answer with the redirects before it.</summary>
    private static RawResponse Chain(RawResponse answer, IReadOnlyList<RedirectAnswer> redirects) => answer with { Redirects = redirects.ToList() };

    private HttpRequestMessage Message(Hop hop, CredentialsMode credentials, bool signedIn)
    {
        var message = new HttpRequestMessage(new HttpMethod(hop.Method), hop.Url);
        message.Headers.TryAddWithoutValidation(HeaderNames.Origin, hop.Origin);
        AddBrowserHeaders(message);
        if (hop.Body is not null) message.Content = new StringContent(hop.Body);
        // A credentialed request carries the cookie jar's cookies for this URL, as the browser does (the preflight never does).
        if (credentials == CredentialsMode.Include && Authentication.CookieHeaderFor(hop.Url) is { } cookie)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        else if (signedIn)
        {
            message.Headers.TryAddWithoutValidation("Cookie", SignedInCookie);
        }
        foreach (var header in hop.Headers)
        {
            if (header.Name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase) && message.Content is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }
        return message;
    }

    /// <summary>One request of a redirect chain as the browser sends it.</summary>
    private sealed record Hop(Uri Url, string Origin, string Method, IReadOnlyList<Header> Headers, string? Body)
    {
        /// <summary>HTTP-redirect fetch's steps on the request, for a redirect to <paramref name="next"/> with <paramref name="status"/>.</summary>
        public Hop Follow(Uri next, int status)
        {
            var crossOrigin = !SameOrigin(Url, next);
            var hop = this with { Url = next };
            // "If request's current URL's origin is not same origin with locationURL's origin and request's origin is not
            // same origin with request's current URL's origin, then set request's tainted origin flag" — the Origin header
            // then serializes as `null`. (The page's origin is never the server under test's.)
            if (crossOrigin && Origin != OriginSyntax.Of(Url)) hop = hop with { Origin = "null" };
            // "If either actualResponse's status is 301 or 302 and request's method is `POST`, or actualResponse's status is
            // 303 and request's method is not `GET` or `HEAD`": GET, no body, no request-body headers.
            if ((status is 301 or 302 && Method == "POST") || (status == 303 && Method is not ("GET" or "HEAD")))
            {
                hop = hop with { Method = "GET", Body = null, Headers = Headers.Where(h => !RequestHeaders.IsRequestBodyHeaderName(h.Name)).ToList() };
            }
            // "If request's current URL's origin is not same origin with locationURL's origin, then for each headerName of
            // CORS non-wildcard request-header name, delete headerName from request's header list."
            if (crossOrigin) hop = hop with { Headers = hop.Headers.Where(h => !RequestHeaders.IsNonWildcardName(h.Name)).ToList() };
            return hop;
        }
    }

    /// <summary>Whether two URLs have the same (tuple) origin: scheme, host and port.</summary>
    private static bool SameOrigin(Uri a, Uri b) => OriginSyntax.Of(a) == OriginSyntax.Of(b);

    /// <summary>Whether, by the Fetch Standard, a browser that got this preflight answer sends the request itself (in any
    /// behaviour the standard allows).</summary>
    public static bool BrowserSends(PolicyCase @case, RawResponse preflight) =>
        preflight.Answered && Oracle.Expect(@case.Model with { Server = PlanOf(@case, preflight, null)! }).Allowed.Any(e => e.ActualSent);

    /// <summary>The server's real answers as a plan the oracle can read: the page origin written as the oracle's token; a
    /// request not answered (or not sent) as an empty answer; the redirects the replay followed as the plan's redirect
    /// chain, each hop's destination by its origin (the server under test's own: the target's; the page's; any other: another
    /// origin). Null when the oracle's plan cannot hold them: its chain has one status and one header list for every hop.</summary>
    public static ServerPlan? PlanOf(PolicyCase @case, RawResponse? preflight, RawResponse? actual)
    {
        IReadOnlyList<Header> Tokenize(IEnumerable<Header> headers) => headers
            .Select(h => h with { Value = @case.PageOrigin == "null" ? h.Value : h.Value.Replace(@case.PageOrigin, Oracle.PageOriginToken, StringComparison.Ordinal) })
            .ToList();
        var plan = new ServerPlan(
            preflight is { Status: { } ps } ? new ResponsePlan(ps, Tokenize(preflight.Headers)) : ResponsePlan.Empty,
            actual is { Status: { } status } ? new ResponsePlan(status, Tokenize(actual.Headers)) : ResponsePlan.Empty);
        if (actual is not { Redirects: { Count: > 0 } redirects }) return plan;
        // The headers the oracle reads on a redirect; its own target writes the Location (and a Date differs every time).
        IReadOnlyList<Header> Kept(RawResponse answer) => Tokenize(answer.Headers.Where(h => !h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("Date", StringComparison.OrdinalIgnoreCase)));
        var first = redirects[0].Answer;
        if (redirects.Any(r => r.Answer.Status != first.Status || !Kept(r.Answer).SequenceEqual(Kept(first)))) return null;
        // The oracle's plan holds one answer for every preflight after a redirect.
        var again = redirects.Select(r => r.NextPreflight).Where(p => p is not null).Select(p => p!).ToList();
        if (again.Any(p => p.Status != again[0].Status || !Kept(p).SequenceEqual(Kept(again[0])))) return null;
        var places = redirects.Select(r => PlaceOf(@case, r.To)).ToList();
        return plan with
        {
            Redirect = new RedirectPlan(first.Status!.Value, places[0], redirects.Count, Kept(first))
            {
                Chain = places.Count > 1 ? places : null,
                Preflight = again is [{ Status: { } againStatus } p0, ..] ? new ResponsePlan(againStatus, Kept(p0)) : again.Count > 0 ? ResponsePlan.Empty : null,
            },
        };
    }

    /// <summary>Where a redirect led, as the oracle's topology names it: the server under test's own origin is the target's
    /// (<see cref="Place.CrossSite"/>), the page's is <see cref="Place.Page"/>, any other origin <see cref="Place.SameSite"/> —
    /// another origin than both, which is what the CORS steps of a redirect read.</summary>
    private static Place PlaceOf(PolicyCase @case, Uri to) =>
        SameOrigin(to, @case.Resource) ? Place.CrossSite : OriginSyntax.Of(to) == @case.PageOrigin ? Place.Page : Place.SameSite;

    /// <summary>Sends one request with a timeout; no answer (a hang, a reset, garbage) is a <see cref="RawResponse"/> with the reason, never an exception.</summary>
    public static Task<RawResponse> SendAsync(ReplayClient client, HttpRequestMessage message, TimeSpan timeout, CancellationToken cancellationToken) =>
        client.SendAsync(message, timeout, cancellationToken);

    /// <summary>A client that never follows redirects (a preflight must not be) and, when asked, accepts a test server's self-signed certificate.</summary>
    public static ReplayClient CreateClient(bool acceptAnyCertificate) => new(acceptAnyCertificate);
}
