using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Cookies a response sets, and whether a later request of the case carries them back. HTTP-network fetch: "If
/// includeCredentials is true and the user agent is not configured to block cookies for request …, then run the
/// "set-cookie-string" parsing algorithm … on the value of each header whose name is a byte-case-insensitive match for
/// `Set-Cookie` in response's header list".</summary>
public sealed class SetCookieOracleTests
{
    private static readonly Header SetsCookie = H(HeaderNames.SetCookie, Placeholders.CaseCookie + "=1; Path=/; SameSite=Lax");

    private static CorsCase FirstThenInclude(CredentialsMode first, Place target = Place.SameSite, params Header[] actual) =>
        Case(Request(credentials: first) with { Then = [new FollowUp("GET", [], CredentialsMode.Include, null, 0)] },
            actual: Ok([.. actual.Length > 0 ? actual : [Acao(), Acac()], SetsCookie]), origins: new Topology(Target: target));

    // "includeCredentials be true if request's credentials mode is "include", or request's credentials mode is "same-origin"
    // and request's response tainting is "basic"": omit never, same-origin not across origins. The cookie is not stored,
    // in every behaviour the standard allows.
    [TestCase(CredentialsMode.Omit)]
    [TestCase(CredentialsMode.SameOrigin)]
    public void A_response_fetched_without_credentials_sets_no_cookie(CredentialsMode first)
    {
        var expected = Oracle.Expect(FirstThenInclude(first));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.All.False, expected.Reason);
            // (The follow-up, with credentials, may store what its own response sets: too late for any request to carry.)
            Assert.That(expected.Steps, Has.Some.Contains("includeCredentials is false").And.Some.Contains("the Set-Cookie is ignored"));
        }
    }

    // With credentials the user agent stores the cookie unless it "is configured to block cookies for request": both are
    // conforming, so the expectation allows the cookie back and not back, each named by its choice.
    [Test]
    public void A_credentialed_response_may_set_a_cookie_or_the_user_agent_may_block_it()
    {
        var expected = Oracle.Expect(FirstThenInclude(CredentialsMode.Include));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.EquivalentTo(new bool?[] { true, false }));
            Assert.That(expected.Allowed.Select(e => e.Choice), Has.Some.Contains("stored the cookie").And.Some.Contains("blocked the cookie"));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-http-network-fetch/15"));
        }
    }

    // Cookies are stored in HTTP-network fetch, before HTTP fetch's CORS check: a response the page is refused still may set
    // its cookie.
    [Test]
    public void A_response_the_CORS_check_refuses_may_still_set_its_cookie()
    {
        var expected = Oracle.Expect(FirstThenInclude(CredentialsMode.Include, Place.SameSite, H("X-Other", "1")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Outcome), Is.All.EqualTo(Outcome.Blocked));
            Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Has.Some.True);
        }
    }

    // A SameSite=Lax cookie of a cross-site host is stored or not, but never sent on a cross-site subresource request: one
    // behaviour.
    [Test]
    public void A_cross_site_cookie_never_comes_back()
    {
        var expected = Oracle.Expect(FirstThenInclude(CredentialsMode.Include, Place.CrossSite));
        Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.All.False);
    }

    // CORS-preflight fetch's request is fetched without credentials (credentials mode "same-origin", tainting "cors"), so
    // includeCredentials is false and its Set-Cookie is ignored.
    [Test]
    public void A_preflight_response_sets_no_cookie()
    {
        var preflight = Ok(Acao(), Acac(), H(HeaderNames.AccessControlAllowMethods, "PUT"), SetsCookie);
        var expected = Oracle.Expect(Case(Request("PUT", CredentialsMode.Include), preflight: preflight, actual: Ok(Acao(), Acac())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.CaseCookieSent)), Is.All.False);
        }
    }

    // A case that sets no cookie of its own judges nothing about it.
    [Test]
    public void A_case_without_its_own_cookie_does_not_judge_it()
    {
        Assert.That(Oracle.Expect(Case(actual: Ok(Acao(), H(HeaderNames.SetCookie, "a=1")))).Get(ObservedFields.CaseCookieSent), Is.Null);
    }
}
