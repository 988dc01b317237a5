using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.NUnit;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// Policies that allow development origins — `http://localhost:5173`, `http://127.0.0.1:3000`, `http://[::1]:8080`, as
/// teams keep beside the production one. Chromium maps them to the suite's pages like any host; Firefox reaches loopback
/// directly (its proxy is never used for it), so it would not open the page (NS_ERROR_CONNECTION_REFUSED), and that threw
/// out of the run: every case of every origin failed with an exception. Each loopback origin's cases are judged, or not
/// judged naming the origin and why; the other origins' cases run as usual.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class LoopbackOriginsTests(Engine engine)
{
    private static readonly string[] Loopback = ["http://127.0.0.1:3000", "http://[::1]:8080", "http://localhost:5173"];

    [Test]
    public async Task A_loopback_origin_in_a_policy_is_judged_or_not_judged_saying_why_and_the_others_run()
    {
        var policy = CorsPolicies.Allow([.. Loopback, "https://app.example.com"], methods: ["GET", "PUT"], credentials: true);
        await using var server = await AspNetCoreCorsServer.StartAsync(policy);
        var cases = PolicyCases.Generate(policy, server.Resource);
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, TimeSpan.FromSeconds(3), EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        var fromLoopback = run.Verdicts.Where(v => Loopback.Contains(v.Case.PageOrigin)).ToList();
        var others = run.Verdicts.Where(v => v.Case.PageOrigin == "https://app.example.com").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromLoopback, Has.Count.GreaterThan(0));
            Assert.That(fromLoopback.Where(v => !v.Passed && v.NotJudged is null).Select(v => v.Describe(run.Description!)), Is.Empty);
            Assert.That(fromLoopback.Where(v => v.NotJudged is not null), Has.All.Matches<PolicyVerdict>(v => v is not null && v.NotJudged!.Contains($"would not open the suite's page at {v.Case.PageOrigin}", StringComparison.Ordinal)
                && v.NotJudged!.Contains("loopback hosts", StringComparison.Ordinal)));
            // The ASP.NET Core middleware keeps the policy: the production origin's cases all pass, in every engine that opens its page.
            if (engine is not (Engine.WebkitGtk or Engine.Webkit)) Assert.That(others.Where(v => !v.Passed).Select(v => v.Describe(run.Description!)), Is.Empty);
            Assert.That(others, Has.Count.GreaterThan(0));
        }
    }
}
