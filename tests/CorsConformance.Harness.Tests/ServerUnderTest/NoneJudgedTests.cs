using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A server under test that refuses, resets or never answers makes every case a harness error; `Some case is
/// judged against …` used to pass then (it looked only at cases not judged), a passing test for a server never reached.</summary>
public sealed class NoneJudgedTests
{
    private static readonly IReadOnlyList<PolicyCase> Cases = PolicyCases.Generate(
        PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"));

    private static PolicyVerdict Unreached(PolicyCase c) =>
        new(c, Outcome.Unreached, null, Oracle.Expect(c.Model), null, null, new RawResponse(null, [], "Connection refused (127.0.0.1:18599)"), null, [], []);

    private static PolicyVerdict Judged(PolicyCase c) =>
        new(c, Oracle.Expect(c.Model).Outcome, null, Oracle.Expect(c.Model), null, null, new RawResponse(200, [], null) { Reached = true }, null, [], []);

    [Test]
    public void A_run_whose_every_case_is_a_harness_error_judged_none()
    {
        var run = new PolicyEngineRun(Engine.Chromium, "Chromium 1 (test)", null, Cases.Select(Unreached).ToList());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.NothingJudged, Is.Null, "no case was skipped as not judged: each is a harness error");
            Assert.That(run.NoneJudged, Does.Contain("no case reached a verdict").And.Contain("Connection refused"));
        }
    }

    [Test]
    public void A_run_with_one_judged_case_judged_some()
    {
        var run = new PolicyEngineRun(Engine.Chromium, "Chromium 1 (test)", null, [Judged(Cases[0]), .. Cases.Skip(1).Select(Unreached)]);
        Assert.That(run.NoneJudged, Is.Null);
    }
}
