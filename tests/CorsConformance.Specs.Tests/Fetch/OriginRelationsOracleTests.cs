using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>The page's host at another port and targets over the other scheme: HTML's "same origin" (scheme, host and
/// port) decides whether the CORS protocol applies, HTML's "same site" (scheme and registrable domain) whether the
/// SameSite=Lax cookie travels.</summary>
public sealed class OriginRelationsOracleTests
{
    private static readonly Topology SameHost = new(Target: Place.SameHost);
    private static readonly Topology SameHostHttps = new(Target: Place.SameHost) { TargetSchemeOverride = Scheme.Https };
    private static readonly Topology SameSiteHttps = new(Target: Place.SameSite) { TargetSchemeOverride = Scheme.Https };
    private static readonly Topology HttpsPageSameHost = new(Target: Place.SameHost, Scheme: Scheme.Https);

    [TestCase(Place.Page, Scheme.Http, Place.Page, Scheme.Http, true)]
    [TestCase(Place.Page, Scheme.Http, Place.SameHost, Scheme.Http, false)]
    [TestCase(Place.Page, Scheme.Http, Place.Page, Scheme.Https, false)]
    [TestCase(Place.SameSite, Scheme.Https, Place.SameSite, Scheme.Https, true)]
    public void Same_origin_is_scheme_host_and_port(Place a, Scheme sa, Place b, Scheme sb, bool same) =>
        // HTML: "If A and B are both tuple origins and their schemes, hosts, and port are identical, then return true."
        Assert.That(new UrlOrigin(a, sa).IsSameOrigin(new UrlOrigin(b, sb)), Is.EqualTo(same));

    [TestCase(Place.SameHost, Scheme.Http, true, true)]
    [TestCase(Place.SameSite, Scheme.Http, true, true)]
    [TestCase(Place.SameHost, Scheme.Https, true, false)]
    [TestCase(Place.SameSite, Scheme.Https, true, false)]
    [TestCase(Place.CrossSite, Scheme.Http, false, false)]
    [TestCase(Place.CrossSite, Scheme.Https, false, false)]
    public void Same_site_compares_schemes_and_schemelessly_same_site_does_not(Place place, Scheme scheme, bool schemelessly, bool sameSite)
    {
        // HTML "same site": "If A's and B's scheme values are different, then return false. If A and B are schemelessly same
        // site, then return true." "Schemelessly same site": "If hostA's registrable domain equals hostB's registrable domain
        // and is non-null, then return true."
        var page = new UrlOrigin(Place.Page, Scheme.Http);
        var url = new UrlOrigin(place, scheme);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.IsSchemelesslySameSite(page), Is.EqualTo(schemelessly));
            Assert.That(url.IsSameSite(page), Is.EqualTo(sameSite));
        }
    }

    [Test]
    public void A_cookie_is_the_hosts_whatever_the_port_or_scheme()
    {
        var page = new UrlOrigin(Place.Page, Scheme.Http);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new UrlOrigin(Place.SameHost, Scheme.Https).SharesCookiesWith(page), Is.True);
            Assert.That(new UrlOrigin(Place.SameSite, Scheme.Http).SharesCookiesWith(page), Is.False);
        }
    }

    [TestCaseSource(nameof(OtherOrigins))]
    public void A_GET_to_the_pages_host_at_another_port_or_over_https_is_a_cors_request(Topology origins)
    {
        // main fetch: only "request's current URL's origin is same origin with request's origin" skips the CORS protocol.
        var blocked = Oracle.Expect(Case(Request(), origins: origins));
        var allowed = Oracle.Expect(Case(Request(), actual: Ok(Acao()), origins: origins));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blocked.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(blocked.Origin, Is.EqualTo(Oracle.PageOriginToken));
            Assert.That(blocked.Preflights, Is.Zero);
            Assert.That(allowed.Outcome, Is.EqualTo(Outcome.Allowed));
        }
    }

    [TestCaseSource(nameof(OtherOrigins))]
    public void The_targets_own_origin_in_Access_Control_Allow_Origin_is_not_the_pages(Topology origins) =>
        Assert.That(Oracle.Expect(Case(Request(), actual: Ok(Acao(Placeholders.TargetOrigin)), origins: origins)).Outcome, Is.EqualTo(Outcome.Blocked));

    private static IEnumerable<Topology> OtherOrigins() => [SameHost, SameHostHttps, SameSiteHttps, HttpsPageSameHost];

    [Test]
    public void The_SameSite_cookie_travels_to_the_pages_host_at_another_port()
    {
        // Fetch, "determine the same-site mode": a request from the top-level page (no cross-site ancestor) whose redirect-taint
        // is not "cross-site" is "strict-or-less", so retrieve cookies gives it the SameSite=Lax cookie.
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao(), Acac()), origins: SameHost));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { true }));
    }

    [TestCaseSource(nameof(OverTheOtherScheme))]
    public void Over_the_other_scheme_the_SameSite_cookie_may_travel_or_not(Topology origins)
    {
        // Fetch, "determine the same-site mode" compares no schemes: the page's request, not redirected, is "strict-or-less",
        // so the cookie travels unless "the user agent is configured to disable cookies for request" (its third-party cookie
        // policy, which may count an https URL of the page's site as third-party: schemeful same-site). Both conform.
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao(), Acac()), origins: origins));
        Assert.That(AllowedCookies(expected), Is.EquivalentTo(new[] { false, true }));
    }

    private static IEnumerable<Topology> OverTheOtherScheme() => [SameHostHttps, SameSiteHttps];

    [Test]
    public void Over_the_other_scheme_to_another_site_the_SameSite_cookie_never_travels()
    {
        var crossSiteHttps = new Topology(Target: Place.CrossSite) { TargetSchemeOverride = Scheme.Https };
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao(), Acac()), origins: crossSiteHttps));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { false }));
    }

    [Test]
    public void After_a_redirect_from_the_other_scheme_back_to_the_pages_site_the_SameSite_cookie_never_travels()
    {
        // redirect-taint 4.2: the page's URL is not same site with the https URL (schemes differ), nor is the request's origin,
        // so the redirect-taint is "cross-site" and the same-site mode "unset-or-less": the Lax cookie stays home.
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), redirect: new RedirectPlan(302, Place.SameSite, 1, [Acao(), Acac()]), actual: Ok(Acao(), Acac()), origins: SameHostHttps));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { false }));
    }

    [Test]
    public void From_an_opaque_origin_over_the_other_scheme_the_SameSite_cookie_never_travels()
    {
        // A sandboxed frame has a cross-site ancestor: "determine the same-site mode" gives "unset-or-less".
        var nullPage = new Topology(Target: Place.SameHost, Page: PageOrigin.Null) { TargetSchemeOverride = Scheme.Https };
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao("null"), Acac()), origins: nullPage));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { false }));
    }

    [TestCase(PageOrigin.DataWorker)]
    [TestCase(PageOrigin.DataModuleWorker)]
    public void From_a_data_worker_the_SameSite_cookie_may_travel_to_the_pages_site_or_not(PageOrigin page)
    {
        // A dedicated worker's site is its creator's: RFC 6265bis ("Worker-based requests": a dedicated worker's site for
        // cookies is its document's) and HTML's proposed has cross-site ancestor (the creator's, whatwg/html#11133), which
        // Fetch's "determine the same-site mode" reads: the page's request is "strict-or-less" though the worker's origin is
        // opaque. Chromium and Firefox keep the cookie home (their cookie policy for an opaque context), WebKitGTK sends it.
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao("null"), Acac()), origins: new Topology(Page: page)));
        Assert.That(AllowedCookies(expected), Is.EquivalentTo(new[] { false, true }));
    }

    [TestCase(PageOrigin.DataWorker, Place.CrossSite)]
    [TestCase(PageOrigin.Null, Place.SameSite)]
    [TestCase(PageOrigin.DataFrame, Place.SameSite)]
    [TestCase(PageOrigin.DataSharedWorker, Place.SameSite)]
    public void From_an_opaque_frame_a_shared_worker_or_to_another_site_the_SameSite_cookie_never_travels(PageOrigin page, Place target)
    {
        // A sandboxed or data: frame has a cross-site ancestor (its opaque origin is same site with no ancestor's): the
        // same-site mode is "unset-or-less". A data: shared worker is bound to no one document; another site's cookie is
        // third-party, which the harness blocks in every engine.
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), actual: Ok(Acao("null"), Acac()), origins: new Topology(Page: page, Target: target)));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { false }));
    }

    [Test]
    public void From_a_data_worker_a_redirect_off_the_pages_site_keeps_the_cookie_home()
    {
        // redirect-taint 4.2: the request's origin (opaque) is same site with no URL, so a hop from the cross-site URL back to
        // the page's site is "cross-site": "unset-or-less".
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include), redirect: new RedirectPlan(302, Place.SameSite, 1, [Acao("null"), Acac()]), actual: Ok(Acao("null"), Acac()), origins: new Topology(Page: PageOrigin.DataWorker, Target: Place.CrossSite)));
        Assert.That(AllowedCookies(expected), Is.EqualTo(new[] { false }));
    }

    private static bool[] AllowedCookies(Expectation expected) =>
        expected.Alternatives.Prepend(expected).Select(e => e.CredentialsSent).Distinct().Order().ToArray();

    [Test]
    public void Credentials_mode_same_origin_sends_no_cookie_to_the_pages_host_at_another_port()
    {
        // HTTP-network-or-cache fetch: includeCredentials is true for "same-origin" only when the response tainting is "basic".
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.SameOrigin), actual: Ok(Acao()), origins: SameHost));
        Assert.That(expected.CredentialsSent, Is.False);
    }

    [Test]
    public void A_redirect_from_an_https_target_back_to_the_page_taints_the_origin()
    {
        // HTTP-redirect fetch sets the tainted origin flag only when the request's origin is not same origin with the current
        // URL's origin and the location is another origin: from the https target back to the page, it is set (the https
        // target is not the request's origin), so the Origin at the page is null, and the tainting stays cors.
        var expected = Oracle.Expect(Case(Request(), redirect: new RedirectPlan(302, Place.Page, 1, [Acao("*")]), actual: Ok(Acao("*")), origins: SameHostHttps));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(expected.Origin, Is.EqualTo("null"));
        }
    }
}
