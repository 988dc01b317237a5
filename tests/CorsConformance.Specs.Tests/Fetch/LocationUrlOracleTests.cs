using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>
/// A redirect status without a Location, or with one that does not parse. Fetch, "location URL": "2. Let location be the
/// result of extracting header list values given `Location` and response's header list. 3. If location is a header value,
/// then set location to the result of parsing location with response's URL." HTTP-redirect fetch: "4. If locationURL is
/// null, then return response. 5. If locationURL is failure, then return a network error." HTTP fetch, before either:
/// the CORS check on the redirect response, then "Switch on request's redirect mode", on its status alone.
/// </summary>
public sealed class LocationUrlOracleTests
{
    private static RedirectPlan Without(int status = 302, params Header[] headers) => new(status, Place.SameSite, 1, headers) { OmitsLocation = true };

    private static RedirectPlan Given(string location, params Header[] headers) => new(302, Place.SameSite, 1, headers) { GivenLocation = location };

    private static Expectation Expect(RedirectPlan redirect, RedirectMode mode = RedirectMode.Follow, Place target = Place.SameSite) =>
        Oracle.Expect(Case(RequestSpec.Get with { Redirect = mode }, redirect: redirect, actual: Ok(Acao("*")), origins: new Topology(PageOrigin.Origin, target)));

    // "If locationURL is null, then return response": the redirect response is the final one, through the CORS filter.
    [TestCase(301)]
    [TestCase(303)]
    [TestCase(308)]
    public void Without_a_Location_follow_hands_the_redirect_response_itself_to_the_page(int status)
    {
        var expected = Expect(Without(status, Acao("*"), H("X-Extra", "1")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Status, Is.EqualTo(status));
            Assert.That(expected.ReadableHeaders, Does.Not.Contain("x-extra"), "a CORS filtered response: X-Extra is not exposed");
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("http-redirect-fetch/4"));
        }
    }

    // HTTP fetch's CORS check comes before HTTP-redirect fetch: no Access-Control-Allow-Origin, no response.
    [Test]
    public void Without_a_Location_the_response_must_still_pass_the_CORS_check()
    {
        Assert.That(Expect(Without()).Outcome, Is.EqualTo(Outcome.Blocked));
    }

    [Test]
    public void Without_a_Location_at_the_page_s_own_origin_the_response_is_basic()
    {
        var expected = Expect(Without(302, H("X-Extra", "1")), target: Place.Page);
        Assert.That((expected.Outcome, expected.Status, expected.ReadableHeaders!.Contains("x-extra")), Is.EqualTo((Outcome.Allowed, 302, true)));
    }

    // "manual": "set response to an opaque-redirect filtered response" and "error": "set response to a network error" — on
    // the redirect status, whatever the Location.
    [Test]
    public void The_redirect_mode_decides_on_the_status_without_reading_the_Location()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That((Expect(Without(302, Acao("*")), RedirectMode.Manual) is var m ? (m.Outcome, m.Status) : default), Is.EqualTo((Outcome.Allowed, 0)));
            Assert.That(Expect(Without(302, Acao("*")), RedirectMode.Error).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That((Expect(Given("http://a b", Acao("*")), RedirectMode.Manual) is var g ? (g.Outcome, g.Status) : default), Is.EqualTo((Outcome.Allowed, 0)));
        }
    }

    // "If locationURL is failure, then return a network error" — with or without the CORS protocol.
    [TestCase("http://a b", Place.SameSite)]
    [TestCase("http://:", Place.SameSite)]
    [TestCase("https://x:65536", Place.SameSite)]
    [TestCase("http://a|b", Place.Page)]
    public void A_Location_that_does_not_parse_is_a_network_error_when_followed(string location, Place target)
    {
        var expected = Expect(Given(location, Acao("*")), target: target);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("http-redirect-fetch/5"));
        }
    }

    // The URL parser's authority, host and port states: host-missing, port-invalid, port-out-of-range and a forbidden
    // domain code point are failure; a host it accepts is a URL; what the model does not read is left undecided.
    [TestCase("http://", LocationUrls.Parse.Failure)]
    [TestCase("http://user@", LocationUrls.Parse.Failure)]
    [TestCase("http://:80/x", LocationUrls.Parse.Failure)]
    [TestCase("http://a:8x", LocationUrls.Parse.Failure)]
    [TestCase("http://a:65535", LocationUrls.Parse.Url)]
    [TestCase("http://a:000080", LocationUrls.Parse.Url)]
    [TestCase("http://a:65536", LocationUrls.Parse.Failure)]
    [TestCase("http://a<b/", LocationUrls.Parse.Failure)]
    [TestCase("http://a^b?q", LocationUrls.Parse.Failure)]
    [TestCase("http://a b@c/", LocationUrls.Parse.Url)]
    [TestCase("http://a:/x", LocationUrls.Parse.Url)]
    [TestCase("https://example.com/a b", LocationUrls.Parse.Url)]
    [TestCase("http://1.2.3.999", LocationUrls.Parse.Unknown)]
    [TestCase("/relative", LocationUrls.Parse.Unknown)]
    [TestCase("HTTP://a b", LocationUrls.Parse.Unknown)]
    public void The_location_model_reads_what_the_URL_parser_does(string location, LocationUrls.Parse expected)
    {
        Assert.That(LocationUrls.Classify(location).Result, Is.EqualTo(expected));
    }
}

/// <summary>A redirect hop whose status is not a redirect status is the final response, and it carries the Location the plan
/// gives it (the target sends one whatever the status). HTTP fetch hands HTTP-redirect fetch only "a redirect status";
/// any other response is returned with its header list, and "A basic filtered response is a filtered response whose type
/// is "basic" and header list excludes any headers in internal response's header list whose name is a forbidden
/// response-header name" — so a same-origin page reads `location`, as Chromium, Firefox and WebKitGTK all did on 216
/// generated cases where the oracle had left it out.</summary>
public sealed class NonRedirectHopLocationOracleTests
{
    private static Expectation Expect(int status, RequestSpec request, Place target, RedirectPlan? plan = null) =>
        Oracle.Expect(Case(request, redirect: plan ?? new RedirectPlan(status, Place.SameSite, 1, [Acao("*")]), actual: Ok(Acao("*")),
            origins: new Topology(PageOrigin.Origin, target)));

    [TestCase(200)]
    [TestCase(304)]
    [TestCase(680)]
    public void A_basic_final_response_exposes_the_Location_it_was_sent_with(int status)
    {
        var expected = Expect(status, RequestSpec.Get, Place.Page);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Status, Is.EqualTo(status));
            Assert.That(expected.ReadableHeaders, Does.Contain("location"));
        }
    }

    [Test]
    public void A_cors_final_response_does_not_expose_it_without_Access_Control_Expose_Headers()
    {
        Assert.That(Expect(200, RequestSpec.Get, Place.SameSite).ReadableHeaders, Does.Not.Contain("location"));
    }

    [Test]
    public void A_hop_whose_plan_omits_the_Location_has_none_to_expose()
    {
        var expected = Expect(200, RequestSpec.Get, Place.Page, new RedirectPlan(200, Place.SameSite, 1, [Acao("*")]) { OmitsLocation = true });
        Assert.That(expected.ReadableHeaders, Does.Not.Contain("location"));
    }
}
