using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>The one comparison of what the target sent with the plan: any difference is named, so the case is a harness error.</summary>
public sealed class WireCheckTests
{
    private const string PageOrigin = "http://www.cors.test:4000";
    private const string Acao = HeaderNames.AccessControlAllowOrigin;

    private static readonly ServerPlan Plan = new(
        new ResponsePlan(204, [new(Acao, "{origin}")]),
        new ResponsePlan(200, [new(Acao, "{origin}"), new(Acao, "*"), new("X-Raw", "a\vb")]) { Reason = "Fine" });

    private static SeenRequest Seen(bool preflight, SentResponse? sent) =>
        new(preflight ? "OPTIONS" : "GET", Scheme.Http, "api.cors.test:4000", "/target/t?plan=p", 0, preflight, PageOrigin,
            preflight ? "PUT" : null, null, false, false, null, null, null, sent?.Status ?? 0) { Sent = sent };

    private static SentResponse Actual(int status = 200, string reason = "Fine", params Header[] lines) =>
        new(status, reason, lines.Length > 0 ? lines : [new(Acao, PageOrigin), new(Acao, "*"), new("X-Raw", "a\vb"), new("Content-Length", "2"), new("Date", "x")], Raw: true);

    [Test]
    public void AnAnswerAsPlannedHasNoDifference()
    {
        var journal = new[] { Seen(true, new SentResponse(204, "No Content", [new(Acao, PageOrigin), new("Date", "x")], false)), Seen(false, Actual()) };

        Assert.That(WireCheck.Differences(Plan, journal, PageOrigin), Is.Empty);
    }

    [Test]
    public void AnotherStatusIsADifference() =>
        Assert.That(WireCheck.Differences(Plan, [Seen(false, Actual(status: 500))], PageOrigin), Has.One.Contains("status 500, the plan says 200"));

    [Test]
    public void AnotherReasonPhraseIsADifference() =>
        Assert.That(WireCheck.Differences(Plan, [Seen(false, Actual(reason: "OK"))], PageOrigin), Has.One.Contains("reason phrase 'OK'"));

    [Test]
    public void LinesInAnotherOrderAreADifference()
    {
        var sent = Actual(lines: [new(Acao, "*"), new(Acao, PageOrigin), new("X-Raw", "a\vb")]);

        Assert.That(WireCheck.Differences(Plan, [Seen(false, sent)], PageOrigin), Has.One.Contains($"Access-Control-Allow-Origin [* | {PageOrigin}]"));
    }

    [Test]
    public void AMissingOrAlteredByteIsADifference()
    {
        var sent = Actual(lines: [new(Acao, PageOrigin), new(Acao, "*"), new("X-Raw", "a b")]);

        Assert.That(WireCheck.Differences(Plan, [Seen(false, sent)], PageOrigin), Has.One.Contains("X-Raw [a b], the plan says [a\\x0Bb]"));
    }

    [Test]
    public void ALineThePlanDoesNotNameIsADifference()
    {
        var sent = Actual(lines: [new(Acao, PageOrigin), new(Acao, "*"), new("X-Raw", "a\vb"), new("Server", "Kestrel")]);

        Assert.That(WireCheck.Differences(Plan, [Seen(false, sent)], PageOrigin), Has.One.Contains("[Server], which the plan does not name"));
    }

    [Test]
    public void AnEntryWithoutARecordOfWhatWasSentIsADifference() =>
        Assert.That(WireCheck.Differences(Plan, [Seen(false, null)], PageOrigin), Has.One.Contains("does not say what the target sent"));
}
