using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// Your server under test, in real browsers: one test per case the policy implies, per engine. Configured by
/// runsettings/server-under-test.runsettings (TargetUrl, PolicyPath) or CORS_TARGET_URL / CORS_POLICY_PATH; without a
/// target there are no cases here (the fixture servers under tests/…/ServerUnderTest prove the machinery instead).
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
[Category("ServerUnderTest")]
[Parallelizable(ParallelScope.Fixtures)]
public sealed class ServerUnderTestTests(Engine engine)
{
    private Dictionary<string, PolicyVerdict> _verdicts = [];
    private string _description = "";

    private static string? Parameter(string key) => TestContext.Parameters.Get(key);

    /// <summary>The generated cases; a missing or malformed setting fails here, naming the setting.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) yield break;
        var settings = ServerUnderTestSettings.Load(Parameter);
        foreach (var @case in PolicyCases.Generate(settings.Policy, settings.Target))
        {
            yield return new TestCaseData(@case.Id).SetName(@case.Title);
        }
    }

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) return;
        var settings = ServerUnderTestSettings.Load(Parameter);
        var cases = PolicyCases.Generate(settings.Policy, settings.Target);
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, settings.Timeout, EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        if (run.NothingJudged is not null) Assert.Ignore(run.NothingJudged);
        _description = run.Description!;
        _verdicts = run.Verdicts.ToDictionary(v => v.Case.Id);
    }

    [TestCaseSource(nameof(Cases))]
    public void Case(string id)
    {
        var verdict = _verdicts[id];
        if (verdict.NotJudged is not null) Assert.Ignore(verdict.Describe(_description));
        Assert.That(verdict.Passed, Is.True, () => verdict.Describe(_description));
    }
}
