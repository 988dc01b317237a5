using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Browser.Tests.Audit;

/// <summary>Audit findings confirmed (or not) in a real browser, from a page whose origin is the attacker's probe origin.</summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class BrowserConfirmationTests(Engine engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private async Task<AuditFinding> ConfirmedAsync(string path)
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(server.UrlOf(path), MisconfiguredServer.Trusted, client, Timeout);
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout);
        var finding = confirmed.Findings.Single();
        if (finding.BrowserConfirmation?.Contains("no engine could run", StringComparison.Ordinal) == true)
        {
            Assert.Ignore((await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings)).Unavailable ?? "the engine could not run");
        }
        if (finding.BrowserConfirmation?.Contains(MixedContentProbe.Blocked, StringComparison.Ordinal) == true)
        {
            // The probe pages are https and the audited server plain-HTTP loopback: this engine cannot make the call at all.
            Assert.Ignore(finding.BrowserConfirmation);
        }
        return finding;
    }

    [TestCase("/prefix")]
    [TestCase("/null")]
    [TestCase("/special-characters")]
    public async Task A_trusted_attacker_origin_is_confirmed_by_a_credentialed_read_in_the_browser(string path)
    {
        var finding = await ConfirmedAsync(path);
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName()).And.Contain("carrying the user's cookies"));
    }

    /// <summary>A server that reflects any origin without credentials is a real finding: any page reads what the resource
    /// returns to anyone. It used to be "not exploitable" because confirmation always asked with credentials.</summary>
    [Test]
    public async Task A_reflection_without_credentials_is_confirmed_by_a_read_without_credentials()
    {
        var finding = await ConfirmedAsync("/public-no-credentials");
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain("without credentials"));
    }

    [Test]
    public async Task Star_with_credentials_is_a_server_defect_browsers_refuse()
    {
        var finding = await ConfirmedAsync("/star-with-credentials");
        Assert.That(finding.BrowserConfirmation, Does.StartWith("not exploitable in browsers (server defect only)"));
    }
}
