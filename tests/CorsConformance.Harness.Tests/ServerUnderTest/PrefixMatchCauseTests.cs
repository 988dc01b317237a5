using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>PHP's recipe `strpos($origin, 'app.example.com') !== false` (checked against PHP 8.2's built-in server) admits
/// https://app.example.com:8443 and https://app.example.com_.cors-audit-attacker.test: their cases failed titled "other-port:
/// admitted by a server that ignores the port" and "special-characters: … a host check that stops at a special character",
/// with nothing else — while the audit of the same server folds both into prefix-match. The prefix-match forgery of the same
/// origin, admitted too, now names that cause.</summary>
public sealed class PrefixMatchCauseTests
{
    private static readonly CorsPolicy Exact = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.org"] }""", "test.json");

    private static ScriptedServer Admitting(Func<string, bool> check) =>
        new(r => r.Header("Origin") is { } origin && check(origin) ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}" : "200 OK");

    private static async Task<PolicyVerdict> BrowserAllowedAsync(ScriptedServer server, string id)
    {
        var @case = PolicyCases.Generate(Exact, server.Resource).Single(c => c.Id == id);
        var admitted = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, @case.PageOrigin)], null) { Reached = true };
        var judged = PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, null, admitted);
        return await PolicyRunner.WithAnyOriginAnswerAsync(judged, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)), CancellationToken.None);
    }

    [TestCase("https-app-example-org/forged-other-port/simple-get", "the port is not the cause")]
    [TestCase("https-app-example-org/forged-special-characters/simple-get", "the special character is not the cause")]
    public async Task A_forgery_admitted_by_a_contains_check_names_the_prefix_match(string id, string notTheCause)
    {
        await using var server = Admitting(origin => origin.Contains("app.example.org", StringComparison.Ordinal));
        var verdict = await BrowserAllowedAsync(server, id);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(text, Does.Contain("A GET from https://app.example.org.cors-audit-attacker.test (prefix-match: the allowed origin followed by other letters) is answered "
                + "Access-Control-Allow-Origin: https://app.example.org.cors-audit-attacker.test: the server admits any origin that starts with https://app.example.org"), text);
            Assert.That(text, Does.Contain(notTheCause), text);
        }
    }

    [Test]
    public async Task A_server_that_ignores_the_port_alone_keeps_its_title_alone()
    {
        await using var server = Admitting(origin => new Uri(origin) is { Scheme: "https", Host: "app.example.org" });
        var verdict = await BrowserAllowedAsync(server, "https-app-example-org/forged-other-port/simple-get");
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(verdict.AdmitsPrefix, Is.Null, text);
            Assert.That(text, Does.Not.Contain("prefix-match"), text);
        }
    }
}
