using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// The model of the Fetch Standard: for a case, what a conforming browser must do. Pure: no I/O, no clock.
/// It follows main fetch → HTTP fetch → CORS-preflight fetch → CORS check → HTTP-redirect fetch → CORS filter, and records
/// every rule it applies (with its anchor) so a verdict can say why.
/// </summary>
public static class Oracle
{
    /// <summary>
    /// The serialization the oracle uses for the page origin. Header values in a plan use <see cref="Placeholders"/>,
    /// so any concrete origin gives the same verdicts; this one is what observations are scrubbed to.
    /// </summary>
    public const string PageOriginToken = Placeholders.Origin;

    /// <summary>The most repetitions whose every cache choice is enumerated (2^(n-1) runs); a case file cannot ask for more.</summary>
    public const int MaxRepeat = 10;

    public static Expectation Expect(CorsCase @case)
    {
        // HTTP-network fetch: "If includeCredentials is true and the user agent is not configured to block cookies for
        // request", it stores the response's cookies; whether it blocks them (third-party cookie blocking, any other cookie
        // policy) is the user agent's. So a cookie a credentialed response sets may be stored or not: both are conforming,
        // each with every preflight-cache choice. A response fetched without credentials is never stored from, either way.
        (bool Stores, string? Says)[] cookies = @case.SetsCaseCookie
            ? [(true, "the user agent stored the cookie"), (false, "the user agent blocked the cookie (its cookie policy)")]
            : [(true, null)];
        // HTTP-network-or-cache fetch 8.15: "If httpRequest's header list does not contain `User-Agent`, then user agents
        // should" append the environment default `User-Agent` value: a "should", so a preflight without one conforms too.
        (bool Sends, string? Says)[] userAgents = @case.ObservesPreflightHeaders
            ? [(true, "the user agent appended its default User-Agent to the preflight, as it should"), (false, "the user agent appended no User-Agent to the preflight (a \"should\", not a \"must\")")]
            : [(true, null)];
        // Determine request's referrer, step 7: "The user agent MAY alter referrerURL or referrerOrigin at this point to
        // enforce arbitrary policy considerations in the interests of minimizing data leakage." Judged only where the case
        // judges the Referer: the policy's own referrer, the origin alone, or none, are each conforming.
        (ReferrerAlteration Alteration, string? Says)[] referrers = @case.Request.Referrer is null
            ? [(ReferrerAlteration.None, null)]
            : [(ReferrerAlteration.None, "the user agent sent the referrer the policy determines"),
               (ReferrerAlteration.StripToOrigin, "the user agent stripped the referrer down to its origin (it may, to minimize data leakage)"),
               (ReferrerAlteration.Omit, "the user agent sent no referrer (it may, to minimize data leakage)")];
        // HTTP-network-or-cache fetch: an HTTP cache is the user agent's to keep or not (step 8.24: "Set httpCache to the
        // result of determining the HTTP cache partition"; step 8.25: "If httpCache is null, then set httpRequest's cache mode
        // to "no-store""). So a follow-up the case answers 304 when conditional may go out unconditional (no stored response,
        // answered as the plan says), or as a revalidation of the stored response (step 11.4); the target's journal tells which.
        (bool Revalidates, string? Says)[] caches = @case.MayRevalidate
            ? [(false, "the user agent used no stored response (an HTTP cache is optional): the follow-up went out unconditional"), (true, "the user agent revalidated the response its HTTP cache stored: a conditional request, answered 304")]
            : [(false, null)];
        // Fetch, before main fetch: "If request's header list does not contain `Accept-Language`, then user agents should
        // append (`Accept-Language`, an appropriate header value) to request's header list" — so main fetch may count it
        // toward the 1024-byte total of CORS-safelisted values, or not (browsers add theirs on the wire, after the CORS
        // steps). Only a request whose own header values come near the total can tell the two apart.
        (bool Appends, string? Says)[] languages = MayCountAcceptLanguage(@case)
            ? [(false, "the user agent appended no Accept-Language before main fetch (a \"should\", not a \"must\"), so it counted toward no total"),
               (true, $"the user agent appended its own Accept-Language before main fetch, as it should, and it counted toward the 1024-byte total (an appropriate value is CORS-safelisted: at most {RequestHeaders.SafelistedValueLimit} bytes)")]
            : [(false, null)];
        // HTTP-network-or-cache fetch 16: on a 407 to a page's request, "Prompt the end user as appropriate in request's
        // traversable for user prompts": a user agent that prompts no one (no proxy answered) ends with a network error, and
        // one whose prompt gives nothing hands the 407 on; a worker's request has no traversable, a network error alone.
        (bool HandsOn, string? Says)[] proxyPrompts = Answers407ToAWindow(@case)
            ? [(false, "the user agent prompted for no proxy credentials on the 407 (no proxy answered): a network error"),
               (true, "the user agent handed the 407 on as the response (its proxy-credentials prompt gave nothing)")]
            : [(false, null)];
        // Fetch, "determine the same-site mode": a request of the top-level page (no cross-site ancestor) whose redirect-taint
        // is not "cross-site" is "strict-or-less", and retrieve cookies then gives it the SameSite=Lax cookie; the mode compares
        // no schemes. So the cookie reaches an https URL of an http page's site unless "the user agent is configured to disable
        // cookies for request" (append a request `Cookie` header, step 1): a third-party cookie policy that counts the other
        // scheme as another site (schemeful same-site) keeps it home. Both conform.
        // The same for a dedicated worker the page starts from a data: URL: its origin is opaque, but its site for cookies is
        // its document's (RFC 6265bis, "Worker-based requests"), and its has cross-site ancestor its creator's (whatwg/html
        // #11133), so the same-site mode of its request to the page's site is "strict-or-less" too.
        (bool Travels, string? Says)[] crossSchemeCookies = CookiePolicyLeftOpen(@case) switch
        {
            CookiePolicy.OtherScheme =>
                [(false, "the user agent kept the SameSite=Lax cookie off the page's site over the other scheme (its cookie policy counts the other scheme as another site)"),
                 (true, "the user agent sent the SameSite=Lax cookie to the page's site over the other scheme (Fetch's same-site mode compares no schemes: strict-or-less)")],
            CookiePolicy.DataWorker =>
                [(false, "the user agent kept the SameSite=Lax cookie off the page's site from the data: worker (its cookie policy counts the opaque origin as another site)"),
                 (true, "the user agent sent the SameSite=Lax cookie to the page's site from the data: worker (its site for cookies is its document's: strict-or-less)")],
            _ => [(false, null)],
        };
        if (cookies.Length == 1 && userAgents.Length == 1 && referrers.Length == 1 && caches.Length == 1 && languages.Length == 1 && proxyPrompts.Length == 1 && crossSchemeCookies.Length == 1) return Expect(@case, storesCookies: true, sendsUserAgent: true, ReferrerAlteration.None);
        var allowed = new List<Expectation>();
        foreach (var (cookie, userAgent, referrer, cache, language, proxy, scheme) in cookies.SelectMany(c => userAgents.SelectMany(u => referrers.SelectMany(r => caches.SelectMany(h => languages.SelectMany(l => proxyPrompts.SelectMany(p => crossSchemeCookies.Select(x => (c, u, r, h, l, p, x)))))))))
        {
            var expectation = Expect(@case, cookie.Stores, userAgent.Sends, referrer.Alteration, cache.Revalidates, language.Appends, proxy.HandsOn, scheme.Travels);
            foreach (var one in expectation.Alternatives.Prepend(expectation))
            {
                string?[] says = [cookie.Says, userAgent.Says, referrer.Says, cache.Says, language.Says, proxy.Says, scheme.Says, one.Choice];
                var described = one with { Choice = string.Join("; ", says.Where(p => p is not null)), Alternatives = [] };
                if (!allowed.Any(a => ObservedFields.SameBehaviour(a, described))) allowed.Add(described);
            }
        }
        return allowed.Count == 1 ? allowed[0] with { Choice = null } : allowed[0] with { Alternatives = allowed.Skip(1).ToList() };
    }

    /// <summary>Whether a request of the case could cross the 1024-byte total of CORS-safelisted values only with the user
    /// agent's own Accept-Language counted (at most <see cref="RequestHeaders.SafelistedValueLimit"/> bytes): one without
    /// an Accept-Language of its own whose header values, with what the API adds (`Accept: */*`, a body's Content-Type, the
    /// ", " XMLHttpRequest joins repeated values with), could come within that of the total. A cheap bound: the oracle's run
    /// decides, and a choice the page cannot tell apart from the other is dropped.</summary>
    private static bool MayCountAcceptLanguage(CorsCase @case) =>
        @case.Request.Sequence().Any(r => !r.Request.Headers.Contains(HeaderNames.AcceptLanguage)
            && r.Request.Headers.Sum(h => h.Value.Length + 2) + ApiAddedBytes + RequestHeaders.SafelistedValueLimit > RequestHeaders.SafelistedTotalLimit);

    /// <summary>Whether a request of the case (not a preflight: its 407 fails it either way) may be answered 407 in a Window
    /// (the page or a frame; a worker's request has no traversable for user prompts).</summary>
    private static bool Answers407ToAWindow(CorsCase @case) =>
        @case.Origins.Page is not (PageOrigin.DataWorker or PageOrigin.DataModuleWorker or PageOrigin.DataSharedWorker)
        && new[] { @case.Server }.Concat(@case.Server.Then ?? []).Any(plan => plan.Actual.Status == 407 || plan.Redirect?.Status == 407);

    /// <summary>Where the harness's SameSite=Lax cookie may travel or not: the case's own URL is the top-level page's site over
    /// the other scheme (an http page's request to an https URL of its host or site; redirect hops lead over the page's scheme,
    /// and a hop off the other scheme makes the redirect-taint "cross-site"), or the request is a data: dedicated worker's to
    /// the page's site (a sandboxed or data: frame has a cross-site ancestor; a data: shared worker is bound to no one
    /// document).</summary>
    private static CookiePolicy CookiePolicyLeftOpen(CorsCase @case) => @case.Origins switch
    {
        { DataUrl: true } or { Target: Place.CrossSite } => CookiePolicy.None,
        { Page: PageOrigin.Origin, TargetSchemeOverride: { } scheme } origins when scheme != origins.Scheme => CookiePolicy.OtherScheme,
        { Page: PageOrigin.DataWorker or PageOrigin.DataModuleWorker } origins when origins.TargetSchemeOverride is null || origins.TargetSchemeOverride == origins.Scheme => CookiePolicy.DataWorker,
        _ => CookiePolicy.None,
    };

    /// <summary>Where the harness's SameSite=Lax cookie is the user agent's cookie policy to send or not
    /// (<see cref="CookiePolicyLeftOpen"/>).</summary>
    private enum CookiePolicy { None, OtherScheme, DataWorker }

    /// <summary>More than the API adds to the author's header values before main fetch: `Accept: */*`, or a string body's
    /// `Content-Type: text/plain;charset=UTF-8`, or a charset rewritten to UTF-8.</summary>
    private const int ApiAddedBytes = 32;

    private static Expectation Expect(CorsCase @case, bool storesCookies, bool sendsUserAgent, ReferrerAlteration referrerAlteration, bool revalidates = false, bool appendsAcceptLanguage = false, bool handsOn407 = false, bool crossSchemeCookie = false)
    {
        var baseRun = new Run(@case, clearedBefore: 0, storesCookies, sendsUserAgent, referrerAlteration, revalidates, appendsAcceptLanguage, handsOn407, crossSchemeCookie);
        var expected = baseRun.Evaluate();
        var repeat = Math.Min(@case.Request.Sequence().Count(), MaxRepeat);
        if (repeat == 1) return HeaderValues.WithHttpChoices(@case, expected, c => Expect(c, storesCookies, sendsUserAgent, referrerAlteration, revalidates, appendsAcceptLanguage, handsOn407, crossSchemeCookie));
        // CORS-preflight cache: "entries … may be removed before that moment arrives", "a user agent may impose a limit on
        // max-age", and "if the user agent does not provide for a cache, then return". So before any repetition the cache
        // may have lost what the earlier ones stored: each set of repetitions before which it was emptied is a conforming
        // choice; where the requests are redirected, each URL's entries may go on their own (an entry is removed alone).
        // Choices a page cannot tell apart are one behaviour (the first is kept).
        var alternatives = new List<Expectation>();
        foreach (var cleared in CacheChoices(repeat - 1, CachedUrls(@case)))
        {
            var alternative = new Run(@case, cleared, storesCookies, sendsUserAgent, referrerAlteration, revalidates, appendsAcceptLanguage, handsOn407, crossSchemeCookie).Evaluate();
            if (!alternatives.Prepend(expected).Any(a => ObservedFields.SameBehaviour(a, alternative))) alternatives.Add(alternative);
        }
        // Removals those choices do not reach, after them (so a behaviour they allow keeps its name): one host's entries
        // where another host's sit at the same place in its chain, and, past the pairs enumerated one by one, the request's
        // own URL's entries or the redirected URLs' on their own.
        var word = @case.Request.Then is { Count: > 0 } ? "request" : "repetition";
        foreach (var removal in FinerRemovals(repeat - 1, CachedUrls(@case), baseRun.KeysMade, word))
        {
            var alternative = new Run(@case, 0, storesCookies, sendsUserAgent, referrerAlteration, revalidates, appendsAcceptLanguage, handsOn407, crossSchemeCookie, removal).Evaluate();
            if (!alternatives.Prepend(expected).Any(a => ObservedFields.SameBehaviour(a, alternative))) alternatives.Add(alternative);
        }
        return alternatives.Count == 0 ? expected with { Choice = null } : expected with { Alternatives = alternatives };
    }

    /// <summary>The most (request, URL) pairs whose cache removals are enumerated one by one (2^n − 1 runs); beyond it a
    /// choice empties the whole cache before a request (every URL's entries at once), and <see cref="FinerRemovals"/> adds
    /// the request's own URL's entries and the redirected URLs' going on their own.</summary>
    private const int MaxCacheChoiceBits = 10;

    /// <summary>Removals of preflight-cache entries that <see cref="CacheChoices"/> does not make, each a conforming choice
    /// ("Cache entries may be removed before that moment arrives": each entry on its own):
    /// <list type="bullet">
    /// <item>where requests of the case go to different hosts (follow-ups with a target of their own), so that entries of two
    /// hosts sit at the same place in their chains: each (request, host and place) on its own, up to
    /// <see cref="MaxCacheChoiceBits"/> pairs;</item>
    /// <item>where <see cref="CacheChoices"/> went past <see cref="MaxCacheChoiceBits"/> pairs and fell back to the whole
    /// cache: before each chosen set of requests, the entries of the request's own URL alone, or those of the URLs its
    /// redirects led to alone (a user agent that caches no preflight of a redirected request does the second).</item>
    /// </list></summary>
    /// <param name="keys">The (host, place in the chain) of every entry the run without removals made.</param>
    private static IEnumerable<Removal> FinerRemovals(int gaps, int urls, IReadOnlyCollection<(UrlOrigin Host, int Url)> keys, string word)
    {
        string Before(long gapMask) => $"{word} {string.Join(" and ", Enumerable.Range(0, gaps).Where(g => (gapMask & (1L << g)) != 0).Select(g => g + 2))}";
        var ordered = keys.OrderBy(k => k.Url).ThenBy(k => k.Host.Place).ThenBy(k => k.Host.Scheme).ToList();
        if (ordered.Count > urls && gaps * ordered.Count <= MaxCacheChoiceBits)
        {
            for (long mask = 1; mask < 1L << (gaps * ordered.Count); mask++)
            {
                var chosen = mask;
                var gapMask = Enumerable.Range(0, gaps).Where(g => ((chosen >> (g * ordered.Count)) & ((1L << ordered.Count) - 1)) != 0).Aggregate(0L, (m, g) => m | (1L << g));
                yield return new Removal($"the preflight cache lost the entries of some hosts' URLs before {Before(gapMask)}",
                    (request, host, url) => ordered.IndexOf((host, url)) is var k and >= 0 && (chosen & (1L << ((request - 1) * ordered.Count + k))) != 0);
            }
        }
        if (gaps * urls > MaxCacheChoiceBits)
        {
            for (long gapMask = 1; gapMask < 1L << gaps; gapMask++)
            {
                var chosen = gapMask;
                yield return new Removal($"the preflight cache lost the entries of the request's own URL before {Before(chosen)}",
                    (request, _, url) => url == 0 && (chosen & (1L << (request - 1))) != 0);
                yield return new Removal($"the preflight cache lost the entries of the URLs redirects led to before {Before(chosen)}",
                    (request, _, url) => url > 0 && (chosen & (1L << (request - 1))) != 0);
            }
        }
    }

    /// <summary>A removal of preflight-cache entries the user agent made: <c>Removes(i, host, url)</c> — the entries for that
    /// host at that place in the chain were gone before request i + 1 — and the choice in words.</summary>
    private sealed record Removal(string Choice, Func<int, UrlOrigin, int, bool> Removes);

    /// <summary>How many URLs of the case a preflight-cache entry can be made for: the request's own, and each URL a followed
    /// redirect leads to (the longest chain of any request of the sequence).</summary>
    public static int CachedUrls(CorsCase @case) =>
        1 + new[] { @case.Server }.Concat(@case.Server.Then ?? []).Max(plan => plan.Redirect is { SchemeLocation: null } r ? r.Hops : 0);

