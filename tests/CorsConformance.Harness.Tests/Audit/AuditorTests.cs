using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>The audit against a fixture server with one misconfiguration class per path: exactly that class, no more, no fewer.</summary>
public sealed class AuditorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private MisconfiguredServer _server = null!;
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await MisconfiguredServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> Paths() =>
        MisconfiguredServer.Expected.Select(kv => new TestCaseData(kv.Key, kv.Value.Select(d => d.Id).ToArray()).SetArgDisplayNames(kv.Key));

    [TestCaseSource(nameof(Paths))]
    public async Task Each_path_yields_exactly_its_misconfiguration_class(string path, string[] expected)
    {
        var result = await Auditor.RunAsync(_server.UrlOf(path), MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.Findings.Select(f => f.Defect.Id).Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)),
            () => string.Join("\n", result.Findings.Select(f => $"{f.Defect.Id} ({f.Severity}) via {f.ProbeOrigin}: {f.Message}")));
    }

    /// <summary>From an IPv6 trusted origin no prefix, suffix, substring, subdomain, unescaped-dot or special-character
    /// forgery is one a browser can send, so none is probed: the audit of a strict server read "0 finding(s)", exit 0, with
    /// nothing said of the six classes it never looked at. They are listed as not probed, with why; from a named https
    /// origin every class is probed.</summary>
    [Test]
    public async Task Classes_no_probe_could_be_made_for_are_said_not_probed()
    {
        var fromIpv6 = await Auditor.RunAsync(_server.UrlOf("/strict"), "http://[::1]:3000", _client, Timeout);
        var fromName = await Auditor.RunAsync(_server.UrlOf("/strict"), MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromIpv6.NotProbed.Select(n => n.Defect.Id), Is.EquivalentTo(new[]
                { "prefix-match", "suffix-match", "substring-match", "any-subdomain", "unescaped-dot", "special-characters", "http-origin-trusted" }));
            Assert.That(fromIpv6.NotProbed.Single(n => n.Defect.Id == "suffix-match").Why, Does.Contain("no origin of this kind made from http://[::1]:3000 is one a browser can send"));
            Assert.That(fromIpv6.NotProbed.Single(n => n.Defect.Id == "http-origin-trusted").Why, Does.Contain("is http: already"));
            Assert.That(AuditOutput.Json(fromIpv6), Does.Contain("\"notProbed\"").And.Contain("\"unescaped-dot\""));
            Assert.That(MisconfiguredServer.Trusted, Does.StartWith("https:"));
            Assert.That(fromName.NotProbed, Is.Empty);
        }
    }

    /// <summary>From http://localhost:3000 (a host without a dot) only unescaped-dot gets no probe, and the reason was that the
    /// host "is an IP address or an internationalized name": it has no dot to forge.</summary>
    [Test]
    public void A_host_without_a_dot_is_said_to_have_none_for_unescaped_dot()
    {
        var notProbed = Auditor.NotProbedFor(Auditor.ProbesFor("http://localhost:3000"), "http://localhost:3000");
        Assert.That(notProbed.Select(n => n.Defect.Id), Is.EquivalentTo(new[] { "unescaped-dot", "http-origin-trusted" }));
        Assert.That(notProbed.Single(n => n.Defect.Id == "unescaped-dot").Why, Does.Contain("has no dot").And.Not.Contain("IP address"));
    }

    /// <summary>A preflight that lets any origin send credentialed requests has no answer a page reads: it is not tried in a
    /// browser (a page cannot tell its refused preflight from a refused answer), and the finding says what goes instead.</summary>
    [Test]
    public async Task A_preflight_that_admits_any_origin_is_found_without_a_browser_and_not_tried_in_one()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/preflight-admits-any-origin"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Defect, Is.EqualTo(ServerDefects.PreflightAdmitsAnyOrigin));
            Assert.That(finding.Severity, Is.EqualTo(Severity.Medium));
            Assert.That(finding.Message, Does.Contain("the methods PUT, DELETE and the headers Content-Type, X-Csrf-Token"));
            Assert.That(finding.Curl, Does.Contain("-X 'OPTIONS'").And.Contain("Access-Control-Request-Method: PUT"));
            Assert.That(BrowserConfirmation.Confirmable(result, finding), Is.False);
        }
    }

    /// <summary>`*` with credentials only to the trusted origin (its allow-list entry written `*`): the attacker's probe got no
    /// Access-Control-Allow-Origin and the audit read star-with-credentials from that answer alone — "0 finding(s)", exit 0,
    /// every defect checked — while every credentialed call of the front end fails in browsers. It is found on the trusted
    /// origin's own answer, low, and not tried in a page (no attacker's origin reads anything there).</summary>
    [Test]
    public async Task Star_with_credentials_to_the_trusted_origin_alone_is_found_on_its_answer()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/star-with-credentials-for-trusted"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((finding.Defect, finding.Severity, finding.ProbeOrigin), Is.EqualTo((ServerDefects.StarWithCredentials, Severity.Low, MisconfiguredServer.Trusted)));
            Assert.That(finding.Message, Does.Contain($"browsers refuse every credentialed read from {MisconfiguredServer.Trusted}"), finding.Message);
            Assert.That(result.NotChecked, Is.Empty);
            Assert.That(BrowserConfirmation.Confirmable(result, finding), Is.False);
        }
    }

    /// <summary>Why the audit left multiple-acao not checked against a server answering the trusted origin with
    /// <paramref name="trustedAnswer"/> (status line and header lines) and every other request 200 with Vary: Origin.</summary>
    private async Task<string> MultipleAcaoNotCheckedWhyAsync(string trustedAnswer)
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") == MisconfiguredServer.Trusted ? trustedAnswer : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        return result.NotChecked.First(n => n.Defect == ServerDefects.MultipleAcao).Why;
    }

    /// <summary>A server that names the trusted origin followed by a NUL byte (a C string's terminator written into the header)
    /// does not admit it, and the audit said to run it again "with --origin set to the origin your front end uses" — the
    /// origin was right; the reason now names the byte.</summary>
    [Test]
    public async Task A_trusted_origin_named_with_a_control_byte_is_said_so_not_put_down_to_the_wrong_origin()
    {
        var why = await MultipleAcaoNotCheckedWhyAsync($"200 OK\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\0\r\nVary: Origin");
        Assert.That(why, Does.Contain("the control byte \\x00").And.Not.Contain("run the audit with --origin"), why);
    }

    [Test]
    public void The_audit_and_the_server_under_test_share_one_vocabulary_of_forged_origins()
    {
        // Every kind of forgery is a server defect of the same id that the audit looks for, and the audit probes every forgery there is.
        var probes = Auditor.ProbesFor(MisconfiguredServer.Trusted);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OriginForgeries.Kinds.Where(k => !ServerDefects.Of(k).IsDetectedBy(DefectDetectors.Audit)), Is.Empty);
            Assert.That(probes.Select(p => (p.Defect.Id, p.Origin)),
                Is.EqualTo(OriginForgeries.From(MisconfiguredServer.Trusted).Select(f => (f.Kind, f.Origin))));
            Assert.That(() => ServerDefects.Of("prefix"), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    /// <summary>A server trusting `null` (koa with 'null' left in its allow-list for file:// pages) was reported as "null is
    /// trusted: … — a page there can read …", its reproduction "// from a page at null:" and its confirmation "a page at null
    /// read the response": no page is "at null", and a reader does not learn that any site can give itself that origin. The
    /// finding names the sandboxed frame that sends Origin: null, as the server-under-test reproduction does.</summary>
    [Test]
    public async Task A_trusted_null_origin_names_the_sandboxed_frame_that_sends_it()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/null"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Message, Does.Contain("any site can make a sandboxed frame that sends Origin: null").And.Not.Contain("a page there"), finding.Message);
            Assert.That(finding.FetchSnippet, Does.StartWith("// from a sandboxed frame (it sends Origin: null), <iframe sandbox=\"allow-scripts\" srcdoc=\"…\"> on any page:"), finding.FetchSnippet);
            Assert.That(BrowserConfirmation.ReadBy(finding, ["Chromium 156"]), Does.StartWith("confirmed in Chromium 156: a sandboxed frame (Origin: null) read the response"));
        }
    }

    /// <summary>An allow-list that kept its development origin names it with the dev server's port (koa's
    /// `['https://app.example.com', 'http://localhost:3000']`; Vite's 5173, Angular's 4200, 8080): the audit probed only
    /// http://localhost and http://127.0.0.1 and reported such a server with no finding, though any page a user's local dev
    /// server or another local program serves at that port reads their authenticated responses.</summary>
    [TestCase("http://localhost:3000")]
    [TestCase("http://localhost:5173")]
    [TestCase("http://localhost:4200")]
    [TestCase("http://localhost:8080")]
    public async Task A_localhost_origin_with_a_development_port_is_found(string devOrigin)
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") is { } origin && (origin == MisconfiguredServer.Trusted || origin == devOrigin)
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.Findings.Select(f => (f.Defect.Id, f.ProbeOrigin, f.Severity)), Is.EqualTo(new[] { ("localhost-trusted", devOrigin, Severity.High) }),
            () => string.Join("\n", result.Findings.Select(f => f.Message)));
    }

    [Test]
    public async Task A_credentialed_read_is_high_and_a_non_credentialed_one_low()
    {
        var credentialed = await Auditor.RunAsync(_server.UrlOf("/reflect"), MisconfiguredServer.Trusted, _client, Timeout);
        var anonymous = await Auditor.RunAsync(_server.UrlOf("/public-no-credentials"), MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(credentialed.Findings.Single().Severity, Is.EqualTo(Severity.High));
            Assert.That(anonymous.Findings.Single().Severity, Is.EqualTo(Severity.Low));
        }
    }

    [Test]
    public async Task ASP_NET_Core_s_middleware_with_a_strict_policy_has_no_finding_above_informational()
    {
        await using var server = await AspNetCoreCorsServer.StartAsync(FixturePolicies.Load("aspnetcore"));
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.Findings.Where(f => f.Severity > Severity.Info), Is.Empty, () => string.Join("\n", result.Findings.Select(f => f.Message)));
    }

    [Test]
    public async Task Every_finding_carries_its_evidence()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/prefix"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.ProbeOrigin, Is.EqualTo("https://app.example.com." + Auditor.AttackerDomain));
            Assert.That(finding.Curl, Does.Contain("Origin: https://app.example.com." + Auditor.AttackerDomain));
            Assert.That(finding.FetchSnippet, Does.Contain("credentials: \"include\""));
            Assert.That(finding.Response.Status, Is.EqualTo(200));
        }
    }

    [Test]
    public async Task A_preflight_finding_is_reproduced_by_the_preflight_it_is_about()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/preflight-reflects-anything"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        Assert.That(finding.Curl, Does.StartWith("curl -i -X 'OPTIONS'").And.Contain("Access-Control-Request-Method: CORSAUDIT").And.Contain("Access-Control-Request-Headers: x-cors-audit-probe"));
    }

    [Test]
    public async Task A_reflection_on_an_error_page_is_only_informational()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/not-found"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Severity, Is.EqualTo(Severity.Info));
            Assert.That(finding.Message, Does.Contain("404"));
        }
    }

    /// <summary>A mistyped URL (`/api/item`) on fastify with @fastify/cors, which dresses the framework's 404 with its CORS
    /// headers too: "0 finding(s)", exit 0, an audit of an error page read as a clean resource. A 404 or 410 to the trusted
    /// origin leaves every defect without a finding not checked, saying the resource is not there.</summary>
    // Without Access-Control-Allow-Origin for the trusted origin too: the 404 is the reason, not --origin.
    [TestCase(404, true)]
    [TestCase(410, true)]
    [TestCase(404, false)]
    public async Task A_URL_that_is_not_found_is_not_audited_clean(int status, bool admitsTrusted)
    {
        await using var server = new ScriptedServer(r => admitsTrusted && r.Header("Origin") == MisconfiguredServer.Trusted
            ? $"{status} Not Here\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nVary: Origin"
            : $"{status} Not Here\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect), Is.SupersetOf(new[] { ServerDefects.ReflectedOrigin, ServerDefects.PrefixMatch, ServerDefects.MissingVary, ServerDefects.MultipleAcao }));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.StartWith($"the URL answers {status} to {MisconfiguredServer.Trusted}: the resource is not there"));
        }
    }

    /// <summary>falcon's CORSMiddleware on a mistyped path: the 404 page reflects the trusted origin and sends no Vary. The
    /// other defects were "not checked" (the resource is not there) and a reflection there informational, but missing-vary
    /// came out low — `--fail-on low` failed a build on an error page's Vary.</summary>
    [Test]
    public async Task A_missing_Vary_on_a_not_found_page_is_only_informational()
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") == MisconfiguredServer.Trusted
            ? $"404 Not Found\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nAccess-Control-Allow-Credentials: true"
            : "404 Not Found");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings.Select(f => (f.Defect.Id, f.Severity)), Is.EqualTo(new[] { (ServerDefects.MissingVary.Id, Severity.Info) }),
                () => string.Join("\n", result.Findings.Select(f => $"{f.Defect.Id} ({f.Severity}): {f.Message}")));
            Assert.That(result.Findings.Single().Message, Does.Contain("404"));
        }
    }

    /// <summary>A preflight that echoes the invented method and header with Access-Control-Allow-Credentials: true, but that
    /// fails every credentialed CORS check (fetch.bs "CORS check": Access-Control-Allow-Origin must be the request's origin,
    /// never `*`, for credentials mode "include"; "CORS-preflight fetch": only an ok status): h3's handleCors with
    /// origin 'null' answers the trusted origin's preflight without Access-Control-Allow-Origin, with origin '*' and
    /// credentials with `*` — both were reported as a medium "preflight allows … with credentials", which no browser allows.
    /// `*` still lets any site send any method and header without credentials: informational. The same echo with the
    /// trusted origin named is the medium finding.</summary>
    [TestCase("", 204, null, TestName = "A preflight without Access-Control-Allow-Origin allows nothing")]
    [TestCase("Access-Control-Allow-Origin: https://app.example.com\r\n", 403, null, TestName = "A preflight answered 403 allows nothing")]
    [TestCase("Access-Control-Allow-Origin: *\r\n", 204, Severity.Info, TestName = "A preflight answering star allows no credentialed request")]
    [TestCase("Access-Control-Allow-Origin: https://app.example.com\r\n", 204, Severity.Medium, TestName = "A preflight naming the origin allows the credentialed request")]
    public async Task A_preflight_that_echoes_is_rated_by_the_CORS_check_it_passes(string acao, int status, Severity? expected)
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? $"{status} Preflight\r\n{acao}Access-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: {r.Header("Access-Control-Request-Method")}\r\n"
              + $"Access-Control-Allow-Headers: {r.Header("Access-Control-Request-Headers")}\r\nVary: Origin"
            : r.Header("Origin") == MisconfiguredServer.Trusted
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        var preflight = result.Findings.Where(f => f.Defect == ServerDefects.PreflightReflectsAnything).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(preflight.Select(f => (Severity?)f.Severity), Is.EqualTo(expected is null ? Array.Empty<Severity?>() : new[] { expected }),
                () => string.Join("\n", preflight.Select(f => $"{f.Severity}: {f.Message}")));
            Assert.That(result.NotChecked, Is.Empty, "the preflight was answered: the defect was checked");
            if (expected == Severity.Info) Assert.That(preflight[0].Message, Does.Contain("Access-Control-Allow-Origin: *").And.Contain("without credentials"));
            if (expected == Severity.Medium) Assert.That(preflight[0].Message, Does.Contain("with credentials"));
        }
    }

    /// <summary>h3's handleCors with origin 'null': the trusted origin is not admitted on the GET (so the defects of its
    /// answers are not checked), and its preflight echoes the method and header with credentials but without
    /// Access-Control-Allow-Origin. The echo was reported medium, in place of saying the defect was not checked.</summary>
    [Test]
    public async Task A_preflight_echo_for_an_origin_the_server_does_not_admit_is_not_checked()
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? $"204 Preflight\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: {r.Header("Access-Control-Request-Method")}\r\n"
              + $"Access-Control-Allow-Headers: {r.Header("Access-Control-Request-Headers")}\r\nVary: Origin"
            : r.Header("Origin") == "null" ? "200 OK\r\nAccess-Control-Allow-Origin: null\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin" : "200 OK\r\nVary: Origin");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings.Select(f => f.Defect), Is.EqualTo(new[] { ServerDefects.NullTrusted }),
                () => string.Join("\n", result.Findings.Select(f => $"{f.Defect.Id} ({f.Severity}): {f.Message}")));
            Assert.That(result.NotChecked.Select(n => n.Defect), Has.Member(ServerDefects.PreflightReflectsAnything));
        }
    }

    /// <summary>Apache's `Header always set Access-Control-Allow-Origin "*"` with `Access-Control-Allow-Credentials "true"`:
    /// the finding said only that browsers refuse credentialed reads, then "not exploitable in browsers" — but `*` lets every
    /// site read what the resource returns to a request without cookies (the public-star finding it takes the place of).</summary>
    [Test]
    public async Task Star_with_credentials_says_any_site_still_reads_what_is_sent_without_cookies()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/star-with-credentials"), MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Message, Does.Contain("browsers refuse every credentialed read").And.Contain("any site can still read what the resource returns to"));
            Assert.That(BrowserConfirmation.RefusedBy(finding, ["Chromium 156: the response was not readable"]),
                Does.StartWith("not exploitable in browsers (server defect only): Chromium 156: the response was not readable").And.EndWith("; a read without cookies still works from any site, as `*` allows"));
        }
    }

    [Test]
    public async Task Star_without_credentials_is_informational()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/public-star"), MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.Findings.Single().Severity, Is.EqualTo(Severity.Info));
    }

    [Test]
    public async Task A_response_header_holding_markup_stays_text_in_every_output_format()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/markup"), MisconfiguredServer.Trusted, _client, Timeout);
        var json = AuditOutput.Json(result);
        var sarif = AuditOutput.Sarif(result);
        using var jsonDocument = System.Text.Json.JsonDocument.Parse(json);
        using var sarifDocument = System.Text.Json.JsonDocument.Parse(sarif);
        var jsonHeaders = jsonDocument.RootElement.GetProperty("findings")[0].GetProperty("responseHeaders").EnumerateArray().Select(h => h.GetString());
        var sarifHeaders = sarifDocument.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("properties")
            .GetProperty("responseHeaders").EnumerateArray().Select(h => h.GetString());
        using (Assert.EnterMultipleScope())
        {
            // Parsed back, the value is the markup itself; in the files it never appears as a raw tag.
            Assert.That(jsonHeaders, Has.Member("X-Note: " + MisconfiguredServer.MarkupHeader));
            Assert.That(sarifHeaders, Has.Member("X-Note: " + MisconfiguredServer.MarkupHeader));
            Assert.That(json, Does.Not.Contain("<script>"));
            Assert.That(sarif, Does.Not.Contain("<script>"));
        }
    }

    // --- What the audit could not check ---------------------------------------------------------------------------------

    /// <summary>Audited with an origin the server does not trust (a typo, the wrong environment), the forgeries of it and
    /// the checks of a trusted answer came out clean though they tested nothing; those of origins that do not depend on
    /// it (the attacker's own, null, sandboxes, localhost, `*`) did test what they say.</summary>
    [Test]
    public async Task An_origin_the_server_does_not_admit_leaves_what_depends_on_it_not_checked()
    {
        await using var server = await AspNetCoreCorsServer.StartAsync(FixturePolicies.Load("aspnetcore"));
        const string other = "https://not-the-front-end.example";
        var wrong = await Auditor.RunAsync(server.Resource, other, _client, Timeout);
        var right = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        var dependent = new[] { OriginForgeries.PrefixMatch, OriginForgeries.SuffixMatch, OriginForgeries.SubstringMatch, OriginForgeries.AnySubdomain,
            OriginForgeries.UnescapedDot, OriginForgeries.HttpOriginTrusted, OriginForgeries.OtherPort, OriginForgeries.SpecialCharacters,
            ServerDefects.MultipleAcao.Id, ServerDefects.AcacWrongSpelling.Id, ServerDefects.MissingVary.Id, ServerDefects.PreflightReflectsAnything.Id };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(wrong.NotChecked.Select(n => n.Defect.Id).Distinct(), Is.EquivalentTo(dependent));
            Assert.That(wrong.NotChecked.Select(n => n.Why), Has.All.Contains($"the server does not admit {other} itself").And.All.Contains("no Access-Control-Allow-Origin"));
            Assert.That(right.NotChecked, Is.Empty);
        }
    }

    [TestCase(401)]
    [TestCase(403)]
    public void An_authentication_answer_says_the_probes_never_reached_the_CORS_layer(int status)
    {
        var why = Auditor.NotAdmitted(new RawResponse(status, [], null), "https://app.example.com");
        Assert.That(why, Does.Contain($"the {status} says an authentication layer answered before CORS").And.Contain("a URL that answers without signing in"));
    }

    /// <summary>Tomcat's CorsFilter answers 403, without a CORS header, to an Origin not in cors.allowed.origins (its default
    /// allows none), and a request without Origin as the application does. Audited there, every defect made from --origin
    /// was rightly not checked, but the reason said "the 403 says an authentication layer answered before CORS … audit a URL
    /// that answers without signing in" of a URL that answers anyone; the GET without Origin the audit already sends tells
    /// the two apart. A server that refuses that GET too keeps the authentication reason.</summary>
    [TestCase(true, "a GET without Origin is answered 200, so the 403 refuses the origin itself, not a request without a session")]
    [TestCase(false, "the 403 says an authentication layer answered before CORS")]
    public async Task A_403_that_refuses_the_origin_itself_is_not_called_authentication(bool tomcat, string expected)
    {
        await using var server = tomcat
            ? ScriptedServer.TomcatCorsFilter(origins: [], methods: ["GET", "POST", "HEAD", "OPTIONS"])
            : new ScriptedServer(_ => "403 Forbidden");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        var whys = result.NotChecked.Where(n => n.Defect == ServerDefects.PrefixMatch).Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(whys, Has.Count.EqualTo(1));
            Assert.That(whys, Has.All.Contains(expected));
            if (tomcat) Assert.That(whys, Has.None.Contains("authentication layer"));
        }
    }

    /// <summary>ASP.NET Core apps whose CORS middleware does not run (found by the ASP.NET Core review, 2026-12-06): an
    /// endpoint given a policy with RequireCors and no UseCors answers everything 500; UseCors after UseEndpoints leaves
    /// every answer without a CORS header. Both were rightly not checked, but the reason said only "run the audit with
    /// --origin set to the origin your front end uses" — the origin was the right one. A 5xx says the server failed on the
    /// request itself; an answer without a single Access-Control- header says the CORS layer may not run for the URL.</summary>
    [TestCase(AspNetCorePipeline.CorsPolicyWithoutMiddleware, "its answer (500) has no Access-Control-Allow-Origin",
        "the 500 is the server failing on the request, not refusing the origin: a GET without Origin is answered 500 too", "app.UseCors() is missing or runs before app.UseRouting()")]
    [TestCase(AspNetCorePipeline.UnhandledException, "its answer (500) has no Access-Control-Allow-Origin",
        "so the CORS layer runs and trusts it, and this error answer lacks its headers", "app.UseExceptionHandler() keeps them; nginx: add_header without `always`")]
    [TestCase(AspNetCorePipeline.CorsAfterEndpoints, "its answer (200) has no Access-Control-Allow-Origin",
        "the answer carries no Access-Control- header at all", "app.UseCors(…) called after app.UseEndpoints(…)")]
    public async Task A_server_whose_CORS_layer_does_not_run_is_not_told_to_change_origin(AspNetCorePipeline pipeline, string seen, string why, string aspNetCore)
    {
        await using var server = await AspNetCorePipelineServer.StartAsync(FixturePolicies.Load("aspnetcore"), pipeline);
        var result = await Auditor.RunAsync(server.Resource, "https://app.example.com", _client, Timeout);
        var whys = result.NotChecked.Where(n => n.Defect == ServerDefects.PrefixMatch).Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings.Where(f => f.Severity > Severity.Info), Is.Empty);
            Assert.That(whys, Has.Count.EqualTo(1));
            Assert.That(whys, Has.All.Contains(seen).And.All.Contains(why).And.All.Contains(aspNetCore));
            // The two ASP.NET Core causes of a 500 are told apart by the preflight: never both named.
            Assert.That(whys, Has.None.Contains("RequireCors(…), [EnableCors] — when app.UseCors() is missing").Or.None.Contains("app.UseExceptionHandler()"));
        }
    }

    /// <summary>echo's CORSWithConfig (and hapi's route cors) answer an origin they do not list without a single
    /// Access-Control- header, but with Vary: Origin. Audited with --origin set to an origin the list lacks, every defect was
    /// rightly not checked, but the reason offered "or its CORS layer does not run for this URL (ASP.NET Core: app.UseCors(…)
    /// called after app.UseEndpoints(…) …)" — a cause the answer's own Vary: Origin speaks against (seen against echo 4.2 and
    /// hapi 21). That Vary says a CORS layer ran and does not trust the origin.</summary>
    [Test]
    public async Task An_answer_that_varies_on_Origin_is_not_put_down_to_a_CORS_layer_that_never_ran()
    {
        await using var server = ScriptedServer.EchoCors(["https://app.example.com"]);
        var result = await Auditor.RunAsync(server.Resource, "https://app.example.org", _client, Timeout);
        var whys = result.NotChecked.Where(n => n.Defect == ServerDefects.PrefixMatch).Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings.Where(f => f.Severity > Severity.Info), Is.Empty);
            Assert.That(whys, Has.Count.EqualTo(1));
            Assert.That(whys, Has.All.Contains("Vary: Origin").And.All.Contains("a CORS layer ran for this URL and does not trust https://app.example.org"));
            Assert.That(whys, Has.None.Contains("does not run for this URL").And.None.Contains("app.UseCors"));
        }
    }

    /// <summary>Koa with @koa/cors mounted after the router answers the trusted origin 200 without a single Access-Control-
    /// header (fifth review, 2026-12-06): every defect was rightly not checked, the reason offering only ASP.NET Core's
    /// "app.UseCors(…) called after app.UseEndpoints(…)" for a server that shows no ASP.NET Core. It names the middleware
    /// frameworks' mount order too.</summary>
    [Test]
    public async Task A_CORS_layer_that_never_runs_is_named_in_the_middleware_frameworks_words_too()
    {
        await using var server = ScriptedServer.KoaCorsAfterRouter();
        var result = await Auditor.RunAsync(server.Resource, "https://app.example.com", _client, Timeout);
        var whys = result.NotChecked.Where(n => n.Defect == ServerDefects.PrefixMatch).Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whys, Has.Count.EqualTo(1));
            Assert.That(whys, Has.All.Contains("does not run for this URL").And.All.Contains("Koa: app.use(cors(…)) before app.use(router.routes())")
                .And.All.Contains("Express: app.use(cors(…)) before the routes"));
        }
    }

    /// <summary>CORS headers written on preflights alone (fifth review, 2026-12-06, a Tornado handler setting them in
    /// options()): the trusted origin's GET gets none while its preflight is admitted. The not-checked reason said "either the
    /// server does not trust this origin — run the audit with --origin … — or its CORS layer does not run for this URL",
    /// though the audit's own preflight showed it trusts the origin and the layer runs. It says what the answers show.</summary>
    [Test]
    public async Task CORS_headers_on_preflights_alone_are_not_put_down_to_a_wrong_origin()
    {
        await using var server = ScriptedServer.PreflightOnlyHeaders(["https://app.example.com"]);
        var result = await Auditor.RunAsync(server.Resource, "https://app.example.com", _client, Timeout);
        var whys = result.NotChecked.Where(n => n.Defect == ServerDefects.PrefixMatch).Select(n => n.Why).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whys, Has.Count.EqualTo(1));
            Assert.That(whys, Has.All.Contains("a preflight from https://app.example.com is answered 204 with Access-Control-Allow-Origin: https://app.example.com, so the server trusts it")
                .And.All.Contains("sent only on the preflight's answer"));
            Assert.That(whys, Has.None.Contains("run the audit with --origin").And.None.Contains("does not run for this URL"));
        }
    }

    [TestCase(new[] { "https://app.example.com" }, "allows https://app.example.com instead")]
    [TestCase(new[] { "https://a.example", "https://b.example" }, "allows https://a.example | https://b.example instead")]
    [TestCase(new[] { "https://a.example, https://elsewhere.example" }, null)]
    [TestCase(new[] { "*" }, null)]
    [TestCase(new[] { "https://elsewhere.example" }, null)]
    public void The_reason_names_whom_the_server_allows_instead(string[] allowOrigins, string? expected)
    {
        var answer = new RawResponse(200, allowOrigins.Select(v => new Header(HeaderNames.AccessControlAllowOrigin, v)).ToList(), null);
        var why = Auditor.NotAdmitted(answer, "https://elsewhere.example");
        Assert.That(why, expected is null ? Is.Null : Does.Contain(expected).And.Contain("--origin"));
    }

    /// <summary>A page that would not open at a probe origin: every forgery the audit makes is an origin a browser can have, so
    /// the failure is the harness's — a runner page not ready in time on a loaded machine, a window the driver could not
    /// open — and it read "refused", which made the finding "not exploitable in browsers (server defect only)" though no page
    /// had tried the read. Only an origin no browser can have is refused by it.</summary>
    [TestCase("https://app.example.com.cors-audit-attacker.test", "the runner page at https://app.example.com.cors-audit-attacker.test was not ready within 15 s", "Unchecked", "was not tried")]
    [TestCase("https://app.example.com_.cors-audit-attacker.test", "could not open a window for the runner page: session closed", "Unchecked", "was not tried")]
    [TestCase("null", "the runner page at https://www.cors.test:443 was not ready within 15 s", "Unchecked", "was not tried")]
    [TestCase("http://localhost:3000", "NS_ERROR_CONNECTION_REFUSED", "Unchecked", "directly")]
    [TestCase("http://[::1].cors-audit-attacker.test", "NS_ERROR_MALFORMED_URI", "Refused", "cannot have the origin")]
    public void A_page_that_will_not_open_at_an_origin_a_browser_can_have_leaves_the_finding_not_checked(string probe, string failure, string outcome, string why)
    {
        var (read, reason) = BrowserConfirmation.PageNotOpened(probe, "chromium 156", failure);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.ToString(), Is.EqualTo(outcome));
            Assert.That(reason, Does.Contain(why).And.Contain(failure));
        }
    }

    /// <summary>Confirmed in one engine, refused or not checked in another: every engine is named, so "confirmed in Chromium"
    /// does not read as every engine, nor "not exploitable" as the engines that could not try it.</summary>
    [TestCase(new[] { "Chromium 156" }, new[] { "Firefox 153: blocked" }, new[] { "WebKitGTK 2.50: mixed content" },
        "confirmed in Chromium 156: a page at https://evil.example read the response of a request without credentials (what the resource returns to anyone); refused in Firefox 153: blocked; not checked in WebKitGTK 2.50: mixed content")]
    [TestCase(new[] { "Chromium 156", "Firefox 153" }, new string[0], new string[0],
        "confirmed in Chromium 156 / Firefox 153: a page at https://evil.example read the response of a request without credentials (what the resource returns to anyone)")]
    [TestCase(new string[0], new[] { "Chromium 156: blocked" }, new[] { "WebKitGTK 2.50: mixed content" },
        "not exploitable in the browsers that could try it (server defect only): Chromium 156: blocked; not checked in WebKitGTK 2.50: mixed content")]
    [TestCase(new string[0], new[] { "Chromium 156: blocked" }, new string[0], "not exploitable in browsers (server defect only): Chromium 156: blocked")]
    [TestCase(new string[0], new string[0], new[] { "WebKitGTK 2.50: mixed content" }, "not checked in a browser: WebKitGTK 2.50: mixed content")]
    [TestCase(new string[0], new string[0], new string[0], "not checked in a browser (no engine could run)")]
    public void A_browser_verdict_names_every_engine(string[] readable, string[] refused, string[] notChecked, string expected)
    {
        var answer = new RawResponse(200, [new Header(HeaderNames.AccessControlAllowOrigin, "https://evil.example")], null);
        var finding = new AuditFinding(ServerDefects.ReflectedOrigin, Severity.Low, "https://evil.example", "m", answer, "curl", "fetch");
        Assert.That(BrowserConfirmation.Verdict(finding, readable, refused, notChecked), Is.EqualTo(expected));
    }

    [Test]
    public async Task An_audit_that_reaches_nothing_checks_nothing_and_says_so_for_every_class()
    {
        var result = await Auditor.RunAsync(new Uri("http://127.0.0.1:9/api"), MisconfiguredServer.Trusted, _client, TimeSpan.FromSeconds(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect).Distinct(), Is.EquivalentTo(ServerDefects.DetectedBy(DefectDetectors.Audit)));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.Contains("no answer after one retry"));
        }
    }

    /// <summary>An audited URL that redirects (to https, to a login page) was read on the redirect: without CORS headers
    /// there, every class came out clean; with a reflection there, found on an answer that is not the resource. Neither
    /// says anything of the resource behind it.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task A_redirect_is_not_the_resource_and_its_defects_are_not_checked(bool reflects)
    {
        await using var server = ScriptedServer.Redirecting(reflects);
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect).Distinct(),
                Is.EquivalentTo(ServerDefects.DetectedBy(DefectDetectors.Audit).Where(d => d != ServerDefects.PreflightReflectsAnything && d != ServerDefects.PreflightAdmitsAnyOrigin)),
                "every class read on a GET; a preflight's redirect is an answer that refuses");
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.StartWith("the URL answers 302 with Location: /login, not with the resource")
                .And.All.Contain($"point it at {new Uri(server.BaseUrl, "/login")} itself"));
        }
    }

    /// <summary>A server that names the trusted origin with Vary: Origin, but answers a request without Origin (a navigation,
    /// an &lt;img&gt; without crossorigin) without Access-Control-Allow-Origin or Vary and lets caches keep that answer ten
    /// minutes: the standard's own example of a cached answer handed to a later CORS request, which the browser blocks. The
    /// audit read only the trusted origin's answer, and found nothing. Without an answer to that GET, the class is not
    /// checked.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task An_answer_without_Origin_that_caches_keep_without_Vary_is_found(bool answersWithoutOrigin)
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") switch
        {
            null => answersWithoutOrigin ? "200 OK\r\nCache-Control: max-age=600" : "bogus",
            MisconfiguredServer.Trusted => $"200 OK\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nVary: Origin\r\nCache-Control: max-age=600",
            _ => "200 OK\r\nVary: Origin\r\nCache-Control: max-age=600",
        });
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            if (answersWithoutOrigin)
            {
                var finding = result.Findings.Single();
                Assert.That(finding.Defect, Is.EqualTo(ServerDefects.MissingVary));
                Assert.That(finding.ProbeOrigin, Is.EqualTo(Auditor.NoOrigin));
                Assert.That(finding.Message, Does.Contain("a GET without Origin").And.Contain("Cache-Control: max-age=600"));
                Assert.That(finding.Curl, Does.Not.Contain("Origin:"), "the reproduction sends no Origin, as the request it is about");
            }
            else
            {
                Assert.That(result.Findings, Is.Empty);
                Assert.That(result.NotChecked.Where(n => n.Defect == ServerDefects.MissingVary).Select(n => n.ProbeOrigin), Is.EqualTo(new[] { Auditor.NoOrigin }));
            }
        }
    }

    /// <summary>A server that trusts any origin with credentials only for a request carrying a cookie (Starlette allowing
    /// `*` with credentials) was rated low, "`*` with credentials, not exploitable": the probes carried no cookie. They carry
    /// one, as a signed-in user's request does.</summary>
    [Test]
    public async Task A_server_that_reflects_origins_only_to_signed_in_users_is_found()
    {
        await using var server = ScriptedServer.CookieReflecting();
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.First();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((finding.Defect, finding.Severity), Is.EqualTo((ServerDefects.ReflectedOrigin, Severity.High)), () => string.Join("\n", result.Findings.Select(f => f.Message)));
            Assert.That(finding.Curl, Does.Contain("-H 'Cookie: " + Replay.SignedInCookie + "'"));
        }
    }

    /// <summary>Browser confirmation asks the server again without a cookie, as the browser's request went, to tell a server
    /// that trusts an origin only for signed-in users (its refusal in the browser clears nothing) from one whose refusal
    /// stands. `*` with credentials, answered alike with and without a cookie (Caddy's `header Access-Control-Allow-Origin *`
    /// beside `Access-Control-Allow-Credentials true`), was compared with the probe origin, which `*` never is: every such
    /// finding was "not checked in a browser: the server trusts … only for a request that carries a cookie (without one it
    /// answers Access-Control-Allow-Origin: *)", where browsers refuse it as the standard says.</summary>
    [TestCase("/star-with-credentials", false)]
    [TestCase(null, true)]
    public async Task Only_an_answer_that_changes_without_the_cookie_leaves_a_browser_s_refusal_unchecked(string? path, bool onlyWithCookie)
    {
        await using var cookieReflecting = ScriptedServer.CookieReflecting();
        var target = path is null ? cookieReflecting.Resource : _server.UrlOf(path);
        var result = await Auditor.RunAsync(target, MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.First(f => f.Severity > Severity.Info);
        var withoutCookie = await Auditor.ProbeAsync(_client, target, finding.ProbeOrigin, Timeout, signedIn: false);
        Assert.That(BrowserConfirmation.TrustsOnlyWithCookie(finding, withoutCookie), Is.EqualTo(onlyWithCookie),
            () => $"{finding.Defect.Id} via {finding.ProbeOrigin}: with the cookie {finding.Response}; without it {withoutCookie}");
    }

    /// <summary>The same Access-Control-Allow-Origin with and without the cookie, but credentials allowed only with it: a
    /// browser's refusal, made without a cookie, says nothing of a signed-in user's read.</summary>
    [Test]
    public async Task Credentials_allowed_only_with_the_cookie_leave_a_browser_s_refusal_unchecked()
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") is not { } origin ? "200 OK"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nVary: Origin" + (r.Header("Cookie") is null ? "" : "\r\nAccess-Control-Allow-Credentials: true"));
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        var finding = result.Findings.First(f => f.Severity > Severity.Info);
        var withoutCookie = await Auditor.ProbeAsync(_client, server.Resource, finding.ProbeOrigin, Timeout, signedIn: false);
        Assert.That(BrowserConfirmation.TrustsOnlyWithCookie(finding, withoutCookie), Is.True, () => $"{finding.Defect.Id}: with the cookie {finding.Response}; without it {withoutCookie}");
    }

    /// <summary>An audited server behind a rate limit or a gateway that is down answered every probe 503 without CORS
    /// headers, and the audit found it clean.</summary>
    [Test]
    public async Task A_server_that_did_not_handle_the_probes_is_not_checked()
    {
        await using var server = ScriptedServer.Unhandled(503);
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect).Distinct(), Is.EquivalentTo(ServerDefects.DetectedBy(DefectDetectors.Audit)), "the forged preflight's 503 too");
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.StartWith("the URL answers 503, which says the request was not handled"));
        }
    }

    [Test]
    public async Task A_hung_server_and_one_that_answers_garbage_are_not_checked_within_the_timeouts()
    {
        await using var silent = new SilentServer();
        await using var garbage = new GarbageServer();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var hung = await Auditor.RunAsync(silent.Resource, MisconfiguredServer.Trusted, _client, TimeSpan.FromMilliseconds(500));
        var elapsed = clock.Elapsed;
        var broken = await Auditor.RunAsync(garbage.Resource, MisconfiguredServer.Trusted, _client, TimeSpan.FromSeconds(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hung.NotChecked, Is.Not.Empty);
            Assert.That(hung.NotChecked.Select(n => n.Why), Has.All.Contains("no answer within 0.5 s"));
            // Nothing reached: one reason for every defect, after the trusted origin's GET and its retry alone.
            Assert.That(hung.NotChecked.Select(n => n.Defect).Distinct(), Is.EquivalentTo(ServerDefects.DetectedBy(DefectDetectors.Audit)));
            Assert.That(silent.Connections, Is.EqualTo(2));
            // Every probe and its retry at most MaxConcurrentProbes at a time: bounded, not minutes.
            var probes = Auditor.ProbesFor(MisconfiguredServer.Trusted).Count + 2;
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(0.5 * 2 * Math.Ceiling(probes / (double)Auditor.MaxConcurrentProbes) + 10)));
            Assert.That(broken.Findings, Is.Empty);
            Assert.That(broken.NotChecked, Is.Not.Empty);
        }
    }

    /// <summary>An Origin header holds ASCII only: an internationalized trusted origin (given, or the URL's own) was forged
    /// into Unicode probes that HttpClient would not send, and every one was "not checked" (exit 5).</summary>
    [TestCase("https://bücher.example", "https://xn--bcher-kva.example")]
    [TestCase("https://bücher.example:8443/api", "https://xn--bcher-kva.example:8443")]
    [TestCase("http://app.example.com/x", "http://app.example.com")]
    [TestCase("http://[::1]:8080/", "http://[::1]:8080")]
    [TestCase("http://127.0.0.1:80/", "http://127.0.0.1")]
    [TestCase("http://[::ffff:127.0.0.1]:8080/", "http://[::ffff:7f00:1]:8080")]
    public void An_origin_is_serialized_as_browsers_send_it(string url, string origin)
    {
        Assert.That(OriginSyntax.Of(new Uri(url)), Is.EqualTo(origin));
    }

    /// <summary>A server that writes the trusted origin back in a form the byte-for-byte CORS check rejects admits nobody in a
    /// browser: no finding, and the reason the trusted origin's checks are not checked names the difference and says every
    /// call fails — it told the user to give another --origin, when the origin was right and the server's answer wrong.</summary>
    [TestCase("/reflect-trailing-slash", "https://app.example.com/", "trailing slash")]
    [TestCase("/reflect-uppercase", "HTTPS://APP.EXAMPLE.COM", "only in letter case")]
    public async Task An_answer_naming_the_trusted_origin_in_another_form_admits_nobody_and_says_the_byte_difference(string path, string answered, string how)
    {
        var result = await Auditor.RunAsync(_server.UrlOf(path), MisconfiguredServer.Trusted, _client, Timeout);
        var reasons = result.NotChecked.Select(n => n.Why).Distinct().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked.Select(n => n.Defect), Does.Contain(ServerDefects.PrefixMatch).And.Contain(ServerDefects.MissingVary));
            Assert.That(reasons, Has.Some.Contains($"allows {answered} instead").And.Some.Contains(how)
                .And.Some.Contains("every call from https://app.example.com fails in browsers").And.None.Contains("run the audit with --origin"));
        }
    }

    /// <summary>HttpClient quotes an invalid status line in its error, and the audit printed that error as it came: a
    /// hostile server could send the terminal that runs the audit an escape sequence (retitle it, recolour it, hide lines).</summary>
    [Test]
    public async Task A_status_line_with_control_characters_reaches_the_output_escaped()
    {
        await using var garbage = new GarbageServer("\u001b]0;pwned\u0007\u001b[2J\0 not HTTP\r\n\r\n");
        var result = await Auditor.RunAsync(garbage.Resource, MisconfiguredServer.Trusted, _client, TimeSpan.FromSeconds(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.NotChecked, Is.Not.Empty);
            Assert.That(result.NotChecked.Select(n => n.Why), Has.All.Not.Match("[\\x00-\\x1f\\x7f]"));
            Assert.That(result.NotChecked.Select(n => n.Why), Has.Some.Contains("\\x1b]0;pwned\\x07"));
        }
    }

    /// <summary>HttpClient reads any three digits as a status, so a server answering "099" with a reflected origin and
    /// credentials came out as a high finding (and a clean audit where it admitted only the trusted origin); browsers make a
    /// status below 100 a network error, so nothing on this URL can be judged: every defect is not checked, saying why.</summary>
    [TestCase("099 HELLO")]
    [TestCase("000 ZERO")]
    public async Task A_status_below_100_leaves_every_defect_not_checked(string status)
    {
        await using var server = new GarbageServer($"HTTP/1.1 {status}\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n");
        var result = await Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, _client, TimeSpan.FromSeconds(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Findings, Is.Empty);
            Assert.That(result.NotChecked, Is.Not.Empty);
            Assert.That(result.NotChecked.Select(n => n.Why).Distinct().Single(), Does.Contain($"'HTTP/1.1 {status}'").And.Contain("a status below 100 is a network error in browsers"));
        }
    }

    /// <summary>A server whose certificate the audit does not trust leaves every defect not checked, saying so once and
    /// pointing at --insecure (it read "the TLS handshake failed (the TLS handshake failed: …)"); with --insecure's client
    /// it is audited.</summary>
    [Test]
    public async Task A_certificate_the_audit_does_not_trust_leaves_every_defect_not_checked_pointing_at_insecure()
    {
        await using var server = new UntrustedTlsServer();
        var refused = await Auditor.RunAsync(server.HttpsResource, "https://app.example.com", _client, TimeSpan.FromSeconds(5));
        var insecure = await Auditor.RunAsync(server.HttpsResource, "https://app.example.com", Replay.CreateClient(acceptAnyCertificate: true), TimeSpan.FromSeconds(5));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.NotChecked.Select(n => n.Why).Distinct(), Is.EqualTo(new[]
            {
                "the TLS handshake failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot; "
                + "for a staging server with a self-signed certificate, run the audit with --insecure",
            }));
            Assert.That(insecure.NotChecked, Is.Empty);
        }
    }

    [Test]
    public async Task Not_checked_classes_are_in_the_JSON_and_in_SARIF_as_tool_execution_notifications()
    {
        var result = await Auditor.RunAsync(new Uri("http://127.0.0.1:9/api"), MisconfiguredServer.Trusted, _client, TimeSpan.FromSeconds(1));
        var json = System.Text.Json.Nodes.JsonNode.Parse(AuditOutput.Json(result))!;
        var sarif = System.Text.Json.Nodes.JsonNode.Parse(AuditOutput.Sarif(result))!;
        var invocation = sarif["runs"]![0]!["invocations"]![0]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json["notChecked"]!.AsArray(), Has.Count.EqualTo(result.NotChecked.Count));
            Assert.That(invocation["executionSuccessful"]!.GetValue<bool>(), Is.False);
            Assert.That(invocation["toolExecutionNotifications"]!.AsArray().Select(n => n!["descriptor"]!["id"]!.GetValue<string>()), Does.Contain("reflected-origin"));
        }
    }

    [Test]
    public async Task A_finding_found_by_one_probe_is_checked_whatever_its_other_probes_got()
    {
        var result = await Auditor.RunAsync(_server.UrlOf("/reflect"), MisconfiguredServer.Trusted, _client, Timeout);
        Assert.That(result.NotChecked, Is.Empty);
    }

    /// <summary>A server that sends its CORS headers only on a 103 Early Hints before its answer: fetch reads only the final
    /// answer's headers, and Chromium and Firefox blocked every call of such a stand-in server. The audit said the answer
    /// "carries no Access-Control- header at all: either the server does not trust this origin … or its CORS layer does not
    /// run for this URL", though the headers came and name the origin: it says where they came instead.</summary>
    [Test]
    public async Task CORS_headers_only_on_an_interim_103_are_said_to_be_there_and_not_read()
    {
        var why = await MultipleAcaoNotCheckedWhyAsync($"103 Early Hints\r\nAccess-Control-Allow-Origin: {MisconfiguredServer.Trusted}\r\nAccess-Control-Allow-Credentials: true\r\n\r\nHTTP/1.1 200 OK\r\nVary: Origin");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(why, Does.Contain("only on the interim 103 answer").And.Contain($"Access-Control-Allow-Origin: {MisconfiguredServer.Trusted}"), why);
            Assert.That(why, Does.Not.Contain("does not trust this origin"), why);
        }
    }

    /// <summary>"Access-Control-Allow-Origin : …", white space before the colon: Chromium reads it, Firefox and WebKitGTK do
    /// not (a stand-in server, all three). The audit said the trusted origin's answer "carries no Access-Control-Allow-Origin"
    /// and to give another --origin; it names the line.</summary>
    [Test]
    public async Task A_CORS_line_with_white_space_before_its_colon_is_named()
    {
        var why = await MultipleAcaoNotCheckedWhyAsync($"200 OK\r\nAccess-Control-Allow-Origin : {MisconfiguredServer.Trusted}\r\nVary: Origin");
        Assert.That(why, Does.Contain("white space between the name and the colon").And.Contain("Firefox and WebKitGTK"), why);
    }
}
