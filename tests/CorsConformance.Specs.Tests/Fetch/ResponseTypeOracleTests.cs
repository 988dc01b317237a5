using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>fetch()'s Response.type: "The type getter steps are to return this's response's type." The response is the
/// filtered response main fetch made by the request's response tainting, or the opaque-redirect one HTTP fetch made for
/// redirect mode "manual"; a network error rejects fetch(), so there is no Response and no type.</summary>
public sealed class ResponseTypeOracleTests
{
    private static string? TypeOf(CorsCase @case) => Oracle.Expect(@case).Get(ObservedFields.ResponseType);

    // main fetch: "request's current URL's origin is same origin with request's origin, and request's response tainting is
    // "basic"" → scheme fetch; then "Set response to the following filtered response …: "basic": basic filtered response",
    // and "A basic filtered response is a filtered response whose type is "basic"".
    [TestCase(RequestMode.Cors)]
    [TestCase(RequestMode.NoCors)]
    public void A_same_origin_response_is_basic_whatever_the_mode(RequestMode mode)
    {
        var expected = Oracle.Expect(Case(Request() with { Mode = mode }, actual: Ok(), origins: new Topology(PageOrigin.Origin, Place.Page)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("basic"), expected.Reason);
            Assert.That(expected.Steps, Has.Some.Contains("type is its response's type: \"basic\"").And.Some.EndsWith("[dom-response-type]"));
            Assert.That(expected.Trace.Select(t => t.Id), Has.Member("dom-response-type/def"));
        }
    }

    // "Otherwise": "Set request's response tainting to "cors"", and "cors": "CORS filtered response", "a filtered response whose
    // type is "cors"".
    [Test]
    public void A_cross_origin_response_that_passes_the_CORS_check_is_cors()
    {
        Assert.That(TypeOf(Case(actual: Ok(Acao()))), Is.EqualTo("cors"));
    }

    // "request's mode is "no-cors"": "Set request's response tainting to "opaque"", and "An opaque filtered response is a
    // filtered response whose type is "opaque"".
    [Test]
    public void A_no_cors_cross_origin_response_is_opaque()
    {
        Assert.That(TypeOf(Case(Request() with { Mode = RequestMode.NoCors }, actual: Ok())), Is.EqualTo("opaque"));
    }

    // HTTP fetch, on a redirect status, redirect mode "manual": "set response to an opaque-redirect filtered response whose
    // internal response is internalResponse" — "a filtered response whose type is "opaqueredirect"" — whatever the tainting
    // (main fetch filters only a response that is not already a filtered response).
    [TestCase(RequestMode.Cors, Place.Page)]
    [TestCase(RequestMode.Cors, Place.SameSite)]
    [TestCase(RequestMode.NoCors, Place.Page)]
    public void A_redirect_not_followed_in_manual_mode_is_opaqueredirect(RequestMode mode, Place target)
    {
        var @case = Case(Request() with { Mode = mode, Redirect = RedirectMode.Manual }, redirect: new RedirectPlan(302, Place.CrossSite, 1, [Acao()]),
            actual: Ok(Acao()), origins: new Topology(PageOrigin.Origin, target));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("opaqueredirect"));
        }
    }

    // HTTP fetch checks a cors-tainted redirect response too: "If request's response tainting is "cors" and a CORS check for
    // request and response returns failure, then return a network error." No Response, no type.
    [Test]
    public void A_manual_redirect_that_fails_the_CORS_check_gives_no_Response()
    {
        var @case = Case(Request() with { Redirect = RedirectMode.Manual }, redirect: new RedirectPlan(302, Place.CrossSite, 1, []), actual: Ok(Acao()));
        var expected = Oracle.Expect(@case);
        Assert.That((expected.Outcome, expected.Get(ObservedFields.ResponseType)), Is.EqualTo((Outcome.Blocked, (string?)null)));
    }

    // A redirect back to the page's origin does not make the response basic again: main fetch's first branch needs the
    // tainting still "basic", and a cross-origin hop set it to "cors".
    [Test]
    public void A_response_redirected_back_to_the_page_origin_stays_cors()
    {
        var @case = Case(redirect: new RedirectPlan(302, Place.Page, 1, [Acao("*")]), actual: Ok(Acao("*")));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("cors"));
        }
    }

    // fetch() rejects on a network error: "reject p with a TypeError" — there is no Response to have a type.
    [Test]
    public void A_network_error_gives_no_Response_and_so_no_type()
    {
        var expected = Oracle.Expect(Case(actual: Ok()));
        Assert.That((expected.Outcome, expected.Get(ObservedFields.ResponseType)), Is.EqualTo((Outcome.Blocked, (string?)null)));
    }

    // Only fetch() hands the page a Response; XMLHttpRequest, elements, EventSource and beacons do not.
    [TestCase(Api.Xhr)]
    [TestCase(Api.Img)]
    [TestCase(Api.Script)]
    [TestCase(Api.Preload)]
    public void Other_initiators_show_no_Response_type(Api api)
    {
        var expected = Oracle.Expect(Case(Request(api: api), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.Null);
        }
    }

    // Every behaviour the standard allows (the preflight cache's choices) ends with the same response, so the same type.
    [Test]
    public void Every_allowed_behaviour_predicts_the_type()
    {
        var preflight = Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600"));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 2), preflight, Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.ResponseType)).ToList(), Has.Count.EqualTo(2).And.All.EqualTo("cors"));
    }
}
