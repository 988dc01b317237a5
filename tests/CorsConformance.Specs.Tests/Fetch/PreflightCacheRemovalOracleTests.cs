using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>CORS-preflight cache (https://fetch.spec.whatwg.org/#cors-preflight-cache): "Cache entries must be removed after
/// the seconds specified in their max-age field have passed since storing the entry. Cache entries may be removed before
/// that moment arrives." Each entry may go on its own, whenever the user agent likes: wherever the cache could spare a
/// preflight, a conforming user agent may send it anyway. The oracle enumerated removals per (request, place in the redirect
/// chain): entries of two hosts at the same place in their chains went together, and past 8 such pairs only the whole cache
/// went at once — so a user agent that keeps its own URL's entry and loses the redirected URLs' (WebKitGTK does) was held
/// to preflights it need not send.</summary>
public sealed class PreflightCacheRemovalOracleTests
{
    private static readonly Header[] AllowsPutWithXTest =
        [Acao(), H(HeaderNames.AccessControlAllowMethods, "PUT"), H(HeaderNames.AccessControlAllowHeaders, "X-Test"), H(HeaderNames.AccessControlMaxAge, "600")];

    private static readonly Header XTest = H("X-Test", "1");

    // A PUT with X-Test to the same-site target (A), then to the cross-site target (B) twice, then to A again: a user agent
    // that lost B's entries before the third request but kept A's preflights the third and spares the fourth — three
    // preflights, the last request served by the cache (no Access-Control-Request-Headers of its own).
    [Test]
    public void One_hosts_entries_may_go_while_anothers_at_the_same_place_stay()
    {
        FollowUp To(Place target) => new("PUT", [XTest], CredentialsMode.SameOrigin) { Target = target };
        var @case = Case(Request("PUT", headers: [XTest]) with { Then = [To(Place.CrossSite), To(Place.CrossSite), To(Place.SameSite)] },
            preflight: Ok(AllowsPutWithXTest), actual: Ok(Acao()));
        var expected = Oracle.Expect(@case);
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights, e.RequestHeaders)), Does.Contain((Outcome.Allowed, 3, (string?)null)),
            string.Join("\n", expected.Allowed.Select(e => $"{e.Preflights} {e.RequestHeaders}: {e.Choice}")));
    }

    // Three PUTs redirected through five hops (six URLs, twelve (request, URL) pairs): a user agent that keeps the request's
    // own URL's entry and loses those of the URLs the redirects lead to preflights hops 1-5 again on each repetition.
    [Test]
    public void Past_the_enumerated_pairs_the_request_s_own_URL_may_keep_its_entry_while_the_redirected_ones_lose_theirs()
    {
        var @case = Case(Request("PUT", repeat: 3), preflight: Ok(AllowsPutWithXTest), actual: Ok(Acao()),
            redirect: new RedirectPlan(307, Place.SameSite, 5, [Acao()]));
        var expected = Oracle.Expect(@case);
        var webKit = string.Join("; ", new[] { 0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 }.Select(hop => $"hop {hop}: {Placeholders.Origin}"));
        var ownOnly = string.Join("; ", new[] { 0, 1, 2, 3, 4, 5, 0, 0 }.Select(hop => $"hop {hop}: {Placeholders.Origin}"));
        var allowed = expected.Allowed.Select(e => (e.Preflights, string.Join("; ", e.Get(ObservedFields.PreflightOrigins) ?? []))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Does.Contain((16, webKit)), "the redirected URLs' entries lost before each repetition");
            Assert.That(allowed, Does.Contain((8, ownOnly)), "the request's own URL's entry lost before each repetition");
            Assert.That(allowed.Select(a => a.Preflights), Is.SupersetOf(new[] { 6, 12, 18 }), "the whole cache, as before");
        }
    }

    // Ten (request, URL) pairs are enumerated one by one: two PUTs through four hops, each URL's entries on their own.
    [Test]
    public void Up_to_ten_pairs_each_URLs_entries_go_on_their_own()
    {
        var @case = Case(Request("PUT", repeat: 3), preflight: Ok(AllowsPutWithXTest), actual: Ok(Acao()),
            redirect: new RedirectPlan(307, Place.SameSite, 4, [Acao()]));
        var expected = Oracle.Expect(@case);
        // Only hop 3's entry lost before the second request, only hop 0's before the third.
        var chosen = string.Join("; ", new[] { 0, 1, 2, 3, 4, 3, 0 }.Select(hop => $"hop {hop}: {Placeholders.Origin}"));
        Assert.That(expected.Allowed.Select(e => string.Join("; ", e.Get(ObservedFields.PreflightOrigins) ?? [])), Does.Contain(chosen));
    }
}
