using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A request that may outlive its page carries at most 64 KiB of body. HTTP-network-or-cache fetch, step 8.10
/// (https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch): "If contentLength is non-null and httpRequest's
/// keepalive is true, then: … If the sum of contentLength and inflightKeepaliveBytes is greater than 64 kibibytes, then
/// return a network error." — before anything is sent, after the CORS-preflight fetch (which HTTP fetch runs first, and
/// whose own request is not keepalive). sendBeacon asks the same question first (Beacon, sendBeacon(): "If the amount of
/// data that can be queued to be sent by keepalive enabled requests is exceeded by the size of transmittedData (as defined
/// in HTTP-network-or-cache fetch), set the return value to false and terminate these steps"). The oracle sent any body.</summary>
public sealed class KeepaliveQuotaOracleTests
{
    private const int Quota = 64 * 1024;

    private static CorsCase KeepaliveFetch(string method, string body, bool keepalive = true) =>
        Case(Request(method, body: body) with { Keepalive = keepalive }, preflight: Ok(Acao(), H(HeaderNames.AccessControlAllowMethods, method)), actual: Ok(Acao()));

    [Test]
    public void A_keepalive_body_of_64_KiB_is_sent()
    {
        var expected = Oracle.Expect(KeepaliveFetch("POST", new string('x', Quota)));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.ActualSent)), Is.All.EqualTo((Outcome.Allowed, true)), expected.Reason);
    }

    [Test]
    public void A_keepalive_body_one_byte_over_64_KiB_is_a_network_error_before_it_is_sent()
    {
        var @case = KeepaliveFetch("POST", new string('x', Quota + 1));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => (e.Outcome, e.ActualSent, e.Preflights)), Is.All.EqualTo((Outcome.Blocked, false, 0)), expected.Reason);
            Assert.That(expected.Reason, Does.Contain("64 KiB"));
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("concept-http-network-or-cache-fetch/8.10"));
            // Nothing reaches the target: the harness must send its control request before it believes an empty journal.
            Assert.That(@case.MayBeRefusedUnsent, Is.True);
        }
    }

    // contentLength is the body's length in bytes: a string body is UTF-8 encoded, so 32,769 é (two bytes each) are over.
    [Test]
    public void The_quota_counts_the_bytes_of_the_encoded_body_not_its_characters()
    {
        var expected = Oracle.Expect(KeepaliveFetch("POST", new string('é', Quota / 2 + 1)));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
    }

    // HTTP fetch runs the CORS-preflight fetch before HTTP-network-or-cache fetch meets the quota: the preflight (a new
    // request, not keepalive, without a body) is sent and passes; the request itself is then a network error.
    [Test]
    public void A_preflighted_keepalive_request_over_the_quota_is_preflighted_then_fails()
    {
        var expected = Oracle.Expect(KeepaliveFetch("PUT", new string('x', Quota + 1)));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.ActualSent, e.Preflights)), Is.All.EqualTo((Outcome.Blocked, false, 1)), expected.Reason);
    }

    [Test]
    public void Without_keepalive_a_body_has_no_quota()
    {
        var @case = KeepaliveFetch("POST", new string('x', Quota + 1), keepalive: false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(@case).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(@case.MayBeRefusedUnsent, Is.False);
        }
    }

    // sendBeacon() returns false and sends nothing: refused, like a call the page's API turned down.
    [TestCase(Quota, Outcome.Allowed)]
    [TestCase(Quota + 1, Outcome.Refused)]
    public void A_beacon_over_the_quota_is_not_queued(int length, Outcome outcome)
    {
        var @case = CaseFileReader.Read($$"""
            cases:
              - id: demo/beacon-quota
                anchor: concept-http-network-or-cache-fetch
                description: d
                request: { api: beacon, method: POST, body: "{{new string('x', length)}}" }
                server:
                  actual: { headers: { Access-Control-Allow-Origin: "{origin}", Access-Control-Allow-Credentials: "true" } }
            """, "beacon-quota.yaml")[0];
        var expected = Oracle.Expect(@case);
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.All.EqualTo((outcome, 0)), expected.Reason);
    }
}
