using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// A staging API behind a login, in real browsers: two routes (one read-only) run in one engine run, the credentialed
/// cases carry an Authorization header read from an environment variable and a cookie jar's session, and neither — nor
/// what the server echoes or sets — appears in clear in the evidence or the report, which is the nightly report's schema.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class LoginServerTests(Engine engine)
{
    private const string Token = "Bearer fixture-token-4b8e0c21";
    private const string Variable = "CORS_FIXTURE_TOKEN";
    private const string Session = "fixture-session-7f3a9c";
    private LoginApiServer _server = null!;
    private ServerUnderTestSettings _settings = null!;
    private PolicyEngineRun _run = null!;

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        var policy = FixturePolicies.Load("login");
        _server = await LoginApiServer.StartAsync(policy);
        var jar = Path.Combine(AppContext.BaseDirectory, "fixtures", "login", "cookies.txt");
        var authentication = Authentication.Load($"Authorization={Variable}", jar, [policy], name => name == Variable ? Token : null);
        _settings = new ServerUnderTestSettings(_server.BaseUrl, policy, FixturePolicies.PathOf("login"), TimeSpan.FromSeconds(3)) { Authentication = authentication };
        _run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, _settings.Cases(), _settings.Timeout, EngineSelection.Settings,
            authentication: authentication);
        if (_run.Unavailable is not null) Assert.Ignore(_run.Unavailable);
        if (_run.NothingJudged is not null) Assert.Ignore(_run.NothingJudged);
        // WebKitGTK judges only the http: page origins against this plain-HTTP server (mixed content): not enough here.
        if (_run.Verdicts.FirstOrDefault(v => v.NotJudged is not null && v.Case.PageOrigin == "https://app.example.com") is { } notJudged)
        {
            Assert.Ignore(notJudged.NotJudged!);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private string Evidence() => string.Join("\n", _run.Verdicts.Where(v => !v.Passed).Select(v => v.Describe(_run.Description!)));

    [Test]
    public void Every_case_of_every_route_passes_against_a_correct_server_behind_a_login()
    {
        var judged = _run.Verdicts.Where(v => v.NotJudged is null).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Where(v => !v.Passed), Is.Empty, Evidence);
            Assert.That(judged.Select(v => v.Case.Route).Distinct(), Is.EquivalentTo(new[] { "/api/items", "/api/admin" }));
            // The admin route allows GET only: the API's PUT and DELETE are tried there and refused.
            Assert.That(judged.Where(v => v.Case.Route == "/api/admin" && v.Case.Id.Contains("unlisted-method-put", StringComparison.Ordinal)), Is.Not.Empty);
            Assert.That(judged.Where(v => v.Case.Route == "/api/items" && v.Case.Id.EndsWith("/method-put", StringComparison.Ordinal)), Is.Not.Empty);
        }
    }

    [Test]
    public void The_credentialed_cases_carry_the_header_from_the_environment_and_the_others_do_not()
    {
        var seen = _server.Seen.Where(s => s.Method != "OPTIONS").ToList();
        using (Assert.EnterMultipleScope())
        {
            // The token, or the policy's own header case ("a request with Authorization: 1"), which is not credentialed.
            Assert.That(seen.Where(s => s.Authorization is not null).Select(s => s.Authorization), Has.All.EqualTo(Token).Or.EqualTo("1"));
            // The credentialed GET from the allowed origin, on each route: the browser's request and the replay's.
            foreach (var route in new[] { "/api/items", "/api/admin" })
            {
                Assert.That(seen.Count(s => s.Path == route && s.Method == "GET" && s.Origin == "https://app.example.com" && s.Authorization == Token),
                    Is.GreaterThanOrEqualTo(2), route);
            }
            var anonymous = _run.Verdicts.Count(v => v.Case.Request.Credentials != Specs.Model.CredentialsMode.Include && v.Case.Request.Method == "GET" && v.Case.Request.Headers.Count == 0);
            Assert.That(seen.Count(s => s.Method == "GET" && s.Authorization is null), Is.GreaterThanOrEqualTo(anonymous), "requests without credentials carry no Authorization");
            // The replay carries the jar's cookie (a browser sends it only where its cookie policy lets it: not to this cross-site server).
            Assert.That(seen.Where(s => s.Cookie is not null).Select(s => s.Cookie), Has.Some.EqualTo($"session={Session}"));
        }
    }

    [Test]
    public void No_secret_appears_in_clear_in_the_evidence_or_the_report_which_has_the_nightly_schema()
    {
        var report = PolicyReportBuilder.Build(_settings, [_run], DateTimeOffset.UtcNow);
        var json = ReportFile.Serialize(report);
        var texts = new[] { json, MarkdownReport.Render(report), HtmlReport.Render(report), string.Join("\n", _run.Verdicts.Select(v => v.Describe(_run.Description!))) };
        var parsed = ReportFile.Parse(json, "report.json");
        using (Assert.EnterMultipleScope())
        {
            foreach (var text in texts)
            {
                Assert.That(text, Does.Not.Contain("fixture-token-4b8e0c21").And.Not.Contain(Session).And.Not.Contain(LoginApiServer.RotatedSession));
            }
            Assert.That(texts[3], Does.Contain("[redacted: $" + Variable + "]").And.Contain("X-Echo-Authorization: [redacted]").And.Contain("session=[redacted]; Path=/"));
            Assert.That(texts[1], Does.Contain("## Server under test: " + _server.BaseUrl).And.Contain("| /api/admin | " + _server.UrlOf("/api/admin") + " | GET |")
                .And.Contain("header Authorization from $" + Variable));
            Assert.That(texts[2], Does.Contain("route /api/admin (" + _server.UrlOf("/api/admin") + "): GET").And.Contain("class=\"evidence\""));
            Assert.That(parsed.ServerUnderTest!.Routes.Select(r => r.Name), Is.EqualTo(new[] { "/api/items", "/api/admin" }));
            Assert.That(parsed.ServerUnderTest.Authentication, Is.EqualTo(new[] { $"header Authorization from ${Variable}", "cookie session for 127.0.0.1/" }));
            Assert.That(parsed.Cases.Select(c => c.Category).Distinct(), Is.EquivalentTo(new[] { "/api/items", "/api/admin" }));
            Assert.That(parsed.Cases.SelectMany(c => c.Results.Values).Select(r => r.Verdict), Has.All.EqualTo(Verdicts.Conforms));
            Assert.That(parsed.Cases.SelectMany(c => c.Results.Values).Select(r => r.Evidence), Has.All.Not.Null);
            Assert.That(parsed.Engines.Single().Summary.Cases, Is.EqualTo(_run.Verdicts.Count(v => v.NotJudged is null)));
        }
    }
}
