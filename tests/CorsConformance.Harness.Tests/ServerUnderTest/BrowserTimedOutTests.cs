using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>Why a call the browser gave up on is a harness error, in its words. A server answering the preflight at once and
/// leaving the PUT hanging read "the replay's answers took 10 s in all (preflight was answered (204)): the server answers too
/// slowly … raise TimeoutSeconds" — the 10 s were the PUT's timeout, and nothing answered it.</summary>
public sealed class BrowserTimedOutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public void A_preflight_answered_and_a_request_never_answered_says_so_not_too_slow()
    {
        var put = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), new Uri("http://127.0.0.1:18599/api/items")).Single(c => c.Id == "https-app-example-com/method-put");
        var preflight = new RawResponse(204, [new("Access-Control-Allow-Origin", "https://app.example.com"), new("Access-Control-Allow-Methods", "PUT")], null) { Reached = true, Elapsed = TimeSpan.FromMilliseconds(3) };
        var actual = new RawResponse(null, [], "no answer within 10 s") { Elapsed = Timeout };
        var verdict = PolicyRunner.Judge(put, new PageAttempt(false, null, null, "timeout", true), null, preflight, actual, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.BrowserUnanswered, Does.Contain("nor did the replay's PUT (no answer within 10 s), though its preflight was answered (204)")
                .And.Not.Contain("took").And.Not.Contain("answered the suite but not the browser"), verdict.BrowserUnanswered);
        }
    }
}
