using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A CORS-preflight cache entry holds the byte-serialized origin of the request that made it: "There is a cache entry
/// match for a cache entry entry with request if entry's key is …, entry's byte-serialized origin is the result of
/// byte-serializing a request origin with request, and entry's URL is request's current URL", and that serialization is
/// `null` once a cross-origin redirect has tainted the request. The oracle matched by URL and credentials only, so an entry
/// a preflight with Origin: null made served the page's own origin, and the other way round.</summary>
public sealed class PreflightCacheOriginOracleTests
{
    // A PUT whose chain ends at the same-site URL, where the preflight's answer is cached for 600 s; then a PUT whose
    // chain, starting elsewhere, ends at that same URL.
    private static Expectation Expect(string firstTarget, string thenTarget, string acaoAtTheEnd) => Oracle.Expect(CaseFileReader.Read($$"""
        cases:
          - id: demo/cache-origin
            anchor: concept-cache-match
            description: d
            origins: { target: {{firstTarget}} }
            request: { method: PUT, then: [ { method: PUT, target: {{thenTarget}} } ] }
            server:
              preflight: { headers: { Access-Control-Allow-Origin: "{origin}", Access-Control-Allow-Methods: PUT } }
              redirect:
                to: same-site
                status: 307
                headers: { Access-Control-Allow-Origin: "{origin}" }
                preflight: { headers: { Access-Control-Allow-Origin: "{{acaoAtTheEnd}}", Access-Control-Allow-Methods: PUT, Access-Control-Max-Age: "600" } }
              actual: { headers: { Access-Control-Allow-Origin: "{echo}" } }
        """, "cache-origin.yaml")[0]);

    // cross-site → same-site taints the first PUT (its preflight carries Origin: null, allowed by `null`); a follow-up
    // starting at the page's own origin keeps the page's origin at the same-site URL: no entry matches, and its preflight
    // meets `null`. The other way round, an entry made for the page's origin does not serve a tainted follow-up.
    [TestCase("cross-site", "same-origin", "null", "'{origin}'", TestName = "An entry made for a tainted request does not serve the page's own origin")]
    [TestCase("same-origin", "cross-site", "{origin}", "'null'", TestName = "An entry made for the page's origin does not serve a tainted request")]
    public void An_entry_serves_no_request_whose_origin_serializes_otherwise(string first, string then, string acao, string followUpOrigin)
    {
        var expected = Expect(first, then, acao);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((Outcome.Blocked, 3)), expected.Reason);
            Assert.That(expected.Reason, Does.Contain("is not the request's origin " + followUpOrigin));
        }
    }

    [Test]
    public void An_entry_serves_a_later_request_whose_origin_serializes_the_same()
    {
        // Both chains go cross-site → same-site: both tainted, both `null` there, so the entry matches and the follow-up
        // may skip the preflight (a user agent may also have dropped the entry: three preflights).
        var expected = Expect("cross-site", "cross-site", "null");
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Does.Contain((Outcome.Allowed, 3)), expected.Reason);
    }
}
