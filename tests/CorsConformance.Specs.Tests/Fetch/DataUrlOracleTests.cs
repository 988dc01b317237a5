using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Main fetch's first branches: a request whose own URL is a data: URL, and fetch's same-origin mode.</summary>
public sealed class DataUrlOracleTests
{
    private static readonly Topology Data = new() { DataUrl = true };

    // main fetch: "request's current URL's scheme is "data"": "1. Set request's response tainting to "basic". 2. Return the
    // result of running scheme fetch given fetchParams." The branch comes before "request's mode is "same-origin"" and
    // "request's mode is "no-cors"", so the mode changes nothing.
    [TestCase(RequestMode.Cors)]
    [TestCase(RequestMode.NoCors)]
    [TestCase(RequestMode.SameOrigin)]
    public void A_data_URL_is_fetched_with_basic_tainting_in_every_mode(RequestMode mode)
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Mode = mode }, origins: Data));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            // Scheme fetch, "data": "Return a new response whose status message is `OK`, header list is « (`Content-Type`,
            // mimeType) »" — a basic filtered response keeps it.
            Assert.That(expected.Status, Is.EqualTo(200));
            Assert.That(expected.ReadableHeaders, Is.EqualTo(new[] { "content-type" }));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-main-fetch/12.data").And.Contain("concept-scheme-fetch/3.data.4"));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("concept-main-fetch/12.same-origin").And.Not.Contain("concept-main-fetch/12.no-cors.2"));
        }
    }

    // No CORS protocol: a method and headers that would need a preflight elsewhere send nothing to any server, and
    // credentials include needs no Access-Control-Allow-Credentials.
    [Test]
    public void A_data_URL_is_never_preflighted_and_nothing_reaches_a_server()
    {
        var expected = Oracle.Expect(Case(Request("PUT", CredentialsMode.Include, body: "{}", headers: [H("X-Custom", "1"), H("Content-Type", "application/json")]), origins: Data));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Preflights, Is.Zero);
            Assert.That(expected.ActualSent, Is.False);
            Assert.That(expected.Origin, Is.Null);
            Assert.That(expected.CredentialsSent, Is.False);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("concept-cors-check/1"));
        }
    }

    // An element's content is readable when the response is not opaque: a data: URL's tainting is basic, with or without a
    // crossorigin attribute.
    [TestCase(Api.Img, RequestMode.NoCors)]
    [TestCase(Api.Script, RequestMode.NoCors)]
    [TestCase(Api.Stylesheet, RequestMode.Cors)]
    public void An_element_reads_a_data_URL_whatever_its_crossorigin_attribute(Api api, RequestMode mode)
    {
        var expected = Oracle.Expect(Case(new RequestSpec(api, "GET", [], mode == RequestMode.NoCors ? CredentialsMode.Include : CredentialsMode.SameOrigin, null, 1, mode), origins: Data));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.ContentReadable), Is.True);
        }
    }

    // The same-origin URL comes first: "request's current URL's origin is same origin with request's origin, and request's
    // response tainting is "basic"" — a basic fetch, no preflight for X-Custom.
    [Test]
    public void Same_origin_mode_at_the_page_origin_is_a_basic_fetch()
    {
        var expected = Oracle.Expect(Case(Request("PUT", headers: H("X-Custom", "1")) with { Mode = RequestMode.SameOrigin }, origins: new Topology(Target: Place.Page)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Preflights, Is.Zero);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-main-fetch/12.basic").And.Not.Contain("concept-main-fetch/12.same-origin"));
        }
    }

    // "request's mode is "same-origin"": "Return a network error." — at the redirect's URL of another origin, whatever it
    // answers; the redirect itself reached the target.
    [TestCase(Place.SameSite)]
    [TestCase(Place.CrossSite)]
    public void Same_origin_mode_redirected_to_another_origin_is_a_network_error_there(Place to)
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Mode = RequestMode.SameOrigin }, actual: Ok(Acao("*")),
            redirect: new RedirectPlan(302, to, 1, [Acao("*")]), origins: new Topology(Target: Place.Page)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.ActualSent, Is.True, "the first URL answered the redirect");
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-main-fetch/12.same-origin"));
        }
    }

    // Redirect mode manual hands the redirect over before main fetch runs at its Location.
    [Test]
    public void Same_origin_mode_with_redirect_manual_never_reaches_the_other_origin()
    {
        var expected = Oracle.Expect(Case(RequestSpec.Get with { Mode = RequestMode.SameOrigin, Redirect = RedirectMode.Manual },
            redirect: new RedirectPlan(302, Place.CrossSite, 1, []), origins: new Topology(Target: Place.Page)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Status, Is.EqualTo(0));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("concept-main-fetch/12.same-origin"));
        }
    }
}
