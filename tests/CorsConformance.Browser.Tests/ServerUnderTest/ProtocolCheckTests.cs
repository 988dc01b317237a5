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
    private IReadOnlyList<ProtocolFinding> _findings = [];

    private static string? Parameter(string key) => TestContext.Parameters.Get(key);

    public static IEnumerable<TestCaseData> Checks() =>
        ServerUnderTestSettings.IsConfigured(Parameter)
            ? ProtocolChecks.Checks.Select(c => new TestCaseData(c.Key).SetName($"The server under test: {c.Value.Title}"))
            : [];

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        if (!ServerUnderTestSettings.IsConfigured(Parameter)) return;
        var settings = ServerUnderTestSettings.Load(Parameter);
        var client = Replay.CreateClient(acceptAnyCertificate: true);
        _findings = await ProtocolChecks.RunAsync(settings.Target, settings.Policy, client, settings.Timeout);
    }

    [TestCaseSource(nameof(Checks))]
    public void Check(string id)
    {
        var finding = _findings.Single(f => f.CheckId == id);
        if (finding.Outcome == FindingOutcome.NotApplicable) Assert.Ignore(finding.Message);
        Assert.That(finding.Outcome, Is.EqualTo(FindingOutcome.Pass), () => $"{finding.Message}\n  rule: {finding.Source}\n  reproduce: {finding.Curl}");
    }
}
