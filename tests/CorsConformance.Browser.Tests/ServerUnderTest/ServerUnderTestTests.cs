using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.NUnit;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// Your server under test, in real browsers: one test per case the policy implies, per engine. Configured by
/// runsettings/server-under-test.runsettings (TargetUrl, PolicyPath) or CORS_TARGET_URL / CORS_POLICY_PATH; without a
/// target there are no cases here (the fixture servers under tests/…/ServerUnderTest prove the machinery instead).
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
[Category("ServerUnderTest")]
public sealed class ServerUnderTestTests(Engine engine)
{
    private PolicyEngineRun? _run;

    private static string? Parameter(string key) => TestContext.Parameters.Get(key);

    /// <summary>The generated cases; a missing or malformed setting fails here, naming the setting.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) yield break;
        var settings = ServerUnderTestSettings.Load(Parameter);
        foreach (var @case in settings.Cases())
        {
            yield return new TestCaseData(@case.Id).SetName(@case.Title);
        }
    }

    /// <summary>One test per engine when a server is configured: an engine that ran and judged no case at all (WebKitGTK
    /// from an https page to a plain-HTTP server) fails the run when it was named, rather than passing on skipped cases.</summary>
    public static IEnumerable<TestCaseData> WhenConfigured()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) yield break;
        var settings = ServerUnderTestSettings.Load(Parameter);
        // Every route the cases go to, not only the target's (a policy's `resources` adds routes).
        var target = settings.Routes.Count > 1 ? string.Join(", ", settings.Routes.Select(r => r.Url)) : settings.Target.ToString();
        yield return new TestCaseData(target).SetName($"Some case is judged against {target}");
    }

    [TestCaseSource(nameof(WhenConfigured))]
    public void Some_case_is_judged(string target)
    {
        // An engine that cannot launch fails (or is skipped) once, in EngineLaunchTests.
        if (_run!.Unavailable is not null) Assert.Ignore(_run.Unavailable);
        if (_run.NothingJudged is { } why && !EngineSelection.Named) Assert.Ignore(why);
        // Thrown as the cases' failures are (PolicyFailure): the reason names the server's behaviour, no stack trace follows.
        if (_run.NothingJudged is not null) throw new PolicyFailure($"{engine.DisplayName()} was asked for and judged no case against {target}, so the run fails: {_run.NothingJudged}");
        // A server that refuses, resets or never answers makes every case a harness error: then no case was judged either.
        if (_run.NoneJudged is not null) throw new PolicyFailure($"{engine.DisplayName()} judged no case against {target}, so the run fails: {_run.NoneJudged}");
    }

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) return;
        var settings = ServerUnderTestSettings.Load(Parameter);
        var run = _run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, settings.Cases(), settings.Timeout, EngineSelection.Settings,
            authentication: settings.Authentication, acceptAnyCertificate: settings.AcceptAnyCertificate);
        ReferenceServersSetup.PolicyRuns.Add((settings, run));
    }

    [TestCaseSource(nameof(Cases))]
    public void Case(string id)
    {
        // An engine that cannot launch fails (or is skipped) once, in EngineLaunchTests.
        if (_run!.Unavailable is { } unavailable) Assert.Ignore(unavailable);
        // Judged as CorsConformance.NUnit judges a team's own fixture: the same outcome and the same failure text.
        PolicyAssert.Case(_run, id);
    }
}
