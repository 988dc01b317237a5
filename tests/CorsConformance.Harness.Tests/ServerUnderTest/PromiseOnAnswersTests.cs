using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A case passes only when the server's real answers, read by the Fetch Standard, keep the policy's promise too. A
/// server that resets every other connection once made "a simple GET from https://evil.example is refused" pass: the
/// browser's request was reset (to the page, the same TypeError as a CORS block) while the replay's answered with
/// Access-Control-Allow-Origin: * — a server admitting the origin it promises to refuse.</summary>
public sealed class PromiseOnAnswersTests
{
    private static readonly PolicyCase Refusal = PolicyCases.Generate(
            PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
        .First(c => c.Title.StartsWith("a simple GET from", StringComparison.Ordinal) && c.Title.EndsWith("is refused", StringComparison.Ordinal));

    private static PolicyVerdict BrowserBlocked(params Header[] answer)
    {
        var promised = Oracle.Expect(Refusal.Model);
        var onAnswers = Oracle.Expect(Refusal.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, answer)) });
        return new PolicyVerdict(Refusal, Outcome.Blocked, null, promised, onAnswers, null, new RawResponse(200, answer, null) { Reached = true },
            "net::ERR_CONNECTION_RESET", [], []);
    }

    [Test]
    public void A_refusal_the_server_s_answers_do_not_make_fails_though_the_browser_blocked()
    {
        var verdict = BrowserBlocked(new Header(HeaderNames.AccessControlAllowOrigin, "*"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(Refusal.Model).Outcome, Is.EqualTo(Outcome.Blocked), "the case is a refusal");
            Assert.That(verdict.Passed, Is.False, "the server admits the origin; the block came from elsewhere");
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("do not keep that promise").And.Contain("allowed"));
        }
    }

    [Test]
    public void A_refusal_the_server_s_answers_make_passes()
    {
        var verdict = BrowserBlocked();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.AnswersBreakThePromise, Is.False);
            Assert.That(verdict.Passed, Is.True);
        }
    }
}
