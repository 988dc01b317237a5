using CorsConformance.Harness.Audit;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.Audit;

/// <summary>
/// The audit as NUnit tests (runsettings/audit.runsettings): one test per misconfiguration class, failing when the URL has a
/// finding of that class at or above the threshold, with the evidence and the browser confirmation. Configured by the
/// parameters AuditUrl, TrustedOrigin and FailOn (or CORS_AUDIT_URL, CORS_TRUSTED_ORIGIN, CORS_AUDIT_FAIL_ON); without
/// AuditUrl there are no cases here.
/// </summary>
[Category("Audit")]
public sealed class AuditTests
{
    private AuditResult? _result;

    private static string? Setting(string parameter, string environment) =>
        Environment.GetEnvironmentVariable(environment) is { Length: > 0 } env ? env
        : TestContext.Parameters.Get(parameter) is { Length: > 0 } value ? value : null;

    private static Uri? Target => Setting("AuditUrl", "CORS_AUDIT_URL") is { } url
        ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"Setting 'AuditUrl' (or CORS_AUDIT_URL): '{url}' is not an absolute URL.")
        : null;

    private static Severity Threshold => Setting("FailOn", "CORS_AUDIT_FAIL_ON") is { } text
        ? Enum.TryParse<Severity>(text, ignoreCase: true, out var severity) ? severity : throw new ArgumentException($"Setting 'FailOn': '{text}' is not info, low, medium or high.")
        : Severity.Low;

    /// <summary>No case when the engine setting names no engine (`BROWSER=chrome`): EngineLaunchTests' "The engines asked for
    /// are known" (in this category too) fails once, naming the setting, where every case here errored with the
    /// ArgumentException of an engine list read apart from the suite's shared helper.</summary>
    public static IEnumerable<TestCaseData> Classes() =>
        Target is null || CorsConformance.NUnit.CorsEngines.Problem is not null ? [] : ServerDefects.DetectedBy(DefectDetectors.Audit).Select(c => new TestCaseData(c.Id).SetName($"{Target}: {c.Title}"));

    [OneTimeSetUp]
    public async Task AuditAsync()
    {
        if (Target is not { } target || CorsConformance.NUnit.CorsEngines.Problem is not null) return;
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(target, Setting("TrustedOrigin", "CORS_TRUSTED_ORIGIN"), client, TimeSpan.FromSeconds(10));
        _result = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers,
            EngineSelection.Selected.Where(e => e != Engine.Webkit), EngineSelection.Settings, TimeSpan.FromSeconds(10), client: client);
    }

    [TestCaseSource(nameof(Classes))]
    public void Class(string id)
    {
        // A class no answer decided is not clean: it fails, with why each of its probes went unanswered.
        var notChecked = _result!.NotChecked.Where(n => n.Defect.Id == id).ToList();
        Assert.That(notChecked, Is.Empty, () => $"{id} was NOT CHECKED:\n" + string.Join("\n", notChecked.Select(n => $"  probe from {n.ProbeOrigin}: {n.Why}")));
        var findings = _result!.Findings.Where(f => f.Defect.Id == id && f.Severity >= Threshold).ToList();
        Assert.That(findings, Has.Count.Zero, () => string.Join("\n", findings.Select(f =>
            $"[{f.Severity}] {f.Message}\n  {f.BrowserConfirmation}\n  answer: {f.Response}\n  reproduce: {f.Curl}\n  {f.FetchSnippet}")));
    }
}
