using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>Servers whose CORS headers are written by hand, reviewed on 2026-12-07 (sixth round): Apache httpd 2.4 with
/// mod_headers and mod_rewrite recipes, PHP's built-in server with header() snippets, Sinatra's before filters, Hono. Stand-ins
/// answer as each did, with its own Server / X-Powered-By line; a failure names what the answers show, in that server's words.</summary>
public sealed class HandWrittenHeadersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly CorsPolicy Policy = PolicyReader.Read(
        """{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowedHeaders": ["X-Request-Id"], "maxAge": 600 }""", "policy.json");
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    private async Task<string> BlockedAsync(ScriptedServer server, string id)
    {
        var @case = PolicyCases.Generate(Policy, server.Resource).Single(c => c.Id == id);
        var replay = new Replay(_client, Timeout);
        var (preflight, actual) = await replay.RunAsync(@case);
        var verdict = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        verdict = await PolicyRunner.WithPlainPreflightAsync(verdict, replay, CancellationToken.None);
        Assert.That(verdict.Passed, Is.False, "the policy allows it and the server refuses it");
        return verdict.Describe("Chromium 1");
    }

    /// <summary>Apache with its `Header` lines inside `&lt;If "%{REQUEST_METHOD} == 'OPTIONS'"&gt;`, and PHP with its header()
    /// calls inside the OPTIONS branch, answer a GET 200 without a CORS header; the failure said "Koa: app.use(cors(…)) …;
    /// Express: …; ASP.NET Core: …" to an answer carrying `Server: Apache/2.4.71 (Debian)` or `X-Powered-By: PHP/8.2.36`. A
    /// server showing neither keeps the middleware list and is told nothing of Apache or PHP.</summary>
    [TestCase("Server: Apache/2.4.71 (Debian)", "the answer shows Apache — Server: Apache/2.4.71 (Debian): its `Header` directives do not apply to this answer")]
    [TestCase("X-Powered-By: PHP/8.2.36", "the answer shows PHP — X-Powered-By: PHP/8.2.36: its header() calls are not reached for this request")]
    [TestCase("X-Frame-Options: SAMEORIGIN", null)]
    public async Task An_answer_without_CORS_headers_names_the_server_its_own_lines_show(string sign, string? expected)
    {
        await using var server = new ScriptedServer(_ => $"200 OK\r\n{sign}");
        var text = await BlockedAsync(server, "https-app-example-com/simple-get");
        using (Assert.EnterMultipleScope())
        {
            if (expected is null)
            {
                Assert.That(text, Does.Not.Contain("the answer shows Apache").And.Not.Contain("the answer shows PHP"), text);
                Assert.That(text, Does.Contain("Koa: app.use(cors(…))"), text);
            }
            else
            {
                Assert.That(text, Does.Contain(expected), text);
            }
        }
    }

    /// <summary>Apache's most-copied recipe answers OPTIONS with `RewriteRule ^(.*)$ $1 [R=200,L]` and adds the CORS headers
    /// with `Header add` (no `always`), which skips an answer Apache makes itself: the preflight is answered 200 with none.
    /// The failure led with Koa's and Express's mounting order; where the answer shows Apache, it leads with `Header always`.</summary>
    [Test]
    public async Task A_preflight_Apache_answered_without_CORS_headers_leads_with_Header_always()
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? "200 OK\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Type: text/html; charset=iso-8859-1"
            : $"200 OK\r\nServer: Apache/2.4.71 (Debian)\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var text = await BlockedAsync(server, "https-app-example-com/method-put");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("the answer shows Apache — Server: Apache/2.4.71 (Debian): Apache's `Header set` (or `add`) adds them only to an answer a handler made"), text);
            Assert.That(text, Does.Not.Contain("Koa").And.Not.Contain("ASP.NET Core"), text);
        }
    }

    /// <summary>Two layers adding Access-Control-Allow-Origin — PHP's header('Access-Control-Allow-Origin: *') then
    /// header("…: $origin", false), Apache's `Header always add` in front of an application that sets it — failed with
    /// "Access-Control-Allow-Origin '*, https://app.example.com' is not the request's origin" alone; the protocol check
    /// multiple-acao named the cause, the browser case did not. A preflight with two lines is named as the preflight's.</summary>
    [TestCase("https-app-example-com/simple-get", "The answer carries 2 Access-Control-Allow-Origin lines (* | https://app.example.com)")]
    [TestCase("https-app-example-com/method-put", "The preflight's answer carries 2 Access-Control-Allow-Origin lines (* | https://app.example.com)")]
    public async Task Two_Access_Control_Allow_Origin_lines_are_named_as_two_layers(string id, string expected)
    {
        await using var server = new ScriptedServer(r => (r.Method == "OPTIONS" ? "204 No Content" : "200 OK")
            + $"\r\nX-Powered-By: PHP/8.2.36\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}"
            + "\r\nAccess-Control-Allow-Methods: GET, PUT\r\nAccess-Control-Allow-Headers: X-Request-Id\r\nAccess-Control-Max-Age: 600");
        var text = await BlockedAsync(server, id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(expected), text);
            Assert.That(text, Does.Contain("which a browser reads as one value, '*, https://app.example.com', that is no origin"), text);
            Assert.That(text, Does.Contain("two layers each add the header"), text);
        }
    }

    /// <summary>Headers written on every answer — rack-cors's actual-request headers, a Sinatra before filter, Apache's `Header`
    /// for the whole host, PHP's header() calls at the top — put Access-Control-Allow-Methods on a GET's answer too, so on a
    /// plain OPTIONS they show nothing. Sinatra without an OPTIONS route answered the plain OPTIONS 404 (its router), and
    /// rack-cors 1.1 passes it on to the application (200 with the application's X-Total-Count); both failed "it was
    /// answered as a preflight". A 404 is no preflight's answer, and one shaped otherwise than the preflight's went where
    /// the GET goes: both pass, saying why. One answered as the preflight is (Apache's RewriteRule [R=204], a Sinatra
    /// options '*' route) still fails, as lines on the OPTIONS alone do.</summary>
    [TestCase("404 Not Found", "", true, FindingOutcome.Pass, "not answered as a preflight: an OPTIONS request without Access-Control-Request-Method got 404")]
    [TestCase("200 OK", "\r\nX-Total-Count: 3", true, FindingOutcome.Pass, "got 200 with X-Total-Count, which the preflight's answer lacks")]
    [TestCase("204 No Content", "", true, FindingOutcome.Fail, "answered as the preflight for PUT is (the same status and lines)")]
    [TestCase("204 No Content", "", false, FindingOutcome.Fail, "it was answered as a preflight")]
    public async Task Preflight_lines_sent_on_every_answer_do_not_make_a_plain_OPTIONS_a_preflight(string plainStatus, string plainExtra, bool onGetToo, FindingOutcome outcome, string said)
    {
        const string Lines = "\r\nAccess-Control-Allow-Methods: GET, PUT\r\nAccess-Control-Allow-Headers: X-Request-Id\r\nAccess-Control-Max-Age: 600";
        await using var server = new ScriptedServer(r =>
        {
            var cors = r.Header("Origin") == "https://app.example.com" ? "\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nVary: Origin" : "\r\nVary: Origin";
            if (r.Method != "OPTIONS") return "200 OK\r\nX-Total-Count: 3" + cors + (onGetToo ? Lines : "");
            // rack-cors answers its preflight 200 too: the plain OPTIONS differs by the application's own line alone.
            return (r.Header("Access-Control-Request-Method") is null ? plainStatus + plainExtra : plainExtra.Length > 0 ? plainStatus : "204 No Content") + cors + Lines;
        });
        var findings = await ProtocolChecks.RunAsync(server.Resource, Policy, _client, Timeout);
        var finding = findings.Single(f => f.Defect == ServerDefects.OptionsAnsweredAsPreflight);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Outcome, Is.EqualTo(outcome), finding.Message);
            Assert.That(finding.Message, Does.Contain(said), finding.Message);
        }
    }
}
