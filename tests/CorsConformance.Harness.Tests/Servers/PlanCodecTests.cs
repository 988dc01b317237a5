using System.Buffers.Text;
using System.Text;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

public sealed class PlanCodecTests
{
    private static readonly ServerPlan Full = new(
        new ResponsePlan(204, [new(HeaderNames.AccessControlAllowMethods, "PUT"), new(HeaderNames.AccessControlAllowMethods, "PATCH")]),
        new ResponsePlan(200, [new(HeaderNames.AccessControlAllowOrigin, "{origin}"), new("X-Dup", "1"), new(HeaderNames.AccessControlAllowOrigin, "*"), new("X-Dup", "1")]),
        new RedirectPlan(307, Place.SameSite, 2, [new(HeaderNames.AccessControlAllowOrigin, "{echo}"), new("X-Empty", "")]));

    [Test]
    public void APlanRoundTripsWithItsDuplicatesAndRedirect()
    {
        var decoded = PlanCodec.Decode(PlanCodec.Encode(Full));

        // Records compare their header lists by reference, so compare them line by line.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decoded.Preflight.Status, Is.EqualTo(Full.Preflight.Status));
            Assert.That(decoded.Preflight.Headers, Is.EqualTo(Full.Preflight.Headers));
            Assert.That(decoded.Actual.Status, Is.EqualTo(Full.Actual.Status));
            Assert.That(decoded.Actual.Headers, Is.EqualTo(Full.Actual.Headers));
            Assert.That(decoded.Redirect, Is.Not.Null);
            Assert.That(decoded.Redirect! with { Headers = [] }, Is.EqualTo(Full.Redirect! with { Headers = [] }));
            Assert.That(decoded.Redirect.Headers, Is.EqualTo(Full.Redirect.Headers));
        }
    }

    [Test]
    public void RawBytesAndAReasonPhraseRoundTrip()
    {
        var plan = new ServerPlan(
            new ResponsePlan(101, [new("X-Nul", "a\0b")]) { Reason = "Caf\xe9" },
            new ResponsePlan(999, [new("X-Fold", "a,\r\n\tb"), new("X-Bytes", "\v\f\x80\xff")]));

        var decoded = PlanCodec.Decode(PlanCodec.Encode(plan));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((decoded.Preflight.Status, decoded.Preflight.Reason), Is.EqualTo((101, "Caf\xe9")));
            Assert.That(decoded.Preflight.Headers, Is.EqualTo(plan.Preflight.Headers));
            Assert.That(decoded.Actual.Status, Is.EqualTo(999));
            Assert.That(decoded.Actual.Reason, Is.Null);
            Assert.That(decoded.Actual.Headers, Is.EqualTo(plan.Actual.Headers));
        }
    }

    [Test]
    public void APlanWithoutRedirectRoundTripsToNone()
    {
        var plan = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(500, []));

        Assert.That(PlanCodec.Decode(PlanCodec.Encode(plan)).Redirect, Is.Null);
    }

    [Test]
    public void TheEncodingIsUrlSafeCamelCaseJson()
    {
        var encoded = PlanCodec.Encode(Full);
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoded, Does.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(json, Does.Contain("\"to\":\"sameSite\"").And.Contain("\"preflight\":{\"status\":204,\"headers\":[{\"name\":"));
        }
    }

    [TestCase("not*base64")]
    [TestCase("{}")]
    [TestCase("null")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[null]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[]},\"extra\":1}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[]},\"redirect\":{\"status\":302,\"to\":\"nowhere\",\"hops\":1,\"headers\":[]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[{\"name\":\"X-A\",\"value\":\"a\\r\\nX-B: b\"}]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[{\"name\":\"X A\",\"value\":\"a\"}]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":1000,\"headers\":[]}}")]
    [TestCase("{\"preflight\":{\"status\":99,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[{\"name\":\"X-A\",\"value\":\"a\\nb\"}]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[{\"name\":\"X-A\",\"value\":\"a\\r\\n\"}]}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[],\"reason\":\"a\\r\\nb\"}}")]
    [TestCase("{\"preflight\":{\"status\":200,\"headers\":[]},\"actual\":{\"status\":200,\"headers\":[]},\"redirect\":{\"status\":302,\"to\":\"page\",\"hops\":-1,\"headers\":[]}}")]
    public void DecodeRefusesWhatIsNotAWholeWritablePlan(string json)
    {
        var text = json == "not*base64" ? json : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

        Assert.That(() => PlanCodec.Decode(text), Throws.TypeOf<FormatException>());
    }
}
