using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Cross-Origin-Resource-Policy: HTTP fetch, step 5, "If either request's response tainting or response's type is
/// "opaque", and the cross-origin resource policy check with request's origin, request's client, request's destination, and
/// internalResponse returns blocked, then return a network error." The runner page's embedder policy is "unsafe-none".</summary>
public sealed class ResourcePolicyOracleTests
{
    private static readonly UrlOrigin Page = new(Place.Page, Scheme.Http);

    private static Header Corp(string value) => H("Cross-Origin-Resource-Policy", value);

    private static CorsCase NoCors(Header? answer, Place target = Place.SameSite, Api api = Api.Img) =>
        Case(request: RequestSpec.Get with { Api = api, Mode = RequestMode.NoCors }, actual: answer is null ? Ok() : Ok(answer),
            origins: Topology.Default with { Target = target });

    // Internal check, step 5: "`same-origin`: If origin is same origin with response's URL's origin, then return allowed.
    // Otherwise, return blocked."
    [TestCase(Place.Page, Scheme.Http, true)]
    [TestCase(Place.SameHost, Scheme.Http, false)]
    [TestCase(Place.SameSite, Scheme.Http, false)]
    [TestCase(Place.Page, Scheme.Https, false)]
    public void Same_origin_allows_only_the_request_s_own_origin(Place at, Scheme scheme, bool allowed) =>
        Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(Page, [Corp("same-origin")], new UrlOrigin(at, scheme)).Allowed, Is.EqualTo(allowed));

    // "`same-site`: If all of the following are true: origin is schemelessly same site with response's URL's origin; origin's
    // scheme is "https" or response's URL's scheme is not "https", then return allowed. Otherwise, return blocked." And the
    // note: "does not consider a response delivered via a secure transport to match a non-secure requesting origin".
    [TestCase(Scheme.Http, Place.SameSite, Scheme.Http, true)]
    [TestCase(Scheme.Http, Place.SameHost, Scheme.Http, true)]
    [TestCase(Scheme.Http, Place.CrossSite, Scheme.Http, false)]
    [TestCase(Scheme.Http, Place.SameSite, Scheme.Https, false)]
    [TestCase(Scheme.Http, Place.SameHost, Scheme.Https, false)]
    [TestCase(Scheme.Https, Place.SameSite, Scheme.Https, true)]
    public void Same_site_compares_registrable_domains_and_refuses_https_to_an_http_origin(Scheme page, Place at, Scheme scheme, bool allowed) =>
        Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(new UrlOrigin(Place.Page, page), [Corp("same-site")], new UrlOrigin(at, scheme)).Allowed, Is.EqualTo(allowed));

    // Step 3: "If policy is neither `same-origin`, `same-site`, nor `cross-origin`, then set policy to null", and step 5,
    // "null, `cross-origin`: Return allowed". The note on step 2: "`Cross-Origin-Resource-Policy: same-site, same-origin` ends
    // up as allowed below as it will never match anything … Two or more `Cross-Origin-Resource-Policy` headers will have the
    // same effect." The ABNF is case-sensitive (%s).
    [TestCase("cross-origin")]
    [TestCase("Same-Origin")]
    [TestCase("same-site, same-origin")]
    [TestCase("")]
    public void Anything_but_an_exact_policy_allows_every_origin(string value) =>
        Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(Page, [Corp(value)], new UrlOrigin(Place.CrossSite, Scheme.Http)).Allowed, Is.True);

    [Test]
    public void Two_lines_are_two_values_and_so_no_policy()
    {
        var twoLines = new[] { Corp("same-origin"), Corp("same-origin") };
        Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(Page, twoLines, new UrlOrigin(Place.CrossSite, Scheme.Http)).Allowed, Is.True);
    }

    [Test]
    public void An_opaque_origin_is_neither_same_origin_nor_same_site_with_any_response()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(null, [Corp("same-origin")], Page).Allowed, Is.False);
            Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(null, [Corp("same-site")], Page).Allowed, Is.False);
            Assert.That(Oracle.CrossOriginResourcePolicyInternalCheck(null, [Corp("cross-origin")], Page).Allowed, Is.True);
        }
    }

    // The check blocks what the server answered: the request reached it, and the page gets a network error.
    [TestCase(Api.Img)]
    [TestCase(Api.Fetch)]
    public void A_no_cors_response_the_policy_blocks_is_a_network_error_after_the_request_was_sent(Api api)
    {
        var expected = Oracle.Expect(NoCors(Corp("same-origin"), api: api));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.ActualSent, Is.True);
            Assert.That(expected.Reason, Does.Contain("Cross-Origin-Resource-Policy: same-origin"));
        }
    }

    // Step 5 runs only where "request's response tainting … is "opaque"": a cors request is judged by the CORS check alone,
    // and a same-origin one (basic) by nothing.
    [Test]
    public void Cors_and_basic_tainting_are_not_checked()
    {
        var cors = Oracle.Expect(Case(actual: Ok(Acao(), Corp("same-origin"))));
        var basic = Oracle.Expect(NoCors(Corp("same-site"), target: Place.Page));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cors.Outcome, Is.EqualTo(Outcome.Allowed), cors.Reason);
            Assert.That(basic.Outcome, Is.EqualTo(Outcome.Allowed), basic.Reason);
            Assert.That(Oracle.Expect(NoCors(null)).Outcome, Is.EqualTo(Outcome.Allowed));
        }
    }

    // Step 5 comes before step 6 switches on a redirect status: a redirect the policy blocks is never followed.
    [Test]
    public void A_redirect_the_policy_blocks_is_not_followed()
    {
        var @case = NoCors(null) with
        {
            Server = new ServerPlan(ResponsePlan.Empty, Ok(), new RedirectPlan(302, Place.CrossSite, 1, [Corp("same-origin")])),
        };
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Reason, Does.StartWith("the 302 response"));
        }
    }
}
