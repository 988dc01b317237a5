using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A follow-up the target answers 304 when it is conditional (<see cref="ServerPlan.NotModified"/>): the HTTP cache
/// is the user agent's to keep, so both an unconditional follow-up and a revalidation conform, each judged on its own
/// response, and the observed field <see cref="ObservedFields.Revalidated"/> tells them apart.</summary>
public sealed class HttpCacheOracleTests
{
    private static readonly Header ETag = H("ETag", "\"v1\"");
    private static readonly Header NoCache = H("Cache-Control", "no-cache");
    private static readonly Header XA = H("X-A", "a");
    private static readonly Header XB = H("X-B", "b");

    private static Header Expose(string names) => H(HeaderNames.AccessControlExposeHeaders, names);

    /// <summary>A GET answered <paramref name="stored"/>, then the same GET, whose conditional form is answered 304 with
    /// <paramref name="notModified"/>.</summary>
    private static CorsCase Revalidating(ResponsePlan stored, Header[] notModified, CredentialsMode credentials = CredentialsMode.SameOrigin)
    {
        var @case = Case(Request(credentials: credentials) with { Then = [new FollowUp("GET", [], credentials)] }, actual: stored);
        return @case with { Server = @case.Server with { Then = [@case.Server with { NotModified = new ResponsePlan(ServerPlan.NotModifiedStatus, notModified) }] } };
    }

    private static Expectation Chose(Expectation expected, bool revalidated) =>
        expected.Allowed.Single(e => e.Get(ObservedFields.Revalidated) == revalidated);

    // A browser that revalidates but keeps the stored Access-Control-Expose-Headers matches neither allowed behaviour; the
    // closest (no revalidation) differs in the conditional request alone, and the difference must not read "the standard
    // says no conditional request or a conditional request, the browser did a conditional request": it names what the
    // revalidating behaviour requires with it.
    [Test]
    public void A_revalidation_that_keeps_the_stored_headers_is_told_what_the_revalidation_requires()
    {
        var expected = Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache, XA, XB, Expose("X-A")), [ETag, Expose("X-A, X-B")]));
        var observed = new Observation(Outcome.Allowed, 0, true, Oracle.PageOriginToken, null, false, false, 200, ["cache-control", "content-length", "content-type", "x-a"])
            .With(ObservedFields.ResponseType, "cors").With(ObservedFields.Revalidated, true);
        var (chosen, differences) = Verdict.Judge(expected, observed);
        var only = differences.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chosen.Get(ObservedFields.Revalidated), Is.False, "the closest allowed behaviour");
            Assert.That(only.Field, Is.EqualTo(ObservedFields.Revalidated.Name));
            Assert.That(only.Expected, Does.Contain("only where the user agent revalidated").And.Contain("readableHeaders").And.Contain("x-b"));
            Assert.That(only.Expected, Does.Contain("(the browser: readable"));
        }
    }

    // HTTP-network-or-cache fetch 8.25: "If httpCache is null, then set httpRequest's cache mode to "no-store"": a user agent
    // need keep no HTTP cache; its follow-up is then an unconditional request, answered with the plan's 200.
    [Test]
    public void Without_an_http_cache_the_follow_up_is_judged_on_its_own_200()
    {
        var expected = Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache, XA, XB, Expose("X-A")), [ETag, Expose("X-A, X-B")]));
        var plain = Chose(expected, revalidated: false);
        Assert.That(plain.ReadableHeaders, Does.Contain("x-a").And.Not.Contain("x-b"), plain.Reason);
    }

    // Step 11.4: "If the revalidatingFlag is set and forwardResponse's status is 304, then: update storedResponse's header list
    // using forwardResponse's header list … Set response to storedResponse." The 304's Access-Control-Expose-Headers replaces
    // the stored one, and main fetch's CORS filter reads the stored response: X-B becomes readable.
    [Test]
    public void A_304_widens_the_stored_expose_headers()
    {
        var revalidated = Chose(Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache, XA, XB, Expose("X-A")), [ETag, Expose("X-A, X-B")])), revalidated: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revalidated.Outcome, Is.EqualTo(Outcome.Allowed), revalidated.Reason);
            Assert.That(revalidated.Status, Is.EqualTo(200), "the stored response's status stays");
            Assert.That(revalidated.ReadableHeaders, Does.Contain("x-a").And.Contain("x-b"));
            Assert.That(revalidated.Trace.Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/11.4"));
        }
    }

    [Test]
    public void A_304_narrows_the_stored_expose_headers()
    {
        var revalidated = Chose(Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache, XA, XB, Expose("X-A, X-B")), [ETag, Expose("X-A")])), revalidated: true);
        Assert.That(revalidated.ReadableHeaders, Does.Contain("x-a").And.Not.Contain("x-b"), revalidated.Reason);
    }

    // RFC 9111, 3.2: "the cache MUST add each header field in the provided response to the stored response, replacing field
    // values that are already present": a field the 304 lacks stays as stored, Access-Control-Allow-Origin included.
    [Test]
    public void A_304_without_cors_headers_inherits_the_stored_ones()
    {
        var revalidated = Chose(Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache, XA, Expose("X-A")), [ETag])), revalidated: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revalidated.Outcome, Is.EqualTo(Outcome.Allowed), revalidated.Reason);
            Assert.That(revalidated.ReadableHeaders, Does.Contain("x-a"));
        }
    }

    // HTTP fetch runs the CORS check on the response HTTP-network-or-cache fetch returned, which is the stored response the
    // 304 updated: an Access-Control-Allow-Origin naming another origin, or * for a credentialed request, fails it.
    [Test]
    public void A_304_that_changes_access_control_allow_origin_fails_the_cors_check()
    {
        var other = Chose(Oracle.Expect(Revalidating(Ok(Acao(), ETag, NoCache), [ETag, Acao("http://other.cors.test")])), revalidated: true);
        var star = Oracle.Expect(Revalidating(Ok(Acao(), Acac(), ETag, NoCache), [ETag, Acao("*")], CredentialsMode.Include));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(other.Outcome, Is.EqualTo(Outcome.Blocked), other.Reason);
            Assert.That(Chose(star, revalidated: true).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(Chose(star, revalidated: false).Outcome, Is.EqualTo(Outcome.Allowed), "unconditional, the 200 still allows the origin");
        }
    }

    // RFC 9111, 3.2: the cache updates every field but "the Content-Length header field".
    [Test]
    public void Freshening_replaces_fields_by_name_and_keeps_content_length()
    {
        var stored = Ok(H("Content-Length", "2"), Expose("X-A"), XA);
        var freshened = Oracle.FreshenStoredResponse(stored, new ResponsePlan(304, [H("Content-Length", "0"), Expose("X-B"), H("x-a", "a2")]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(freshened.Status, Is.EqualTo(200));
            Assert.That(freshened.Headers, Is.EquivalentTo(new[] { H("Content-Length", "2"), Expose("X-B"), H("x-a", "a2") }));
        }
    }

    [Test]
    public void A_case_without_a_304_observes_no_revalidation()
    {
        Assert.That(Oracle.Expect(Case(actual: Ok(Acao()))).Get(ObservedFields.Revalidated), Is.Null);
    }
}
