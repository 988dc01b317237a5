using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>
/// A preflight finding's fetch() line is the request the preflight is for. Against PHP's built-in server with the recipe
/// whose OPTIONS branch echoes $_SERVER['HTTP_ORIGIN'] before the allow-list, preflight-admits-any-origin was reproduced by
/// `await fetch(url, { credentials: "include" })` — a GET, which that very server refuses: run from the attacker's page it
/// is blocked, and the reader concludes a false alarm, while the credentialed PUT of JSON the finding is about goes.
/// </summary>
public sealed class AuditFetchSnippetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private MisconfiguredServer _server = null!;
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await MisconfiguredServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Preflight_admits_any_origin_is_reproduced_by_the_credentialed_put_of_json()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/preflight-admits-any-origin"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single(f => f.Defect == ServerDefects.PreflightAdmitsAnyOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.FetchSnippet, Does.Contain("method: \"PUT\""));
            Assert.That(finding.FetchSnippet, Does.Contain("\"content-type\": \"application/json\""));
            Assert.That(finding.FetchSnippet, Does.Contain("credentials: \"include\""));
            Assert.That(finding.FetchSnippet, Does.Contain($"// from a page at {finding.ProbeOrigin}"));
        }
    }

    [Test]
    public async Task Preflight_reflects_anything_is_reproduced_by_the_invented_method_and_header()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/preflight-reflects-anything"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single(f => f.Defect == ServerDefects.PreflightReflectsAnything);
        Assert.That(finding.FetchSnippet, Does.Contain("method: \"CORSAUDIT\"").And.Contain("\"x-cors-audit-probe\": \"1\""));
    }

    [Test]
    public async Task A_reflection_is_still_reproduced_by_a_credentialed_read()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/reflect"), MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.Findings.Select(f => f.FetchSnippet), Has.Some.Contains("{ credentials: \"include\" }).then(r => r.text())"));
    }
}