    /// <summary>Every removal choice but "none": bit <c>(i-1)·urls + u</c> set means the entries for URL <c>u</c> were gone before
    /// request <c>i+1</c>. One URL: the cache emptied before each chosen request, as ever; several: each URL's entries on
    /// their own, unless that makes more than <see cref="MaxCacheChoiceBits"/> pairs (then the whole cache at once).</summary>
    private static IEnumerable<long> CacheChoices(int gaps, int urls)
    {
        if (gaps * urls <= MaxCacheChoiceBits)
        {
            for (long cleared = 1; cleared < 1L << (gaps * urls); cleared++) yield return cleared;
            yield break;
        }
        var everyUrl = (1L << urls) - 1;
        for (long gapsCleared = 1; gapsCleared < 1L << gaps; gapsCleared++)
        {
            yield return Enumerable.Range(0, gaps).Where(g => (gapsCleared & (1L << g)) != 0).Aggregate(0L, (mask, g) => mask | (everyUrl << (g * urls)));
        }
    }

    /// <summary>Fetch "CORS check": may this response be shared with the request's origin?</summary>
    /// <param name="serializedOrigin">"byte-serializing a request origin": the page origin, or "null" when opaque or tainted.</param>
    [FetchAnchor("concept-cors-check")]
    public static CheckResult CorsCheck(string serializedOrigin, CredentialsMode credentials, IReadOnlyList<Header> response)
    {
        // 1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list.
        var origin = response.Get(HeaderNames.AccessControlAllowOrigin);
        StepTrace.Took(CheckAnchor, "1");
        // 2. If origin is null, then return failure.
        if (origin is null) return Took(CheckAnchor, "2", CheckResult.Fail("the response has no Access-Control-Allow-Origin"));
        // 3. If request's credentials mode is not "include" and origin is `*`, then return success.
        if (credentials != CredentialsMode.Include && origin == "*") return Took(CheckAnchor, "3", CheckResult.Pass("Access-Control-Allow-Origin is *"));
        // 4. If the result of byte-serializing a request origin with request is not origin, then return failure.
        if (origin != serializedOrigin)
        {
            StepTrace.Took(CheckAnchor, "4");
            return CheckResult.Fail(origin == "*"
                ? "Access-Control-Allow-Origin is * but the request includes credentials"
                : $"Access-Control-Allow-Origin '{origin}' is not the request's origin '{serializedOrigin}'"
                    + (Policies.OriginSyntax.Difference(origin, serializedOrigin) is { } how ? $" ({how})" : ""));
        }
        // 5. If request's credentials mode is not "include", then return success.
        if (credentials != CredentialsMode.Include) return Took(CheckAnchor, "5", CheckResult.Pass("Access-Control-Allow-Origin matches the origin"));
        // 6. Let credentials be the result of getting `Access-Control-Allow-Credentials` from response's header list.
        var allowCredentials = response.Get(HeaderNames.AccessControlAllowCredentials);
        StepTrace.Took(CheckAnchor, "6");
        // 7. If credentials is `true`, then return success.
        if (allowCredentials == "true") return Took(CheckAnchor, "7", CheckResult.Pass("Access-Control-Allow-Origin matches and Access-Control-Allow-Credentials is true"));
        // 8. Return failure.
        StepTrace.Took(CheckAnchor, "8");
        return CheckResult.Fail(allowCredentials is null
            ? "the request includes credentials but the response has no Access-Control-Allow-Credentials"
            : $"Access-Control-Allow-Credentials is '{allowCredentials}', not exactly 'true'");
    }

    private const string CheckAnchor = "concept-cors-check";
    private const string PreflightAnchor = "cors-preflight-fetch-0";
    private const string RedirectAnchor = "http-redirect-fetch";
    private const string OriginHeaderAnchor = "append-a-request-origin-header";

    /// <summary>Records the step that decided, then passes its result on.</summary>
    private static T Took<T>(string anchor, string step, T result,
        [System.Runtime.CompilerServices.CallerMemberName] string method = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        StepTrace.Took(anchor, step, method, file);
        return result;
    }

