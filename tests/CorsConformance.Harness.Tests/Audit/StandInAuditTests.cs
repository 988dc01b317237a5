using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>The audit against stand-ins for servers that misbehave in ways no fixture app shows: answers that differ from
/// one ask to the next, answers decided on a browser's headers, answers trickled past the timeout.</summary>
public sealed class StandInAuditTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private const string Trusted = "https://app.example.com";
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    private static string Shown(AuditResult r) =>
        string.Join("\n", r.Findings.Select(f => $"[{f.Severity}] {f.Defect.Id} via {f.ProbeOrigin}: {f.Message}"))
        + "\n" + string.Join("\n", r.NotChecked.Select(n => $"[not checked] {n.Defect.Id} ({n.ProbeOrigin}): {n.Why}"));

    /// <summary>A reflecting server that answers every other request 500 without CORS headers (two backends behind a
    /// round-robin balancer, one failing): each probe that drew the failing backend read "not admitted", and classes whose
    /// probes all did were called clean. Asked twice, its answers to the same request differ: every defect not found is
    /// not checked, the reason showing both answers.</summary>
    [Test]
    public async Task A_server_whose_answers_to_the_same_request_differ_is_not_called_clean()
    {
        await using var server = StandInServers.AlternatingReflector();
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        TestContext.Out.WriteLine(Shown(result));
        var found = result.Findings.Select(f => f.Defect).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Does.Contain(ServerDefects.ReflectedOrigin), Shown(result));
            // Every class with a probe is explained by reflected-origin; the others must be found or not checked.
            var probed = Auditor.ProbesFor(Trusted).Select(p => p.Defect).ToHashSet();
            var unaccounted = ServerDefects.DetectedBy(DefectDetectors.Audit).Where(d => !probed.Contains(d) && !found.Contains(d) && result.NotChecked.All(n => n.Defect != d)).Select(d => d.Id);
            Assert.That(unaccounted, Is.Empty, "a defect neither found nor not checked is called clean: " + Shown(result));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.Some.Contains("answers the same request differently").And.Some.Contains("500"), Shown(result));
        }
    }

    /// <summary>A strict server that drops Vary: Origin from its refusals after the first answer to each origin (as one
    /// degrading mid-audit, or a second backend configured without it): the reason read "a GET from … was answered 200 without
    /// Access-Control-Allow-Origin, then 200 without Access-Control-Allow-Origin" — two answers said to differ that read
    /// alike. It names the line that differs.</summary>
    [Test]
    public async Task Two_answers_said_to_differ_never_read_alike()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await using var server = new ScriptedServer(r =>
        {
            var origin = r.Header("Origin") ?? "-";
            if (origin == Trusted) return r.Method == "OPTIONS"
                ? $"204 No Content\r\nVary: Origin\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Methods: GET\r\nAccess-Control-Allow-Credentials: true"
                : $"200 OK\r\nVary: Origin\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true";
            var n = seen.AddOrUpdate(r.Method + " " + origin + " " + r.Header("Cookie"), 1, (_, k) => k + 1);
            return (r.Method == "OPTIONS" ? "204 No Content" : "200 OK") + (n == 1 ? "\r\nVary: Origin" : "");
        });
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var why = result.NotChecked.Select(n => n.Why).FirstOrDefault(w => w.Contains("answers the same request differently")) ?? "";
        var quoted = System.Text.RegularExpressions.Regex.Match(why, "was answered (.*?), then (.*?)(?: \\(\\d+ more|; a defect)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quoted.Success, Is.True, Shown(result));
            Assert.That(quoted.Groups[1].Value, Is.Not.EqualTo(quoted.Groups[2].Value), Shown(result));
            Assert.That(why, Does.Contain("Vary: Origin"), Shown(result));
        }
    }

    /// <summary>A reflecting server that stops sending CORS headers after its first 20 requests (a quota; raw-socket
    /// stand-in, 2026-12-07), or starts answering 429: the reflection found on an early probe read "the server answers
    /// browsers otherwise than other clients: without a browser's User-Agent … answered 200 without Access-Control-Allow-Origin"
    /// (and "… answered 429"), where it was the order of the requests, not their headers. The finding says the answers
    /// changed during the audit, or nothing where the late answer is a 429.</summary>
    [TestCase("200 OK")]
    [TestCase("429 Too Many Requests")]
    public async Task A_server_that_changes_its_answers_mid_audit_is_not_said_to_answer_browsers_otherwise(string later)
    {
        var asked = 0;
        await using var server = new ScriptedServer(r => Interlocked.Increment(ref asked) > 20 ? later
            : r.Header("Origin") is { } origin ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin" : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.FirstOrDefault(f => f.Defect == ServerDefects.ReflectedOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Message, Does.Not.Contain("answers browsers otherwise"), Shown(result));
            if (later == "200 OK") Assert.That(finding?.Message, Does.Contain("changed during the audit"), Shown(result));
        }
    }

    /// <summary>The express `cors` package answers an origin it refuses with a 500 on purpose: consistent, that 500 is a
    /// refusal, and a strict server behind it is checked clean (the second asks change nothing).</summary>
    [Test]
    public async Task A_consistent_500_to_refused_origins_is_a_refusal_not_an_inconsistency()
    {
        await using var server = StandInServers.ExpressRefusing(Trusted);
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty, Shown(result));
            Assert.That(result.NotChecked, Is.Empty, Shown(result));
        }
    }

    /// <summary>A reflecting server that drops every other connection: the retry of each dropped probe gets the real answer,
    /// so the audit finds the reflection, and nothing is called clean.</summary>
    [Test]
    public async Task A_server_that_drops_every_other_connection_is_not_called_clean()
    {
        await using var server = new DroppingServer();
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        TestContext.Out.WriteLine(Shown(result));
        var found = result.Findings.Select(f => f.Defect).ToHashSet();
        Assert.That(found, Does.Contain(ServerDefects.ReflectedOrigin), Shown(result));
    }

    /// <summary>A server that reflects any origin with credentials to browsers only (a bot defence answering other clients
    /// 403): the audit probed with a bare HTTP client's request, got 403 everywhere, and said only that the trusted origin was
    /// not admitted — while every browser page at any origin reads its users' responses. The probes go as a browser's, and the
    /// finding says the server answers other clients otherwise.</summary>
    [Test]
    public async Task A_server_that_reflects_origins_to_browsers_only_is_found_and_said_to_answer_browsers_otherwise()
    {
        await using var server = StandInServers.BrowserKeyed();
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.FirstOrDefault(f => f.Defect == ServerDefects.ReflectedOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Message, Does.Contain("the server answers browsers otherwise").And.Contain("403 without Access-Control-Allow-Origin"), Shown(result));
            Assert.That(finding?.Curl, Does.Contain("User-Agent: Mozilla/5.0").And.Contain("Sec-Fetch-Mode: cors"));
            Assert.That(server.Seen.Where(r => r.Header("Origin") is not null).Select(r => r.Header("Sec-Fetch-Mode")), Has.Some.EqualTo("cors"));
            Assert.That(result.NotChecked, Is.Empty, Shown(result));
        }
    }

    /// <summary>The reverse: a server that reflects any origin to every client but a browser. Browsers read nothing; the audit
    /// called it reflected-origin, high, from answers no browser gets.</summary>
    [Test]
    public async Task A_server_that_reflects_origins_to_other_clients_only_is_not_a_finding()
    {
        await using var server = StandInServers.BrowserKeyed(reversed: true);
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings.Select(f => f.Defect.Id), Has.None.EqualTo("reflected-origin"), Shown(result));
            // Not put down to an authentication layer: the server admits the origin to every client but a browser.
            Assert.That(result.NotChecked.First(n => n.Defect == ServerDefects.PrefixMatch).Why,
                Does.Contain("the server answers browsers otherwise than other clients").And.Not.Contain("authentication layer"), Shown(result));
        }
    }

    /// <summary>The audit's reason for a 500 to the trusted origin named ASP.NET Core's missing CORS middleware for any
    /// server: an Express app's 500 read "ASP.NET Core answers 500 to every request of an endpoint given a CORS policy…".
    /// Only an answer that shows ASP.NET Core (Server: Kestrel) gets that advice.</summary>
    [TestCase("X-Powered-By: Express", false)]
    [TestCase("Server: nginx/1.22.1", false)]
    [TestCase("Server: Kestrel", true)]
    public async Task The_ASP_NET_Core_500_advice_is_given_only_where_the_answer_shows_ASP_NET_Core(string header, bool aspNetCore)
    {
        await using var server = new ScriptedServer(_ => $"500 Internal Server Error\r\n{header}");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var why = result.NotChecked.First(n => n.Defect == ServerDefects.PrefixMatch).Why;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(why, Does.Contain("the 500 is the server failing on the request"), why);
            Assert.That(why.Contains("ASP.NET Core", StringComparison.Ordinal), Is.EqualTo(aspNetCore), why);
            if (aspNetCore) Assert.That(why, Does.Contain("the answer shows ASP.NET Core — Server: Kestrel"), why);
        }
    }

    /// <summary>A server that trickles its answer's head a byte at a time (a slowloris in reverse: a throttled proxy, a stuck
    /// backend) read "no answer within 1 s: the server sent 'HTTP/1.1 200 OK' and then nothing" — it never stopped sending.
    /// The reason says plainly that the server was too slow, naming the timeout and what came.</summary>
    [Test]
    public async Task A_server_that_trickles_its_answer_is_said_to_be_too_slow_naming_the_timeout()
    {
        await using var server = new TricklingServer(TimeSpan.FromMilliseconds(20));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, TimeSpan.FromSeconds(1));
        var why = result.NotChecked.First().Why;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect).Distinct(), Is.EquivalentTo(ServerDefects.DetectedBy(DefectDetectors.Audit)));
            Assert.That(why, Does.Contain("the server was too slow").And.Contain("the 1 s timeout").And.Contain("still sending").And.Not.Contain("and then nothing"), why);
        }
    }

    /// <summary>A host that does not resolve left every defect not checked with the resolver's words alone ("no answer after one
    /// retry (Name or service not known)"), as if a server had been silent. The reason names the host and says no request
    /// reached a server.</summary>
    [Test]
    public async Task A_host_that_does_not_resolve_is_said_so()
    {
        var result = await Auditor.RunAsync(new Uri("http://cors-audit-no-such-host.invalid/api"), Trusted, _client, Timeout);
        Assert.That(result.NotChecked.Select(n => n.Why).Distinct(), Has.All.Contains("the host cors-audit-no-such-host.invalid does not resolve").And.All.Contains("no request reached a server"));
    }

    /// <summary>`*` with credentials on the GET (@fastify/cors and hono/cors given origin '*' and credentials: true answer so),
    /// and a preflight that fails (OPTIONS answered 404, the CORS layer mounted on the GET route alone) or passes. The finding
    /// said "any site can still read what the resource returns without cookies" and, to the trusted origin, "a read without
    /// credentials works" — where the preflight fails, every request that needs one is refused too. The words now hold in each
    /// case: a simple request's read where the preflight fails, a preflighted one's too where it passes.</summary>
    [TestCase(false, false, "what the resource returns to a simple request without credentials (a GET without custom headers); one that needs a preflight fails there", "answered 404 without Access-Control-Allow-Origin")]
    [TestCase(false, true, "what the resource returns to a request without credentials, a preflighted one too", "answered 204 with Access-Control-Allow-Origin: *")]
    [TestCase(true, false, "a page there can read what the resource returns to a simple request without credentials (a GET without custom headers); one that needs a preflight fails there", "answered 404 without Access-Control-Allow-Origin")]
    [TestCase(true, true, "a page there can read what the resource returns to a request without credentials, a preflighted one too", "answered 204 with Access-Control-Allow-Origin: *")]
    public async Task Star_with_credentials_says_what_a_read_without_credentials_reaches_as_the_preflight_answers(bool trustedOnly, bool preflightPasses, string reads, string preflight)
    {
        const string Star = "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true";
        await using var server = new ScriptedServer(r =>
            r.Method == "OPTIONS" ? (preflightPasses ? $"204 No Content\r\n{Star}\r\nAccess-Control-Allow-Methods: GET, PUT\r\nAccess-Control-Allow-Headers: content-type" : "404 Not Found")
            : trustedOnly && r.Header("Origin") != Trusted ? "200 OK"
            : $"200 OK\r\n{Star}");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.Single(f => f.Defect == ServerDefects.StarWithCredentials);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Message, Does.Contain(reads).And.Contain(preflight), finding.Message);
            Assert.That(finding.Message, Does.Not.Contain("can still read what the resource returns without cookies").And.Not.Contain("though a read without credentials works"), finding.Message);
        }
    }

    /// <summary>A server that checks the Origin only for a request with a session and reflects any origin, with credentials,
    /// to one without a cookie: every probe carried the signed-in cookie, and the audit said "0 finding(s)", exit 0 — while a
    /// page at any origin, in a browser that sends no third-party cookie, reads what the resource returns to anyone.</summary>
    [Test]
    public async Task A_server_that_reflects_any_origin_to_requests_without_a_cookie_is_found()
    {
        await using var server = new ScriptedServer(r =>
            r.Header("Origin") is { } o && (r.Header("Cookie") is null || o == Trusted)
                ? $"200 OK\r\nAccess-Control-Allow-Origin: {o}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin, Cookie"
                : "200 OK\r\nVary: Origin, Cookie");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.ReflectedOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Severity, Is.EqualTo(Severity.Low));
            Assert.That(finding?.Message, Does.Contain("is trusted when the request carries no cookie"));
            Assert.That(finding?.Curl, Does.Not.Contain("Cookie:"));
        }
    }

    /// <summary>A rate limit that starts mid-audit (every request after the tenth answered 429) is not an inconsistent server:
    /// a 429 says the request was not handled, and a probe whose other ask was answered is decided on that answer.</summary>
    [Test]
    public async Task A_rate_limit_that_starts_mid_audit_is_not_called_an_inconsistency()
    {
        var count = 0;
        await using var server = new ScriptedServer(r => Interlocked.Increment(ref count) > 10 ? "429 Too Many Requests\r\nRetry-After: 60"
            : r.Header("Origin") == Trusted ? $"200 OK\r\nAccess-Control-Allow-Origin: {Trusted}\r\nVary: Origin" : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.NotChecked, Is.Not.Empty, Shown(result));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.None.Contains("answers the same request differently"), Shown(result));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.Some.Contains("the URL answers 429"), Shown(result));
        }
    }

    /// <summary>Confirmed in Chromium, the alternating server's reflection read "not exploitable in browsers (server defect
    /// only): Chromium 156: the response was not readable" — the page had drawn the failing backend's 500. A refusal on a
    /// server whose answers differ is not checked; one on a consistent server stands.</summary>
    [TestCase(true, "Unchecked")]
    [TestCase(false, "Refused")]
    public async Task A_browser_s_refusal_on_an_inconsistent_server_clears_nothing(bool alternating, string outcome)
    {
        await using var server = alternating ? StandInServers.AlternatingReflector() : StandInServers.ExpressRefusing(Trusted);
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var (read, why) = BrowserConfirmation.OnInconsistentServer((BrowserConfirmation.Read.Refused, "the response was not readable"), result);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Inconsistency is not null, Is.EqualTo(alternating), Shown(result));
            Assert.That(read.ToString(), Is.EqualTo(outcome), why);
            if (alternating) Assert.That(why, Does.Contain("answers the same request differently").And.Contain("the refusal clears nothing"));
        }
    }
}
