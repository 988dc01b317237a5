using System.Diagnostics;
using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The protocol checks against real servers started here: ASP.NET Core's CORS middleware, a deliberately broken
/// server (each defect caught by exactly its check), and Debian's nginx with a hand-written configuration.</summary>
public sealed class ProtocolChecksTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    /// <summary>The broken server's policy with a maxAge too, so that every check applies to an unanswered server.</summary>
    private static readonly CorsPolicy EveryCheckApplies = FixturePolicies.Load("broken") with { MaxAge = 600 };

    [TestCase(600L, null)]
    [TestCase(86400L, "max-age-not-policy")]
    public async Task The_preflight_s_max_age_is_held_to_the_policy(long promised, string? failing)
    {
        var policy = FixturePolicies.Load("aspnetcore") with { MaxAge = 600 };
        await using var server = await AspNetCoreCorsServer.StartAsync(policy);
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy with { MaxAge = promised }, _client, Timeout);
        Assert.That(Failed(findings), Is.EqualTo(failing is null ? Array.Empty<string>() : new[] { failing }), () => string.Join("\n", findings));
    }

    /// <summary>A policy whose only preflighted calls come from `*` (a GET-only route allowing any header, as Falcon's
    /// middleware does by echoing the requested headers; or any method) still allows preflights: its preflight checks
    /// are made with the sample its cases try, not skipped as "the policy allows nothing that needs a preflight".</summary>
    [TestCase(new[] { "GET" }, new[] { "*" })]
    [TestCase(new[] { "*" }, new string[0])]
    public async Task A_policy_allowing_preflights_only_through_a_star_still_has_its_preflight_checked(string[] methods, string[] headers)
    {
        var policy = FixturePolicies.Load("aspnetcore") with { AllowedMethods = methods, AllowedHeaders = headers, MaxAge = 600 };
        await using var server = await AspNetCoreCorsServer.StartAsync(policy);
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy with { MaxAge = 86400 }, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Single(f => f.Defect == ServerDefects.PreflightNotOk).Outcome, Is.EqualTo(FindingOutcome.Pass), () => string.Join("\n", findings));
            Assert.That(Failed(findings), Is.EqualTo(new[] { "max-age-not-policy" }), () => string.Join("\n", findings));
        }
    }

    [Test]
    public async Task A_fixed_Access_Control_Allow_Origin_needs_no_Vary()
    {
        await using var server = await MisconfiguredServer.StartAsync();
        var findings = await ProtocolChecks.RunAsync(server.UrlOf("/fixed-origin"), FixturePolicies.Load("broken"), _client, Timeout);
        Assert.That(findings.Single(f => f.Defect == ServerDefects.MissingVary).Outcome, Is.EqualTo(FindingOutcome.Pass), () => string.Join("\n", findings));
    }

    /// <summary>fetch.bs, "CORS protocol and HTTP caches": where Access-Control-Allow-Origin depends on the request, every
    /// answer of the resource needs Vary: Origin, or a cache that kept one without Access-Control-Allow-Origin (the
    /// standard's example: the answer to a navigation) hands it to a later CORS request, which the browser blocks. Only the
    /// allowed origin's answer was read: a server varying there alone passed. An answer no cache may reuse without asking
    /// the server (no-store, or no freshness at all) does no harm, and `*` sent on every answer needs no Vary. The allowed
    /// origin's answer always carries Vary: Origin here; <paramref name="otherLines"/> go on the disallowed origin's answer,
    /// <paramref name="noOriginLines"/> on the answer to a GET without Origin (`|` between lines).</summary>
    [TestCase("reflect", "", "Cache-Control: max-age=600", "fail: a GET without Origin")]
    [TestCase("reflect", "", "Cache-Control: public, max-age=600|Vary: Accept-Encoding, Origin", "pass")]
    [TestCase("reflect", "", "Cache-Control: no-store", "pass")]
    [TestCase("reflect", "", "", "pass")]
    [TestCase("reflect", "", "Cache-Control: max-age=0|Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", "pass")]
    [TestCase("reflect", "", "Expires: Thu, 01 Jan 2099 00:00:00 GMT", "fail: a GET without Origin")]
    [TestCase("reflect", "Cache-Control: max-age=600", "Vary: Origin", "fail: the disallowed origin")]
    [TestCase("reflect-any", "Cache-Control: max-age=600|Vary: Origin", "Cache-Control: max-age=600|Vary: Origin", "pass")]
    [TestCase("reflect-any", "Cache-Control: max-age=600", "Vary: Origin", "fail: the disallowed origin")]
    [TestCase("star-with-origin", "", "Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", "fail: a GET without Origin")]
    [TestCase("star-always", "Cache-Control: max-age=600", "Cache-Control: max-age=600", "pass")]
    [TestCase("reflect", "", "unanswered", "notchecked: a GET without Origin")]
    public async Task Every_answer_of_a_resource_whose_Access_Control_Allow_Origin_depends_on_the_Origin_carries_Vary(string acao, string otherLines, string noOriginLines, string expected)
    {
        var policy = FixturePolicies.Load("broken");
        var allowed = policy.AllowedOrigins[0].Example;
        await using var server = new ScriptedServer(r =>
        {
            var origin = r.Header("Origin");
            if (origin is null && noOriginLines == "unanswered") return "bogus";
            var value = acao switch
            {
                "reflect" => origin == allowed ? origin : null,
                "reflect-any" => origin,
                "star-with-origin" => origin is null ? null : "*",
                _ => "*",
            };
            var lines = (value is null ? [] : new[] { $"Access-Control-Allow-Origin: {value}" })
                .Concat((origin is null ? noOriginLines : origin == allowed ? "Vary: Origin" : otherLines).Split('|', StringSplitOptions.RemoveEmptyEntries));
            return string.Join("\r\n", new[] { "200 OK" }.Concat(lines));
        });
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy, _client, Timeout);
        var vary = findings.Single(f => f.Defect == ServerDefects.MissingVary);
        var (outcome, asker) = expected.Split(": ", 2) is [var o, var a] ? (o, a.Replace("the disallowed origin", $"a GET from {policy.DisallowedOrigin}")) : (expected, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(vary.Outcome.ToString().ToLowerInvariant(), Is.EqualTo(outcome), vary.ToString);
            if (asker is not null) Assert.That(vary.Message, Does.Contain(asker), vary.ToString);
            if (outcome == "fail") Assert.That(vary.Message, Does.Contain("blocked, though the server answers"), vary.ToString);
        }
    }

    /// <summary>A server that trusts any origin with credentials only for a request carrying a cookie (and answers one
    /// without a cookie with nothing) passed "no disallowed-origin-admitted": the probe carried no cookie. It carries one, as
    /// a signed-in user's request does.</summary>
    [Test]
    public async Task An_origin_admitted_only_with_a_cookie_is_found()
    {
        await using var server = new ScriptedServer(r => r.Header("Cookie") is null || r.Header("Origin") is not { } origin ? "200 OK"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin");
        var policy = FixturePolicies.Load("broken");
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy, _client, Timeout);
        var admitted = findings.Single(f => f.Defect == ServerDefects.DisallowedOriginAdmitted);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(admitted.Outcome, Is.EqualTo(FindingOutcome.Fail), admitted.ToString);
            Assert.That(admitted.Message, Does.Contain("with credentials: any site can read your users' responses"), admitted.ToString);
        }
    }

    /// <summary>A `*` policy refuses no origin: "no disallowed-origin-admitted" passed saying "https://evil.example is not
    /// admitted" on a server that answered https://evil.example with `*` or with its own origin (Caddy's static `*`,
    /// flask-cors echoing the Origin for `*`). The check does not apply, and says why.</summary>
    [TestCase("/public-star")]
    [TestCase("/reflect")]
    public async Task Under_a_star_policy_no_origin_is_disallowed_so_its_check_does_not_apply(string path)
    {
        var policy = FixturePolicies.Load("broken") with { AllowedOrigins = [], AnyOrigin = true, AllowCredentials = false };
        await using var server = await MisconfiguredServer.StartAsync();
        var findings = await ProtocolChecks.RunAsync(server.UrlOf(path), policy, _client, Timeout);
        var finding = findings.Single(f => f.Defect == ServerDefects.DisallowedOriginAdmitted);
        Assert.That(finding.Outcome, Is.EqualTo(FindingOutcome.NotApplicable), finding.ToString);
        Assert.That(finding.Message, Does.Not.Contain("is not admitted"));
    }

    private static string[] Failed(IEnumerable<ProtocolFinding> findings) =>
        findings.Where(f => f.Outcome == FindingOutcome.Fail).Select(f => f.Defect.Id).Order(StringComparer.Ordinal).ToArray();

    private static string[] NotChecked(IEnumerable<ProtocolFinding> findings) =>
        findings.Where(f => f.Outcome == FindingOutcome.NotChecked).Select(f => f.Defect.Id).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public async Task ASP_NET_Core_s_CORS_middleware_configured_from_a_strict_policy_passes_every_check()
    {
        var policy = FixturePolicies.Load("aspnetcore");
        await using var server = await AspNetCoreCorsServer.StartAsync(policy);
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Failed(findings), Is.Empty, () => string.Join("\n", findings));
            Assert.That(findings.Select(f => f.Defect), Is.EquivalentTo(ProtocolChecks.Defects));
        }
    }

    public static IEnumerable<TestCaseData> BrokenPaths() =>
        BrokenCorsServer.Expected.Select(kv => new TestCaseData(kv.Key, kv.Value.Select(d => d.Id).ToArray()).SetArgDisplayNames(kv.Key));

    [TestCaseSource(nameof(BrokenPaths))]
    public async Task Each_defect_of_the_broken_server_is_caught_by_exactly_its_check(string path, string[] expected)
    {
        await using var server = await BrokenCorsServer.StartAsync();
        var findings = await ProtocolChecks.RunAsync(server.UrlOf(path), BrokenCorsServer.PolicyFor(path), _client, Timeout);
        Assert.That(Failed(findings), Is.EqualTo(expected.Order(StringComparer.Ordinal).ToArray()), () => string.Join("\n", findings));
    }

    [Test]
    public async Task A_plain_OPTIONS_answered_as_a_preflight_is_explained_with_the_server_s_own_lines()
    {
        // The finding quotes what came back, so the table shows whether the middleware ended the request itself or passed
        // it on (django-cors-headers lets the application answer, then adds the preflight's headers to any OPTIONS answer).
        await using var server = await BrokenCorsServer.StartAsync();
        var findings = await ProtocolChecks.RunAsync(server.UrlOf("/preflight-without-acrm"), BrokenCorsServer.PolicyFor("/preflight-without-acrm"), _client, Timeout);
        var finding = findings.Single(f => f.Defect == ServerDefects.OptionsAnsweredAsPreflight);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Outcome, Is.EqualTo(FindingOutcome.Fail));
            Assert.That(finding.Message.Split('\n')[0], Does.StartWith("an OPTIONS request without Access-Control-Request-Method, which is not a CORS-preflight request, got 204 with "
                + "Access-Control-Allow-Methods: GET, POST, PUT, DELETE; Access-Control-Allow-Headers: Content-Type, X-Request-Id: it was answered as a preflight"));
        }
    }

    [Test]
    public async Task A_server_that_hangs_leaves_every_check_not_checked_within_the_timeout_and_never_hangs_the_suite()
    {
        var policy = EveryCheckApplies;
        await using var server = await BrokenCorsServer.StartAsync();
        var clock = Stopwatch.StartNew();
        var findings = await ProtocolChecks.RunAsync(server.UrlOf("/hang"), policy, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
            Assert.That(NotChecked(findings), Has.Length.EqualTo(ProtocolChecks.Defects.Count));
            Assert.That(findings.First(f => f.Outcome == FindingOutcome.NotChecked).Message, Does.StartWith("not checked: the server did not answer").And.Contain("2 s"));
        }
    }

    /// <summary>The reason said both at once: "not checked: the server did not answer: the server answered, but not with a
    /// response this client can parse" (found by the hostile-server sweep, against invalid status lines). An answer that came
    /// and could not be read is said as that.</summary>
    [Test]
    public async Task A_server_that_answers_garbage_leaves_every_check_not_checked_with_the_reason()
    {
        await using var server = new GarbageServer();
        var findings = await ProtocolChecks.RunAsync(server.Resource, EveryCheckApplies, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NotChecked(findings), Has.Length.EqualTo(ProtocolChecks.Defects.Count));
            Assert.That(findings.Select(f => f.Message), Has.All.StartWith("not checked: the server answered, but not with a response this client can parse")
                .And.All.Not.Contain("did not answer"), () => string.Join("\n", findings));
        }
    }

    /// <summary>A route that redirects (to a login page, to https) was checked on the redirect: "no multiple-acao", "no
    /// disallowed-origin-admitted" passed on an answer that is not the resource's.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task A_route_that_redirects_leaves_the_checks_of_its_answer_not_checked(bool reflects)
    {
        await using var server = ScriptedServer.Redirecting(reflects);
        var findings = await ProtocolChecks.RunAsync(server.Resource, EveryCheckApplies, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NotChecked(findings), Is.EqualTo(new[] { "disallowed-origin-admitted", "missing-vary", "multiple-acao" }), () => string.Join("\n", findings));
            Assert.That(findings.Where(f => f.Outcome == FindingOutcome.NotChecked).Select(f => f.Message),
                Has.All.StartWith("not checked: the URL answers 302 with Location: /login, not with the resource"));
            Assert.That(findings.Single(f => f.Defect.Id == "preflight-not-ok").Outcome, Is.EqualTo(FindingOutcome.Fail), "a redirected preflight fails in every browser");
        }
    }

    /// <summary>A route that redirects to itself (a loop) was told to "point it at" the very URL it was given (found by the
    /// hostile-server sweep): the advice is now that the URL redirects to itself.</summary>
    [Test]
    public async Task A_route_that_redirects_to_itself_is_not_told_to_point_the_check_at_itself()
    {
        await using var server = new ScriptedServer(r => $"302 Found\r\nLocation: {r.Path}");
        var findings = await ProtocolChecks.RunAsync(server.Resource, EveryCheckApplies, _client, Timeout);
        var message = findings.Single(f => f.Defect.Id == "multiple-acao").Message;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(message, Does.StartWith("not checked: the URL answers 302 with Location: /api/items, a redirect to itself"));
            Assert.That(message, Does.Not.Contain("point it at"));
        }
    }

    /// <summary>A rate-limited or unavailable server: "no multiple-acao", "no disallowed-origin-admitted" passed on a 429
    /// that never came from the route.</summary>
    [Test]
    public async Task A_route_answering_429_leaves_the_checks_of_its_answer_not_checked()
    {
        await using var server = ScriptedServer.Unhandled(429);
        var findings = await ProtocolChecks.RunAsync(server.Resource, EveryCheckApplies, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NotChecked(findings), Is.SupersetOf(new[] { "disallowed-origin-admitted", "max-age-not-policy", "missing-vary", "multiple-acao", "preflight-not-ok" }), () => string.Join("\n", findings));
            Assert.That(findings.Single(f => f.Defect.Id == "multiple-acao").Message, Does.StartWith("not checked: the URL answers 429, which says the request was not handled"));
        }
    }

    [Test]
    public async Task A_refused_connection_leaves_every_check_not_checked_not_an_exception()
    {
        // Not a pass, and not a finding of the defect either (the test named "has no multiple-acao" fails saying so).
        var findings = await ProtocolChecks.RunAsync(new Uri("http://127.0.0.1:1/api/items"), EveryCheckApplies, _client, Timeout);
        Assert.That(findings, Has.All.Matches<ProtocolFinding>(f => f is not null && f.Outcome == FindingOutcome.NotChecked && f.Message.Contains("did not answer", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Nginx_with_a_typical_hand_written_configuration_misses_Vary_and_answers_any_OPTIONS_as_a_preflight()
    {
        if (NginxServer.Unavailable is { } why) Assert.Ignore(why);
        var policy = FixturePolicies.Load("nginx");
        await using var server = await NginxServer.StartAsync(FixturePolicies.NginxConfig);
        var findings = await ProtocolChecks.RunAsync(server.Resource, policy, _client, Timeout);
        // What the suite finds in the configuration as it is commonly written: the allow-list map reflects the Origin
        // without Vary: Origin, and its `if ($request_method = OPTIONS)` branch answers every OPTIONS as a preflight.
        Assert.That(Failed(findings), Is.EqualTo(new[] { "missing-vary", "options-answered-as-preflight" }), () => string.Join("\n", findings));
    }
}
