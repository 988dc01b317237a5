using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A 421 (Misdirected Request) is not a final answer the first time: HTTP-network-or-cache fetch, step 17
/// (https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch): "If all of the following are true: response's
/// status is 421; isNewConnectionFetch is false; request's body is null, or request's body is non-null and request's body's
/// source is non-null, then: … Set response to the result of running HTTP-network-or-cache fetch given fetchParams,
/// isAuthenticationFetch, and true." The request goes out once more, on a new connection, and the second answer (with
/// isNewConnectionFetch true) is final, whatever it is. The oracle read a 421 as any other status: one request.</summary>
public sealed class MisdirectedRequestOracleTests
{
    private static readonly Header AllowsPut = H(HeaderNames.AccessControlAllowMethods, "PUT");

    // A CORS-preflight fetch runs HTTP-network-or-cache fetch itself (step 6), so its 421 is retried too: two preflights
    // reach the target, and the second 421, not an ok status, fails the preflight.
    [Test]
    public void A_preflight_answered_421_is_sent_again_on_a_new_connection_and_then_fails()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(421, [Acao(), AllowsPut]), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights, e.ActualSent)), Is.All.EqualTo((Outcome.Blocked, 2, false)), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/17"));
        }
    }

    // The request itself: sent twice, and the second 421 goes on to the CORS check like any status.
    [Test]
    public void A_request_answered_421_is_sent_again_and_its_second_answer_is_shared_as_any_status()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: Ok(Acao(), AllowsPut), actual: new ResponsePlan(421, [Acao()])));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights, e.Status)), Is.All.EqualTo((Outcome.Allowed, 1, (int?)421)), expected.Reason);
            Assert.That(expected.Steps, Has.Some.Contains("421"));
            // The count a browser is held to (requestsSent): the request itself reaches the target twice.
            Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.RequestsSent)), Is.All.EqualTo(2));
        }
    }

    // Only a case answered 421 observes how many times its request arrives: every other snapshot keeps its shape.
    [Test]
    public void Only_a_case_answered_421_observes_how_many_times_its_request_arrives()
    {
        var misdirected = Oracle.Expect(Case(Request("GET"), actual: new ResponsePlan(421, [Acao()])));
        var ok = Oracle.Expect(Case(Request("GET"), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(misdirected.Allowed.Select(e => e.Get(ObservedFields.RequestsSent)), Is.All.EqualTo(2));
            Assert.That(ok.Allowed.Select(e => e.Get(ObservedFields.RequestsSent)), Is.All.Null);
        }
    }

    // Where the case observes each preflight's Origin (a redirect and a method that is not safelisted), the retry is one
    // more line: the same preflight at the same hop.
    [Test]
    public void The_retried_preflight_is_one_more_preflight_at_the_same_hop()
    {
        var @case = Case(Request("PUT"), preflight: Ok(Acao(), AllowsPut), actual: Ok(Acao()),
            redirect: new RedirectPlan(307, Place.CrossSite, 1, [Acao()]) { Preflight = new ResponsePlan(421, [H(HeaderNames.AccessControlAllowOrigin, "*"), AllowsPut]) });
        var expected = Oracle.Expect(@case);
        Assert.That(expected.Allowed.Select(e => (e.Outcome, string.Join("; ", e.Get(ObservedFields.PreflightOrigins) ?? []))),
            Is.All.EqualTo((Outcome.Blocked, "hop 0: {origin}; hop 1: null; hop 1: null")), expected.Reason);
    }

    // Any other status is answered once, 420 and 422 alike.
    [TestCase(420)]
    [TestCase(422)]
    public void No_other_status_is_retried(int status)
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(status, [Acao(), AllowsPut]), actual: Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => e.Preflights), Is.All.EqualTo(1), expected.Reason);
    }
}
