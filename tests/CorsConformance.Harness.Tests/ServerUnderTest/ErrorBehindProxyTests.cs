using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>An API behind nginx whose CORS headers are added with `add_header` (no `always`) answers its own 500 through the
/// proxy without Access-Control-Allow-Origin (nginx 1.22 with a Node backend, 2026-12-06): the allowed call's failure said
/// why error answers lose the CORS headers in ASP.NET Core's words only, though the fix there is the `always` parameter.
/// The recorded answer below is nginx's.</summary>
public sealed class ErrorBehindProxyTests
{
    [Test]
    public void An_error_answer_without_CORS_headers_names_the_proxy_settings_that_drop_them()
    {
        var @case = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api/items"))
            .Single(c => c.Id == "https-app-example-com/simple-get");
        var answer = new RawResponse(500, [new("Server", "nginx/1.22.1"), new("Content-Type", "application/json")], null) { Reached = true };
        var verdict = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, null, answer);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(text, Does.Contain("The server answered 500 without Access-Control-Allow-Origin"), text);
            Assert.That(text, Does.Contain("nginx: add_header without `always` adds nothing to a 4xx or 5xx, the application's own included"), text);
            Assert.That(text, Does.Contain("Apache: `Header set` without `always` skips the errors Apache answers itself"), text);
        }
    }
}
