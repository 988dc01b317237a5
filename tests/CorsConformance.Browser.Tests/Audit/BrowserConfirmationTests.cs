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
        return await ConfirmedAsync(server.UrlOf(path));
    }

    /// <summary>The audit of <paramref name="resource"/> and its confirmation in this engine: the finding <paramref name="pick"/>
    /// takes from the findings (the only one where none is given); the test is skipped, with the reason, where the engine could not run or
    /// blocks the probe page's call as mixed content.</summary>
    private async Task<AuditFinding> ConfirmedAsync(Uri resource, Func<IReadOnlyList<AuditFinding>, AuditFinding>? pick = null)
    {
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(resource, MisconfiguredServer.Trusted, client, Timeout);
        // With the audit's client, as the audit command confirms: a refused read is then asked again without a cookie.
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout, client: client);
        var finding = pick is null ? confirmed.Findings.Single() : pick(confirmed.Findings);
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
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName()).And.Contain("of a credentialed request"));
    }

    /// <summary>A reflection only to requests that carry Accept-Language (a bot defence): the audit's probes carry it, as desktop
    /// browsers' requests do, and found it; Chromium's headless shell sends none, so its page's read was refused and the
    /// finding read "not exploitable". Accept-Language is CORS-safelisted, so any page sets it without a preflight: the
    /// confirmation's fetch now does.</summary>
    [Test]
    public async Task A_reflection_gated_on_accept_language_is_confirmed_whatever_the_browser_sends_itself()
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") is { } origin && origin != "null" && r.Header("Accept-Language") is not null
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin, Accept-Language"
            : "200 OK\r\nVary: Origin, Accept-Language");
        var finding = await ConfirmedAsync(server.Resource, fs => fs.Single(f => f.Defect == Specs.Policies.ServerDefects.ReflectedOrigin));
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName()));
    }

    /// <summary>A trust shown on POST only (a strict GET) is tried by the request that shows it: a page's POST with a text/plain
    /// body, a simple request. Tried by a GET, which the server refuses, it would read "not exploitable" (and before, the audit
    /// sent no POST and read "0 finding(s)"). Against `null` too, from the sandboxed frame.</summary>
    [TestCase("https://cors-audit-attacker.test")]
    [TestCase("null")]
    public async Task A_trust_shown_on_post_only_is_confirmed_by_a_post(string trusts)
    {
        await using var server = new ScriptedServer(r => r.Method == "POST" && r.Header("Origin") == trusts
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {trusts}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : r.Header("Origin") == MisconfiguredServer.Trusted
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
                + (r.Method == "OPTIONS" ? "\r\nAccess-Control-Allow-Methods: GET, POST, PUT\r\nAccess-Control-Allow-Headers: content-type" : "")
            : "200 OK\r\nVary: Origin");
        var finding = await ConfirmedAsync(server.Resource);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Method, Is.EqualTo("POST"));
            Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName()).And.Contain("of a credentialed POST"));
            // The audit's POSTs carry the signed-in cookie; the page's carries none of the audited site.
            Assert.That(server.Seen.Where(r => r.Method == "POST" && r.Header("Origin") == trusts && r.Header("Cookie") is null), Is.Not.Empty, "the browser's own POST");
        }
    }

    /// <summary>A server that trusts the origins of a developer's machine (`http://localhost:3000`) lets any page a local dev
    /// server or a malicious local app serves read a signed-in user's data. The confirmation left every such finding "not
    /// checked" ("it needs a page served from the user's own machine"); Chromium and Firefox can be given a page at a
    /// loopback origin (as the server-under-test run gives one), WebKitGTK too since its no_proxy spares the names a page
    /// needs, so the read is tried there.</summary>
    [Test]
    public async Task A_trusted_localhost_origin_is_tried_from_a_page_at_that_origin()
    {
        var finding = await ConfirmedAsync("/localhost");
        Assert.That(finding.ProbeOrigin, Does.StartWith("http://localhost").Or.StartWith("http://127.0.0.1"));
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName())
            .And.Contain($"a page at {finding.ProbeOrigin} read the response of a credentialed request"));
    }

    /// <summary>An engine that blocks an https probe page's call to plain-HTTP loopback (WebKitGTK) leaves the finding not
    /// checked, and says what the audit's user can change. It used to give the server-under-test run's advice ("serve the
    /// server under test over https, or use http page origins"): an audit's probe pages are the forged origins themselves,
    /// so its user cannot pick http ones; only the audited URL's scheme is theirs (seen on /tmp/review4's caddy, gorilla,
    /// h3 and hono scratch servers, 2026-12-06).</summary>
    [Test]
    public async Task A_finding_an_engine_blocks_as_mixed_content_is_not_checked_with_advice_an_audit_can_follow()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(server.UrlOf("/prefix"), MisconfiguredServer.Trusted, client, Timeout);
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout, client: client);
        var confirmation = confirmed.Findings.Single().BrowserConfirmation ?? "";
        if (!confirmation.Contains(MixedContentProbe.Blocked, StringComparison.Ordinal))
        {
            Assert.Ignore($"{engine.DisplayName()} does not block the call: {confirmation}");
        }
        Assert.That(confirmation, Does.StartWith("not checked in a browser"));
        Assert.That(confirmation, Does.Not.Contain("page origins").And.Not.Contain("server under test"));
        Assert.That(confirmation, Does.Contain("https URL"));
    }

    /// <summary>A trusted `null` origin is read from a sandboxed frame, whose origin is opaque whatever the page around it:
    /// the page was always https, so WebKitGTK, which blocks an https page's calls to plain-HTTP loopback, left a null
    /// finding on such a server "not checked" (h3's and aiohttp's scratch servers, 2026-12-06), though an attacker's page
    /// over http makes the same frame. Against a plain-HTTP server the frame now sits in an http page, and every engine
    /// confirms it.</summary>
    [Test]
    public async Task A_trusted_null_origin_on_a_plain_HTTP_server_is_confirmed_in_every_engine()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var url = server.UrlOf("/null");
        Assert.That(url.Scheme, Is.EqualTo("http"), "the fixture serves plain HTTP");
        var result = await Auditor.RunAsync(url, MisconfiguredServer.Trusted, client, Timeout);
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout, client: client);
        var finding = confirmed.Findings.Single();
        if (finding.BrowserConfirmation?.Contains("no engine could run", StringComparison.Ordinal) == true)
        {
            Assert.Ignore((await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings)).Unavailable ?? "the engine could not run");
        }
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain(engine.DisplayName()).And.Contain("sandboxed frame"));
    }

    /// <summary>A server that reflects any origin without credentials is a real finding: any page reads what the resource
    /// returns to anyone. It used to be "not exploitable" because confirmation always asked with credentials.</summary>
    [Test]
    public async Task A_reflection_without_credentials_is_confirmed_by_a_read_without_credentials()
    {
        var finding = await ConfirmedAsync("/public-no-credentials");
        Assert.That(finding.BrowserConfirmation, Does.StartWith("confirmed in ").And.Contain("without credentials"));
    }

    /// <summary>A server that answered the probes and then stopped answering: the browser's read fails with the same
    /// TypeError a CORS block gives, and the finding was called "not exploitable in browsers (server defect only)" — an
    /// unreached server called harmless. It is not checked, with why.</summary>
    [Test]
    public async Task A_server_that_stops_answering_after_the_probes_leaves_the_finding_not_checked()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var socket = await listener.AcceptSocketAsync();
                    var buffer = new byte[16384];
                    var request = "";
                    while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(buffer) is var n and > 0)
                    {
                        request += System.Text.Encoding.Latin1.GetString(buffer, 0, n);
                    }
                    var origin = request.Split("\r\n").FirstOrDefault(l => l.StartsWith("origin:", StringComparison.OrdinalIgnoreCase))?[7..].Trim() ?? "";
                    await socket.SendAsync(System.Text.Encoding.Latin1.GetBytes(
                        $"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Stopped.
            }
            catch (ObjectDisposedException)
            {
                // Stopped.
            }
            catch (InvalidOperationException)
            {
                // Stopped before the loop asked for the next connection ("Not listening"; a fresh-clone CI run).
            }
        });
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(new Uri($"http://127.0.0.1:{port}/"), MisconfiguredServer.Trusted, client, Timeout);
        listener.Stop();
        await serving;
        Assert.That(result.Findings.Select(f => f.Defect.Id), Does.Contain("reflected-origin"));
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout, client: client);
        var finding = confirmed.Findings.Single(f => f.Defect.Id == "reflected-origin");
        if (finding.BrowserConfirmation?.Contains("no engine could run", StringComparison.Ordinal) == true)
        {
            Assert.Ignore((await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings)).Unavailable ?? "the engine could not run");
        }
        Assert.That(finding.BrowserConfirmation, Does.StartWith("not checked in a browser: ").And.Contain(engine.DisplayName()));
    }

    /// <summary>Chromium logs net::ERR_FAILED for a CORS block and another net::ERR_ code for a network failure; Firefox says
    /// "CORS request did not succeed" for the latter.</summary>
    [TestCase("Failed to load resource: net::ERR_CONNECTION_REFUSED", "net::ERR_CONNECTION_REFUSED")]
    [TestCase("Failed to load resource: net::ERR_INVALID_HTTP_RESPONSE", "net::ERR_INVALID_HTTP_RESPONSE")]
    [TestCase("Access to fetch at 'http://a/' from origin 'http://b' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.; Failed to load resource: net::ERR_FAILED", null)]
    [TestCase("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/. (Reason: CORS request did not succeed). Status code: (null).", "CORS request did not succeed")]
    [TestCase("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/. (Reason: CORS header 'Access-Control-Allow-Origin' missing). Status code: 200.", null)]
    [TestCase("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/. (Reason: header ‘x-request-id’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response). | "
        + "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/. (Reason: CORS request did not succeed). Status code: (null).", null)]
    [TestCase(null, null)]
    public void A_network_failure_is_told_from_a_CORS_block_by_the_browser_s_words(string? messages, string? failure)
    {
        Assert.That(NetworkFailures.In(messages), Is.EqualTo(failure));
    }

    /// <summary>A server that reflects any origin with credentials only to a request carrying a cookie (Starlette allowing
    /// `*` with credentials): the browser's credentialed read carries no cookie of the audited site and meets `*`, which it
    /// refuses; that refusal said "not exploitable" about what every signed-in user's browser would let any site read.</summary>
    [Test]
    public async Task A_reflection_only_to_signed_in_users_is_not_cleared_by_a_browser_without_the_cookie()
    {
        await using var server = ScriptedServer.CookieReflecting();
        var finding = await ConfirmedAsync(server.Resource, fs => fs.First(f => f.Defect == Specs.Policies.ServerDefects.ReflectedOrigin));
        Assert.That(finding.BrowserConfirmation, Does.StartWith("not checked in a browser").And.Contain("only for a request that carries a cookie"));
    }

    /// <summary>A reflecting server that stops sending CORS headers once the probes are done (a quota; raw-socket stand-in,
    /// 2026-12-07): the browser's refused read, asked again without a cookie, read "the server trusts … only for a request that
    /// carries a cookie" — a cause the server never had. Asked with the cookie too, the answer changed: said so, not checked.</summary>
    [Test]
    public async Task A_server_that_changed_its_answers_after_the_probes_is_not_said_to_trust_only_signed_in_users()
    {
        var changed = false;
        await using var server = new ScriptedServer(r => changed ? "200 OK"
            : r.Header("Origin") is { } origin ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin" : "200 OK\r\nVary: Origin");
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, client, Timeout);
        changed = true;
        var confirmed = await BrowserConfirmation.ConfirmAsync(result, ReferenceServersSetup.Servers, [engine], EngineSelection.Settings, Timeout, client: client);
        var finding = confirmed.Findings.Single(f => f.Defect == Specs.Policies.ServerDefects.ReflectedOrigin);
        if (finding.BrowserConfirmation?.Contains("no engine could run", StringComparison.Ordinal) == true)
        {
            Assert.Ignore((await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings)).Unavailable ?? "the engine could not run");
        }
        if (finding.BrowserConfirmation?.Contains(MixedContentProbe.Blocked, StringComparison.Ordinal) == true) Assert.Ignore(finding.BrowserConfirmation);
        Assert.That(finding.BrowserConfirmation, Does.StartWith("not checked in a browser").And.Contain("changed during the audit").And.Not.Contain("only for a request that carries a cookie"));
    }

    [Test]
    public async Task Star_with_credentials_is_a_server_defect_browsers_refuse()
    {
        var finding = await ConfirmedAsync("/star-with-credentials");
        Assert.That(finding.BrowserConfirmation, Does.StartWith("not exploitable in browsers (server defect only)"));
    }

    /// <summary>A reflecting server behind a balancer whose other backend answers 500 without CORS headers: the page's read
    /// drew the 500 and the finding read "not exploitable in browsers (server defect only)" (Chromium 156, 2026-12-06). A
    /// refusal on a server whose answers differ clears nothing: read, or not checked, never "not exploitable".</summary>
    [Test]
    public async Task A_refused_read_on_a_server_whose_answers_differ_is_not_called_not_exploitable()
    {
        await using var server = StandInServers.AlternatingReflector();
        var verdict = (await ConfirmedAsync(server.Resource, fs => fs.Single(f => f.Defect == CorsConformance.Specs.Policies.ServerDefects.ReflectedOrigin))).BrowserConfirmation ?? "";
        Assert.That(verdict, Does.Not.StartWith("not exploitable"), verdict);
    }
}
