using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.NUnit;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// Your server under test without a browser: each protocol check (<see cref="ProtocolChecks"/>) is one test of the
/// server-under-test run, so they run and count even when no browser can launch. Configured like
/// <see cref="ServerUnderTestTests"/>; without a target there are no cases here.
/// </summary>
[Category("ServerUnderTest")]
public sealed class ProtocolCheckTests
{
    private Dictionary<string, IReadOnlyList<ProtocolFinding>> _findings = [];

    private static string? Parameter(string key) => TestContext.Parameters.Get(key);

    /// <summary>Every check on every route, named after the route (tests group by it).</summary>
    public static IEnumerable<TestCaseData> Checks() =>
        ServerUnderTestSettings.IsConfigured(Parameter)
            ? ServerUnderTestSettings.Load(Parameter).Routes.SelectMany(r => ProtocolChecks.Defects.Select(d =>
                new TestCaseData(r.Name, d.Id).SetName($"{r.Name}: the server under test has no {d.Id}: {d.Title}")))
            : [];

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) return;
        var settings = ServerUnderTestSettings.Load(Parameter);
        // A certificate browsers do not trust leaves every check not checked unless it is accepted on purpose.
        var client = Replay.CreateClient(settings.AcceptAnyCertificate);
        foreach (var route in settings.Routes)
        {
            _findings[route.Name] = await ProtocolChecks.RunAsync(route.Url, route.Policy, client, settings.Timeout);
        }
        ReferenceServersSetup.ProtocolFindings = _findings;
    }

    [TestCaseSource(nameof(Checks))]
    public void Check(string route, string id)
    {
        // Judged as CorsConformance.NUnit judges a team's own fixture: the same outcome and the same failure text.
        PolicyAssert.Check(_findings[route].Single(f => f.Defect.Id == id));
    }
}