    /// <summary>RFC 9111, 3.2 "Updating Stored Header Fields" (what fetch's "Freshening Stored Responses upon Validation"
    /// applies): "the cache MUST add each header field in the provided response to the stored response, replacing field
    /// values that are already present", except "the Content-Length header field". A field the 304 does not carry is
    /// kept as stored; the stored status stays.</summary>
    [FetchAnchor("concept-http-network-or-cache-fetch")]
    public static ResponsePlan FreshenStoredResponse(ResponsePlan stored, ResponsePlan notModified)
    {
        var replaced = notModified.Headers.Select(h => h.Name).Where(n => !n.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return stored with
        {
            Headers = [.. stored.Headers.Where(h => !replaced.Contains(h.Name)), .. notModified.Headers.Where(h => replaced.Contains(h.Name))],
        };
    }

    /// <summary>The cross-origin resource policy check of a page whose embedder policy is "unsafe-none" (the runner page sends
    /// no Cross-Origin-Embedder-Policy, so its value and its report-only value are both "unsafe-none"): step 3, "If the
    /// cross-origin resource policy internal check with origin, "unsafe-none", response, and forNavigation returns blocked,
    /// then return blocked"; step 5, "If the cross-origin resource policy internal check with origin, embedderPolicy's value,
    /// response, and forNavigation returns allowed, then return allowed" (the same internal check). A fetch is never
    /// "forNavigation".</summary>
    /// <param name="origin">The request's origin; null for an opaque origin (same origin and same site with nothing).</param>
    /// <param name="response">The response's header list.</param>
    /// <param name="responseUrl">The origin of the response's URL.</param>
    [FetchAnchor("cross-origin-resource-policy-check")]
    public static (bool Allowed, string Reason) CrossOriginResourcePolicyCheck(UrlOrigin? origin, IReadOnlyList<Header> response, UrlOrigin responseUrl)
    {
        var internalCheck = CrossOriginResourcePolicyInternalCheck(origin, response, responseUrl);
        StepTrace.Took("cross-origin-resource-policy-check", internalCheck.Allowed ? "5" : "3");
        return internalCheck;
    }

    /// <summary>The cross-origin resource policy internal check with embedder policy value "unsafe-none" and forNavigation false.</summary>
    [FetchAnchor("cross-origin-resource-policy-internal-check")]
    public static (bool Allowed, string Reason) CrossOriginResourcePolicyInternalCheck(UrlOrigin? origin, IReadOnlyList<Header> response, UrlOrigin responseUrl)
    {
        const string Anchor = "cross-origin-resource-policy-internal-check";
        // 2. "Let policy be the result of getting `Cross-Origin-Resource-Policy` from response's header list." (Two lines, or
        // one with two values, get "a, b", which step 3 turns into null.)
        var policy = response.Get("Cross-Origin-Resource-Policy");
        StepTrace.Took(Anchor, "2");
        // 3. "If policy is neither `same-origin`, `same-site`, nor `cross-origin`, then set policy to null." Bytes: the ABNF
        // is case-sensitive.
        if (policy is not null and not ("same-origin" or "same-site" or "cross-origin"))
        {
            StepTrace.Took(Anchor, "3");
            return Took(Anchor, "5.null", (true, $"Cross-Origin-Resource-Policy '{policy}' is not a policy (same-origin, same-site or cross-origin, exactly): allowed"));
        }
        // 4. "If policy is null, then switch on embedderPolicyValue": "unsafe-none": "Do nothing."
        switch (policy)
        {
            case null:
                return Took(Anchor, "5.null", (true, "no Cross-Origin-Resource-Policy: allowed"));
            case "cross-origin":
                return Took(Anchor, "5.null", (true, "Cross-Origin-Resource-Policy: cross-origin: allowed"));
            case "same-origin":
                // "If origin is same origin with response's URL's origin, then return allowed. Otherwise, return blocked."
                StepTrace.Took(Anchor, "5.same-origin");
                return origin is { } o && o.IsSameOrigin(responseUrl)
                    ? (true, "Cross-Origin-Resource-Policy: same-origin, and the response is same origin with the request's origin: allowed")
                    : (false, "Cross-Origin-Resource-Policy: same-origin, and the response is not same origin with the request's origin: blocked");
            default:
                // `same-site`: "If all of the following are true: origin is schemelessly same site with response's URL's
                // origin; origin's scheme is "https" or response's URL's scheme is not "https", then return allowed.
                // Otherwise, return blocked."
                StepTrace.Took(Anchor, "5.same-site");
                if (origin is not { } from || !from.IsSchemelesslySameSite(responseUrl))
                {
                    return (false, "Cross-Origin-Resource-Policy: same-site, and the response is not schemelessly same site with the request's origin: blocked");
                }
                return from.Scheme == Scheme.Https || responseUrl.Scheme != Scheme.Https
                    ? (true, "Cross-Origin-Resource-Policy: same-site, and the response is same site with the request's origin: allowed")
                    : (false, "Cross-Origin-Resource-Policy: same-site, but the response came over https to an http origin: blocked");
        }
    }

    /// <summary>"An ok status is a status in the range 200 to 299, inclusive."</summary>
    [FetchAnchor("ok-status")]
    public static bool IsOkStatus(int status) => status is >= 200 and <= 299;

    /// <summary>"A redirect status is a status that is 301, 302, 303, 307, or 308."</summary>
    [FetchAnchor("redirect-status")]
    public static bool IsRedirectStatus(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>CORS-preflight fetch steps 7–8 on a preflight's answer (fetch.bs): does the preflight for
    /// <paramref name="method"/> and <paramref name="unsafeNames"/> from <paramref name="serializedOrigin"/> pass, and if so
    /// which methods and header names it lists and for how long a user agent caches them. The oracle's own preflights and
    /// the server-under-test checks (what a browser makes of a server's preflight answer) both ask here, so the rule is
    /// written once.</summary>
    /// <param name="forced">The request's use-CORS-preflight flag (step 7.4).</param>
    [FetchAnchor("cors-preflight-fetch-0")]
    public static PreflightAnswer JudgePreflightAnswer(int status, IReadOnlyList<Header> response, string serializedOrigin, CredentialsMode credentials, string method, IReadOnlyList<string> unsafeNames, bool forced = false)
    {
        // 7. "If a CORS check for request and response returns success and response's status is an ok status, then:"
        var check = CorsCheck(serializedOrigin, credentials, response);
        PreflightAnswer Fails(string step, string failure, PreflightNote? why = null) => Took(PreflightAnchor, step, new PreflightAnswer(check, failure, why, [], [], 0));
        // 8. "Otherwise, return a network error."
        if (!check.Ok) return Fails("8", check.Reason);
        if (!IsOkStatus(status)) return Fails("8", $"the preflight status {status} is not an ok status (200-299)", new("ok-status", $"preflight status {status} is not an ok status"));
        StepTrace.Took(PreflightAnchor, "7");
        // "Let methods be the result of extracting header list values given `Access-Control-Allow-Methods`…"
        var (methodsOk, methodsList) = Http.ExtractTokenList(response.Get(HeaderNames.AccessControlAllowMethods));
        StepTrace.Took(PreflightAnchor, "7.1");
        // "Let headerNames be the result of extracting header list values given `Access-Control-Allow-Headers`…"
        var (headersOk, headerNames) = Http.ExtractTokenList(response.Get(HeaderNames.AccessControlAllowHeaders));
        StepTrace.Took(PreflightAnchor, "7.2");
        // "If either methods or headerNames is failure, return a network error."
        if (!methodsOk) return Fails("7.3", "Access-Control-Allow-Methods does not parse as a list of methods");
        if (!headersOk) return Fails("7.3", "Access-Control-Allow-Headers does not parse as a list of header names");
        // "If methods is null and request's use-CORS-preflight flag is set, then set methods to « request's method »."
        // (The flag is set by an XHR upload listener.)
        if (methodsList is null && forced) StepTrace.Took(PreflightAnchor, "7.4");
        IReadOnlyList<string> methods = methodsList ?? (forced ? [method] : []);
        IReadOnlyList<string> names = headerNames ?? [];
        // "If request's method is not in methods, request's method is not a CORS-safelisted method, and request's
        // credentials mode is "include" or methods does not contain `*`, then return a network error."
        if (!methods.Contains(method, StringComparer.Ordinal) && !Methods.IsCorsSafelisted(method)
            && (credentials == CredentialsMode.Include || !methods.Contains("*")))
        {
            return Fails("7.5", methodsList is null
                    ? $"method '{method}' is not allowed: the preflight answer has no Access-Control-Allow-Methods"
                    : $"method '{method}' is not allowed by Access-Control-Allow-Methods [{string.Join(", ", methods)}]" + MethodListNote(method, methods, credentials),
                new(PreflightAnchor, $"'{method}' is not in Access-Control-Allow-Methods [{string.Join(", ", methods)}] (byte-exact{(credentials == CredentialsMode.Include ? "; * is literal with credentials" : "")})"));
        }
        // "If one of request's header list's names is a CORS non-wildcard request-header name and is not a
        // byte-case-insensitive match for an item in headerNames, then return a network error."
        foreach (var name in unsafeNames.Where(RequestHeaders.IsNonWildcardName))
        {
            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return Fails("7.6", $"'{name}' is not listed in Access-Control-Allow-Headers (* does not cover Authorization)",
                    new("cors-non-wildcard-request-header-name", $"'{name}' must be listed by name; * does not cover it"));
            }
        }
        // "For each unsafeName of the CORS-unsafe request-header names with request's header list: if unsafeName is not a
        // byte-case-insensitive match for an item in headerNames and request's credentials mode is "include" or
        // headerNames does not contain `*`, return a network error."
        foreach (var name in unsafeNames)
        {
            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase)
                && (credentials == CredentialsMode.Include || !names.Contains("*")))
            {
                return Fails("7.7", headerNames is null
                        ? $"header '{name}' is not allowed: the preflight answer has no Access-Control-Allow-Headers"
                        : $"header '{name}' is not allowed by Access-Control-Allow-Headers [{string.Join(", ", names)}]"
                            + (credentials == CredentialsMode.Include && names.Contains("*") ? " (for a request with credentials `*` is a header named `*`, not every header)" : ""),
                    new(PreflightAnchor, $"'{name}' is not in Access-Control-Allow-Headers [{string.Join(", ", names)}]"));
            }
        }
        // "Let max-age be the result of extracting header list values given `Access-Control-Max-Age`…
        // If max-age is failure or null, then set max-age to 5."
        var (ageOk, age) = Http.ExtractMaxAge(response.Get(HeaderNames.AccessControlMaxAge));
        StepTrace.Took(PreflightAnchor, "7.8");
        if (!ageOk || age is null) StepTrace.Took(PreflightAnchor, "7.9");
        return new PreflightAnswer(check, null, null, methods, names, ageOk && age is not null ? age.Value : 5);
    }

    /// <summary>Why a method the list seems to hold is not allowed: the list is compared byte for byte (a `put` there is not
    /// the `PUT` fetch normalizes the request's method to), and for a request with credentials `*` names a method `*`.</summary>
    private static string MethodListNote(string method, IReadOnlyList<string> methods, CredentialsMode credentials) =>
        methods.FirstOrDefault(m => m.Equals(method, StringComparison.OrdinalIgnoreCase)) is { } other
            ? $" (methods compare byte for byte: '{other}' is not '{method}')"
            : credentials == CredentialsMode.Include && methods.Contains("*") ? " (for a request with credentials `*` is a method named `*`, not every method)" : "";

    /// <summary>A redirect hop's header lines as the target sends them: its own, then a `Location` (to where `to` leads, or
    /// the case's own Location) unless it has one or the plan omits it. Only the name is read where the hop's answer is the
    /// final response (a status that is not a redirect status): no rule of the final response reads its value.</summary>
    internal static IReadOnlyList<Header> WithPlannedLocation(RedirectPlan redirect) => redirect.WithLocation(redirect.Headers, "{next-hop-url}");

    /// <summary>
    /// The CORS-exposed header names of a response, then the CORS filter: which of the response's header names the page can read.
    /// </summary>
    [FetchAnchor("concept-filtered-response-cors")]
    public static IReadOnlyList<string> ReadableHeaders(CredentialsMode credentials, IReadOnlyList<Header> response, int status = 200)
    {
        var names = response.Select(h => h.Name.ToLowerInvariant())
            .Concat(ServerContract.BaselineFor(status))
            .Distinct()
            .ToList();
        // main fetch: "Let headerNames be the result of extracting header list values given `Access-Control-Expose-Headers`…"
        var (ok, exposed) = Http.ExtractTokenList(response.Get(HeaderNames.AccessControlExposeHeaders));
        StepTrace.Took("concept-main-fetch", "14.1.1");
        IReadOnlyList<string> exposedList;
        if (ok && exposed is not null && credentials != CredentialsMode.Include && exposed.Contains("*"))
        {
            StepTrace.Took("concept-main-fetch", "14.1.2");
            // "If request's credentials mode is not "include" and headerNames contains `*`, then set response's
            // CORS-exposed header-name list to all unique header names in response's header list."
            exposedList = names;
        }
        else
        {
            // "Otherwise, if headerNames is non-null or failure, then set response's CORS-exposed header-name list to headerNames."
            exposedList = ok && exposed is not null ? exposed : [];
            if (ok && exposed is not null) StepTrace.Took("concept-main-fetch", "14.1.3");
        }
        StepTrace.Took("concept-filtered-response-cors", "def");
        // CORS filtered response: "header list excludes any headers in internal response's header list whose name is not a
        // CORS-safelisted response-header name, given internal response's CORS-exposed header-name list."
        return names.Where(n => ResponseHeaders.IsSafelisted(n, exposedList)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The basic filter: a same-origin response's header names the page reads, every one but the forbidden
    /// response-header names (Set-Cookie, Set-Cookie2).</summary>
    [FetchAnchor("concept-filtered-response-basic")]
    public static IReadOnlyList<string> ReadableBasic(IReadOnlyList<Header> response, int status = 200) =>
        Took("concept-filtered-response-basic", "def", response).Select(h => h.Name.ToLowerInvariant()).Concat(ServerContract.BaselineFor(status))
            .Where(n => !ResponseHeaders.IsForbidden(n)).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>One evaluation: the state the algorithm carries from step to step.</summary>
    /// <param name="clearedBefore">The user agent's choice about its preflight cache: bit (i-1)·urls + u set means the entries
    /// for the case's URL u (0 the request's own, k the k-th redirect's) were gone before request i+1 (the first always starts
    /// with none); see <see cref="CacheChoices"/>.</param>
    /// <param name="storesCookies">The user agent's choice about the case's cookie: it stores what a credentialed response
    /// sets (true), or its cookie policy blocks it (false).</param>
    /// <param name="sendsUserAgent">The user agent's choice about HTTP-network-or-cache fetch's "should" append a `User-Agent`
    /// (judged only on a preflight a case observes the headers of: <see cref="CorsCase.ObservesPreflightHeaders"/>).</param>
    /// <param name="referrerAlteration">The user agent's choice at step 7 of "determine request's referrer".</param>
    /// <param name="revalidates">The user agent's choice about its HTTP cache, for a case whose follow-up answers a
    /// conditional request 304 (<see cref="CorsCase.MayRevalidate"/>): it revalidates the response it stored (true), or
    /// keeps none and sends the follow-up unconditional (false).</param>
    /// <param name="appendsAcceptLanguage">The user agent's choice about fetch's "should append (`Accept-Language`, an
    /// appropriate header value)" before main fetch: appended (true; a safelisted value of the largest length, which stands
    /// for every length that takes the total past 1024 bytes), or not, or not counted (false).</param>
    /// <param name="handsOn407">The user agent's choice at HTTP-network-or-cache fetch's "Prompt the end user as appropriate" on
    /// a page's 407: it hands the 407 on as the response (true; the prompt gave nothing), or ends with a network error (false).</param>
    /// <param name="crossSchemeCookie">The user agent's cookie policy for the page's site over the other scheme
    /// (<see cref="MaySendLaxCookieAcrossSchemes"/>): the SameSite=Lax cookie travels there (true), or stays home (false).</param>
    /// <param name="removal">A removal of entries other than <paramref name="clearedBefore"/>'s (<see cref="FinerRemovals"/>);
    /// null for none.</param>
    private sealed class Run(CorsCase @case, long clearedBefore, bool storesCookies, bool sendsUserAgent, ReferrerAlteration referrerAlteration, bool revalidates = false, bool appendsAcceptLanguage = false, bool handsOn407 = false, bool crossSchemeCookie = false, Removal? removal = null)
    {
        /// <summary>The (host, place in the chain) of every preflight-cache entry this run made.</summary>
        public IReadOnlyCollection<(UrlOrigin Host, int Url)> KeysMade => _keysMade;

        private readonly HashSet<(UrlOrigin Host, int Url)> _keysMade = [];

        /// <summary>Whether the case judges the Referer (it gives fetch() a referrer): the referrer steps are traced only there.</summary>
        private bool JudgesReferrer => @case.Request.Referrer is not null;

        /// <summary>The referrer of the CORS-preflight request about to be sent (the request's own, as main fetch determined it
        /// for the URL; null: none).</summary>
        private string? _preflightReferer;

        /// <summary>How many URLs of the case the cache choice speaks of, each on its own (<see cref="CachedUrls"/>).</summary>
        private readonly int _urls = CachedUrls(@case);

        /// <summary>The URLs whose entries the user agent removed before request <paramref name="request"/> + 1.</summary>
        private List<int> RemovedBefore(int request) =>
            [.. Enumerable.Range(0, _urls).Where(u => (clearedBefore & (1L << ((request - 1) * _urls + u))) != 0)];

        /// <summary>A URL of the case in words.</summary>
        private static string UrlName(int url) => url == 0 ? "the request's own URL" : $"the URL of redirect {url}";

        /// <summary>The URLs' origins where the case's own cookie was stored: set by a response fetched with credentials. A
        /// cookie is the host's, whatever the port or scheme (<see cref="UrlOrigin.SharesCookiesWith"/>).</summary>
        private readonly List<UrlOrigin> _caseCookieAt = [];

        private readonly List<string> _steps = [];
        private readonly List<CacheEntry> _cache = [];
        /// <summary>The request of the sequence being fetched (the case's own, a repetition, or a follow-up).</summary>
        private RequestSpec _request = @case.Request;

        /// <summary>Seconds since the first request, as the page's delays add them up (requests take no time here: a
        /// browser's entry is only older than the oracle thinks, so an entry the oracle has expired is expired there too).</summary>
        private double _now;
        private readonly Topology _topology = @case.Origins;
        /// <summary>The answers the request being fetched meets: the case's, or a follow-up's own (<see cref="ServerPlan.Then"/>).</summary>
        private ServerPlan _plan = @case.Server;
        private int _preflights;

        /// <summary>The response tainting the last repetition ended with (what an initiator's page can read depends on it).</summary>
        private Tainting _tainting;

        /// <summary>The type of the filtered response the last request ended with ("basic", "cors", "opaque": main fetch's
        /// filter by response tainting; "opaqueredirect": HTTP fetch's for redirect mode manual); null after a network error.</summary>
        private string? _responseType;

        private void Step(string anchor, string text) => _steps.Add($"{text} [{anchor}]");

        /// <summary>Whether the request being fetched revalidated a stored response (a conditional request answered 304).</summary>
        private bool _revalidated;

        /// <summary>HTTP-network-or-cache fetch, step 11.4: "If the revalidatingFlag is set and forwardResponse's status is 304,
        /// then: update storedResponse's header list using forwardResponse's header list, as per the "Freshening Stored
        /// Responses upon Validation" chapter of HTTP Caching", and "set response to storedResponse". The response the
        /// request then goes on with (the CORS check of HTTP fetch, the CORS filter of main fetch) is the stored one, with
        /// its status and the headers the 304 freshened.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private ResponsePlan Revalidate(ResponsePlan stored, ResponsePlan notModified)
        {
            StepTrace.Took("concept-http-network-or-cache-fetch", "11.4");
            var freshened = FreshenStoredResponse(stored, notModified);
            Step("concept-http-network-or-cache-fetch", $"the request revalidates the stored response (status {stored.Status}, [{string.Join("; ", stored.Headers)}]); the 304 [{string.Join("; ", notModified.Headers)}] updates its header list, and the request goes on with the stored response: status {freshened.Status}, [{string.Join("; ", freshened.Headers)}]");
            return freshened;
        }

        /// <summary>This evaluation follows the choice of a user agent that keeps no preflight cache (fetch "CORS-preflight
        /// fetch" step 7.11): the cache was emptied before every later request.</summary>
        private bool _noCache;

        /// <summary>How many requests of the case follow the one being fetched.</summary>
        private int _requestsLeft;

        public Expectation Evaluate()
        {
            using var recording = StepTrace.Record();
            Expectation? last = null;
            var sequence = @case.Request.Sequence().Take(MaxRepeat).ToList();
            _noCache = sequence.Count > 1 && clearedBefore == (1L << ((sequence.Count - 1) * _urls)) - 1;
            var word = @case.Request.Then is { Count: > 0 } ? "request" : "repetition";
            for (var i = 0; i < sequence.Count; i++)
            {
                (_request, var delayMs) = sequence[i];
                _requestsLeft = sequence.Count - 1 - i;
                // A follow-up of request.then may meet answers of its own; the cache and the cookies carry over as they are.
                var step = Math.Max(0, i - Math.Max(1, @case.Request.Repeat) + 1);
                _plan = @case.Server.ForStep(step);
                if (step > 0 && @case.Server.Then is not null) Step("cors-preflight-cache", $"request {i + 1} meets the server's answers for follow-up {step}");
                _revalidated = false;
                if (revalidates && step > 0 && _plan.NotModified is { } notModified)
                {
                    _plan = _plan with { Actual = Revalidate(@case.Server.ForStep(step - 1).Actual, notModified) };
                    _revalidated = true;
                }
                if (i >= Math.Max(1, @case.Request.Repeat))
                {
                    _firstPreflightHeaders = null;
                    _wire.Clear();
                }
                if (i > 0) Step("cors-preflight-cache", word == "request" ? $"request {i + 1}: {_request.Method} [{string.Join("; ", _request.Headers)}], credentials {_request.Credentials.ToString().ToLowerInvariant()}" : $"repetition {i + 1} of the same request");
                if (delayMs > 0)
                {
                    _now += delayMs / 1000.0;
                    var expired = _cache.RemoveAll(e => e.ExpiresAt <= _now);
                    if (expired > 0) StepTrace.Took("cors-preflight-cache", "expire");
                    Step("cors-preflight-cache", $"{delayMs} ms later" + (expired > 0 ? $": {expired} cache entries have expired (their max-age has passed) and must be gone" : ""));
                }
                if (i > 0 && RemovedBefore(i) is { Count: > 0 } removed && _cache.Any(e => removed.Contains(e.Url)))
                {
                    Step("cors-preflight-cache", removed.Count == _urls
                        ? "the user agent emptied its preflight cache first, as it may (entries may be removed before they expire)"
                        : $"the user agent removed the preflight cache's entries for {string.Join(" and ", removed.Select(UrlName))} first, as it may (each entry may be removed before it expires)");
                    StepTrace.Took("cors-preflight-cache", "may-remove");
                    _cache.RemoveAll(e => removed.Contains(e.Url));
                }
                if (i > 0 && removal is { } other && _cache.Any(e => other.Removes(i, e.Host, e.Url)))
                {
                    var gone = _cache.Where(e => other.Removes(i, e.Host, e.Url)).Select(e => $"{UrlName(e.Url)} at the {e.Host.Place} host").Distinct();
                    Step("cors-preflight-cache", $"the user agent removed the preflight cache's entries for {string.Join(" and ", gone)} first, as it may (each entry may be removed before it expires)");
                    StepTrace.Took("cors-preflight-cache", "may-remove");
                    _cache.RemoveAll(e => other.Removes(i, e.Host, e.Url));
                }
                last = MainFetch();
            }
            last = Initiator(last!);
            // The fields the page measures, from what it was handed (the initiator's rule may have changed the outcome).
            last = last with { Extra = ObservedFields.PredictFromPage(@case, _handed with { Outcome = last.Outcome, Status = last.Status }, last.Extra) };
            return last with { Preflights = _preflights, Steps = _steps.ToList(), Choice = sequence.Count > 1 ? removal?.Choice ?? DescribeCacheChoice(sequence.Count, word) : null, Trace = recording.Steps };
        }

        /// <summary>The cache choice in words: "the preflight cache kept its entries", "…was emptied before repetition 2".</summary>
        private string DescribeCacheChoice(int count, string word)
        {
            var before = Enumerable.Range(2, count - 1).Where(r => RemovedBefore(r - 1).Count == _urls).ToList();
            var partly = Enumerable.Range(2, count - 1).Select(r => (Request: r, Urls: RemovedBefore(r - 1)))
                .Where(p => p.Urls.Count is > 0 && p.Urls.Count < _urls)
                .Select(p => p.Request)
                .ToList();
            // Which URL's entries went is named in the steps; a page tells the choices apart only by the preflights they cost.
            if (partly.Count > 0)
            {
                return "the preflight cache " + string.Join(" and ", (before.Count > 0 ? [$"was emptied before {word} {string.Join(" and ", before)}"] : Array.Empty<string>())
                    .Append($"lost the entries of some of the chain's URLs before {word} {string.Join(" and ", partly)}"));
            }
            return before.Count == 0
                ? "the preflight cache kept its entries"
                : before.Count == count - 1
                    ? "the preflight cache kept nothing (no cache, or max-age capped to 0)"
                    : $"the preflight cache was emptied before {word} {string.Join(" and ", before)}";
        }

        /// <summary>What the initiator lets the page see: an element or EventSource shows no status and no header, only whether
        /// it loaded; an img's pixels and a script's error details are readable only when the response was CORS-same-origin.</summary>
        private Expectation Initiator(Expectation result)
        {
            var observes = _request.Initiator.Observes;
            if (observes == Observes.ResponseWithErrorStatusZero && result.Outcome == Outcome.Blocked)
            {
                // XHR's "handle errors": a network error sets the response to a network error, whose status is 0; the real
                // status of a response the CORS check refused must not leak.
                Step("concept-network-error", "XMLHttpRequest reports the network error with status 0");
                return result with { Status = 0 };
            }
            if (observes == Observes.Sent)
            {
                if (result.Outcome == Outcome.Refused) return result;
                Step("concept-request-mode", result.ActualSent
                    ? "a beacon's response is never read: the browser sent the request, which is all the page asked for"
                    : "the beacon's request is never sent");
                return result with { Outcome = result.ActualSent ? Outcome.Allowed : Outcome.Blocked, Status = null, ReadableHeaders = null };
            }
            if (observes == Observes.Response)
            {
                DescribeResponse(result);
                return result;
            }
            if (observes is not (Observes.Load or Observes.LoadAndContent)) return result;
            var corsAllowed = result.Outcome == Outcome.Allowed && _tainting != Tainting.Opaque;
            bool? readable = observes == Observes.LoadAndContent ? corsAllowed : null;
            if (readable is not null)
            {
                Step("concept-request-response-tainting", readable.Value
                    ? _tainting == Tainting.Basic
                        ? "the response's tainting is basic (same origin): the page can read the content"
                        : "the response's tainting is cors and the check passed: the page can read the content"
                    : _tainting == Tainting.Opaque
                        ? $"the response is opaque (no-cors): the page cannot read the content of {_request.Initiator.Description}"
                        : "the request failed: nothing loaded to read");
            }
            return (result with { Status = null, ReadableHeaders = null }).With(ObservedFields.ContentReadable, readable);
        }

        /// <summary>fetch()'s Response: "The type getter steps are to return this's response's type" — the type of the filtered
        /// response main fetch (or HTTP fetch, for a redirect not followed) made; no Response, and so no type, after a network error.</summary>
        [FetchAnchor("dom-response-type")]
        private void DescribeResponse(Expectation result)
        {
            if (result.Outcome != Outcome.Allowed || _responseType is null) return;
            StepTrace.Took("dom-response-type", "def");
            Step("dom-response-type", $"fetch() resolves with a Response whose type is its response's type: \"{_responseType}\"");
        }

        /// <summary>One request, from the page's call to the response it gets: fetch's "main fetch" as far as CORS goes. At
        /// each URL it runs again (HTTP-redirect fetch calls main fetch) and decides by the request's response tainting:
        /// same origin and still basic, no CORS at all; no-cors, opaque; otherwise the CORS protocol.</summary>
        [FetchAnchor("concept-main-fetch")]
        [FetchAnchor("concept-cache-clear")]
        private Expectation MainFetch()
        {
            _responseType = null;
            _preflightReferer = null;
            _finalResponse = null;
            var request = NewRequest();
            if (ForbiddenMethodRefusal(request) is { } forbidden) return forbidden;
            if (_request.Mode == RequestMode.NoCors && NoCorsRefusal(request) is { } refused) return refused;
            if (BeaconOverQuota(request) is { } unqueued) return unqueued;
            var result = MainFetchAtEachUrl(request);
            // main fetch, the branch that runs HTTP fetch with makeCORSPreflight true: "If corsWithPreflightResponse is a
            // network error, then clear cache entries using request" — those whose "byte-serialized origin is the result of
            // byte-serializing a request origin with request, and URL is request's current URL". (Traced
            // only where an entry was cleared and a later request of the case could have used it: elsewhere the step changes
            // nothing a page could see.)
            if (result.Outcome == Outcome.Blocked && request.CorsWithPreflight
                && _cache.RemoveAll(e => e.Host == request.CurrentOrigin && e.Url == request.Url && e.Origin == SerializedOrigin(request.Tainted)) > 0)
            {
                Step("concept-cache-clear", "the response is a network error: the preflight cache's entries for this URL are cleared");
                if (_requestsLeft > 0)
                {
                    StepTrace.Took("concept-main-fetch", "12.preflight.3");
                    StepTrace.Took("concept-cache-clear", "def");
                }
            }
            // main fetch, step 19, after the switch (and its "clear cache entries") has returned: "If response is not a
            // network error and any of the following returns blocked … should internalResponse to request be blocked due to
            // its MIME type; should internalResponse to request be blocked due to nosniff, then set response and
            // internalResponse to a network error." That network error is main fetch's own, not corsWithPreflightResponse:
            // it clears no preflight-cache entry.
            if (result.Outcome == Outcome.Allowed && _finalResponse is { } final && BlockedByMimeType(final) is { } blocked)
            {
                _responseType = null;
                return Result(Outcome.Blocked, blocked, request);
            }
            return result;
        }

        /// <summary>main fetch at the request's URL, then again at each URL a redirect leads to.</summary>
        private Expectation MainFetchAtEachUrl(FetchRequest request)
        {
            if (request.Local is { } local) return LocalSchemeFetch(request, local);
            while (true)
            {
                DetermineReferrer(request);
                var serialized = SerializedOrigin(request.Tainted);
                if (IsSameOriginWithRequest(request.CurrentOrigin) && request.Tainting == Tainting.Basic)
                {
                    // "request's current URL's origin is same origin with request's origin, and request's response tainting
                    // is "basic"": a basic fetch, without the CORS protocol.
                    Step("concept-main-fetch", "the URL is same origin with the request's origin and the response tainting is basic: no CORS protocol, no preflight");
                    StepTrace.Took("concept-main-fetch", "12.basic");
                }
                else if (request.CurrentIsData)
                {
                    return DataUrlFetch(request);
                }
                else if (_request.Mode == RequestMode.SameOrigin)
                {
                    return SameOriginModeFailure(request);
                }
                else if (_request.Mode == RequestMode.NoCors && _request.Redirect != RedirectMode.Follow)
                {
                    return NoCorsRedirectModeFailure(request);
                }
                else if (_request.Mode == RequestMode.NoCors)
                {
                    // "request's mode is "no-cors"": "Set request's response tainting to "opaque"."
                    request.Tainting = Tainting.Opaque;
                    Step("concept-request-mode", "mode no-cors: no preflight and no CORS check; the response is opaque");
                    StepTrace.Took("concept-main-fetch", "12.no-cors.2");
                }
                else
                {
                    // "request's use-CORS-preflight flag is set", or "request's unsafe-request flag is set and either request's
                    // method is not a CORS-safelisted method or CORS-unsafe request-header names with request's header list
                    // is not empty": HTTP fetch with makeCORSPreflight true; otherwise HTTP fetch alone.
                    var unsafeNames = RequestHeaders.UnsafeNames(HeaderListAtFetch(request));
                    var withPreflight = request.UseCorsPreflight || !Methods.IsCorsSafelisted(request.Method) || unsafeNames.Count > 0;
                    request.CorsWithPreflight |= withPreflight;
                    StepTrace.Took("concept-main-fetch", withPreflight ? "12.preflight.1" : "12.cors.1");
                    StepTrace.Took("concept-main-fetch", withPreflight ? "12.preflight.2" : "12.cors.2");
                    request.Tainting = Tainting.Cors;
                    if (PreflightFailure(request, unsafeNames, serialized) is { } failure) return Result(Outcome.Blocked, "preflight: " + failure, request);
                }
                if (KeepaliveQuotaFailure(request) is { } overQuota) return Result(Outcome.Blocked, overQuota, request);
                SendRequest(request, serialized);
                // What the target answered this request with (a revalidation's is the 304, which is neither a 421 nor a 407).
                var answer = request.HopsLeft > 0 ? new ResponsePlan(_plan.Redirect!.Status, _plan.Redirect.Headers) : _revalidated ? null : _plan.Actual;
                if (answer is not null) RetryMisdirected(answer, "the request");
                if (answer is { Status: 407 } && ProxyAuthenticationFailure(request, answer) is { } proxy) return Result(Outcome.Blocked, proxy, request);
                if (request.HopsLeft == 0) return Respond(_plan.Actual, serialized, request);

                var redirect = _plan.Redirect!;
                if (Unreceivable(new ResponsePlan(redirect.Status, redirect.Headers), "redirect response") is { } lost) return Result(Outcome.Blocked, lost, request);
                StoreCookies(request, redirect.Headers);
                if (request.Tainting == Tainting.Cors)
                {
                    // HTTP fetch: "If request's response tainting is "cors" and a CORS check for request and response returns
                    // failure, then return a network error" — on a redirect response too, before it is followed.
                    var check = CorsCheck(serialized, request.Credentials, Fill(redirect.Headers, serialized, request.CurrentOrigin));
                    Step("concept-cors-check", $"redirect response ({redirect.Status}): {check.Reason}");
                    if (!check.Ok)
                    {
                        StepTrace.Took("concept-http-fetch", "4.4");
                        return Result(Outcome.Blocked, "redirect: " + check.Reason, request);
                    }
                }
                if (CrossOriginResourcePolicyFailure(request, redirect.Headers, serialized, $"the {redirect.Status} response") is { } corp) return Result(Outcome.Blocked, corp, request);
                // Not a redirect status: the response is final.
                // The hop's answer carries the Location its plan gives (the target sends it whatever the status), so the
                // final response's header list holds it: a basic response exposes it like any other header.
                if (!IsRedirectStatus(redirect.Status)) return Respond(new ResponsePlan(redirect.Status, WithPlannedLocation(redirect)), serialized, request);
                if (_request.Redirect != RedirectMode.Follow) return RedirectNotFollowed(request);
                if (LocationUrl(redirect) is { } location)
                {
                    return location.IsNull
                        ? Respond(new ResponsePlan(redirect.Status, redirect.Headers), serialized, request)
                        : Result(Outcome.Blocked, location.Failure!, request);
                }
                if (LocationSchemeFailure(redirect) is { } scheme) return Result(Outcome.Blocked, scheme, request);
                if (RedirectLimitFailure(request) is { } limit) return Result(Outcome.Blocked, limit, request);
                if (LocationCredentialsFailure(request, redirect) is { } withCredentials) return Result(Outcome.Blocked, withCredentials, request);
                HttpRedirectFetch(request, redirect);
            }
        }

        /// <summary>main fetch, the branch "request's current URL's scheme is "data"" (after the same-origin branch, which a
        /// data: URL's opaque origin never matches, and before the mode's): "1. Set request's response tainting to "basic".
        /// 2. Return the result of running scheme fetch given fetchParams." Scheme fetch, "data": "Let dataURLStruct be the
        /// result of running the data: URL processor on request's current URL. … Return a new response whose status message
        /// is `OK`, header list is « (`Content-Type`, mimeType) », and body is dataURLStruct's body." So whatever the mode
        /// (cors, no-cors, same-origin), the method and the headers: no preflight, no CORS check, nothing sent to any server,
        /// and a basic filtered response the page reads whole.</summary>
        [FetchAnchor("concept-main-fetch")]
        [FetchAnchor("concept-scheme-fetch")]
        private Expectation DataUrlFetch(FetchRequest request)
        {
            request.Tainting = Tainting.Basic;
            _tainting = Tainting.Basic;
            StepTrace.Took("concept-main-fetch", "12.data");
            Step("concept-main-fetch", $"the request's current URL's scheme is data: the response tainting is basic and scheme fetch answers it, in mode {_request.Mode switch { RequestMode.Cors => "cors", RequestMode.NoCors => "no-cors", RequestMode.SameOrigin => "same-origin", _ => throw new ArgumentOutOfRangeException(nameof(request), _request.Mode, "not a request mode") }}: no preflight, no CORS check, no request to any server");
            StepTrace.Took("concept-scheme-fetch", "3.data.4");
            Step("concept-scheme-fetch", "scheme fetch answers a data: URL with status 200 and one header, Content-Type (the URL's MIME type)");
            // main fetch: "basic": basic filtered response — every header but the forbidden response-header names.
            StepTrace.Took("concept-main-fetch", "14.2.basic");
            StepTrace.Took("concept-filtered-response-basic", "def");
            Step("concept-filtered-response-basic", "the response is basic: the page reads its status and its one header, Content-Type");
            return Result(Outcome.Allowed, "a data: URL is fetched with response tainting basic: no CORS protocol applies", request, 200, [HeaderNames.ContentType.ToLowerInvariant()]);
        }

        /// <summary>main fetch at a request's own URL of scheme about or blob, then scheme fetch. main fetch step 12 in order:
        /// "request's current URL's origin is same origin with request's origin, and request's response tainting is
        /// "basic"" — a blob: URL's origin is its blob's, the page's, so a blob: URL the page made takes it: basic, then
        /// scheme fetch; about:blank's origin is a new opaque origin, same origin with nothing. "request's mode is
        /// "same-origin"": a network error. "request's mode is "no-cors"": (redirect mode) then "Set request's response
        /// tainting to "opaque"" and scheme fetch. "request's current URL's scheme is not an HTTP(S) scheme": "Return a network
        /// error" — a cors fetch() of about: never reaches scheme fetch. Scheme fetch, "about": "If request's current URL's
        /// path is the string "blank", then return a new response whose status message is `OK`, header list is «
        /// (`Content-Type`, `text/html;charset=utf-8`) », and body is the empty byte sequence"; any other about: URL falls
        /// through to "Return a network error". "blob": "If request's method is not `GET` or blobURLEntry is null, then return
        /// a network error"; else "Set response's header list to « (`Content-Length`, serializedFullLength), (`Content-Type`,
        /// type) »" with status 200. Nothing reaches any server.</summary>
        [FetchAnchor("concept-main-fetch")]
        [FetchAnchor("concept-scheme-fetch")]
        private Expectation LocalSchemeFetch(FetchRequest request, LocalUrl local)
        {
            var blob = local is LocalUrl.Blob or LocalUrl.RevokedBlob;
            if (blob)
            {
                StepTrace.Took("concept-main-fetch", "12.basic");
                Step("concept-main-fetch", "a blob: URL's origin is its blob's, the page's: same origin with the request's origin and the tainting basic, so scheme fetch answers it (no CORS protocol)");
                request.Tainting = Tainting.Basic;
                _tainting = Tainting.Basic;
                if (request.Method != "GET" || local == LocalUrl.RevokedBlob)
                {
                    StepTrace.Took("concept-scheme-fetch", "3.blob.2");
                    Step("concept-scheme-fetch", local == LocalUrl.RevokedBlob
                        ? "the blob: URL was revoked: its blob URL entry is null, a network error"
                        : $"scheme fetch answers a blob: URL to GET only, not to {request.Method}: a network error");
                    return Result(Outcome.Blocked, local == LocalUrl.RevokedBlob ? "a revoked blob: URL is a network error" : "a blob: URL is fetched with GET only", request);
                }
                StepTrace.Took("concept-scheme-fetch", "3.blob.13.4");
                Step("concept-scheme-fetch", "scheme fetch answers the blob: URL with status 200 and two headers, Content-Length and Content-Type (the blob's type)");
                StepTrace.Took("concept-main-fetch", "14.2.basic");
                StepTrace.Took("concept-filtered-response-basic", "def");
                Step("concept-filtered-response-basic", "the response is basic: the page reads its status and both headers");
                _responseType = "basic";
                return Result(Outcome.Allowed, "a blob: URL of the page's own is same origin: scheme fetch answers it, basic", request, 200,
                    [HeaderNames.ContentLength.ToLowerInvariant(), HeaderNames.ContentType.ToLowerInvariant()]);
            }
            // about: — an opaque origin, same origin with nothing: main fetch's same-origin branch never takes it.
            if (_request.Mode == RequestMode.SameOrigin) return SameOriginModeFailure(request);
            if (_request.Mode == RequestMode.NoCors && _request.Redirect != RedirectMode.Follow) return NoCorsRedirectModeFailure(request);
            if (_request.Mode != RequestMode.NoCors)
            {
                StepTrace.Took("concept-main-fetch", "12.scheme");
                Step("concept-main-fetch", "the URL's scheme is about, not an HTTP(S) scheme, and the mode is cors: a network error (scheme fetch answers about: only in no-cors mode)");
                return Result(Outcome.Blocked, "a cors request to a URL that is not HTTP(S) is a network error", request);
            }
            request.Tainting = Tainting.Opaque;
            _tainting = Tainting.Opaque;
            StepTrace.Took("concept-main-fetch", "12.no-cors.2");
            Step("concept-request-mode", "mode no-cors: the response tainting is opaque, and scheme fetch answers the about: URL");
            if (local == LocalUrl.AboutOther)
            {
                StepTrace.Took("concept-scheme-fetch", "4");
                Step("concept-scheme-fetch", "scheme fetch answers about:blank only: any other about: URL is a network error");
                return Result(Outcome.Blocked, "an about: URL other than about:blank is a network error", request);
            }
            StepTrace.Took("concept-scheme-fetch", "3.about");
            Step("concept-scheme-fetch", "scheme fetch answers about:blank with an empty 200 (Content-Type text/html;charset=utf-8)");
            StepTrace.Took("concept-main-fetch", "14.2.opaque");
            StepTrace.Took("concept-filtered-response-opaque", "def");
            Step("concept-filtered-response-opaque", "the page gets an opaque filtered response: type \"opaque\", status 0, no headers");
            _responseType = "opaque";
            return Result(Outcome.Allowed, "mode no-cors: about:blank's empty 200 reaches the page opaque", request, 0, []);
        }

        /// <summary>main fetch, "request's mode is "same-origin"": "Return a network error." Reached at a URL that is not same
        /// origin with the request's origin (or once the tainting is no longer basic) and is not a data: URL: the request's own
        /// URL on another origin (nothing is sent at all), or one a redirect has taken it to (the redirect was sent).</summary>
        [FetchAnchor("concept-main-fetch")]
        private Expectation SameOriginModeFailure(FetchRequest request)
        {
            StepTrace.Took("concept-main-fetch", "12.same-origin");
            Step("concept-request-mode", $"mode same-origin at a URL of the {request.Current} origin, not the request's: a network error, before anything is sent there");
            return Result(Outcome.Blocked, "a request whose mode is same-origin reached a URL of another origin", request);
        }

        /// <summary>main fetch, "request's mode is "no-cors"": "1. If request's redirect mode is not "follow", then return a
        /// network error." Reached at a URL that is not same origin with the request's origin (the same-origin branch comes
        /// first, where a no-cors request is sent and HTTP fetch applies its redirect mode to the redirect), before the
        /// tainting is set and before anything is sent. Only the request's own URL can get here: a redirect mode other than
        /// follow never follows a redirect to run main fetch again.</summary>
        [FetchAnchor("concept-main-fetch")]
        private Expectation NoCorsRedirectModeFailure(FetchRequest request)
        {
            StepTrace.Took("concept-main-fetch", "12.no-cors.1");
            var redirect = _request.Redirect == RedirectMode.Error ? "error" : "manual";
            Step("concept-request-mode", $"mode no-cors with redirect mode {redirect}, at a URL of the {request.Current} origin, not the request's: a network error, before anything is sent");
            return Result(Outcome.Blocked, $"a no-cors request whose redirect mode is {redirect} is a network error at a URL of another origin", request);
        }

        /// <summary>The request the API hands to fetch: its method normalized, the author headers it keeps, and the
        /// use-CORS-preflight flag an XHR upload listener sets.</summary>
        private FetchRequest NewRequest()
        {
            // "To normalize a method…" (fetch() and XHR's open() both do it).
            var method = Methods.Normalize(_request.Method);
            if (method != _request.Method) Step("concept-method-normalize", $"method '{_request.Method}' is normalized to '{method}'");
            var headers = AuthorHeaders(method);
            // XHR: "If this's upload listener flag is set, then set req's use-CORS-preflight flag."
            if (_request.UploadListener) Step("use-cors-preflight-flag", "an upload listener sets the use-CORS-preflight flag: a preflight is required whatever the method and headers");
            // XHR open(): "If the username argument is not null, set the username given parsedURL and username. If the password
            // argument is not null, set the password given parsedURL and password." send(): req's "use-URL-credentials flag:
            // Set if this's request URL includes credentials" — its username or password is not the empty string.
            if (_request.OpensWithUserinfo)
            {
                Step("concept-request-use-url-credentials-flag", _request.UrlIncludesCredentials
                    ? "open() put a user and password in the request URL, which so includes credentials: the use-URL-credentials flag is set"
                    : "open() was given an empty user and password: the URL does not include credentials, and the use-URL-credentials flag stays unset");
            }
            // A follow-up of request.then may go to another place than the case's own.
            // (The runner sends such a follow-up over the page's scheme.)
            var target = _request.Target ?? _topology.Target;
            var scheme = _request.Target is null ? _topology.TargetScheme : _topology.Scheme;
            return new FetchRequest
            {
                Method = method,
                Headers = headers,
                Credentials = _request.Credentials,
                BodyLength = _request.BodyLength,
                UseCorsPreflight = _request.UploadListener,
                Current = target,
                CurrentScheme = scheme,
                ChainSameSite = SameSiteWithPage(new UrlOrigin(target, scheme), "the request's URL"),
                HopsLeft = _plan.Redirect?.Hops ?? 0,
                CurrentIsData = _topology.DataUrl,
                Local = _topology.Local,
                // The Request constructor: an empty referrer is "no-referrer"; a URL same origin with the page's is that URL;
                // fetch()'s default is "client" (the page's URL, which determine request's referrer reads).
                Referrer = _request.Referrer switch
                {
                    "" => null,
                    null or RequestSpec.ClientReferrer => Referrer.PagePath,
                    var path => path,
                },
                ReferrerPolicy = _request.ReferrerPolicy ?? "",
            };
        }

        /// <summary>main fetch: "8. If request's referrer policy is the empty string, then set request's referrer policy to
        /// request's policy container's referrer policy." (The runner page sets none, so its policy container holds the
        /// default referrer policy.) "9. If request's referrer is not "no-referrer", then set request's referrer to the result
        /// of invoking determine request's referrer." Run at every main fetch, so after a redirect the last referrer is the
        /// source, under the policy the redirect may have set.</summary>
        [FetchAnchor("concept-main-fetch")]
        [FetchAnchor("concept-request-referrer")]
        private void DetermineReferrer(FetchRequest request)
        {
            if (request.ReferrerPolicy == "")
            {
                request.ReferrerPolicy = Referrer.DefaultPolicy;
                if (JudgesReferrer)
                {
                    StepTrace.Took("concept-main-fetch", "8");
                    Step("concept-request-referrer-policy", $"the request's referrer policy is empty: it takes the page's, the default {Referrer.DefaultPolicy}");
                }
            }
            if (request.Referrer is not { } source) return;
            request.Referrer = Referrer.Determine(request.ReferrerPolicy, source, IsSameOriginWithRequest(request.CurrentOrigin), referrerAlteration);
            if (!JudgesReferrer) return;
            StepTrace.Took("concept-main-fetch", "9");
            Step("concept-request-referrer", $"determine request's referrer under {request.ReferrerPolicy} at the {request.Current} origin: "
                + (request.Referrer is { } url ? url : "no referrer"));
        }

        /// <summary>The page's own origin, as a URL's (a tuple origin; meaningless when the page is opaque).</summary>
        private UrlOrigin PageUrlOrigin => new(Place.Page, _topology.Scheme);

        /// <summary>Whether a URL's origin is same origin with the request's origin (HTML's "same origin": scheme, host and
        /// port): only the page's own origin over the page's scheme, and only when the page has a tuple origin (an opaque
        /// origin is same origin with no URL). The page's host at another port, or over the other scheme, is another origin.</summary>
        private bool IsSameOriginWithRequest(UrlOrigin url) => !_topology.OpaqueOrigin && url.IsSameOrigin(PageUrlOrigin);

        /// <summary>Whether the harness's SameSite=Lax cookie may travel to a URL of <paramref name="url"/>'s origin. Fetch's
        /// "determine the same-site mode" gives a request of the top-level page "strict-or-less" unless its redirect-taint is
        /// "cross-site" (checked at each hop: <see cref="HttpRedirectFetch"/>); an opaque-origin page (a sandboxed or data: frame,
        /// a data: worker) has a cross-site ancestor, "unset-or-less". Which URLs the cookie then reaches is the user agent's
        /// third-party cookie policy ("configured to disable cookies for request"), which the harness sets to block other
        /// sites in every engine: same site by HTML's "same site" (scheme and registrable domain). Over the other scheme the
        /// engines' policies part ways, and the standard allows both (<paramref name="url"/> is then schemelessly same site
        /// only): <c>crossSchemeCookie</c> chooses.</summary>
        [FetchAnchor("determine-the-same-site-mode")]
        private bool SameSiteWithPage(UrlOrigin url, string what)
        {
            if (_topology.OpaqueOrigin)
            {
                if (_topology.Page is not (PageOrigin.DataWorker or PageOrigin.DataModuleWorker) || !url.IsSameSite(PageUrlOrigin)) return false;
                Step("determine-the-same-site-mode", $"{what} is same site with the page that started the data: worker, whose site for cookies the worker's is: the same-site mode is strict-or-less, "
                    + (crossSchemeCookie ? "and the user agent's cookie policy lets the SameSite=Lax cookie travel" : "but the user agent's cookie policy keeps the SameSite=Lax cookie home (it may)"));
                return crossSchemeCookie;
            }
            var sameSite = url.IsSameSite(PageUrlOrigin);
            if (!sameSite && url.IsSchemelesslySameSite(PageUrlOrigin))
            {
                Step("concept-request-credentials-mode", $"{what} is under the page's registrable domain but over {url.Scheme.ToString().ToLowerInvariant()}, not the page's {_topology.Scheme.ToString().ToLowerInvariant()}: schemelessly same site, not same site; the same-site mode is strict-or-less, "
                    + (crossSchemeCookie ? "and the user agent's cookie policy lets the SameSite=Lax cookie travel" : "but the user agent's cookie policy keeps the SameSite=Lax cookie home (it may)"));
                return crossSchemeCookie;
            }
            return sameSite;
        }

        /// <summary>main fetch's use-CORS-preflight rule, checked against the preflight cache in HTTP fetch, then the
        /// CORS-preflight fetch itself: null when no preflight is needed or it passes, else why it fails.</summary>
        [FetchAnchor("concept-http-fetch")]
        private string? PreflightFailure(FetchRequest request, IReadOnlyList<string> unsafeNames, string serialized)
        {
            var method = request.Method;
            if (!request.UseCorsPreflight && Methods.IsCorsSafelisted(method) && unsafeNames.Count == 0)
            {
                Step("cors-safelisted-method", $"'{method}' is CORS-safelisted and every request header is safelisted: no preflight");
                return null;
            }
            if (CacheCovers(method, unsafeNames, request.Credentials, request.CurrentOrigin, request.Url, serialized, request.UseCorsPreflight))
            {
                Step("cors-preflight-cache", "the preflight cache covers the method and headers: no preflight");
                return null;
            }
            // HTTP fetch: "If makeCORSPreflight is true and one of these conditions is true: there is no method cache entry
            // match …; there is at least one item in the CORS-unsafe request-header names … for which there is no
            // header-name cache entry match …, then: Let preflightResponse be the result of running CORS-preflight fetch".
            StepTrace.Took("concept-http-fetch", "4.1.1");
            Step("cors-preflight-fetch-0", !Methods.IsCorsSafelisted(method)
                ? $"'{method}' is not a CORS-safelisted method: a preflight is required"
                : unsafeNames.Count > 0
                    ? $"CORS-unsafe request-header names [{string.Join(",", unsafeNames)}]: a preflight is required"
                    : "the use-CORS-preflight flag is set: a preflight is required");
            // CORS-preflight fetch 1: the preflight's "referrer is request's referrer, referrer policy is request's referrer
            // policy": its Referer is the one main fetch determined for this URL.
            _preflightReferer = request.Referrer;
            var failure = Preflight(method, unsafeNames, request.Credentials, serialized, request.Url, request.UseCorsPreflight, request.CurrentOrigin);
            // "If preflightResponse is a network error, then return preflightResponse."
            if (failure is not null) StepTrace.Took("concept-http-fetch", "4.1.2");
            return failure;
        }

        /// <summary>The request itself reaches the target, with its Origin header and, when credentials are included, the
        /// cookie the harness planted if the chain has stayed same-site.</summary>
        [FetchAnchor("origin-header")]
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private void SendRequest(FetchRequest request, string serialized)
        {
            request.ActualSent = true;
            // HTTP-network-or-cache fetch 8.12: "Append a request `Origin` header for httpRequest".
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.12");
            // "Append a request `Origin` header": always when the response tainting is "cors"; otherwise only for a method
            // that is neither GET nor HEAD, where a request whose mode is not "cors" lets its referrer policy null it.
            StepTrace.Took(OriginHeaderAnchor, "2");
            if (request.Tainting == Tainting.Cors) StepTrace.Took(OriginHeaderAnchor, "3");
            else if (request.Method is not ("GET" or "HEAD")) StepTrace.Took(OriginHeaderAnchor, "4.2");
            request.SentOrigin = request.Tainting == Tainting.Cors ? serialized
                : request.Method is "GET" or "HEAD" ? null
                : _request.Mode == RequestMode.Cors ? serialized
                : ReferrerPolicyNullsOrigin(request) ? "null" : serialized;
            if (request.SentOrigin == serialized) StepTrace.Took("serializing-a-request-origin", request.Tainted ? "2" : "3");
            Step("origin-header", request.SentOrigin is { } origin
                ? $"the request carries Origin: {origin}"
                : $"a {(request.Tainting == Tainting.Opaque ? "no-cors" : "same-origin")} GET or HEAD carries no Origin header");
            // HTTP-network-or-cache fetch: "includeCredentials" is true when the credentials mode is "include", or
            // "same-origin" and the response tainting is "basic".
            var includeCredentials = request.Credentials == CredentialsMode.Include
                || (request.Credentials == CredentialsMode.SameOrigin && request.Tainting == Tainting.Basic);
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.3");
            request.SentCredentials = includeCredentials && request.ChainSameSite;
            request.IncludeCredentials = includeCredentials;
            // The case's own cookie (SameSite=Lax, host-only) travels as the planted one does, where it was stored.
            var caseCookieStored = _caseCookieAt.Any(request.CurrentOrigin.SharesCookiesWith);
            request.SentCaseCookie = includeCredentials && request.ChainSameSite && caseCookieStored;
            if (@case.SetsCaseCookie)
            {
                Step("concept-http-network-or-cache-fetch", request.SentCaseCookie
                    ? "the cookie an earlier response set is stored for this host, and includeCredentials is true: it travels"
                    : caseCookieStored
                        ? "the cookie an earlier response set is stored for this host, but this request does not carry it (includeCredentials is false, or the request is cross-site and the cookie SameSite=Lax)"
                        : "no cookie an earlier response set is stored for this host: none travels");
            }
            request.SentAuthorization = request.Headers.Contains(HeaderNames.Authorization) || AuthorizationFromUrl(request, includeCredentials);
            // "If httpRequest's referrer is a URL, then: Let referrerValue be httpRequest's referrer, serialized and isomorphic
            // encoded. Append (`Referer`, referrerValue) to httpRequest's header list."
            request.SentReferer = request.Referrer;
            if (JudgesReferrer && request.Referrer is not null) StepTrace.Took("concept-http-network-or-cache-fetch", "8.11");
            _wire.Add(new WireRequest(IsPreflight: false, request.Method, request.Url,
            [
                .. request.Headers.Where(h => !RequestHeaders.IsForbidden(h.Name) && !h.Name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)),
                .. request.SentOrigin is { } sentOrigin ? [new Header(HeaderNames.Origin, sentOrigin)] : Array.Empty<Header>(),
                .. request.SentReferer is { } referer ? [new Header(HeaderNames.Referer, referer)] : Array.Empty<Header>(),
                .. request.SentAuthorization ? [new Header(HeaderNames.Authorization, request.Headers.Get(HeaderNames.Authorization) ?? "{url-credentials}")] : Array.Empty<Header>(),
                // A revalidation (the revalidatingFlag of HTTP-network-or-cache fetch): the stored response's validator goes out
                // in a conditional header, as HTTP Caching says; which validator is the cache's, so the value is a placeholder.
                .. _revalidated ? [new Header("If-None-Match", "{stored-validator}")] : Array.Empty<Header>(),
            ])
            {
                CarriesCookie = request.SentCredentials,
                CarriesCaseCookie = request.SentCaseCookie,
            });
            if (request.Tainting == Tainting.Cors && request.Credentials == CredentialsMode.Include)
            {
                Step("concept-request-credentials-mode", request.SentCredentials
                    ? "credentials mode is include and the target is same-site: the SameSite=Lax cookie travels"
                    : "credentials mode is include, but the SameSite=Lax cookie does not travel on a cross-site request");
            }
            else if (request.Tainting == Tainting.Basic)
            {
                Step("concept-request-credentials-mode", includeCredentials
                    ? $"credentials mode is {request.Credentials.ToString().ToLowerInvariant()} and the response tainting is basic: the cookie travels"
                    : "credentials mode is omit: no cookie");
            }
        }

        /// <summary>HTTP-network fetch: "If includeCredentials is true and the user agent is not configured to block cookies for
        /// request …, then run the "set-cookie-string" parsing algorithm … on the value of each header whose name is a
        /// byte-case-insensitive match for `Set-Cookie` in response's header list, if any, and request's current URL." Before
        /// any CORS check: a response the page is refused still sets its cookies. Without credentials (omit, or same-origin
        /// once the tainting is cors, and every preflight) the Set-Cookie is ignored; with them, whether the cookie is kept is
        /// the user agent's choice (<c>storesCookies</c>).</summary>
        [FetchAnchor("concept-http-network-fetch")]
        private void StoreCookies(FetchRequest request, IReadOnlyList<Header> response)
        {
            if (!response.Any(CorsCase.IsCaseCookie)) return;
            if (!request.IncludeCredentials)
            {
                Step("concept-http-network-fetch", "the response sets a cookie, but includeCredentials is false (credentials omit, or same-origin to another origin): the Set-Cookie is ignored");
                return;
            }
            StepTrace.Took("concept-http-network-fetch", "15");
            if (storesCookies) _caseCookieAt.Add(request.CurrentOrigin);
            Step("concept-http-network-fetch", storesCookies
                ? $"includeCredentials is true: the user agent stores the cookie the response sets, for the {request.Current} host (before any CORS check)"
                : "includeCredentials is true, but the user agent's cookie policy blocks the cookie, as it may");
        }

        /// <summary>HTTP-network-or-cache fetch, "If includeCredentials is true": whether the URL open() was given puts an
        /// `Authorization` header on this request. "If httpRequest's header list does not contain `Authorization`: … If there's
        /// an authentication entry for httpRequest and either httpRequest's use-URL-credentials flag is unset or httpRequest's
        /// current URL does not include credentials, then set authorizationValue to authentication entry. Otherwise, if
        /// httpRequest's current URL does include credentials and isAuthenticationFetch is true, set authorizationValue to
        /// httpRequest's current URL, converted to an `Authorization` value." A case's browser has no authentication entry,
        /// and isAuthenticationFetch is true only on the fetch a 401 starts (step 15), which cors tainting never starts and the
        /// case reader refuses elsewhere: so the URL's credentials never reach the target before a 401 asks for them.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private bool AuthorizationFromUrl(FetchRequest request, bool includeCredentials)
        {
            // HTTP-redirect fetch moves the request to the location URL, which does not hold the credentials open() set.
            if (!_request.UrlIncludesCredentials || request.Url != 0) return false;
            if (!includeCredentials)
            {
                Step("concept-http-network-or-cache-fetch", "includeCredentials is false: the URL's user and password are not used");
                return false;
            }
            if (request.Headers.Contains(HeaderNames.Authorization)) return false;
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.21.2");
            Step("concept-http-network-or-cache-fetch", "the URL includes credentials, but this is not an authentication fetch (no 401 has asked for them): no Authorization header");
            return false;
        }

        /// <summary>HTTP fetch, on a redirect status, switches on the request's redirect mode: "error" — "set response to a
        /// network error"; "manual" — "set response to an opaque-redirect filtered response whose internal response is
        /// actualResponse" (status 0, no headers); only "follow" goes on to HTTP-redirect fetch.</summary>
        [FetchAnchor("concept-request-redirect-mode")]
        private Expectation RedirectNotFollowed(FetchRequest request)
        {
            StepTrace.Took("concept-http-fetch", _request.Redirect == RedirectMode.Error ? "6.2.error" : "6.2.manual");
            if (_request.Redirect == RedirectMode.Error)
            {
                Step("concept-request-redirect-mode", "redirect mode error: the redirect response is a network error");
                return Result(Outcome.Blocked, "the request's redirect mode is error, and the response is a redirect", request);
            }
            StepTrace.Took("concept-filtered-response-opaque-redirect", "def");
            Step("concept-filtered-response-opaque-redirect", "redirect mode manual: the page gets an opaque-redirect filtered response (type \"opaqueredirect\", status 0, no headers), and nothing follows");
            _responseType = "opaqueredirect";
            return Result(Outcome.Allowed, "the request's redirect mode is manual: the redirect is handed to the page, opaque", request, 0, []);
        }

        /// <summary>"Append a request Origin header", for a request whose mode is not "cors": "no-referrer" sends `null`;
        /// "same-origin" sends `null` unless the request's origin is same origin with its current URL; the downgrade rules
        /// (https page, http URL) never apply here, where page and target share a scheme; the rest leave the origin.</summary>
        [FetchAnchor("append-a-request-origin-header")]
        private bool ReferrerPolicyNullsOrigin(FetchRequest request)
        {
            // "switch on request's referrer policy": the request's, as a redirect's Referrer-Policy may have set it
            // (HTTP-redirect fetch, "set request's referrer policy on redirect"), not the one the page gave.
            var nulls = request.ReferrerPolicy switch
            {
                "no-referrer" => true,
                "same-origin" => !IsSameOriginWithRequest(request.CurrentOrigin),
                _ => false,
            };
            if (nulls) Step("append-a-request-origin-header", $"referrer policy {request.ReferrerPolicy}: the Origin of this {request.Method} is `null`");
            if (nulls) StepTrace.Took(OriginHeaderAnchor, "4.1");
            return nulls;
        }

        /// <summary>HTTP-redirect fetch, steps 3 to 5, on a Location the target does not write from <c>to</c>: "Let locationURL be
        /// internalResponse's location URL given request's current URL's fragment" (for every redirect followed; the target's own
        /// Location is its next hop's URL). The location URL: "2. Let location be the
        /// result of extracting header list values given `Location` and response's header list. 3. If location is a header
        /// value, then set location to the result of parsing location with response's URL." So no `Location` is null — "4. If
        /// locationURL is null, then return response": the redirect response itself, already through HTTP fetch's CORS check,
        /// goes back to main fetch to be filtered like any final response; and a Location the URL parser refuses is failure —
        /// "5. If locationURL is failure, then return a network error." Null when the Location is the target's own URL.</summary>
        [FetchAnchor("http-redirect-fetch")]
        [FetchAnchor("concept-response-location-url")]
        private (bool IsNull, string? Failure)? LocationUrl(RedirectPlan redirect)
        {
            StepTrace.Took(RedirectAnchor, "3");
            if (redirect.OmitsLocation)
            {
                StepTrace.Took(RedirectAnchor, "4");
                Step("concept-response-location-url", "the redirect response has no Location: its location URL is null, and HTTP-redirect fetch returns the response itself, which main fetch filters as the final response");
                return (true, null);
            }
            if (redirect.GivenLocation is not { } given) return null;
            var (_, why) = LocationUrls.Classify(given);
            StepTrace.Took(RedirectAnchor, "5");
            Step("concept-response-location-url", $"parsing the Location '{given}' with the response's URL fails ({why}): the location URL is failure, a network error");
            return (false, $"the redirect's Location '{given}' is not a URL ({why})");
        }

        /// <summary>HTTP-redirect fetch: "If locationURL's scheme is not an HTTP(S) scheme, then return a network error." Main
        /// fetch's branches for other schemes (a data: URL's tainting basic, a no-cors request's scheme fetch, which answers
        /// about:blank and a blob URL) are never reached by a redirect: the redirect is refused first, in every mode and
        /// whatever the tainting. Null when the location is an http(s) URL.</summary>
        [FetchAnchor("http-redirect-fetch")]
        private string? LocationSchemeFailure(RedirectPlan redirect)
        {
            if (redirect.LocationScheme is not { } scheme) return null;
            Step("http-redirect-fetch", $"the location URL's scheme is {scheme}, not an HTTP(S) scheme: a network error");
            StepTrace.Took(RedirectAnchor, "6");
            return $"a redirect is followed only to an HTTP(S) URL, not to a {scheme}: URL";
        }

        /// <summary>HTTP-redirect fetch step 7: "If request's redirect count is 20, then return a network error." The count
        /// is the number of redirects already followed, so the twenty-first redirect response is the one refused. Null while
        /// fewer than twenty have been followed.</summary>
        [FetchAnchor("http-redirect-fetch")]
        private string? RedirectLimitFailure(FetchRequest request)
        {
            if (request.Url < 20) return null;
            Step("http-redirect-fetch", "the request's redirect count is 20: a twenty-first redirect is a network error");
            StepTrace.Took(RedirectAnchor, "7");
            return "a request is redirected at most twenty times";
        }

        /// <summary>HTTP-redirect fetch on a location URL that includes credentials: "If request's mode is "cors",
        /// locationURL includes credentials, and request's origin is not same origin with locationURL's origin, then return a
        /// network error"; "If request's response tainting is "cors" and locationURL includes credentials, then return a
        /// network error." Null when the redirect may be followed.</summary>
        [FetchAnchor("http-redirect-fetch")]
        private string? LocationCredentialsFailure(FetchRequest request, RedirectPlan redirect)
        {
            if (redirect.Userinfo is not { } userinfo) return null;
            if (!redirect.LocationIncludesCredentials)
            {
                Step("http-redirect-fetch", $"the location URL's userinfo '{userinfo}' has an empty user name and password: it does not include credentials, so it is followed");
                return null;
            }
            var next = redirect.Destination(request.Url);
            if (_request.Mode == RequestMode.Cors && !IsSameOriginWithRequest(new UrlOrigin(next, _topology.Scheme)))
            {
                Step("http-redirect-fetch", "the location URL includes credentials and is not same origin with the request's origin: a network error in cors mode");
                StepTrace.Took(RedirectAnchor, "9");
                return "a cors request is not redirected to a URL with credentials on another origin";
            }
            if (request.Tainting == Tainting.Cors)
            {
                Step("http-redirect-fetch", "the location URL includes credentials and the response tainting is cors: a network error");
                StepTrace.Took(RedirectAnchor, "10");
                return "a request whose response tainting is cors is not redirected to a URL with credentials";
            }
            Step("http-redirect-fetch", "the location URL includes credentials; the request is same origin (or no-cors), so it is followed");
            return null;
        }

        /// <summary>HTTP-redirect fetch: the request moves to the location URL, with what the standard changes on the way.</summary>
        [FetchAnchor("http-redirect-fetch")]
        private void HttpRedirectFetch(FetchRequest request, RedirectPlan redirect)
        {
            StepTrace.Took("concept-http-fetch", "6.2.follow");
            var next = redirect.Destination(request.Url);
            // Every Location the target writes is over the page's scheme (the request's own URL alone may be over the other).
            var nextOrigin = new UrlOrigin(next, _topology.Scheme);
            var crossOriginHop = !request.CurrentOrigin.IsSameOrigin(nextOrigin);
            // "If request's current URL's origin is not same origin with locationURL's origin and request's origin is not
            // same origin with request's current URL's origin, then set request's tainted origin flag."
            var requestOriginIsCurrent = IsSameOriginWithRequest(request.CurrentOrigin);
            if (crossOriginHop && !requestOriginIsCurrent && !request.Tainted)
            {
                request.Tainted = true;
                Step("concept-request-tainted-origin", "a cross-origin redirect from a cross-origin URL taints the origin: Origin becomes null");
                // redirect-taint: a hop off another site than the request's (4.2) returns "cross-site"; a hop to another
                // origin from one that is not the request's (4.3) makes it "same-site". Either way the origin serializes as null.
                // 4.2: "If url's origin is not same site with lastURL's origin and request's origin is not same site with
                // lastURL's origin" (same site compares schemes too).
                StepTrace.Took("concept-request-tainted-origin", !nextOrigin.IsSameSite(request.CurrentOrigin) && !PageUrlOrigin.IsSameSite(request.CurrentOrigin) ? "4.2" : "4.3");
            }
            // "If either actualResponse's status is 301 or 302 and request's method is `POST`, or actualResponse's status is
            // 303 and request's method is not `GET` or `HEAD`, then: set request's method to `GET` and request's body to null;
            // for each headerName of request-body-header name, delete headerName from request's header list."
            if (((redirect.Status is 301 or 302) && request.Method == "POST") || (redirect.Status == 303 && request.Method is not ("GET" or "HEAD")))
            {
                Step("http-redirect-fetch", $"a {redirect.Status} redirect changes {request.Method} to GET and drops the body");
                StepTrace.Took(RedirectAnchor, "12");
                request.Method = "GET";
                request.BodyLength = null;
                request.Headers = request.Headers.Where(h => !RequestHeaders.IsRequestBodyHeaderName(h.Name)).ToList();
            }
            // "If request's current URL's origin is not same origin with locationURL's origin, then for each headerName of
            // CORS non-wildcard request-header name, delete headerName from request's header list."
            if (crossOriginHop && request.Headers.Any(h => RequestHeaders.IsNonWildcardName(h.Name)))
            {
                Step("cors-non-wildcard-request-header-name", "a cross-origin redirect deletes Authorization (a CORS non-wildcard request-header name) from the request's headers");
                StepTrace.Took(RedirectAnchor, "13");
                request.Headers = request.Headers.Where(h => !RequestHeaders.IsNonWildcardName(h.Name)).ToList();
            }
            SetReferrerPolicyOnRedirect(request, redirect);
            if (!SameSiteWithPage(nextOrigin, "the location URL")) request.ChainSameSite = false;
            // Determine the same-site mode, step 5: a redirect-taint of "cross-site" (4.2: the location is not same site with
            // the current URL, nor is the request's origin) is "unset-or-less", and the Lax cookie stays home from here on.
            if (request.ChainSameSite && !nextOrigin.IsSameSite(request.CurrentOrigin) && (_topology.OpaqueOrigin || !PageUrlOrigin.IsSameSite(request.CurrentOrigin)))
            {
                Step("determine-the-same-site-mode", "a redirect off another site than the page's makes the redirect-taint cross-site: the same-site mode is unset-or-less, so the SameSite=Lax cookie stays home");
                request.ChainSameSite = false;
            }
            request.Current = next;
            request.CurrentScheme = _topology.Scheme;
            request.HopsLeft--;
            request.Url++;
            Step("http-redirect-fetch", $"redirect {redirect.Status} followed to the {next} origin");
            // "Return the result of running main fetch given fetchParams and recursive": the loop of MainFetchAtEachUrl.
            StepTrace.Took(RedirectAnchor, "22");
        }

        /// <summary>HTTP-redirect fetch step 19: "Invoke set request's referrer policy on redirect on request and
        /// internalResponse." Referrer Policy: "1. Let policy be the result of executing § 8.1 Parse a referrer policy from a
        /// Referrer-Policy header on actualResponse. 2. If policy is not the empty string, then set request's referrer policy to
        /// policy." The next main fetch determines the referrer under it.</summary>
        [FetchAnchor("http-redirect-fetch")]
        [FetchAnchor("concept-request-referrer-policy")]
        private void SetReferrerPolicyOnRedirect(FetchRequest request, RedirectPlan redirect)
        {
            var policy = Referrer.ParsePolicyHeader(Fill(redirect.Headers, SerializedOrigin(request.Tainted), request.CurrentOrigin));
            if (policy != "") request.ReferrerPolicy = policy;
            if (!JudgesReferrer) return;
            StepTrace.Took(RedirectAnchor, "19");
            Step("concept-request-referrer-policy", policy == ""
                ? $"the redirect response sets no referrer policy: the request keeps {request.ReferrerPolicy}"
                : $"the redirect response's Referrer-Policy sets the request's referrer policy to {policy}");
        }

        /// <summary>new Request(), before it looks at the mode: "If init["method"] exists, then: 1. Let method be
        /// init["method"]. 2. If method is not a method or method is a forbidden method, then throw a TypeError." A forbidden
        /// method is "a byte-case-insensitive match for `CONNECT`, `TRACE`, or `TRACK`". fetch() rejects and nothing is sent
        /// (the case reader admits a forbidden method for a single fetch() only). Null for any other method.</summary>
        [FetchAnchor("dom-request")]
        [FetchAnchor("forbidden-method")]
        private Expectation? ForbiddenMethodRefusal(FetchRequest request)
        {
            if (_request.Api != Api.Fetch || !Methods.IsForbidden(_request.Method)) return null;
            StepTrace.Took("dom-request", "25.2");
            Step("forbidden-method", $"'{_request.Method}' is a forbidden method (CONNECT, TRACE or TRACK in any case): new Request() throws a TypeError, and nothing is sent");
            return Result(Outcome.Refused, $"'{_request.Method}' is a forbidden method: fetch() throws before anything is sent", request);
        }

        /// <summary>
        /// A no-cors request as the API builds it: the Request constructor refuses a method that is not CORS-safelisted (the
        /// expectation is then Refused), and the request's Headers keep only no-CORS-safelisted request-headers.
        /// </summary>
        [FetchAnchor("dom-request")]
        [FetchAnchor("concept-headers-append")]
        private Expectation? NoCorsRefusal(FetchRequest request)
        {
            var method = request.Method;
            if (!Methods.IsCorsSafelisted(method))
            {
                if (_request.Api == Api.Fetch) StepTrace.Took("dom-request", "32.1");
                Step("concept-request-mode", $"mode no-cors with method '{method}', which is not CORS-safelisted: new Request() throws a TypeError");
                return Result(Outcome.Refused, $"a no-cors request must use a CORS-safelisted method, not '{method}'", request);
            }
            if (_request.Api == Api.Fetch) StepTrace.Took("dom-request", "32.2");
            // The headers were filled under the guard "request-no-cors" already (AuthorHeaders, NoCorsGuard), before the
            // body's Content-Type, as the Request constructor orders it.
            return null;
        }

        /// <summary>The Request constructor sets a no-cors request's Headers' guard to "request-no-cors", then fills them: each
        /// author header is appended in order, and "To append a header (name, value) to a Headers object headers": "3. If
        /// headers's guard is "request-no-cors": 1. Let temporaryValue be the result of getting name from headers's header
        /// list. 2. If temporaryValue is null, then set temporaryValue to value. 3. Otherwise, set temporaryValue to
        /// temporaryValue, followed by 0x2C 0x20, followed by value. 4. If (name, temporaryValue) is not a no-CORS-safelisted
        /// request-header, then return." So a repeated name is judged by the value it would combine to (two Accept values
        /// over 128 bytes together, two Content-Types that no longer parse as one MIME type), not each on its own. Only then
        /// does the body's type go in: "If type is non-null and this's headers's header list does not contain
        /// `Content-Type`, then append (`Content-Type`, type)" — so a dropped author Content-Type leaves room for it.</summary>
        [FetchAnchor("concept-headers-append")]
        private List<Header> NoCorsGuard(List<Header> headers)
        {
            var kept = new List<Header>();
            var dropped = new List<Header>();
            foreach (var header in headers)
            {
                var temporaryValue = kept.Get(header.Name) is { } existing ? existing + ", " + header.Value : header.Value;
                (RequestHeaders.IsNoCorsSafelisted(header.Name, temporaryValue) ? kept : dropped).Add(header);
            }
            if (dropped.Count > 0)
            {
                StepTrace.Took("concept-headers-append", "3.4");
                Step("no-cors-safelisted-request-header", $"the no-cors request's Headers drop [{string.Join(",", dropped.Select(h => h.Name.ToLowerInvariant()))}], which are not no-CORS-safelisted (a repeated name judged by the value it would combine to)");
            }
            return kept;
        }

        /// <summary>The final response (<see cref="Final"/>); main fetch's step 19, which may still make it a network error,
        /// is applied by <see cref="MainFetch"/> to the response kept here, after the step-12 switch has returned.</summary>
        private Expectation Respond(ResponsePlan plan, string serialized, FetchRequest request)
        {
            var result = Final(plan, serialized, request);
            _finalResponse = result.Outcome == Outcome.Allowed ? plan : null;
            return result;
        }

        /// <summary>The response the request being fetched ended with, when HTTP fetch handed one back (null: a network error,
        /// or a redirect not followed): what main fetch's step 19 judges.</summary>
        private ResponsePlan? _finalResponse;

        /// <summary>Main fetch, step 19: "If response is not a network error and any of the following returns blocked … should
        /// internalResponse to request be blocked due to its MIME type; should internalResponse to request be blocked due to
        /// nosniff, then set response and internalResponse to a network error." Only a script-like or "style" destination can
        /// be blocked so; the response's `Content-Type` is the plan's, else the one the target sends with the initiator's body.
        /// Null: allowed; else why the response is a network error.</summary>
        [FetchAnchor("concept-main-fetch")]
        private string? BlockedByMimeType(ResponsePlan plan)
        {
            var destination = _request.Initiator.Destination;
            if (!MimeTypeChecks.IsScriptLike(destination) && destination != "style") return null;
            StepTrace.Took("concept-main-fetch", "19");
            IReadOnlyList<Header> headers = plan.Headers.Contains(HeaderNames.ContentType)
                ? plan.Headers
                : [.. plan.Headers, new Header(HeaderNames.ContentType, _request.Initiator.Body?.ContentType ?? ServerContract.PlainTextContentType)];
            var blocked = MimeTypeChecks.BlockedDueToMimeType(destination, headers) ?? MimeTypeChecks.BlockedDueToNosniff(destination, headers);
            Step("concept-main-fetch", blocked is null
                ? $"the response's MIME type ({MimeTypeChecks.ExtractMimeEssence(headers) ?? "none"}) does not block a {destination} destination{(MimeTypeChecks.DetermineNosniff(headers) ? ", nosniff included" : "")}"
                : $"{blocked}: a network error, although the server answered");
            return blocked;
        }

        /// <summary>The final response, filtered by the response tainting: basic (every header but Set-Cookie), opaque
        /// (status 0, no headers), or cors (the CORS check, then the CORS filter decides what the page reads).</summary>
        private Expectation Final(ResponsePlan plan, string serialized, FetchRequest request)
        {
            _tainting = request.Tainting;
            if (Unreceivable(plan, "response") is { } lost) return Result(Outcome.Blocked, lost, request);
            StoreCookies(request, plan.Headers);
            var response = Fill(plan.Headers, serialized, request.CurrentOrigin);
            if (CrossOriginResourcePolicyFailure(request, plan.Headers, serialized, "the response") is { } corp) return Result(Outcome.Blocked, corp, request);
            if (request.Tainting == Tainting.Opaque)
            {
                Step("concept-filtered-response-opaque", "the page gets an opaque filtered response: type \"opaque\", status 0, no headers");
                _responseType = "opaque";
                StepTrace.Took("concept-main-fetch", "14.2.opaque");
                StepTrace.Took("concept-filtered-response-opaque", "def");
                return Result(Outcome.Allowed, "mode no-cors: the response is opaque", request,
                    _request.IsElementLike ? null : 0, _request.IsElementLike ? null : []);
            }
            if (request.Tainting == Tainting.Basic)
            {
                StepTrace.Took("concept-main-fetch", "14.2.basic");
                var all = ReadableBasic(response, plan.Status);
                Step("concept-filtered-response-basic", $"a same-origin response is basic (type \"basic\"): the page reads every header but Set-Cookie [{string.Join(", ", all)}]");
                _responseType = "basic";
                return Result(Outcome.Allowed, "the response is same origin: no CORS check applies", request, plan.Status, all);
            }
            if (plan.Status == 401 && _request.UrlIncludesCredentials)
            {
                // HTTP-network-or-cache fetch: "If response's status is 401, httpRequest's response tainting is not "cors",
                // includeCredentials is true, and request's traversable for user prompts is a traversable navigable", the
                // request is fetched again with isAuthenticationFetch true (and the URL's credentials). Not here: the tainting is cors.
                StepTrace.Took("concept-http-network-or-cache-fetch", "15");
                Step("concept-http-network-or-cache-fetch", "a 401 to a request whose response tainting is cors is not retried with the URL's credentials: it goes to the CORS check as it is");
            }
            var check = CorsCheck(serialized, request.Credentials, response);
            Step("concept-cors-check", "response: " + check.Reason);
            if (!check.Ok) return Took("concept-http-fetch", "4.4", Result(Outcome.Blocked, check.Reason, request));
            StepTrace.Took("concept-main-fetch", "14.2.cors");
            var readable = ReadableHeaders(request.Credentials, response, plan.Status);
            Step("concept-filtered-response-cors", $"a CORS filtered response (type \"cors\"): the page can read [{string.Join(", ", readable)}]");
            _responseType = "cors";
            return Result(Outcome.Allowed, "the CORS check passes: " + check.Reason, request, plan.Status, readable);
        }

        /// <summary>HTTP fetch, step 5: "If either request's response tainting or response's type is "opaque", and the
        /// cross-origin resource policy check with request's origin, request's client, request's destination, and
        /// internalResponse returns blocked, then return a network error." It comes after the CORS check of step 4.4 and
        /// before step 6 switches on a redirect status, so a redirect a no-cors request meets is checked too. Null: allowed,
        /// or not checked (the tainting is basic or cors); else why the response is a network error.</summary>
        [FetchAnchor("concept-http-fetch")]
        private string? CrossOriginResourcePolicyFailure(FetchRequest request, IReadOnlyList<Header> headers, string serialized, string what)
        {
            if (request.Tainting != Tainting.Opaque) return null;
            StepTrace.Took("concept-http-fetch", "5");
            var origin = _topology.OpaqueOrigin ? (UrlOrigin?)null : PageUrlOrigin;
            var (allowed, reason) = CrossOriginResourcePolicyCheck(origin, Fill(headers, serialized, request.CurrentOrigin), request.CurrentOrigin);
            Step("cross-origin-resource-policy-check", $"{what} (response tainting opaque): {reason}");
            return allowed ? null : Took("concept-http-fetch", "5", $"{what}: {reason}, a network error");
        }

        /// <summary>CORS-preflight fetch; null on success, else the reason it fails.</summary>
        [FetchAnchor("cors-preflight-fetch-0")]
        private string? Preflight(string method, IReadOnlyList<string> unsafeNames, CredentialsMode credentials, string serialized, int url, bool forced, UrlOrigin at)
        {
            _preflights++;
            // 1. "Let preflight be a new request whose method is `OPTIONS`, … mode is "cors", and response tainting is
            // "cors"" (its credentials mode stays "same-origin": no cookie).
            StepTrace.Took(PreflightAnchor, "1");
            // 2. "Append (`Accept`, `*/*`) to preflight's header list."
            StepTrace.Took(PreflightAnchor, "2");
            // 3. "Append (`Access-Control-Request-Method`, request's method) to preflight's header list."
            StepTrace.Took(PreflightAnchor, "3");
            // 4. "Let headers be the CORS-unsafe request-header names with request's header list." 5. "If headers is not
            // empty": "Let value be the items in headers separated from each other by `,`", and append
            // (`Access-Control-Request-Headers`, value).
            StepTrace.Took(PreflightAnchor, "4");
            if (unsafeNames.Count > 0)
            {
                StepTrace.Took(PreflightAnchor, "5.1");
                StepTrace.Took(PreflightAnchor, "5.2");
            }
            _firstPreflightHeaders ??= unsafeNames.Count > 0 ? string.Join(",", unsafeNames) : string.Empty;
            // 6. "Let response be the result of running HTTP-network-or-cache fetch given a new fetch params whose request is preflight."
            StepTrace.Took(PreflightAnchor, "6");
            // The answer at this URL: each URL a redirect leads to is preflighted on its own, and may be answered otherwise.
            var answer = _plan.PreflightAt(url);
            if (url > 0 && _plan.Redirect?.Preflight is not null) Step("cors-preflight-fetch-0", $"the preflight at the URL of redirect {url} meets that URL's own answer ({answer.Status} [{string.Join("; ", answer.Headers)}])");
            // What reaches the target: the lines above, Access-Control-Request-Headers (steps 4-5), and the request's referrer
            // (step 1: "referrer is request's referrer", which HTTP-network-or-cache fetch 8.11 appends as `Referer`).
            List<Header> headers = PreflightHeaderLines(method, serialized);
            if (unsafeNames.Count > 0) headers.Add(new(HeaderNames.AccessControlRequestHeaders, string.Join(",", unsafeNames)));
            if (_preflightReferer is { } referer) headers.Add(new(HeaderNames.Referer, referer));
            _wire.Add(new WireRequest(IsPreflight: true, "OPTIONS", url, headers));
            if (Unreceivable(answer, "preflight response") is { } lost) return lost;
            if (RetryMisdirected(answer, "the preflight")) _preflights++;
            // HTTP-network fetch stores cookies only "if includeCredentials is true", which a preflight's never is (its
            // credentials mode is "same-origin" and its tainting "cors").
            if (answer.Headers.Any(CorsCase.IsCaseCookie)) Step("concept-http-network-fetch", "the preflight response sets a cookie, but a preflight is fetched without credentials: the Set-Cookie is ignored");
            var judged = JudgePreflightAnswer(answer.Status, Fill(answer.Headers, serialized, at), serialized, credentials, method, unsafeNames, forced);
            Step("concept-cors-check", "preflight response: " + judged.Check.Reason);
            if (judged.Failure is not null)
            {
                if (judged.Why is { } why) Step(why.Anchor, why.Text);
                return judged.Failure;
            }
            var maxAge = judged.MaxAge;
            Step("http-access-control-max-age", $"the preflight passes; cached for {maxAge}s");
            var methods = judged.Methods;
            var names = judged.HeaderNames;
            // 11. "If the user agent does not provide for a cache, then return response." (one of the choices the oracle
            // allows when a request is sent more than once)
            if (_noCache) StepTrace.Took(PreflightAnchor, "7.11");
            // 12–15. For each method (then each header name) with a matching entry, "set matching entry's max-age to
            // max-age"; for each without, "create a new cache entry". An update replaces the matching entries' expiry with
            // the new one, shorter too: an entry set to max-age 0 is gone, whatever it had left ("Cache entries must be
            // removed after the seconds specified in their max-age field have passed"). A method `*` entry is a method
            // cache entry match for every method, so it is the one updated (no entry of the method is made).
            var include = credentials == CredentialsMode.Include;
            foreach (var m in methods)
            {
                var matching = MatchingEntries(at, url, serialized, credentials).Where(e => e.Method == m || e.Method == "*").ToList();
                StepTrace.Took(PreflightAnchor, matching.Count > 0 ? "7.12" : "7.13");
                if (matching.Count > 0) UpdateEntries(matching, maxAge);
                else AddEntry(new CacheEntry(at, url, serialized, include, m, null, _now + maxAge));
            }
            foreach (var h in names)
            {
                var matching = MatchingEntries(at, url, serialized, credentials).Where(e => e.HeaderName is not null && HeaderEntryMatches(e, h)).ToList();
                StepTrace.Took(PreflightAnchor, matching.Count > 0 ? "7.14" : "7.15");
                if (matching.Count > 0) UpdateEntries(matching, maxAge);
                else AddEntry(new CacheEntry(at, url, serialized, include, null, h, _now + maxAge));
            }
            StepTrace.Took(PreflightAnchor, "7.16");
            return null;
        }

        /// <summary>The preflight's header lines a case can observe (<see cref="PreflightRequestHeaders"/>), as the preflight
        /// reaches the server: CORS-preflight fetch made its header list (step 1, a new request: no header of the request's;
        /// step 2, `Accept: */*`; step 3, `Access-Control-Request-Method`; steps 4-5, Access-Control-Request-Headers, which
        /// the verdict's requestHeaders field judges apart), and HTTP-network-or-cache fetch adds to it: 8.12 "Append a request
        /// `Origin` header for httpRequest" (the preflight's response tainting is "cors", so `Origin` is the serialized
        /// request origin), and 8.15 "If httpRequest's header list does not contain `User-Agent`, then user agents should"
        /// append "httpRequest's client's environment default `User-Agent` value" — which the page reads as
        /// navigator.userAgent (HTML: it returns the default `User-Agent` value); whether the user agent does is its choice
        /// (<c>sendsUserAgent</c>). 8.20 "Modify httpRequest's header list per HTTP": "`Accept` … must not be included at
        /// this point", so `Accept` stays `*/*`. Sorted by name, each "name: value".</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        [FetchAnchor("append-a-request-origin-header")]
        private List<Header> PreflightHeaderLines(string method, string serialized)
        {
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.12");
            StepTrace.Took(OriginHeaderAnchor, "2");
            StepTrace.Took(OriginHeaderAnchor, "3");
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.15");
            List<Header> headers =
            [
                new(HeaderNames.Accept, "*/*"),
                new(HeaderNames.AccessControlRequestMethod, method),
                new(HeaderNames.Origin, serialized),
            ];
            if (sendsUserAgent) headers.Add(new(PreflightRequestHeaders.UserAgent, PreflightRequestHeaders.DefaultUserAgent));
            if (@case.ObservesPreflightHeaders)
            {
                var lines = headers.Select(h => PreflightRequestHeaders.Line(h.Name, h.Value));
                Step("cors-preflight-fetch-0", $"the preflight carries {string.Join("; ", lines)}{(sendsUserAgent ? "" : " (the user agent appends no User-Agent, which it should but need not)")} and none of the request's own headers");
            }
            return headers;
        }

        /// <summary>What reached the target of the request being fetched (with its repetitions), in order: what the fields read
        /// from the wire (<see cref="ExtraField{T}.Read"/>) read, as they read the target's journal. A follow-up of
        /// <c>request.then</c> starts afresh.</summary>
        private readonly List<WireRequest> _wire = [];

        /// <summary>The Access-Control-Request-Headers of the first preflight of the request being fetched, with its
        /// repetitions (empty: that preflight had none; null: none yet): a follow-up of <c>request.then</c> starts afresh, as
        /// everything but the preflight count is the last request's.</summary>
        private string? _firstPreflightHeaders;

        /// <summary>"Create a new cache entry": 1. the entry (key, origin, URL, max-age, credentials, method, header name);
        /// 2. "Append entry to the user agent's CORS-preflight cache." An entry whose max-age is 0 expires as it is made.</summary>
        [FetchAnchor("concept-cache-create-entry")]
        private void AddEntry(CacheEntry entry)
        {
            StepTrace.Took("concept-cache-create-entry", "1");
            StepTrace.Took("concept-cache-create-entry", "2");
            _keysMade.Add((entry.Host, entry.Url));
            if (entry.ExpiresAt > _now) _cache.Add(entry);
        }

        /// <summary>CORS-preflight fetch 7.12 and 7.14: "set matching entry's max-age to max-age" — each matching entry now
        /// expires max-age seconds from now (0: at once, so it is removed).</summary>
        private void UpdateEntries(List<CacheEntry> matching, long maxAge)
        {
            foreach (var entry in matching)
            {
                _cache.Remove(entry);
                if (maxAge > 0) _cache.Add(entry with { ExpiresAt = _now + maxAge });
            }
        }

        /// <summary>"There is a cache entry match for a cache entry entry with request if … entry's byte-serialized origin is
        /// the result of byte-serializing a request origin with request, entry's URL is request's current URL, and one of:
        /// entry's credentials is true; entry's credentials is false and request's credentials mode is not "include"." An
        /// entry made for a tainted request (Origin: null, after a cross-origin redirect) serves only requests whose origin
        /// serializes to null there too, and one made for the page's origin never serves them. (The key, the network
        /// partition, is the same for every request of a case: one page.)</summary>
        [FetchAnchor("concept-cache-match")]
        private List<CacheEntry> MatchingEntries(UrlOrigin host, int url, string serializedOrigin, CredentialsMode credentials)
        {
            var entries = _cache.Where(e => e.Host == host && e.Url == url && e.Origin == serializedOrigin && (e.Credentials || credentials != CredentialsMode.Include)).ToList();
            if (entries.Count > 0) StepTrace.Took("concept-cache-match", "def");
            return entries;
        }

        /// <summary>"Header-name cache entry match": "its header name is a byte-case-insensitive match for headerName", or
        /// "its header name is `*` and headerName is not a CORS non-wildcard request-header name". The request's credentials
        /// mode plays no part beyond "cache entry match": a `*` entry made by a credentialed preflight (where `*` was only
        /// the literal name) serves a credentialed request as a wildcard, as the standard words it.</summary>
        [FetchAnchor("concept-cache-match-header")]
        private static bool HeaderEntryMatches(CacheEntry entry, string name) =>
            (entry.HeaderName is not null && entry.HeaderName.Equals(name, StringComparison.OrdinalIgnoreCase))
            || (entry.HeaderName == "*" && !RequestHeaders.IsNonWildcardName(name));

        /// <summary>HTTP fetch's cache test: no preflight if a method cache entry matches (or the method is safelisted)
        /// and every unsafe header name has a header-name cache entry.</summary>
        [FetchAnchor("concept-cache-match-method")]
        private bool CacheCovers(string method, IReadOnlyList<string> unsafeNames, CredentialsMode credentials, UrlOrigin host, int url, string serializedOrigin, bool forced)
        {
            // "cache entry match": the entry's URL is the request's current URL, and "one of: entry's credentials is true;
            // entry's credentials is false and request's credentials mode is not "include"" (an entry made with credentials
            // serves a request without; one made without does not serve a credentialed request).
            var entries = MatchingEntries(host, url, serializedOrigin, credentials);
            // The first repetition never has entries: the case's URL is unique to it.
            if (entries.Count == 0) return false;
            // HTTP fetch: with the use-CORS-preflight flag set, even a safelisted method needs a method cache entry match.
            // "Method cache entry match": an entry with a cache entry match "and its method is method or `*`" — whatever
            // the request's credentials mode (a credentialed preflight's literal `*` serves credentialed requests).
            var methodByEntry = entries.Any(e => e.Method == method || e.Method == "*");
            var methodOk = (!forced && Methods.IsCorsSafelisted(method)) || methodByEntry;
            var headersOk = unsafeNames.All(n => entries.Any(e => HeaderEntryMatches(e, n)));
            if (methodOk && headersOk)
            {
                if (methodByEntry && (forced || !Methods.IsCorsSafelisted(method))) StepTrace.Took("concept-cache-match-method", "def");
                if (unsafeNames.Count > 0) StepTrace.Took("concept-cache-match-header", "def");
            }
            return methodOk && headersOk;
        }

        /// <summary>The request's header list as main fetch reads it: fetch, before main fetch, "If request's header list does
        /// not contain `Accept`, then: Let value be `*/*`. … Otherwise, the user agent should set value to the first matching
        /// statement, if any, switching on request's destination" (none for the empty destination of fetch() and
        /// XMLHttpRequest) and "Append (`Accept`, value) to request's header list" — so `*/*`'s three bytes count toward the
        /// 1024-byte total of CORS-safelisted values. (Left out: an element's destination, whose value is the user agent's
        /// should.) Then "If request's header list does not contain `Accept-Language`, then user agents should append
        /// (`Accept-Language`, an appropriate header value)": where the user agent does (<c>appendsAcceptLanguage</c>), a
        /// CORS-safelisted value of 128 bytes — the length that takes the total furthest. The wire keeps the author headers
        /// alone.</summary>
        [FetchAnchor("cors-unsafe-request-header-names")]
        private IReadOnlyList<Header> HeaderListAtFetch(FetchRequest request)
        {
            var atFetch = request.Headers;
            if (_request.Initiator.Destination == "" && !atFetch.Contains(HeaderNames.Accept)) atFetch = [.. atFetch, new Header(HeaderNames.Accept, "*/*")];
            if (appendsAcceptLanguage && !atFetch.Contains(HeaderNames.AcceptLanguage)) atFetch = [.. atFetch, new Header(HeaderNames.AcceptLanguage, UserAgentAcceptLanguage)];
            if (ReferenceEquals(atFetch, request.Headers)) return atFetch;
            // Where what fetch appended changes nothing (the total stays within 1024 bytes), the author headers alone are
            // read, so the trace is not cluttered with the appended headers' safelisted steps.
            using (StepTrace.Record())
            {
                if (RequestHeaders.UnsafeNames(atFetch).SequenceEqual(RequestHeaders.UnsafeNames(request.Headers))) return request.Headers;
            }
            var appended = atFetch.Skip(request.Headers.Count).ToList();
            Step("cors-unsafe-request-header-names", $"fetch appends {string.Join(" and ", appended.Select(h => h.Name == HeaderNames.Accept ? "Accept: */*" : $"the user agent's Accept-Language ({h.Value.Length} bytes)"))} to the request's header list before main fetch; with {(appended.Count == 1 ? "it" : "them")} the safelisted values total more than 1024 bytes, so every safelisted name is CORS-unsafe too");
            return atFetch;
        }

        /// <summary>An Accept-Language value the user agent may append: CORS-safelisted (only the bytes its safelist admits),
        /// 128 bytes long.</summary>
        private static readonly string UserAgentAcceptLanguage = ("en-US,en;q=0.9," + string.Concat(Enumerable.Range(0, 20).Select(i => $"x{i:D2};q=0.1,"))).Substring(0, RequestHeaders.SafelistedValueLimit);

        /// <summary>The author request headers after the API has added its own: a string body gets
        /// `Content-Type: text/plain;charset=UTF-8` unless the page set one (fetch "extract a body"; XHR send()).</summary>
        private List<Header> AuthorHeaders(string method)
        {
            // Headers' append() and XHR's setRequestHeader() "normalize" the value first: leading and trailing HTTP
            // whitespace is not part of it.
            var normalized = _request.Headers.Select(h => h with { Value = Http.Normalize(h.Value) }).ToList();
            if (!normalized.SequenceEqual(_request.Headers))
            {
                Step("concept-header-value-normalize", "request header values are normalized: the HTTP whitespace around them is removed");
            }
            var headers = normalized.Where(h => !RequestHeaders.IsForbidden(h.Name, h.Value)).ToList();
            if (headers.Count != normalized.Count)
            {
                Step("forbidden-request-header", "forbidden request headers are dropped by the browser");
            }
            // XHR's setRequestHeader() *combines* a repeated name into one entry ("a, b"); fetch's Headers append() keeps
            // separate entries. The difference matters to the 128-byte and 1024-byte safelist limits.
            if (_request.Api == Api.Xhr && headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            {
                headers = headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(g => new Header(g.First().Name, string.Join(", ", g.Select(h => h.Value))))
                    .ToList();
                Step("concept-header-list-combine", "XMLHttpRequest combines repeated request headers into one value");
            }
            // The Request constructor fills a no-cors request's Headers under the guard "request-no-cors" (a method that is
            // not CORS-safelisted throws first), before it appends the body's Content-Type.
            if (_request.Mode == RequestMode.NoCors && Methods.IsCorsSafelisted(method)) headers = NoCorsGuard(headers);
            // XMLHttpRequest send() with a string body (a GET or HEAD sends none): an author Content-Type whose charset is
            // not UTF-8 is parsed, given charset UTF-8, and serialized again — which can drop bytes the safelist refuses
            // (quotes) or shorten it below 128.
            if (_request.Api == Api.Xhr && _request.Body is not null && method is not ("GET" or "HEAD")
                && headers.FindIndex(h => h.Name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)) is var at and >= 0
                && RequestHeaders.XhrUtf8ContentType(headers[at].Value) is { } utf8)
            {
                headers[at] = headers[at] with { Value = utf8 };
                Step("concept-bodyinit-extract", $"XMLHttpRequest send() sets the author Content-Type's charset to UTF-8: Content-Type: {utf8}");
            }
            if (_request.Body is not null && method is not ("GET" or "HEAD") && !headers.Contains(HeaderNames.ContentType))
            {
                // The Request constructor appends it to its Headers, so a no-cors request's guard judges it too (it passes:
                // text/plain is a safelisted MIME type).
                headers = _request.Mode == RequestMode.NoCors && _request.Api == Api.Fetch
                    ? NoCorsGuard([.. headers, new Header(HeaderNames.ContentType, "text/plain;charset=UTF-8")])
                    : [.. headers, new Header(HeaderNames.ContentType, "text/plain;charset=UTF-8")];
                Step("concept-bodyinit-extract", "a string body adds Content-Type: text/plain;charset=UTF-8");
            }
            return headers;
        }

        /// <summary>"Serializing a request origin": 2. "If request's redirect-taint is not "same-origin", then return
        /// "null"." 3. "Return request's origin, serialized" (an opaque origin serializes as "null"). Traced where the
        /// serialization reaches the target, in an `Origin` header (<see cref="SendRequest"/>).</summary>
        [FetchAnchor("serializing-a-request-origin")]
        private string SerializedOrigin(bool tainted) => _topology.OpaqueOrigin || tainted ? "null" : PageOriginToken;


        /// <summary>HTTP-network-or-cache fetch, step 8.10, before anything of the request is sent (and after HTTP fetch's
        /// CORS-preflight fetch, whose own request is not keepalive): "If contentLength is non-null and httpRequest's keepalive
        /// is true, then: … If the sum of contentLength and inflightKeepaliveBytes is greater than 64 kibibytes, then return a
        /// network error." contentLength is the body's length (a string UTF-8 encoded); a redirect that made the request a GET
        /// dropped it. (The page's other keepalive requests in flight, inflightKeepaliveBytes, are the harness's: its beacons
        /// and keepalive fetches carry a few bytes.) Null while within the quota, else why the request is a network error.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private string? KeepaliveQuotaFailure(FetchRequest request)
        {
            if (!_request.IsKeepalive || request.BodyLength is not { } length || length <= RequestSpec.KeepaliveQuota) return null;
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.10");
            Step("concept-http-network-or-cache-fetch", $"the request's keepalive is true and its body is {length} bytes, more than 64 KiB ({RequestSpec.KeepaliveQuota} bytes): a network error, before it is sent");
            return $"a keepalive request's body may not be more than 64 KiB; this one is {length} bytes";
        }

        /// <summary>Beacon, sendBeacon(): "If the amount of data that can be queued to be sent by keepalive enabled requests is
        /// exceeded by the size of transmittedData (as defined in HTTP-network-or-cache fetch), set the return value to false
        /// and terminate these steps." The page's call is refused, and nothing is fetched. Null within the quota.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private Expectation? BeaconOverQuota(FetchRequest request)
        {
            if (_request.Api != Api.Beacon || !_request.OverKeepaliveQuota) return null;
            StepTrace.Took("concept-http-network-or-cache-fetch", "8.10");
            Step("concept-http-network-or-cache-fetch", $"sendBeacon() queues no more than HTTP-network-or-cache fetch lets a keepalive request carry (64 KiB): its {request.BodyLength} bytes are over, so it returns false and nothing is sent");
            return Result(Outcome.Refused, "sendBeacon() refuses data over the 64 KiB keepalive quota", request);
        }

        /// <summary>HTTP-network-or-cache fetch, step 16, on a 407 to the request itself (a preflight's 407 is not an ok status
        /// and fails it whatever comes of this step): "If response's status is 407, then: 1. If request's traversable for
        /// user prompts is "no-traversable", then return a network error. … 4. Prompt the end user as appropriate in
        /// request's traversable for user prompts and store the result as a proxy-authentication entry. 5. Set response to
        /// the result of running HTTP-network-or-cache fetch given fetchParams." A worker's request has no traversable
        /// ("populate request from client" gives one to a Window's request only): a network error. A page's (a frame's too)
        /// is prompted for "as appropriate", and the standard goes no further: a user agent that prompts no one for a proxy's
        /// credentials where no proxy answered ends the fetch with a network error (its choice <c>handsOn407</c> false), and
        /// one whose prompt is dismissed hands the 407 on to the CORS check like any status (true). HTTP-network fetch has
        /// stored its cookies by then. Null: handed on; else why the fetch is a network error.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private string? ProxyAuthenticationFailure(FetchRequest request, ResponsePlan answer)
        {
            StepTrace.Took("concept-http-network-or-cache-fetch", "16");
            if (_topology.Page is PageOrigin.DataWorker or PageOrigin.DataModuleWorker or PageOrigin.DataSharedWorker)
            {
                StepTrace.Took("concept-http-network-or-cache-fetch", "16.1");
                Step("concept-http-network-or-cache-fetch", "a 407 to a worker's request, which has no traversable for user prompts (\"no-traversable\"): a network error");
                StoreCookies(request, answer.Headers);
                return "a 407 (Proxy Authentication Required) to a request with no traversable for user prompts is a network error";
            }
            if (handsOn407)
            {
                Step("concept-http-network-or-cache-fetch", "a 407: the user agent prompts as appropriate, the prompt gives no credentials, and the 407 goes on as the response");
                return null;
            }
            Step("concept-http-network-or-cache-fetch", "a 407 from a server that is no proxy: the user agent prompts for no proxy credentials, and the fetch ends with a network error");
            StoreCookies(request, answer.Headers);
            return "a 407 (Proxy Authentication Required): the user agent asked for no proxy credentials, a network error";
        }

        /// <summary>HTTP-network-or-cache fetch, step 17: "If all of the following are true: response's status is 421;
        /// isNewConnectionFetch is false; request's body is null, or request's body is non-null and request's body's source
        /// is non-null, then: … Set response to the result of running HTTP-network-or-cache fetch given fetchParams,
        /// isAuthenticationFetch, and true." A string body's source is that string, so every request a case sends qualifies:
        /// the request that was just answered 421 (a preflight, or the request itself at this hop) reaches the target once
        /// more, over a new connection, and that second answer — the same one — is final (isNewConnectionFetch is true).
        /// A response HTTP-network fetch refused (a 1xx, a NUL) is a network error, not a 421. True when it was retried.</summary>
        [FetchAnchor("concept-http-network-or-cache-fetch")]
        private bool RetryMisdirected(ResponsePlan answer, string what)
        {
            if (answer.Status != 421 || HeaderValues.NetworkError(answer.Status, answer.Headers) is not null) return false;
            StepTrace.Took("concept-http-network-or-cache-fetch", "17");
            _wire.Add(_wire[^1]);
            Step("concept-http-network-or-cache-fetch", $"{what} is answered 421 (Misdirected Request) on a connection that was not new: it is sent once more, on a new connection, and that answer is final");
            return true;
        }

        /// <summary>The response's header list as the browser holds it: the plan's placeholders filled the way the target
        /// fills them ({echo} reflects the Origin the request carries), each value normalized as HTTP parsing leaves it.</summary>
        private IReadOnlyList<Header> Fill(IReadOnlyList<Header> headers, string serialized, UrlOrigin at) =>
            FillResponse(headers, serialized, at, _topology.Scheme);

        /// <summary>See <see cref="Fill(IReadOnlyList{Header}, string, UrlOrigin)"/>: the page's origin and host are spelled out with
        /// the page's real host name and a mark for the run's port (<see cref="PageAddress"/>), so a value that builds them
        /// from parts (<c>http://{host}</c>, <c>http://www.{host-parent}</c>) is the page's origin exactly when its bytes are;
        /// then written back with the placeholders (<c>{origin}</c>), which is what the CORS check compares and a step reads.</summary>
        internal static IReadOnlyList<Header> FillResponse(IReadOnlyList<Header> headers, string serialized, UrlOrigin at, Scheme pageScheme)
        {
            // Symbols the CORS check can only compare: the target's own origin is the page's origin at the page's own
            // place, and another origin (never `*`, `null` or the page's) elsewhere; a URL is never an origin.
            var values = new PlaceholderValues(PageAddress.Origin(pageScheme), serialized, PageAddress.Host,
                at.IsSameOrigin(new UrlOrigin(Place.Page, pageScheme)) ? PageOriginToken
                    : at.Scheme == pageScheme ? $"{{{at.Place.ToString().ToLowerInvariant()}-origin}}"
                    : $"{{{at.Place.ToString().ToLowerInvariant()}-{at.Scheme.ToString().ToLowerInvariant()}-origin}}",
                Placeholders.PageUrl, Placeholders.TargetUrl);
            return headers.Select(h => h with { Value = PageAddress.Symbolic(HeaderValues.Received(Placeholders.Fill(h.Value, values)), pageScheme) }).ToList();
        }

        /// <summary>HTTP-network fetch: why a response as the target sends it is a network error before fetch reads it (an
        /// interim status, a NUL in a value; see <see cref="HeaderValues.NetworkError"/>), else null.</summary>
        private string? Unreceivable(ResponsePlan response, string what)
        {
            if (HeaderValues.NetworkError(response.Status, response.Headers) is not { } error) return null;
            Step("concept-http-network-fetch", $"{what}: {error}: a network error");
            return error;
        }

        /// <summary>The expectation once the request ends: what reached the target last, and what the page got.</summary>
        private Expectation Result(Outcome outcome, string reason, FetchRequest request, int? status = null, IReadOnlyList<string>? readable = null)
        {
            // The URL list: the request's own URL, and one more for each redirect followed ("Append locationURL to
            // request's URL list", HTTP-redirect fetch).
            _handed = new PageView(outcome, _responseType, request.Url + 1, status);
            return new Expectation(outcome, _preflights, request.ActualSent, request.SentOrigin,
                string.IsNullOrEmpty(_firstPreflightHeaders) ? null : _firstPreflightHeaders,
                request.SentCredentials, status, readable, reason, [])
            {
                Extra = ObservedFields.ReadFromWire(@case, new Wire([.. _wire]), ObservedValues.None),
            };
        }

        /// <summary>What the page was handed at the end of the last request (<see cref="Result"/> sets it).</summary>
        private PageView _handed = new(Outcome.Blocked, null, 1, null);

        /// <summary>A CORS-preflight cache entry: its URL (which of the case's), the byte-serialized origin of the request
        /// whose preflight made it (the page's, or "null" when opaque or tainted), credentials, method or header name, and
        /// when its max-age has passed (seconds on the oracle's clock).</summary>
        /// <remarks>A URL of the case is its host and its place in the redirect chain (every request of a case has the same
        /// token and plan): requests of a sequence sent to other hosts have URLs of their own.</remarks>
        private sealed record CacheEntry(UrlOrigin Host, int Url, string Origin, bool Credentials, string? Method, string? HeaderName, double ExpiresAt);

        /// <summary>Fetch's request as it travels from step to step: what the algorithm has changed so far, and what of it
        /// last reached the target.</summary>
        private sealed class FetchRequest
        {
            public required string Method { get; set; }

            public required List<Header> Headers { get; set; }

            public required CredentialsMode Credentials { get; init; }

            /// <summary>The length of the request's body in bytes; null for none (a redirect to GET sets it to null).</summary>
            public int? BodyLength { get; set; }

            /// <summary>The use-CORS-preflight flag (set by an XHR upload listener).</summary>
            public required bool UseCorsPreflight { get; init; }

            /// <summary>Where the request's current URL is.</summary>
            public required Place Current { get; set; }

            /// <summary>The scheme of the request's current URL: the target's for its own URL, the page's after a redirect.</summary>
            public required Scheme CurrentScheme { get; set; }

            /// <summary>The origin of the request's current URL.</summary>
            public UrlOrigin CurrentOrigin => new(Current, CurrentScheme);

            /// <summary>Whether every URL so far is same-site with the page (the SameSite=Lax cookie can travel).</summary>
            public required bool ChainSameSite { get; set; }

            /// <summary>Whether the request's current URL is a data: URL (its own: a redirect to one never gets this far).</summary>
            public required bool CurrentIsData { get; init; }

            /// <summary>The request's own URL is an about: or blob: URL (no redirect ever leads to one: HTTP-redirect fetch
            /// refuses a location that is not HTTP(S)).</summary>
            public required LocalUrl? Local { get; init; }

            /// <summary>Redirects the target will still answer with.</summary>
            public required int HopsLeft { get; set; }

            /// <summary>The request's response tainting: basic until a URL is not same origin with the request's origin.</summary>
            public Tainting Tainting { get; set; } = Tainting.Basic;

            /// <summary>Whether main fetch took the branch that runs HTTP fetch with makeCORSPreflight true, at any URL.</summary>
            public bool CorsWithPreflight { get; set; }

            /// <summary>The request's tainted origin flag.</summary>
            public bool Tainted { get; set; }

            /// <summary>Which URL of the case: 0 the request's own, each redirect a new one (the preflight cache is keyed by URL).</summary>
            public int Url { get; set; }

            public bool ActualSent { get; set; }

            public string? SentOrigin { get; set; }

            public bool SentCredentials { get; set; }

            /// <summary>HTTP-network-or-cache fetch's includeCredentials for the last request that reached the target.</summary>
            public bool IncludeCredentials { get; set; }

            /// <summary>Whether the last request that reached the target carried the case's own cookie.</summary>
            public bool SentCaseCookie { get; set; }

            /// <summary>Whether the last request that reached the target carried an `Authorization` header.</summary>
            public bool SentAuthorization { get; set; }

            /// <summary>The request's referrer: "no-referrer" as null; else a URL at the page's origin — the path the request
            /// starts with (the page's own for "client"), then what determine request's referrer returned, serialized.</summary>
            public string? Referrer { get; set; }

            /// <summary>The request's referrer policy; empty until main fetch gives it the page's.</summary>
            public required string ReferrerPolicy { get; set; }

            /// <summary>The Referer the last request that reached the target carried; null for none.</summary>
            public string? SentReferer { get; set; }
        }
    }
}

/// <summary>Fetch's "response tainting" of a request: what kind of filtered response the page gets.</summary>
[FetchAnchor("concept-request-response-tainting")]
internal enum Tainting
{
    Basic,
    Cors,
    Opaque,
}

/// <summary>The outcome of a check, with the reason in the standard's terms.</summary>
public sealed record CheckResult(bool Ok, string Reason)
{
    public static CheckResult Pass(string reason) => new(true, reason);

    public static CheckResult Fail(string reason) => new(false, reason);
}

/// <summary>What CORS-preflight fetch steps 7–8 make of a preflight's answer (<see cref="Oracle.JudgePreflightAnswer"/>): the
/// CORS check, why the preflight fails (null when it passes) with the oracle's step note, and for a passing one the methods
/// and header names it lists and the max-age it is cached for.</summary>
public sealed record PreflightAnswer(CheckResult Check, string? Failure, PreflightNote? Why, IReadOnlyList<string> Methods, IReadOnlyList<string> HeaderNames, long MaxAge);

/// <summary>A note for the oracle's step log: the anchor it is under and what it says.</summary>
public sealed record PreflightNote(string Anchor, string Text);
