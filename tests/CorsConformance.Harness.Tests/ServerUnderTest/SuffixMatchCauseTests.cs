using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>@fastify/cors configured as its README shows for subdomains, `origin: /example\.org$/`, admits every host that
/// ends in those letters: against the policy `https://*.example.org`, 'a simple GET from https://cors-conformancexexample.org,
/// forged from https://cors-conformance.example.org (unescaped-dot: admitted by a regular expression whose dot is not
/// escaped) is refused' failed with nothing but that title to explain it — a dot the team had escaped. The suffix-match
/// forgery of the same origin, admitted too, now names the cause, as the audit folds unescaped-dot into suffix-match.</summary>
public sealed class SuffixMatchCauseTests
{
    private static readonly CorsPolicy Subdomains = PolicyReader.Read("""{ "allowedOrigins": ["https://*.example.org"] }""", "test.json");
    private static readonly CorsPolicy Exact = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.org"] }""", "test.json");

    /// <summary>A server reflecting every Origin its check admits (no Vary: the point is the origin check).</summary>
    private static ScriptedServer Admitting(Func<string, bool> check) =>
        new(r => r.Header("Origin") is { } origin && check(origin) ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}" : "200 OK");

    private static async Task<PolicyVerdict> BrowserAllowedAsync(ScriptedServer server, CorsPolicy policy, string id)
    {
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == id);
        var admitted = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, @case.PageOrigin)], null) { Reached = true };
        var judged = PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, null, admitted);
        return await PolicyRunner.WithAnyOriginAnswerAsync(judged, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)), CancellationToken.None);
    }

    [Test]
    public async Task An_unescaped_dot_forgery_admitted_by_a_suffix_match_names_the_suffix_match()
    {
        await using var server = Admitting(origin => System.Text.RegularExpressions.Regex.IsMatch(origin, @"example\.org$"));
        var verdict = await BrowserAllowedAsync(server, Subdomains, "https-cors-conformance-example-org/forged-unescaped-dot/simple-get");
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(verdict.Case.ForgedFrom, Is.EqualTo("https://cors-conformance.example.org"));
            Assert.That(text, Does.Contain("A GET from https://corsauditattackerexample.org (suffix-match: a name that merely ends in example.org) is answered "
                + "Access-Control-Allow-Origin: https://corsauditattackerexample.org: the server admits any host that ends in those letters"), text);
            Assert.That(text, Does.Contain("which admits https://cors-conformancexexample.org too, so the cause may be that suffix match rather than an unescaped dot"), text);
            Assert.That(text, Does.Contain(@"(`^https://[a-z0-9-]+\.example\.org$`)"), text);
        }
    }

    [Test]
    public async Task An_unescaped_dot_that_is_the_cause_keeps_its_title_alone()
    {
        // `^https://app.example\.org$`: the dot after app is not escaped; corsauditattackerexample.org is not admitted.
        await using var server = Admitting(origin => System.Text.RegularExpressions.Regex.IsMatch(origin, @"^https://app.example\.org$"));
        var verdict = await BrowserAllowedAsync(server, Exact, "https-app-example-org/forged-unescaped-dot/simple-get");
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(verdict.AdmitsSuffix, Is.Null, text);
            Assert.That(text, Does.Not.Contain("suffix-match"), text);
        }
    }

    [Test]
    public async Task A_subdomain_forgery_admitted_by_a_suffix_match_names_it_too()
    {
        await using var server = Admitting(origin => origin.EndsWith("example.org", StringComparison.Ordinal));
        var verdict = await BrowserAllowedAsync(server, Exact, "https-app-example-org/forged-any-subdomain/simple-get");
        Assert.That(verdict.Describe("Chromium 1"), Does.Contain("it is not only that every subdomain is trusted"));
    }

    /// <summary>@koa/cors with credentials: true and no origin function reflects every Origin, and @fastify/cors with origin:
    /// true does too: each forged origin's failure said the server admits any origin, then advised only "ASP.NET Core:
    /// WithOrigins(…) in place of SetIsOriginAllowed(_ => true)", a setting those teams do not have.</summary>
    [Test]
    public async Task A_server_reflecting_every_origin_is_told_the_settings_of_the_middlewares_that_do()
    {
        await using var server = Admitting(_ => true);
        var text = (await BrowserAllowedAsync(server, Exact, "https-app-example-org/forged-prefix-match/simple-get")).Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("the server admits any origin (it reflects the Origin)"), text);
            Assert.That(text, Does.Contain("@fastify/cors and Express's cors: a list in place of origin: true").And.Contain("@koa/cors: an origin function, since credentials: true without one reflects every Origin"), text);
            // go-chi/cors 1.2.1 with its README's AllowedOrigins {"https://*", "http://*"} and AllowCredentials reflected
            // every origin (checked against Debian's golang-github-go-chi-cors-dev): none of the settings named was theirs.
            Assert.That(text, Does.Contain("go-chi/cors and rs/cors: exact origins in place of a pattern such as \"https://*\" in AllowedOrigins"), text);
        }
    }
}
