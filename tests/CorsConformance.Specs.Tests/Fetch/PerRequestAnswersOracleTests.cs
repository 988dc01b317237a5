using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Answers that differ from one request of a sequence to the next (<see cref="ServerPlan.Then"/>) and from the
/// request's own URL to the URLs a redirect leads to (<see cref="RedirectPlan.Preflight"/>): each request is modelled against
/// its own answers, with the preflight cache and the cookies carried over.</summary>
public sealed class PerRequestAnswersOracleTests
{
    private static readonly Header AllowsPut = H(HeaderNames.AccessControlAllowMethods, "PUT");
    private static readonly Header Cached = H(HeaderNames.AccessControlMaxAge, "600");
    private static readonly Header SetsCookie = H(HeaderNames.SetCookie, Placeholders.CaseCookie + "=1; Path=/; SameSite=Lax");

    /// <summary>A PUT allowed by a cacheable preflight, then <paramref name="next"/>, whose own answers are <paramref name="second"/>.</summary>
    private static CorsCase PutThen(FollowUp next, ServerPlan? second)
    {
        var @case = Case(Request("PUT") with { Then = [next] }, preflight: Ok(Acao(), AllowsPut, Cached), actual: Ok(Acao()));
        return second is null ? @case : @case with { Server = @case.Server with { Then = [second] } };
    }

    private static ServerPlan SecondPreflight(CorsCase first, params Header[] headers) => first.Server with { Preflight = Ok([Acao(), .. headers, Cached]) };

