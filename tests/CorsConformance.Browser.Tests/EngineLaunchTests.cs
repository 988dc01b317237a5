using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;

namespace CorsConformance.Browser.Tests;

/// <summary>
/// Whether the engines this run covers can launch (<see cref="LaunchRule"/>): one test per engine, so an engine that was
/// named (BROWSER, a runsettings Engine) and cannot launch fails once, with the reason and the install command, instead of
/// skipping its hundreds of cases into a green run; under `all` it is skipped with the reason, unless no engine launches.
/// In every run: the matrix (nightly.runsettings), the server under test and the audit (their categories).
/// </summary>
[Category("Engines")]
[Category("ServerUnderTest")]
[Category("Audit")]
public sealed class EngineLaunchTests
{
    public static IEnumerable<TestCaseData> SelectedEngines() =>
        EngineSelection.Selected.Select(engine => new TestCaseData(engine).SetArgDisplayNames(engine.Id()));

    /// <summary>Fails, once, when BROWSER or the runsettings Engine names no engine this suite knows (`chrome`): the engine
    /// test sources threw "Unknown engine 'chrome'" under NUnit's reflection frames instead.</summary>
    [TestCaseSource(typeof(CorsConformance.NUnit.CorsEngines), nameof(CorsConformance.NUnit.CorsEngines.Problems))]
    public void Engines_are_known(string problem) => throw new CorsConformance.NUnit.PolicyFailure(problem);

    [TestCaseSource(nameof(SelectedEngines))]
    public async Task Launches(Engine engine)
    {
        var unavailable = await EngineSelection.UnavailableAsync(engine);
        if (unavailable is not null && !EngineSelection.Named) Assert.Ignore(unavailable);
        Assert.That(unavailable, Is.Null, () => LaunchRule.NamedFailure(engine, unavailable!));
    }

    /// <summary>Under `all` or the default only: named engines fail one by one above.</summary>
    public static IEnumerable<TestCaseData> AllEngines() =>
        EngineSelection.Named ? [] : [AllEnginesCase(string.Join(",", EngineSelection.Selected.Select(e => e.Id())))];

    private static TestCaseData AllEnginesCase(string selected) => new TestCaseData(selected).SetName($"Some engine of {selected} launches");

    [TestCaseSource(nameof(AllEngines))]
    public async Task Some_engine_launches(string selected)
    {
        var engines = Engines.ParseList(selected);
        var outcomes = await Task.WhenAll(engines.Select(EngineSelection.UnavailableAsync));
        var failures = LaunchRule.Failures(engines.Zip(outcomes).ToList(), named: false, judged: null);
        Assert.That(failures, Is.Empty, () => string.Join("\n", failures));
    }
}
