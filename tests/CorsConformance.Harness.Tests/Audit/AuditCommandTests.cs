using System.Text.Json;
using CorsConformance.Cli;
using CorsConformance.Fixtures;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>`cors-conformance audit`: console, JSON and SARIF 2.1.0 output, and the exit code by severity.</summary>
public sealed class AuditCommandTests
{
    /// <summary>Without a browser, a finding a page could have tried said nothing of it (the JSON's browserConfirmation was
    /// null, the console silent): read beside audits that confirm, silence looked like a finding no browser was needed for.
    /// A missing Vary is never tried in a page, with or without --no-browser.</summary>
    [Test]
    public async Task With_no_browser_a_finding_a_page_could_try_says_it_was_not_tried()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var output = new StringWriter();
        var code = await Commands.RunAsync(["audit", server.UrlOf("/reflect").ToString(), "--origin", MisconfiguredServer.Trusted, "--no-browser", "--json"], output, new StringWriter());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(0));
            Assert.That(text, Does.Contain("[high] reflected-origin").And.Contain("      " + Harness.Audit.BrowserConfirmation.NotAsked));
            Assert.That(text, Does.Contain("\"browserConfirmation\": \"not confirmed in a browser (--no-browser)"));
        }
    }

    /// <summary>The audit printed a server's header values raw: an Access-Control-Allow-Origin ending in ESC [2J cleared the
    /// terminal running it ("its answer (200) allows https://app.example.com… instead", the sequence run, not shown), and a
    /// \x01 made the value look like the trusted origin itself (found by the hostile-server sweep). Every console line is
    /// written with its control characters as \xNN.</summary>
    [TestCase("an Access-Control-Allow-Origin with ESC [2J", "Access-Control-Allow-Origin: {0}\u001b[2J\r\nAccess-Control-Allow-Credentials: true", "allows https://app.example.com\\x1b[2J instead", TestName = "A server's control characters reach the audit's console escaped (ESC in Access-Control-Allow-Origin)")]
    [TestCase("an Access-Control-Allow-Credentials with BEL and OSC", "Access-Control-Allow-Origin: {0}\r\nAccess-Control-Allow-Credentials: true\u0007\u001b]0;pwned\u0007", "Access-Control-Allow-Credentials: true\\x07\\x1b]0;pwned\\x07", TestName = "A server's control characters reach the audit's console escaped (BEL and OSC in Access-Control-Allow-Credentials)")]
    public async Task A_server_s_control_characters_reach_the_console_escaped(string what, string headers, string shown)
    {
        await using var server = new ScriptedServer(r => "200 OK\r\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, headers, r.Header("Origin") == "https://app.example.com" ? "https://app.example.com" : "https://other.example") + "\r\nVary: Origin");
        var output = new StringWriter();
        await Commands.RunAsync(["audit", server.Resource.ToString(), "--origin", "https://app.example.com", "--no-browser"], output, new StringWriter());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Match("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f]"), text);
            Assert.That(text, Does.Contain(shown));
        }
    }

    [Test]
    public async Task An_audit_writes_SARIF_with_one_result_per_finding_and_fails_at_the_chosen_severity()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("cors-audit-").FullName;
        try
        {
            var sarifPath = Path.Combine(folder, "findings.sarif");
            var jsonPath = Path.Combine(folder, "findings.json");
            var output = new StringWriter();
            var code = await Commands.RunAsync(
                ["audit", server.UrlOf("/prefix").ToString(), "--origin", MisconfiguredServer.Trusted, "--sarif", sarifPath, "--out", jsonPath, "--fail-on", "high"],
                output, new StringWriter());
            using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(sarifPath));
            var run = sarif.RootElement.GetProperty("runs")[0];
            var results = run.GetProperty("results").EnumerateArray().ToList();
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(4));
                Assert.That(sarif.RootElement.GetProperty("version").GetString(), Is.EqualTo("2.1.0"));
                // What a SARIF consumer relies on, not the list the rules were made from: unique rule ids, each result's
                // rule among them, and the rule described.
                var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
                var ruleIds = rules.Select(r => r.GetProperty("id").GetString()).ToList();
                Assert.That(ruleIds, Is.Unique.And.Not.Empty);
                Assert.That(results.Select(r => r.GetProperty("ruleId").GetString()), Is.SubsetOf(ruleIds));
                Assert.That(rules.Single(r => r.GetProperty("id").GetString() == "prefix-match").GetProperty("shortDescription").GetProperty("text").GetString(), Is.Not.Empty);
                Assert.That(results.Select(r => r.GetProperty("ruleId").GetString()), Is.EqualTo(new[] { "prefix-match" }));
                Assert.That(results[0].GetProperty("level").GetString(), Is.EqualTo("error"));
                Assert.That(json.RootElement.GetProperty("findings")[0].GetProperty("severity").GetString(), Is.EqualTo("high"));
                Assert.That(output.ToString(), Does.Contain("[high] prefix-match"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task A_clean_resource_exits_zero_even_with_a_threshold()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var code = await Commands.RunAsync(["audit", server.UrlOf("/strict").ToString(), "--origin", MisconfiguredServer.Trusted, "--fail-on", "info"], new StringWriter(), new StringWriter());
        Assert.That(code, Is.Zero);
    }

    /// <summary>.NET's Uri takes 999.1.1.1 and xn--zz for host names: the audit probed with an Origin no browser can send
    /// (browsers refuse such a URL). Refused, exit 2, with the rule; an IPv6 origin goes as browsers serialize it.</summary>
    [TestCase("http://999.1.1.1", "no IPv4 address")]
    [TestCase("https://xn--zz.example", "no punycode")]
    public async Task An_origin_no_browser_can_have_is_refused(string origin, string rule)
    {
        var error = new StringWriter();
        var code = await Commands.RunAsync(["audit", "http://127.0.0.1:1/", "--origin", origin, "--no-browser"], new StringWriter(), error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.Contain($"--origin '{origin}' is not an origin a browser can have").And.Contain(rule));
        }
    }

    [Test]
    public async Task An_IPv6_origin_is_probed_as_browsers_serialize_it()
    {
        var output = new StringWriter();
        await Commands.RunAsync(["audit", "http://127.0.0.1:1/", "--origin", "http://[::FFFF:127.0.0.1]:8080", "--no-browser"], output, new StringWriter());
        Assert.That(output.ToString(), Does.Contain("trusted origin http://[::ffff:7f00:1]:8080"));
    }

    /// <summary>A typo in --origin read as a clean server (exit 0); and one cause of many unchecked defects is said once.</summary>
    [Test]
    public async Task A_clean_resource_audited_with_an_origin_it_does_not_admit_exits_5_with_the_reason_once()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var output = new StringWriter();
        var code = await Commands.RunAsync(["audit", server.UrlOf("/strict").ToString(), "--origin", "https://typo.example", "--no-browser"], output, new StringWriter());
        var lines = output.ToString().Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(5));
            Assert.That(lines.Where(l => l.StartsWith("  [not checked]", StringComparison.Ordinal)), Has.Exactly(1).Items
                .And.All.Contain("prefix-match, suffix-match").And.All.Contain("does not admit https://typo.example itself"));
        }
    }

    [Test]
    public async Task Nginx_s_hand_written_allow_list_trusts_attacker_hosts_through_its_unescaped_unanchored_pattern()
    {
        if (NginxServer.Unavailable is { } why) Assert.Ignore(why);
        await using var server = await NginxServer.StartAsync(FixturePolicies.NginxConfig);
        var client = Harness.ServerUnderTest.Replay.CreateClient(acceptAnyCertificate: false);
        var result = await Harness.Audit.Auditor.RunAsync(server.Resource, MisconfiguredServer.Trusted, client, TimeSpan.FromSeconds(3));
        // True positives, all: `~^https://app.example.com` is a prefix match whose dots match any character, and the
        // reflected Origin carries no Vary: Origin.
        Assert.That(result.Findings.Select(f => $"{f.Defect.Id}:{f.Severity}"),
            Is.EquivalentTo(new[] { "prefix-match:High", "unescaped-dot:High", "missing-vary:Low" }),
            () => string.Join("\n", result.Findings.Select(f => f.Message)));
    }

    /// <summary>`audit http://127.0.0.1.:PORT/…` (a trailing dot after an IPv4 address) said every defect "not checked", exit 5,
    /// as if the server had been probed and had not answered. The URL Standard's IPv4 parser drops that last empty part, so
    /// browsers send the request to 127.0.0.1 and the page's origin is http://127.0.0.1:PORT: the audit does the same, and
    /// finds what the server does.</summary>
    [Test]
    public async Task A_trailing_dot_after_an_IPv4_address_is_audited_as_browsers_read_it()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var dotted = server.UrlOf("/reflect").ToString().Replace("127.0.0.1", "127.0.0.1.", StringComparison.Ordinal);
        var output = new StringWriter();
        var code = await Commands.RunAsync(["audit", dotted, "--origin", MisconfiguredServer.Trusted, "--no-browser"], output, new StringWriter());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("[high] reflected-origin").And.Not.Contain("NOT CHECKED"), text);
            Assert.That(code, Is.EqualTo(0), text);
        }
    }

    /// <summary>A host that ends in a number but is no IPv4 address (`999.1.1.1`) is no URL a browser opens: .NET took it for
    /// a host name, and the audit asked DNS and said every defect not checked, exit 5. It is refused, exit 2.</summary>
    [Test]
    public async Task A_URL_no_browser_opens_is_refused_not_audited_as_unanswered()
    {
        var error = new StringWriter();
        var code = await Commands.RunAsync(["audit", "http://999.1.1.1:8080/api", "--no-browser"], new StringWriter(), error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2), error.ToString());
            Assert.That(error.ToString(), Does.Contain("no URL a browser opens"), error.ToString());
        }
    }
}
