using CorsConformance.Harness.ServerUnderTest;

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
        var client = Replay.CreateClient(acceptAnyCertificate: true);
        foreach (var route in settings.Routes)
        {
            _findings[route.Name] = await ProtocolChecks.RunAsync(route.Url, route.Policy, client, settings.Timeout);
        }
        ReferenceServersSetup.ProtocolFindings = _findings;
    }

    [TestCaseSource(nameof(Checks))]
    public void Check(string route, string id)
    {
        var finding = _findings[route].Single(f => f.Defect.Id == id);
        if (finding.Outcome == FindingOutcome.NotApplicable) Assert.Ignore(finding.Message);
        // The message ends with the request, the answer and the curl that reproduces it.
        Assert.That(finding.Outcome, Is.EqualTo(FindingOutcome.Pass), () => $"{finding.Message}\n  rule: {finding.Defect.Url}");
    }
}
