using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>XMLHttpRequest's open(method, url, async, user, password): the user and password go into the request URL, and
/// fetch uses a URL's credentials only on the authentication fetch a 401 starts, which cors tainting never starts.</summary>
public sealed class UrlCredentialsOracleTests
{
    private static RequestSpec Xhr(string method = "GET", CredentialsMode credentials = CredentialsMode.SameOrigin, string? user = "alice", string? password = "secret", params Header[] headers) =>
        new(Api.Xhr, method, headers, credentials) { XhrUser = user, XhrPassword = password };

    private static Header WwwAuthenticate => H("WWW-Authenticate", "Basic realm=\"x\"");

    // URL: "A URL includes credentials if its username or password is not the empty string." XHR send(): req's
    // "use-URL-credentials flag: Set if this's request URL includes credentials."
    [TestCase("alice", "secret", true)]
    [TestCase("alice", null, true)]
    [TestCase(null, "secret", true)]
    [TestCase("", "", false)]
    [TestCase("", null, false)]
    public void The_URL_includes_credentials_when_open_gave_a_non_empty_user_or_password(string? user, string? password, bool includes)
    {
        var request = Xhr(user: user, password: password);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.UrlIncludesCredentials, Is.EqualTo(includes));
            Assert.That(request.OpensWithUserinfo, Is.True, "open() was given a user or a password, so the case judges Authorization");
        }
    }

    // HTTP-network-or-cache fetch: "Otherwise, if httpRequest's current URL does include credentials and isAuthenticationFetch
    // is true, set authorizationValue to httpRequest's current URL, converted to an `Authorization` value." The first fetch is
    // not an authentication fetch: no Authorization, whatever the credentials mode.
    [TestCase(CredentialsMode.SameOrigin, Place.SameSite)]
    [TestCase(CredentialsMode.Include, Place.SameSite)]
    [TestCase(CredentialsMode.Include, Place.CrossSite)]
    [TestCase(CredentialsMode.SameOrigin, Place.Page)]
    public void A_request_whose_URL_includes_credentials_sends_no_Authorization_before_a_401_asks_for_it(CredentialsMode credentials, Place target)
    {
        var expected = Oracle.Expect(Case(Xhr(credentials: credentials), actual: Ok(Acao(), Acac()), origins: new Topology(PageOrigin.Origin, target)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.False);
            Assert.That(expected.Steps, Has.Some.Contains("use-URL-credentials flag is set"));
        }
    }

    // "If response's status is 401, httpRequest's response tainting is not "cors", includeCredentials is true, …": only then is
    // the request fetched again with the URL's credentials. A cross-origin request's tainting is cors: the 401 is its response.
    [Test]
    public void A_401_to_a_cors_request_is_not_retried_with_the_URL_s_credentials()
    {
        var expected = Oracle.Expect(Case(Xhr(credentials: CredentialsMode.Include), actual: new ResponsePlan(401, [WwwAuthenticate, Acao(), Acac()])));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Status, Is.EqualTo(401));
            Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.False);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/14"));
        }
    }

    // A 401 that fails the CORS check is a network error like any other: XHR reports status 0, and still no Authorization went.
    [Test]
    public void A_401_that_fails_the_CORS_check_is_blocked_and_still_carried_no_Authorization()
    {
        var expected = Oracle.Expect(Case(Xhr(credentials: CredentialsMode.Include), actual: new ResponsePlan(401, [WwwAuthenticate, Acao("*")])));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Status, Is.EqualTo(0));
            Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.False);
        }
    }

    // "If httpRequest's header list does not contain `Authorization`, then: …": an author Authorization header is sent as set.
    [Test]
    public void An_Authorization_header_the_page_sets_is_sent_whatever_the_URL_holds()
    {
        var expected = Oracle.Expect(Case(Xhr(credentials: CredentialsMode.Include, headers: [H("Authorization", "Bearer x")]),
            preflight: Ok(Acao(), Acac(), H("Access-Control-Allow-Headers", "Authorization")), actual: Ok(Acao(), Acac())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Preflights, Is.EqualTo(1));
            Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.True);
        }
    }

    // HTTP-redirect fetch: "If request's current URL's origin is not same origin with locationURL's origin, then for each
    // headerName of CORS non-wildcard request-header name, delete headerName from request's header list."
    [Test]
    public void A_cross_origin_redirect_drops_the_page_s_Authorization_and_the_location_URL_holds_no_credentials()
    {
        var expected = Oracle.Expect(Case(Xhr(headers: [H("Authorization", "Bearer x")]), actual: Ok(Acao("*")),
            redirect: new RedirectPlan(302, Place.SameSite, 1, []), origins: new Topology(PageOrigin.Origin, Place.Page)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.False);
        }
    }

    [Test]
    public void A_request_opened_without_user_or_password_leaves_Authorization_unjudged()
    {
        var expected = Oracle.Expect(Case(Request(api: Api.Xhr, headers: [H("Authorization", "Bearer x")]),
            preflight: Ok(Acao(), H("Access-Control-Allow-Headers", "Authorization")), actual: Ok(Acao())));
        Assert.That(expected.Get(ObservedFields.AuthorizationSent), Is.Null);
    }
}