    // HTTP fetch: "If makeCORSPreflight is true and one of these conditions is true: … There is at least one item in the
    // CORS-unsafe request-header names with request's header list for which there is no header-name cache entry match using
    // request", then "Let preflightResponse be the result of running CORS-preflight fetch given request." The PUT's entry
    // names no header: the PUT with X-Test is preflighted again, and that preflight's own answer decides.
    [Test]
    public void A_follow_up_with_a_header_no_entry_matches_is_preflighted_again_and_judged_by_its_own_answer()
    {
        var next = new FollowUp("PUT", [H("X-Test", "1")], CredentialsMode.SameOrigin);
        var sameAnswer = PutThen(next, null);
        var ownAnswer = PutThen(next, SecondPreflight(sameAnswer, AllowsPut, H(HeaderNames.AccessControlAllowHeaders, "X-Test")));
        var refused = Oracle.Expect(sameAnswer);
        var allowed = Oracle.Expect(ownAnswer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((Outcome.Blocked, 2)), refused.Reason);
            Assert.That(allowed.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((Outcome.Allowed, 2)), allowed.Reason);
            Assert.That(allowed.Steps, Has.Some.Contains("meets the server's answers for follow-up 1"));
            Assert.That(allowed.Trace.Select(t => t.Id), Does.Contain("concept-http-fetch/4.1.1"));
        }
    }

    // "There is a method cache entry match for method using request when there is a cache entry in the user agent's
    // CORS-preflight cache for which there is a cache entry match with request and its method is method or `*`." The entry
    // is PUT's: XMETHOD has none, so it is preflighted again, and the second answer allows it.
    [Test]
    public void A_follow_up_with_a_method_no_entry_matches_is_preflighted_again_and_judged_by_its_own_answer()
    {
        var next = new FollowUp("XMETHOD", [], CredentialsMode.SameOrigin);
        var first = PutThen(next, null);
        var expected = Oracle.Expect(PutThen(next, SecondPreflight(first, H(HeaderNames.AccessControlAllowMethods, "XMETHOD"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((Outcome.Allowed, 2)), expected.Reason);
            Assert.That(Oracle.Expect(first).Outcome, Is.EqualTo(Outcome.Blocked), "with the case's own answer, XMETHOD is not allowed");
        }
    }

    // A follow-up that the first request's entries cover is not preflighted, whatever its own preflight answer would say:
    // "Cache entries must be removed after the seconds specified in their max-age field have passed since storing the entry.
    // Cache entries may be removed before that moment arrives." — so its answer matters only where the entry went early.
    [Test]
    public void A_follow_up_the_cache_covers_may_skip_its_own_refusing_preflight()
    {
        var next = new FollowUp("PUT", [], CredentialsMode.SameOrigin);
        var first = PutThen(next, null);
        var expected = Oracle.Expect(PutThen(next, first.Server with { Preflight = Ok(Acao()) }));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.EquivalentTo(new[] { (Outcome.Allowed, 1), (Outcome.Blocked, 2) }), expected.Reason);
    }

    // CORS-preflight fetch 7.12: "For each method in methods for which there is a method cache entry match using request, set
    // matching entry's max-age to max-age." A PUT cached for 600 s, then a PUT with X-A whose own preflight allows PUT with
    // Access-Control-Max-Age 0: the PUT entry's max-age is now 0, and "Cache entries must be removed after the seconds
    // specified in their max-age field have passed", so a third PUT is preflighted again (and its answer, which allows no
    // method, refuses it). The 600 s the first entry had left do not survive the update.
    [Test]
    public void An_entry_a_later_preflight_sets_to_max_age_zero_no_longer_serves()
    {
        var second = new FollowUp("PUT", [H("X-A", "1")], CredentialsMode.SameOrigin);
        var third = new FollowUp("PUT", [], CredentialsMode.SameOrigin);
        var @case = Case(Request("PUT") with { Then = [second, third] }, preflight: Ok(Acao(), AllowsPut, Cached), actual: Ok(Acao()));
        var zero = @case.Server with { Preflight = Ok(Acao(), AllowsPut, H(HeaderNames.AccessControlAllowHeaders, "X-A"), H(HeaderNames.AccessControlMaxAge, "0")) };
        var refusing = @case.Server with { Preflight = Ok(Acao()) };
        var expected = Oracle.Expect(@case with { Server = @case.Server with { Then = [zero, refusing] } });
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((Outcome.Blocked, 3)), expected.Reason);
    }

    // HTTP-redirect fetch ends "Return the result of running main fetch given fetchParams and true": at the location URL the
    // request is preflighted again ("There is a cache entry match … if … entry's URL is request's current URL"), and that
    // URL's own answer decides: a header the first preflight allowed may be refused there.
    [TestCase(301)]
    [TestCase(303)]
    [TestCase(308)]
    public void A_redirected_request_is_preflighted_at_the_new_URL_and_judged_by_its_answer(int status)
    {
        var redirect = new RedirectPlan(status, Place.SameSite, 1, [Acao()]);
        var allowsHeader = Ok(Acao(), H(HeaderNames.AccessControlAllowHeaders, "X-Test"));
        var request = Request(headers: H("X-Test", "1"));
        var refused = Oracle.Expect(Case(request, preflight: allowsHeader, actual: Ok(Acao()), redirect: redirect with { Preflight = Ok(Acao()) }));
        var allowed = Oracle.Expect(Case(request, preflight: allowsHeader, actual: Ok(Acao()), redirect: redirect with { Preflight = allowsHeader }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((refused.Outcome, refused.Preflights), Is.EqualTo((Outcome.Blocked, 2)), refused.Reason);
            Assert.That(refused.Reason, Does.Contain("x-test"));
            Assert.That(refused.Steps, Has.Some.Contains("the preflight at the URL of redirect 1 meets that URL's own answer"));
            Assert.That((allowed.Outcome, allowed.Preflights), Is.EqualTo((Outcome.Allowed, 2)), allowed.Reason);
        }
    }

    /// <summary>A credentialed GET to the same-site target, redirected (301) to the page's own origin; then the same request,
    /// whose answers set no cookie. The first request's redirect sets the cookie at the first host, and its final answer at the
    /// page's when <paramref name="atBoth"/>.</summary>
    private static CorsCase CookiesThenRedirect(bool atBoth)
    {
        var redirect = new RedirectPlan(301, Place.Page, 1, [Acao(), Acac(), SetsCookie]);
        var first = Case(Request(credentials: CredentialsMode.Include) with { Then = [new FollowUp("GET", [], CredentialsMode.Include)] },
            actual: Ok([Acao(Placeholders.Echo), Acac(), .. atBoth ? [SetsCookie] : Array.Empty<Header>()]), redirect: redirect);
        return first with { Server = first.Server with { Then = [first.Server with { Actual = Ok(Acao(Placeholders.Echo), Acac()), Redirect = redirect with { Headers = [Acao(), Acac()] } }] } };
    }

    // HTTP-network fetch stores the cookies of a credentialed response for "request's current URL" (each host its own), and
    // HTTP-network-or-cache fetch sends with a credentialed request the cookies of its current URL: across the steps of the
    // sequence the store carries over, so the redirected request carries at the page's origin only the cookie that origin set.
    [Test]
    public void Cookies_set_on_two_hosts_by_one_request_travel_on_a_later_redirected_request_to_their_own_host_only()
    {
        var both = Oracle.Expect(CookiesThenRedirect(atBoth: true));
        var firstOnly = Oracle.Expect(CookiesThenRedirect(atBoth: false));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(both.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.EquivalentTo(new bool?[] { true, false }), "stored, or blocked by the cookie policy");
            Assert.That(both.Allowed.Select(e => e.Origin), Is.All.EqualTo("null"), "the redirect from another origin to the page's taints the origin");
            Assert.That(firstOnly.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.All.False, "the first host's cookie is host-only");
        }
    }

    // HTTP-network fetch stores a credentialed response's cookies for "request's current URL", and a cookie set without a
    // Domain is host-only: a later credentialed request of the sequence carries it back to that host, and to no other.
    [TestCase(Place.Page, Place.SameSite, false)]
    [TestCase(Place.SameSite, Place.Page, false)]
    [TestCase(Place.SameSite, Place.CrossSite, false)]
    [TestCase(Place.SameSite, Place.SameSite, true)]
    public void A_cookie_set_at_one_host_travels_only_back_to_that_host(Place first, Place then, bool carried)
    {
        var expected = Oracle.Expect(Case(Request(credentials: CredentialsMode.Include) with { Then = [new FollowUp("GET", [], CredentialsMode.Include) { Target = then }] },
            actual: Ok(Acao(), Acac(), SetsCookie), origins: new Topology(Target: first)));
        Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), carried ? Is.EquivalentTo(new bool?[] { true, false }) : Is.All.False, expected.Reason);
    }

    // "There is a cache entry match … if … entry's URL is request's current URL": a follow-up sent to another host has a URL
    // of its own, so the first request's entry does not serve it.
    [Test]
    public void A_follow_up_to_another_host_is_not_served_by_the_first_host_s_cache_entry()
    {
        var put = new FollowUp("PUT", [], CredentialsMode.SameOrigin);
        CorsCase Sequence(FollowUp next) => Case(Request("PUT") with { Then = [next] }, preflight: Ok(Acao(), AllowsPut, Cached), actual: Ok(Acao()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(Sequence(put with { Target = Place.CrossSite })).Allowed.Select(e => e.Preflights), Is.All.EqualTo(2));
            Assert.That(Oracle.Expect(Sequence(put)).Allowed.Select(e => e.Preflights), Is.EquivalentTo(new[] { 1, 2 }));
        }
    }

    // "Cache entries may be removed before that moment arrives": each entry on its own, so where a sequence is redirected the
    // entries of one URL may go while another's stay — the second request is then preflighted at that URL only.
    [Test]
    public void Where_requests_are_redirected_each_URL_s_entries_may_be_removed_on_their_own()
    {
        var redirect = new RedirectPlan(307, Place.SameSite, 1, [Acao()]);
        var allows = Ok(Acao(), AllowsPut, Cached);
        var expected = Oracle.Expect(Case(Request("PUT") with { Then = [new FollowUp("PUT", [], CredentialsMode.SameOrigin)] }, preflight: allows, actual: Ok(Acao()), redirect: redirect));
        using (Assert.EnterMultipleScope())
        {
            // Three preflights two ways, told apart by the URL whose preflight the follow-up needed (preflightOrigins names its hop).
            Assert.That(expected.Allowed.Select(e => e.Preflights), Is.EquivalentTo(new[] { 2, 3, 3, 4 }));
            Assert.That(expected.Allowed.Where(e => e.Preflights == 3).Select(e => string.Join("; ", e.Get(ObservedFields.PreflightOrigins)!)),
                Is.EquivalentTo(new[] { "hop 0: {origin}", "hop 1: {origin}" }), "the follow-up preflighted again at one URL of its chain");
            Assert.That(expected.Allowed.Select(e => e.Choice), Has.Some.Contains("lost the entries of some of the chain's URLs before request 2"));
        }
    }
}
