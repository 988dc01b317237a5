using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A redirect whose Location is a URL of another scheme than http(s) (data:, about:blank, blob:, ws:, …): HTTP-redirect
/// fetch, "If locationURL's scheme is not an HTTP(S) scheme, then return a network error."</summary>
public sealed class SchemeLocationOracleTests
{
    private static RedirectPlan ToData(int status = 302, params Header[] headers) => To("data:text/plain,hello", status, headers);

    private static RedirectPlan To(string location, int status = 302, params Header[] headers) =>
        new(status, Place.SameSite, 1, headers) { SchemeLocation = location };

    // In every mode and whatever the response tainting (basic at the page's own origin, cors or opaque elsewhere), the
    // redirect is a network error: main fetch's "request's current URL's scheme is "data"" branch is never reached.
    [TestCase(Place.SameSite, RequestMode.Cors)]
    [TestCase(Place.CrossSite, RequestMode.Cors)]
    [TestCase(Place.Page, RequestMode.Cors)]
    [TestCase(Place.SameSite, RequestMode.NoCors)]
    public void A_redirect_to_a_data_URL_is_a_network_error(Place target, RequestMode mode)
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Mode = mode }, redirect: ToData(headers: Acao("*")), origins: new Topology(PageOrigin.Origin, target)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.ActualSent, Is.True, "the redirect itself was answered");
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("http-redirect-fetch/6"));
        }
    }

    // HTTP fetch checks the redirect response first ("If request's response tainting is "cors" and a CORS check for request
    // and response returns failure, then return a network error"): the reason is the CORS check, not the scheme.
    [Test]
    public void A_cors_redirect_to_a_data_URL_that_fails_the_CORS_check_fails_there_first()
    {
        var expected = Oracle.Expect(Case(redirect: ToData()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("http-redirect-fetch/6"));
        }
    }

    // HTTP fetch's redirect mode "manual" hands the redirect to the page before HTTP-redirect fetch looks at its Location.
    [Test]
    public void Redirect_mode_manual_hands_the_redirect_over_without_looking_at_its_scheme()
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Redirect = RedirectMode.Manual }, redirect: ToData(headers: Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Status, Is.EqualTo(0));
        }
    }

    // Scheme fetch would answer about:blank with an empty 200 and a no-cors request with an opaque response; HTTP-redirect
    // fetch refuses the Location before main fetch runs at it, so every scheme but http(s) is the same network error.
    [TestCase("about:blank", RequestMode.Cors)]
    [TestCase("about:blank", RequestMode.NoCors)]
    [TestCase("blob:http://www.cors.test/6f1d1c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", RequestMode.Cors)]
    [TestCase("javascript:void(0)", RequestMode.NoCors)]
    [TestCase("ws://api.cors.test/socket", RequestMode.Cors)]
    [TestCase("x-cors-conformance:hello", RequestMode.NoCors)]
    public void A_redirect_to_any_other_scheme_is_a_network_error_naming_the_scheme(string location, RequestMode mode)
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Mode = mode }, redirect: To(location, headers: Acao("*"))));
        var scheme = location[..location.IndexOf(':')];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Reason, Does.Contain(scheme + ":"));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("http-redirect-fetch/6"));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("http-redirect-fetch/22"), "nothing is followed");
        }
    }
}
