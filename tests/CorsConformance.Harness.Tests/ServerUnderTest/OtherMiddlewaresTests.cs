using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>Middlewares outside the matrix, reviewed by hand against the four policies (2026-12-06: gin-contrib/cors, echo,
/// @hapi/hapi, Plack::Middleware::CrossOrigin, @tinyhttp/cors, falcon), modelled here by stand-ins that answer as each
/// does: a failure names what the answers show, in words true of that server.</summary>
public sealed class OtherMiddlewaresTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly CorsPolicy Policy = FixturePolicies.Load("aspnetcore") with { MaxAge = 600 };
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    /// <summary>The verdicts of <paramref name="ids"/> replayed against <paramref name="resource"/>, each as the browser saw
    /// it (allowed where the answer names the page's origin), joined as the runner joins them.</summary>
    private async Task<IReadOnlyList<PolicyVerdict>> JudgeAsync(CorsPolicy promised, Uri resource, params string[] ids)
    {
        var cases = PolicyCases.Generate(promised, resource);
        var replay = new Replay(_client, Timeout);
        var verdicts = new List<PolicyVerdict>();
        foreach (var id in ids)
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            var admitted = actual.Headers.Get(HeaderNames.AccessControlAllowOrigin) == @case.PageOrigin;
            verdicts.Add(PolicyRunner.Judge(@case, admitted ? new PageAttempt(true, actual.Status, [], null, false) : new PageAttempt(false, null, null, "TypeError: Failed to fetch", false),
                null, preflight, actual));
        }
        return PolicyRunner.WithOriginAdmittedElsewhere(verdicts);
    }

    /// <summary>A server that keeps the policy for its first requests and then answers without a single Access-Control-
    /// header (a quota dropping its CORS headers, an instance failing mid-run; raw-socket stand-in, 2026-12-07): the later
    /// calls from the very origin it had admitted read "its CORS layer refused https://app.example.com, or never ran for
    /// this URL (… ASP.NET Core …)". The failure says the server admitted that origin in another call of the run.</summary>
    [TestCase("https-app-example-com/method-put", "The preflight was answered 204 without a single Access-Control- header")]
    [TestCase("https-app-example-com/credentialed-get", "The server answered 200 without a single Access-Control- header")]
    public async Task An_origin_admitted_earlier_in_the_run_and_refused_later_is_said_to_be_answered_differently(string id, string answered)
    {
        var asked = 0;
        await using var server = new ScriptedServer(r => Interlocked.Increment(ref asked) > 1 ? (r.Method == "OPTIONS" ? "204 No Content" : "200 OK")
            : "200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin");
        var judged = await JudgeAsync(Policy, server.Resource, "https-app-example-com/simple-get", id);
        var text = judged[1].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Passed, Is.True, judged[0].Describe("Chromium 1"));
            Assert.That(judged[1].Passed, Is.False, text);
            Assert.That(text, Does.Contain(answered).And.Contain("but admitted https://app.example.com itself on the same URL in another call of this run"), text);
            Assert.That(text, Does.Not.Contain("[DisableCors]").And.Not.Contain("refuses https://app.example.com"), text);
        }
    }

    /// <summary>The same server, seen from a call the browser allowed before the server stopped sending CORS headers and the
    /// replay asked after (raw-socket stand-in after 55 requests, Chromium 156): it failed "the browser departs from the
    /// standard here". A browser allows only on an answer that passes its CORS check: the failure says the server's answers
    /// differ from one time to the next.</summary>
    [Test]
    public async Task A_call_the_browser_allowed_before_the_server_changed_its_answers_is_not_the_browser_s_departure()
    {
        var asked = 0;
        await using var server = new ScriptedServer(r => Interlocked.Increment(ref asked) > 1 ? (r.Method == "OPTIONS" ? "204 No Content" : "200 OK")
            : "200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin");
        var cases = PolicyCases.Generate(Policy, server.Resource);
        var replay = new Replay(_client, Timeout);
        var verdicts = new List<PolicyVerdict>();
        foreach (var id in new[] { "https-app-example-com/simple-get", "https-app-example-com/credentialed-get" })
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            // The browser got the answer before the server changed: allowed.
            verdicts.Add(PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, preflight, actual));
        }
        var judged = PolicyRunner.WithOriginAdmittedElsewhere(verdicts);
        var text = judged[1].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Passed, Is.True, judged[0].Describe("Chromium 1"));
            Assert.That(judged[1].Passed, Is.False, "the server's answers now break the promise");
            Assert.That(text, Does.Not.Contain("departs from the standard here"), text);
            Assert.That(text, Does.Contain("answers the same request").And.Contain("differently from one time to the next"), text);
        }
    }

    /// <summary>@tinyhttp/cors sends Access-Control-Allow-Methods, -Headers, -Expose-Headers and -Max-Age to every origin and
    /// Access-Control-Allow-Origin only to one in its list. An origin of the policy missing from that list failed with the
    /// standard's reason alone ("the response has no Access-Control-Allow-Origin"), no cause: the hints for an origin the
    /// server lacks looked only at answers without a single Access-Control- header. Its other CORS headers show the CORS
    /// layer ran; with the policy's other origin admitted on the same URL, the origin is missing from its list — said with
    /// no ASP.NET Core setting, which these answers do not show.</summary>
    [TestCase("https-admin-example-net/simple-get", "The server answered 200 without Access-Control-Allow-Origin (only Access-Control-Allow-Methods")]
    [TestCase("https-admin-example-net/method-put", "The preflight was answered 204 without Access-Control-Allow-Origin (only Access-Control-Allow-Methods")]
    public async Task An_origin_missing_from_a_list_whose_other_CORS_headers_go_to_everyone_is_named(string id, string answered)
    {
        var promised = Policy with { AllowedOrigins = [.. Policy.AllowedOrigins, new OriginRule("https://admin.example.net")] };
        await using var server = ScriptedServer.TinyhttpCors(["https://app.example.com"]);
        var judged = await JudgeAsync(promised, server.Resource, "https-app-example-com/simple-get", id);
        var text = judged[1].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Browser, Is.EqualTo(Outcome.Allowed), "the policy's first origin is admitted");
            Assert.That(judged[1].Passed, Is.False);
            Assert.That(text, Does.Contain(answered), text);
            Assert.That(text, Does.Contain("but admitted https://app.example.com on the same URL").And.Contain("its CORS layer runs here and refuses https://admin.example.net"), text);
            Assert.That(text, Does.Not.Contain("WithOrigins").And.Not.Contain("[DisableCors]"), text);
        }
    }

    /// <summary>Koa with @koa/cors mounted after the router (fifth review, 2026-12-06): the router answers the GET and the
    /// preflight 200 without a single Access-Control- header. The failure offered only ASP.NET Core's causes ("[DisableCors];
    /// app.UseCors(…) called after app.UseEndpoints(…)"; Apache's `Header set` for the preflight) for a server whose answers
    /// show no ASP.NET Core: it names the mount order of the middleware frameworks too, as the 404/405 preflight does.</summary>
    [TestCase("https-app-example-com/simple-get", "The server answered 200 without a single Access-Control- header")]
    [TestCase("https-app-example-com/method-put", "The preflight was answered 200 without any Access-Control- header")]
    public async Task A_CORS_middleware_mounted_after_the_router_is_named_in_its_frameworks_words(string id, string answered)
    {
        await using var server = ScriptedServer.KoaCorsAfterRouter();
        var text = (await JudgeAsync(Policy, server.Resource, id)).Single().Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(answered), text);
            Assert.That(text, Does.Contain("Koa: app.use(cors(…)) before app.use(router.routes())").And.Contain("Express: app.use(cors(…)) before the routes"), text);
            Assert.That(text, Does.Not.Contain("the answer shows ASP.NET Core"), text);
        }
    }

    /// <summary>CORS headers written in the OPTIONS handler alone (fifth review, 2026-12-06, Tornado): the preflight admits the
    /// origin and the request's own answer carries no Access-Control- header. The failure said "its CORS layer refused
    /// https://app.example.com, or never ran for this URL" — though the preflight of the same call admitted it. It says the
    /// headers are on the preflight's answer only.</summary>
    [TestCase("https-app-example-com/method-put/credentialed")]
    [TestCase("https-app-example-com/header-x-request-id")]
    public async Task Headers_sent_on_the_preflight_alone_are_named_not_a_refused_origin(string id)
    {
        await using var server = ScriptedServer.PreflightOnlyHeaders(["https://app.example.com"]);
        var text = (await JudgeAsync(Policy, server.Resource, id)).Single().Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("The preflight admitted https://app.example.com (Access-Control-Allow-Origin: https://app.example.com), but the answer to the PUT")
                .Or.Contain("The preflight admitted https://app.example.com (Access-Control-Allow-Origin: https://app.example.com), but the answer to the GET"), text);
            Assert.That(text, Does.Contain("only on the preflight's answer"), text);
            Assert.That(text, Does.Not.Contain("its CORS layer refused https://app.example.com"), text);
        }
    }

    /// <summary>`*` in Access-Control-Allow-Methods and -Headers with credentials (fifth review, 2026-12-06, a Tornado handler):
    /// a credentialed PUT failed "method 'PUT' is not allowed by Access-Control-Allow-Methods [*]" and nothing more — a
    /// reason that reads as a contradiction to whoever wrote `*` to allow every method. It says `*` is no wildcard with
    /// credentials.</summary>
    [TestCase("https-app-example-com/method-put/credentialed", "Access-Control-Allow-Methods")]
    [TestCase("https-app-example-com/header-x-request-id/credentialed", "Access-Control-Allow-Headers")]
    public async Task A_wildcard_the_preflight_sends_with_credentials_is_said_to_be_read_literally(string id, string header)
    {
        await using var server = ScriptedServer.WildcardMethodsWithCredentials(["https://app.example.com"]);
        var text = (await JudgeAsync(Policy, server.Resource, id)).Single().Describe("Chromium 1");
        Assert.That(text, Does.Contain($"{header}: * is no wildcard for a request with credentials"), text);
    }

    /// <summary>echo's CORSWithConfig answers an origin its AllowOrigins lacks without a single Access-Control- header (hapi's
    /// route cors too): the failure rightly said the CORS layer runs and refuses the origin, then "(ASP.NET Core:
    /// WithOrigins(…), which answers a preflight from an origin it lacks 204 without a CORS header …)" of a Go server whose
    /// answers show no ASP.NET Core. That setting is named only where they do.</summary>
    [TestCase("https-admin-example-net/simple-get")]
    [TestCase("https-admin-example-net/method-put")]
    public async Task An_origin_missing_from_a_list_names_no_ASP_NET_Core_setting_where_the_answers_show_none(string id)
    {
        var promised = Policy with { AllowedOrigins = [.. Policy.AllowedOrigins, new OriginRule("https://admin.example.net")] };
        await using var server = ScriptedServer.EchoCors(["https://app.example.com"]);
        var judged = await JudgeAsync(promised, server.Resource, "https-app-example-com/simple-get", id);
        var text = judged[1].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Browser, Is.EqualTo(Outcome.Allowed), "the policy's first origin is admitted");
            Assert.That(text, Does.Contain("without a single Access-Control- header, but admitted https://app.example.com on the same URL"), text);
            Assert.That(text, Does.Contain("Add https://admin.example.net to the server's allowed origins exactly as the browser sends it"), text);
            Assert.That(text, Does.Not.Contain("WithOrigins").And.Not.Contain("ASP.NET"), text);
        }
    }

    /// <summary>gin-contrib/cors given the policy's `https://*.example.org` in AllowOrigins without AllowWildcard: true compares
    /// it as written, so every subdomain is answered 403. The failure said "Add https://cors-conformance.example.org to the
    /// server's allowed origins" — an origin the suite made up for the pattern, which the team already lists as a pattern:
    /// the cause is a middleware reading `*` literally, and the failure says so, naming the settings that turn it on.</summary>
    [Test]
    public async Task A_pattern_the_server_reads_literally_is_named_not_the_example_host()
    {
        var subdomains = PolicyReader.Read("""{ "allowedOrigins": ["https://*.example.org"] }""", "test.json");
        await using var server = ScriptedServer.GinCors(["https://*.example.org"]);
        var @case = PolicyCases.Generate(subdomains, server.Resource).Single(c => c.Id == "https-cors-conformance-example-org/simple-get");
        var replay = new Replay(_client, Timeout);
        var (preflight, actual) = await replay.RunAsync(@case);
        var judged = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        var verdict = await PolicyRunner.WithoutOriginAnswerAsync(judged, replay, CancellationToken.None);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Actual.Status, Is.EqualTo(403));
            Assert.That(text, Does.Contain("the server refuses the origin https://cors-conformance.example.org itself"), text);
            Assert.That(text, Does.Contain("https://cors-conformance.example.org stands for the policy's https://*.example.org (a host the suite made for it): add that pattern"), text);
            Assert.That(text, Does.Contain("gin-contrib/cors: AllowWildcard: true"), text);
            Assert.That(text, Does.Not.Contain("Add https://cors-conformance.example.org"), text);
        }
    }

    /// <summary>@tinyhttp/cors given one origin of the credentialed policy's two — the policy's second (its `*.example.org`
    /// example) listed, its first not: the protocol checks asked only the first, got no Access-Control-Allow-Origin, and left
    /// every check of an admitted origin's answers not checked (9 of 11 against the real middleware), though the server
    /// admits the second. They ask the first of the policy's origins the server admits.</summary>
    [Test]
    public async Task The_protocol_checks_read_an_origin_the_server_admits_when_the_first_is_not()
    {
        await using var server = ScriptedServer.TinyhttpCors(["https://cors-conformance.example.org"]);
        var findings = await ProtocolChecks.RunAsync(server.Resource, Policy, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Where(f => f.Outcome == FindingOutcome.NotChecked).Select(f => $"{f.Defect.Id}: {f.Message}"), Is.Empty);
            // @tinyhttp/cors sends its Access-Control-Allow-Methods and -Headers on every answer, the GET's too; its plain
            // OPTIONS is answered 204 as its preflight is, which still shows it answers every OPTIONS as a preflight.
            Assert.That(findings.Single(f => f.Defect == ServerDefects.OptionsAnsweredAsPreflight).Outcome, Is.EqualTo(FindingOutcome.Fail));
            Assert.That(findings.Single(f => f.Defect == ServerDefects.StarWithCredentials).Message, Does.Contain("cors-conformance.example.org"));
        }
    }

    /// <summary>Without another origin seen admitted (a run whose every origin the list lacks), the other CORS headers alone
    /// show the layer ran and refused the origin — never "the CORS layer never ran".</summary>
    [Test]
    public async Task Other_CORS_headers_alone_show_the_layer_ran_and_refused_the_origin()
    {
        await using var server = ScriptedServer.TinyhttpCors(["https://elsewhere.example"]);
        var judged = await JudgeAsync(Policy, server.Resource, "https-app-example-com/simple-get");
        var text = judged[0].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Passed, Is.False);
            Assert.That(text, Does.Contain("its CORS layer runs for this URL and does not admit https://app.example.com"), text);
            Assert.That(text, Does.Not.Contain("never ran"), text);
        }
    }
    /// <summary>A forged origin's failure where the server admits any origin: `*` in the origin setting with credentials is
    /// answered by reflecting the Origin in echo 4.2's CORSWithConfig (AllowOrigins "*" with AllowCredentials), @hapi/hapi 21
    /// (route cors with credentials: true — its origin defaults to ['*']), Plack::Middleware::CrossOrigin 0.014 (origins =>
    /// '*' with credentials => 1) and falcon 3.1 (allow_credentials='*'), all seen reflecting every origin with credentials;
    /// `*` itself is the default of gin-contrib/cors's cors.Default(), echo's middleware.CORS() and @tinyhttp/cors. The advice
    /// named only ASP.NET Core, @fastify/cors, Express, @koa/cors, hono and go-chi/rs-cors settings, none of them theirs.</summary>
    [TestCase(true, "echo's AllowOrigins \"*\" with AllowCredentials", "hapi's cors with credentials: true and no origin")]
    [TestCase(true, "Plack::Middleware::CrossOrigin's origins => '*' with credentials", "falcon's CORSMiddleware with allow_credentials='*'")]
    [TestCase(false, "gin-contrib/cors's cors.Default() and AllowAllOrigins", "echo's middleware.CORS() and @tinyhttp/cors without an origin")]
    // go-chi/cors 1.2 (fifth review, 2026-12-06) answers `*`, with credentials too, for AllowedOrigins ["*"] or none.
    [TestCase(false, "go-chi/cors's and rs/cors's AllowedOrigins \"*\" (or none), which keep `*` even with AllowCredentials", "echo's middleware.CORS()")]
    // Headers written by hand (sixth review, 2026-12-07): Apache's SetEnvIf matching any Origin, PHP echoing HTTP_ORIGIN.
    [TestCase(true, "Apache's `SetEnvIf Origin \"(.+)\"`", "PHP's header(\"Access-Control-Allow-Origin: {$_SERVER['HTTP_ORIGIN']}\")")]
    public async Task A_server_admitting_any_origin_is_told_the_settings_of_these_middlewares_too(bool reflects, string one, string other)
    {
        await using var server = new ScriptedServer(r => r.Header("Origin") is { } origin
            ? $"200 OK\r\nAccess-Control-Allow-Origin: {(reflects ? origin : "*")}\r\nAccess-Control-Allow-Credentials: true"
            : "200 OK");
        var @case = PolicyCases.Generate(Policy, server.Resource).Single(c => c.Id == "https-app-example-com/forged-prefix-match/simple-get");
        var admitted = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, reflects ? @case.PageOrigin : "*")], null) { Reached = true };
        var judged = PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, null, admitted);
        var verdict = await PolicyRunner.WithAnyOriginAnswerAsync(judged, new Replay(_client, Timeout), CancellationToken.None);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(text, Does.Contain(reflects ? "the server admits any origin (it reflects the Origin)" : "the server admits any origin (it answers `*`)"), text);
            Assert.That(text, Does.Contain(one).And.Contain(other), text);
        }
    }
}
