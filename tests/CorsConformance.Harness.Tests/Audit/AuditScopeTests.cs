using CorsConformance.Cli;
using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>What the audit asks, and that it never calls clean what it did not ask: the other methods a page sends without a
/// preflight, an answer a cache revalidates, a redirect loop at the audited URL.</summary>
public sealed class AuditScopeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private const string Trusted = "https://app.example.com";
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    private static string Shown(AuditResult r) =>
        string.Join("\n", r.Findings.Select(f => $"[{f.Severity}] {f.Defect.Id} via {f.ProbeOrigin}: {f.Message}"))
        + "\n" + string.Join("\n", r.NotChecked.Select(n => $"[not checked] {n.Defect.Id} ({n.ProbeOrigin}): {n.Why}"));

    private static string Strict(ScriptedRequest r) =>
        r.Header("Origin") == Trusted
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
                + (r.Method == "OPTIONS" ? "\r\nAccess-Control-Allow-Methods: GET, POST, PUT\r\nAccess-Control-Allow-Headers: content-type" : "")
            : "200 OK\r\nVary: Origin";

    private static string Reflecting(ScriptedRequest r) =>
        r.Header("Origin") is { } origin ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin" : "200 OK\r\nVary: Origin";

    /// <summary>A strict server whose POST (or HEAD) handler reflects any Origin with credentials, as a handler that writes its
    /// own headers apart from the CORS layer does: the audit sent GET and OPTIONS only, and said "0 finding(s)", exit 0. A page
    /// at any origin sends such a POST (text/plain) or HEAD without a preflight (fetch.bs: CORS-safelisted methods) and reads
    /// its answer: reflected-origin, high on POST with credentials, low on HEAD (status and safelisted headers only).</summary>
    [TestCase("POST", Severity.High)]
    [TestCase("HEAD", Severity.Low)]
    public async Task A_server_that_reflects_any_origin_on_one_simple_method_only_is_found(string method, Severity severity)
    {
        await using var server = new ScriptedServer(r => r.Method == method ? Reflecting(r) : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.ReflectedOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Severity, Is.EqualTo(severity), Shown(result));
            Assert.That(finding?.Message, Does.Contain($"trusted on {method}"), Shown(result));
            Assert.That(finding?.Curl, Does.Contain($"-X '{method}'"), Shown(result));
            Assert.That(result.NotChecked, Is.Empty, Shown(result));
        }
    }

    /// <summary>`null` trusted on POST only (an allow-list that reads "null" from a form post's Origin): found as null-trusted.</summary>
    [Test]
    public async Task A_server_that_trusts_null_on_post_only_is_found()
    {
        await using var server = new ScriptedServer(r => r.Method == "POST" && r.Header("Origin") == "null" ? Reflecting(r) : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        Assert.That(result.Findings.Select(f => f.Defect), Is.EqualTo(new[] { ServerDefects.NullTrusted }), Shown(result));
    }

    /// <summary>An allow-list that kept a development origin as the address bar shows it, `http://127.0.0.1:5173` (Vite prints
    /// it beside localhost's): only localhost's development ports were asked, and the audit read "0 finding(s)".</summary>
    [Test]
    public async Task A_development_origin_kept_as_127_0_0_1_with_its_port_is_found()
    {
        const string dev = "http://127.0.0.1:5173";
        await using var server = new ScriptedServer(r => r.Header("Origin") == dev
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {dev}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        Assert.That(result.Findings.Where(f => f.Defect == ServerDefects.LocalhostTrusted).Select(f => f.ProbeOrigin), Is.EqualTo(new[] { dev }), Shown(result));
    }

    /// <summary>A POST may act on the server (create a record, send a mail): `audit --no-post` sends none, and its scope says
    /// a server trusting an origin on POST alone is not found — the POST-only reflector reads no finding, never a clean
    /// "nothing asked was missed".</summary>
    [Test]
    public async Task No_post_sends_no_post_and_says_what_that_leaves_unasked()
    {
        var methods = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var server = new ScriptedServer(r =>
        {
            methods.Add(r.Method);
            return r.Method == "POST" ? Reflecting(r) : Strict(r);
        });
        var output = new StringWriter();
        var code = await Commands.RunAsync(["audit", server.Resource.ToString(), "--origin", Trusted, "--no-browser", "--no-post"], output, new StringWriter());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(methods, Does.Not.Contain("POST"), text);
            Assert.That(methods, Does.Contain("HEAD"), text);
            Assert.That(text, Does.Contain("POST from any origin (--no-post"), text);
            Assert.That(text, Does.Not.Contain("reflected-origin"), text);
            Assert.That(code, Is.EqualTo(0), text);
        }
    }

    /// <summary>The methods the audit adds to GET are exactly the other CORS-safelisted ones (fetch.bs), and its POST is a
    /// simple request (a CORS-safelisted Content-Type).</summary>
    [Test]
    public void The_methods_probed_besides_GET_are_the_other_CORS_safelisted_methods()
    {
        var safelisted = new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE" }.Where(Specs.Fetch.Methods.IsCorsSafelisted).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Auditor.SimpleMethods.Append("GET"), Is.EquivalentTo(safelisted));
            Assert.That(Specs.Fetch.RequestHeaders.IsSafelisted("Content-Type", Auditor.PostContentType), Is.True);
        }
    }

    /// <summary>A server that answers a POST from an attacker's origin not at all (it hangs) leaves reflected-origin not checked,
    /// never clean, where its GET refuses the origin.</summary>
    [Test]
    public async Task A_simple_method_probe_without_an_answer_leaves_its_class_not_checked()
    {
        await using var server = new ScriptedServer(r => r.Method == "POST" && r.Header("Origin") != Trusted ? null : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, TimeSpan.FromSeconds(1));
        Assert.That(result.NotChecked.Where(n => n.Defect == ServerDefects.ReflectedOrigin).Select(n => n.Why), Has.Some.Contains("the POST from"), Shown(result));
    }

    /// <summary>A server that adds Vary: Origin only where it admits the origin, and sends an ETag and a 304 without CORS
    /// headers: the attacker's answer (no Access-Control-Allow-Origin, no Vary) has no freshness, and was taken to reach no CORS
    /// request — "0 finding(s)". A cache keeps it and revalidates it for the trusted origin's request; the 304 carries no
    /// Access-Control-Allow-Origin, so the kept answer, without one, is handed to the front end and blocked. The conditional
    /// GET is asked, and the finding names it.</summary>
    [Test]
    public async Task An_answer_without_vary_that_a_cache_revalidates_to_a_304_without_cors_headers_is_missing_vary()
    {
        await using var server = new ScriptedServer(r =>
            r.Header("If-None-Match") == "\"v1\"" ? "304 Not Modified\r\nETag: \"v1\""
            : r.Method == "OPTIONS" ? Strict(r)
            : r.Header("Origin") == Trusted ? $"200 OK\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\nETag: \"v1\""
            : "200 OK\r\nETag: \"v1\"");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.MissingVary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Message, Does.Contain("304 without Access-Control-Allow-Origin").And.Contain("If-None-Match: \"v1\""), Shown(result));
            Assert.That(server.Seen.Select(r => r.Header("If-None-Match")), Has.Some.EqualTo("\"v1\""));
        }
    }

    /// <summary>The same server whose 304 carries the trusted origin's Access-Control-Allow-Origin: the cache's revalidation
    /// updates the kept answer's headers with it (RFC 9111, 4.3.4), and the front end's call passes — no finding.</summary>
    [Test]
    public async Task A_304_that_carries_access_control_allow_origin_is_no_missing_vary()
    {
        await using var server = new ScriptedServer(r =>
            r.Header("If-None-Match") == "\"v1\"" ? $"304 Not Modified\r\nETag: \"v1\"\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : r.Method == "OPTIONS" ? Strict(r)
            : r.Header("Origin") == Trusted ? $"200 OK\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\nETag: \"v1\""
            : "200 OK\r\nETag: \"v1\"");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty, Shown(result));
            Assert.That(result.Asked, Does.Contain("conditional GET"));
        }
    }

    /// <summary>The audited URL redirects to another that redirects back (A → B → A): the reason said "point it at B itself",
    /// a URL that redirects back. Every defect read on the resource's answers is not checked, and the reason tells the loop,
    /// both URLs named (the preflights, answered with a redirect that fails every preflight in browsers, are decided).</summary>
    [Test]
    public async Task A_two_hop_redirect_loop_at_the_audited_url_is_told_as_a_loop()
    {
        await using var server = new ScriptedServer(r => r.Path == "/api/items" ? "302 Found\r\nLocation: /api/other" : "302 Found\r\nLocation: /api/items");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty, Shown(result));
            // The preflights' own answers are the redirect, which fails every preflight in browsers: those two are decided.
            Assert.That(ServerDefects.DetectedBy(DefectDetectors.Audit).Where(d => result.NotChecked.All(n => n.Defect != d)).Select(d => d.Id),
                Is.EquivalentTo(new[] { ServerDefects.PreflightReflectsAnything.Id, ServerDefects.PreflightAdmitsAnyOrigin.Id }), Shown(result));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.Contains("redirects in a loop").And.All.Contains("/api/items → ").And.All.Not.Contains("point it at"), Shown(result));
        }
    }

    /// <summary>The audited URL redirects to itself with a query that grows each time (no URL repeats): the reason said "point
    /// it at …/api/items?n=1 itself", a URL that redirects again. Past the 20 redirects browsers follow, it says so, the
    /// chain's first and last URLs named, and gives no URL to point at.</summary>
    [Test]
    public async Task A_redirect_to_itself_with_a_changing_query_is_told_as_endless()
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS" ? Strict(r)
            : $"302 Found\r\nLocation: /api/items?n={(r.Path.Split("?n=") is [_, var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) + 1 : 1)}");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty, Shown(result));
            Assert.That(result.NotChecked, Is.Not.Empty, Shown(result));
            Assert.That(result.NotChecked.Select(n => n.Why), Is.Not.Empty.And.All.Contains("more than 20 times").And.All.Contains("?n=1 → ").And.All.Not.Contains("point it at"), Shown(result));
        }
    }

    /// <summary>A redirect chain of 30 hops that ends in the resource: "point it at ?n=1 itself" named a URL that redirects
    /// again; the reason names where the chain ends.</summary>
    [Test]
    public async Task A_long_redirect_chain_names_where_it_ends()
    {
        await using var server = new ScriptedServer(r => r.Path.Split("?n=") is [_, var n] && int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) >= 3 ? Strict(r)
            : r.Method == "OPTIONS" ? Strict(r)
            : $"302 Found\r\nLocation: /api/items?n={(r.Path.Split("?n=") is [_, var k] ? int.Parse(k, System.Globalization.CultureInfo.InvariantCulture) + 1 : 1)}");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var reasons = result.NotChecked.Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons, Is.Not.Empty, Shown(result));
            Assert.That(reasons, Has.All.Contains("redirects 3 times").And.All.Contains("point it at " + new Uri(server.Resource, "/api/items?n=3").AbsoluteUri + " itself"), Shown(result));
        }
    }

    /// <summary>The audited URL redirects to a closed port: "point it at http://127.0.0.1:1/… itself" sent the user to a URL
    /// nothing answers. The reason says the Location does not answer, with its failure.</summary>
    [Test]
    public async Task A_redirect_to_a_closed_port_says_the_location_does_not_answer()
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS" ? Strict(r) : "302 Found\r\nLocation: http://127.0.0.1:1/api/items");
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var reasons = result.NotChecked.Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reasons, Is.Not.Empty, Shown(result));
            Assert.That(reasons, Has.All.Contains("127.0.0.1:1/api/items, which does not answer").And.All.Not.Contains("point it at"), Shown(result));
        }
    }

    /// <summary>A clean audit states its scope: the console's "0 finding(s)" is followed by what was asked and the requests a
    /// page can send that were not, and the JSON carries both.</summary>
    [Test]
    public async Task A_clean_audit_says_what_it_asked_and_what_it_did_not()
    {
        await using var server = new ScriptedServer(Strict);
        var output = new StringWriter();
        var code = await Commands.RunAsync(["audit", server.Resource.ToString(), "--origin", Trusted, "--no-browser", "--json"], output, new StringWriter());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(0), text);
            Assert.That(text, Does.Contain("0 finding(s)."));
            Assert.That(text, Does.Contain("  [asked] GET from").And.Contain("POST (an empty text/plain;charset=UTF-8 body) and HEAD from https://cors-audit-attacker.test and null"));
            Assert.That(text, Does.Contain("  [not probed] requests: HEAD and POST from the").And.Contain("PUT, PATCH, DELETE"));
            Assert.That(text, Does.Contain("\"asked\": ").And.Contain("\"notAsked\": "));
        }
    }

    /// <summary>Requests a page sends without a preflight that the audit did not send as browsers do: a JSON API whose JSON
    /// renderer writes the CORS headers (content negotiation: Accept is CORS-safelisted, so `fetch(url, { headers: { Accept:
    /// "application/json" } })` goes without a preflight); a server answering only requests that carry Accept-Language, as
    /// every Firefox 153 fetch does (a bot defence). Each read "0 finding(s)", exit 0; a page at any origin reads them
    /// (confirmed in Chromium 156 for the first, in Firefox 153 for the second, against hand-run stand-ins).</summary>
    [TestCase("Accept", "application/json", "when the GET carries Accept: application/json")]
    [TestCase("Accept-Language", "", "is trusted: Access-Control-Allow-Origin")]
    public async Task A_reflection_decided_on_a_header_browsers_send_without_a_preflight_is_found(string header, string contains, string said)
    {
        await using var server = new ScriptedServer(r => r.Method != "OPTIONS" && r.Header(header) is { } value && value.Contains(contains, StringComparison.Ordinal) ? Reflecting(r) : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.ReflectedOrigin);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Severity, Is.EqualTo(Severity.High), Shown(result));
            Assert.That(finding?.Message, Does.Contain(said), Shown(result));
            Assert.That(finding?.Curl, Does.Contain($"-H '{header}: "), Shown(result));
        }
    }

    /// <summary>The Referer a page's fetch() carries under the default policy (strict-origin-when-cross-origin): its origin, to
    /// an https: URL or from an http: page; none from an https: page to an http: URL (a downgrade), nor from a sandboxed frame.</summary>
    [TestCase("https://cors-audit-attacker.test", "https://api.example.com/items", "https://cors-audit-attacker.test/")]
    [TestCase("http://localhost:3000", "http://api.example.com/items", "http://localhost:3000/")]
    [TestCase("https://cors-audit-attacker.test", "http://api.example.com/items", null)]
    [TestCase("null", "https://api.example.com/items", null)]
    public void A_probe_carries_the_referer_a_browser_sends(string origin, string target, string? referer)
    {
        var headers = Auditor.BrowserHeadersFor(origin, new Uri(target));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(headers.Where(h => h.Name == "Referer").Select(h => h.Value).SingleOrDefault(), Is.EqualTo(referer));
            Assert.That(headers.Any(h => h.Name == "Accept-Language"), Is.True);
        }
    }

    /// <summary>A strict GET, and a POST answered `*` to any origin (a POST handler written apart, "public" in its own eyes):
    /// any page reads what such a POST returns without credentials — public-star, said of the POST. It read "0 finding(s)".</summary>
    [Test]
    public async Task A_star_on_post_alone_is_public_star_said_of_the_post()
    {
        await using var server = new ScriptedServer(r => r.Method == "POST" && r.Header("Origin") != Trusted ? "200 OK\r\nAccess-Control-Allow-Origin: *\r\nVary: Origin" : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.PublicStar);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Message, Does.StartWith("a POST from"), Shown(result));
            Assert.That(finding?.Curl, Does.Contain("-X 'POST'"), Shown(result));
        }
    }

    /// <summary>Vary: Origin on the answers to signed-in requests only, and the answers without a cookie kept ten minutes by
    /// any cache (Cache-Control: public): a CDN keeps those, and hands the trusted origin's to another origin, or the attacker's
    /// (no Access-Control-Allow-Origin) to the front end. Every missing-vary probe carried the signed-in cookie, and the audit
    /// said "0 finding(s)"; the trusted origin's GET is asked without a cookie too, and the gap found there.</summary>
    [Test]
    public async Task Vary_sent_to_signed_in_requests_only_is_missing_vary_on_the_answers_caches_keep()
    {
        await using var server = new ScriptedServer(r =>
            "200 OK\r\n" + (r.Header("Cookie") is null ? "Cache-Control: public, max-age=600" : "Vary: Origin")
            + (r.Header("Origin") == Trusted ? $"\r\nAccess-Control-Allow-Origin: {Trusted}\r\nAccess-Control-Allow-Credentials: true" : "")
            + (r.Method == "OPTIONS" && r.Header("Origin") == Trusted ? "\r\nAccess-Control-Allow-Methods: GET, POST, PUT\r\nAccess-Control-Allow-Headers: content-type" : ""));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        var finding = result.Findings.SingleOrDefault(f => f.Defect == ServerDefects.MissingVary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding, Is.Not.Null, Shown(result));
            Assert.That(finding?.Message, Does.Contain("without a cookie"), Shown(result));
            Assert.That(finding?.Curl, Does.Not.Contain("Cookie:"), Shown(result));
        }
    }

    /// <summary>A POST acts: an API answering the audit's first POST 201 and the second 409 (the record exists) is doing its
    /// work, not answering one request two ways. Compared on status too, it made the audit say the server's answers differ and
    /// leave every defect not checked, exit 5; a POST's two answers are compared on their CORS headers only.</summary>
    [Test]
    public async Task A_post_answered_201_then_409_is_no_inconsistency()
    {
        // Per origin: the first POST from each creates, every later one conflicts.
        var created = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        await using var server = new ScriptedServer(r => r.Method == "POST"
            ? (created.TryAdd(r.Header("Origin") ?? "", true) ? "201 Created" : "409 Conflict") + "\r\n" + Strict(r)["200 OK\r\n".Length..]
            : Strict(r));
        var result = await Auditor.RunAsync(server.Resource, Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Inconsistency, Is.Null, Shown(result));
            Assert.That(result.NotChecked, Is.Empty, Shown(result));
            Assert.That(result.Findings, Is.Empty, Shown(result));
        }
    }
}
