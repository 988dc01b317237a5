using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A 407 (Proxy Authentication Required) never reaches the CORS check as an ordinary answer in the standard's text.
/// HTTP-network-or-cache fetch, step 16 (https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch): "If
/// response's status is 407, then: 1. If request's traversable for user prompts is "no-traversable", then return a network
/// error. … 4. Prompt the end user as appropriate in request's traversable for user prompts and store the result as a
/// proxy-authentication entry. 5. Set response to the result of running HTTP-network-or-cache fetch given fetchParams."
/// A worker's request has no traversable ("populate request from client" gives one only to a Window's), so its 407 must be
/// a network error. A page's is prompted for "as appropriate", which the standard leaves to the user agent: no prompt (the
/// answer comes from no proxy) ends the fetch with a network error, and a prompt the user dismisses leaves the 407 as the
/// answer. The oracle read 407 as any other status and demanded the second.</summary>
public sealed class ProxyAuthenticationOracleTests
{
    private static CorsCase Answered407(PageOrigin page = PageOrigin.Origin) =>
        Case(actual: new ResponsePlan(407, [Acao(page == PageOrigin.Origin ? Placeholders.Origin : "*")]), origins: Topology.Default with { Page = page });

    [Test]
    public void A_page_may_end_the_fetch_with_a_network_error_or_hand_the_407_on()
    {
        var expected = Oracle.Expect(Answered407());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Status)), Is.EquivalentTo(new[] { (Outcome.Allowed, (int?)407), (Outcome.Blocked, (int?)null) }), expected.Reason);
            Assert.That(expected.Allowed.Select(e => e.ActualSent), Is.All.True, "the request reached the target either way");
            Assert.That(expected.Allowed.Select(e => e.Choice), Has.Some.Contains("407").And.All.Not.Null);
            Assert.That(expected.Allowed.SelectMany(e => e.Trace).Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/16"));
        }
    }

    [TestCase(PageOrigin.DataWorker)]
    [TestCase(PageOrigin.DataModuleWorker)]
    [TestCase(PageOrigin.DataSharedWorker)]
    public void A_workers_407_is_a_network_error(PageOrigin worker)
    {
        var expected = Oracle.Expect(Answered407(worker));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.ActualSent)), Is.All.EqualTo((Outcome.Blocked, true)), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/16.1"));
        }
    }

    // A null-origin frame is a Window: its 407 is left to the user agent as a page's.
    [Test]
    public void A_sandboxed_frame_is_a_window_too()
    {
        var expected = Oracle.Expect(Answered407(PageOrigin.Null));
        Assert.That(expected.Allowed.Select(e => e.Outcome), Is.EquivalentTo(new[] { Outcome.Allowed, Outcome.Blocked }), expected.Reason);
    }

    // A 407 at a hop that is not a redirect is the response there, read the same way.
    [Test]
    public void A_407_instead_of_a_redirect_is_read_the_same_way()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao()), redirect: new RedirectPlan(407, Place.CrossSite, 1, [Acao()])));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Status)), Is.EquivalentTo(new[] { (Outcome.Allowed, (int?)407), (Outcome.Blocked, (int?)null) }), expected.Reason);
    }

    // Any other status is read once, as before.
    [Test]
    public void A_401_to_a_cors_request_leaves_nothing_open()
    {
        var expected = Oracle.Expect(Case(actual: new ResponsePlan(401, [Acao()])));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Status)), Is.EqualTo(new[] { (Outcome.Allowed, (int?)401) }), expected.Reason);
    }
}
