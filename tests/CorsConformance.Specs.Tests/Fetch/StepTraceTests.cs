using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>The steps of the standard the oracle records per case: the map of the standard reads its cases from them, so
/// they are held here to the standard's own words on cases checked by hand.</summary>
public sealed class StepTraceTests
{
    private static IReadOnlyList<string> StepsOf(string caseId) =>
        StandardCoverage.StepsOf(Oracle.Expect(CaseCatalog.All.Single(c => c.Id == caseId)));

    [Test]
    public void A_credentialed_request_answered_with_a_star_fails_the_cors_check_at_step_4()
    {
        // CORS check: "3. If request's credentials mode is not "include" and origin is `*`, then return success." does not
        // apply; "4. If the result of byte-serializing a request origin with request is not origin, then return failure."
        // HTTP fetch: "4.4 If request's response tainting is "cors" and a CORS check … returns failure, then return a network error."
        var steps = StepsOf("cors-check/acao-star/include/fetch");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps, Does.Contain("concept-cors-check/4").And.Contain("concept-http-fetch/4.4"));
            Assert.That(steps, Does.Not.Contain("concept-cors-check/3").And.Not.Contain("concept-cors-check/5").And.Not.Contain("concept-main-fetch/14.2.cors"));
        }
    }

    [Test]
    public void A_credentialed_put_with_acam_star_fails_the_preflight_at_step_7_5_after_its_cors_check_passes()
    {
        // "7.5 If request's method is not in methods, … and request's credentials mode is "include" or methods does not
        // contain `*`, then return a network error." The preflight's CORS check passed with ACAC true (step 7).
        var steps = StepsOf("preflight/acam-star/include");
        Assert.That(steps, Is.SupersetOf(new[] { "concept-cors-check/7", "cors-preflight-fetch-0/7", "cors-preflight-fetch-0/7.5", "concept-http-fetch/4.1.2" }));
        Assert.That(steps, Does.Not.Contain("cors-preflight-fetch-0/7.16"));
    }

    [Test]
    public void A_cross_origin_redirect_to_a_url_with_credentials_is_refused_at_http_redirect_fetch_step_9()
    {
        // "9. If request's mode is "cors", locationURL includes credentials, and request's origin is not same origin with
        // locationURL's origin, then return a network error."
        var steps = StepsOf("redirects/userinfo/cors/page-origin-to-cross-site");
        Assert.That(steps, Does.Contain("http-redirect-fetch/9").And.Not.Contain("http-redirect-fetch/22"));
    }

    [Test]
    public void A_rule_called_outside_an_evaluation_records_nothing_and_an_evaluation_records_only_its_own_steps()
    {
        // A rule the harness calls directly (no recording) must still answer.
        Assert.That(Oracle.CorsCheck("{origin}", Model.CredentialsMode.Omit, []).Ok, Is.False);
        var simple = Oracle.Expect(CaseCatalog.All.Single(c => c.Id == "cors-check/acao-exact/same-origin/fetch"));
        Assert.That(simple.Trace.Select(t => t.Id), Does.Not.Contain("concept-cors-check/2"), "the call above belongs to no evaluation");
        Assert.That(simple.Trace.Select(t => t.Method), Has.Some.EqualTo("Oracle.CorsCheck"));
    }
}
