using System.Net.Sockets;
using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>What the suite cannot see is never judged as if it had seen it: a server that closes every connection without
/// a byte was counted "reached" (HttpClient calls that a response that ended early), so a browser's network error there
/// passed every refusal as "blocked, as the policy promises" and failed every allowed call as a CORS block; and Firefox,
/// which moves a port of every host to the suite's own servers, judged those servers in place of one on that port.</summary>
public sealed class UnansweredTests
{
    /// <summary>Reads the request, then closes the connection without answering.</summary>
    private sealed class SilentServer : LoopbackTcpServer
    {
        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            _ = await client.GetStream().ReadAsync(new byte[4096], stop);
            return false;
        }
    }

    private static readonly CorsPolicy Policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "policy.json");

    [Test]
    public async Task A_connection_closed_without_a_byte_is_not_an_answer_and_a_browser_failure_there_is_a_harness_error()
    {
        await using var server = new SilentServer();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Resource);
        var answer = await Replay.CreateClient(acceptAnyCertificate: false).SendAsync(request, TimeSpan.FromSeconds(5), CancellationToken.None);
        var refusal = PolicyCases.Generate(Policy, server.Resource).First(c => c.Id == "https-evil-example/simple-get");
        var verdict = PolicyRunner.Judge(refusal, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, null, answer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Reached, Is.False);
            Assert.That(answer.Failure, Does.StartWith("the server closed the connection without sending a byte"));
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.Passed, Is.False, "a refusal is not shown kept by a server that answered nothing");
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("This is not a CORS verdict"));
        }
    }

    /// <summary>A server that leaves some requests hanging (here its preflights) holds the connections the browser keeps to
    /// it, and the browser's later plain GET timed out in the page while the replay's own GET, on a fresh connection, was
    /// answered. That is a harness error, as it was, but it read "could not reach the server under test for '…': . This is
    /// not a CORS verdict." (no reason: the replay had none) followed by "the browser departs from the standard here" — a
    /// browser that got no answer departs from nothing.</summary>
    [Test]
    public async Task A_browser_request_that_timed_out_where_the_replay_was_answered_says_so_and_blames_no_browser()
    {
        await using var server = new ScriptedServer(_ => "200 OK\r\nVary: Origin");
        var refusal = PolicyCases.Generate(Policy, server.Resource).First(c => c.Id == "https-evil-example/simple-get");
        var (preflight, actual) = await new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)).RunAsync(refusal);
        var verdict = PolicyRunner.Judge(refusal, new PageAttempt(false, null, null, "AbortError: signal is aborted without reason", TimedOut: true), null, preflight, actual,
            TimeSpan.FromSeconds(10));
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual.Status, Is.EqualTo(200), "the replay's GET was answered");
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.Passed, Is.False);
            Assert.That(verdict.UnreachedWhy, Does.StartWith("the browser's request got no answer within 10 s").And.Contain("the replay's GET was answered (200)"));
            Assert.That(text, Does.Contain($"could not reach the server under test for '{refusal.Title}': the browser's request got no answer within 10 s"));
            Assert.That(text, Does.Not.Contain("': .").And.Not.Contain("departs from the standard"));
            Assert.That(new PolicyEngineRun(Engine.Chromium, "Chromium 1", null, [verdict]).NoneJudged, Does.Contain("the browser's request got no answer within 10 s"));
        }
    }

    /// <summary>A server whose status line is not HTTP (an escape sequence before it): Chromium fails the request below CORS
    /// (net::ERR_INVALID_HTTP_RESPONSE) and the replay cannot parse the answer either, so the standard reads nothing. The
    /// refusal passed ("blocked, as the policy promises") on the browser's network error, and the allowed call failed as
    /// "blocked" — CORS verdicts where no CORS check ran. Both are harness errors naming the failure. A browser that says
    /// it blocked the answer at its CORS check (Chromium reads "ICY 200 OK" as a body without headers) still stands.</summary>
    [TestCase("Failed to load resource: net::ERR_INVALID_HTTP_RESPONSE", true)]
    [TestCase("Access to fetch at '{url}' from origin 'https://evil.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. | Failed to load resource: net::ERR_FAILED", false)]
    public async Task A_browser_failing_below_CORS_on_an_answer_nobody_could_read_is_no_CORS_verdict(string words, bool harnessError)
    {
        await using var server = new GarbageServer("\u001b[31mHTTP/1.1 200 OK\r\nVary: Origin\r\nContent-Length: 2\r\n\r\nok");
        var cases = PolicyCases.Generate(Policy, server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        foreach (var id in new[] { "https-evil-example/simple-get", "https-app-example-com/simple-get" })
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            var verdict = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), words, preflight, actual, replay.Timeout);
            var text = verdict.Describe("Chromium 1");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(actual is { Reached: true, Answered: false }, Is.True, "the replay got bytes it could not parse");
                Assert.That(verdict.IsHarnessError, Is.EqualTo(harnessError), text);
                if (!harnessError) continue;
                Assert.That(verdict.Passed, Is.False, text);
                Assert.That(text, Does.Contain("got no answer it could read from the server under test").And.Contain("net::ERR_INVALID_HTTP_RESPONSE")
                    .And.Contain("\\x1b[31mHTTP/1.1 200 OK").And.Contain("This is not a CORS verdict"));
                Assert.That(text, Does.Not.Contain("blocked the request").And.Not.Contain("as the policy promises"));
            }
        }
    }

    /// <summary>A server whose head is larger than Chromium takes (256 KB; the replay reads up to 1 MB, as other browsers do):
    /// Chromium fails every request with net::ERR_RESPONSE_HEADERS_TOO_BIG, which the suite did not know for a network
    /// failure. Every refusal passed ("blocked, as the policy promises") though no CORS check ran in the browser, and every
    /// allowed call failed with "the browser departs from the standard here" (found by the hostile-server sweep). A refusal
    /// the browser's own words say failed below CORS is a harness error; an allowed call so failed blames no browser.</summary>
    [Test]
    public async Task A_head_too_big_for_the_browser_is_a_network_failure_not_a_CORS_block()
    {
        await using var server = new ScriptedServer(r => "200 OK\r\nVary: Origin\r\nX-Big: " + new string('a', 300 * 1024)
            + (r.Header("Origin") == "https://app.example.com" ? "\r\nAccess-Control-Allow-Origin: https://app.example.com" : ""));
        const string Words = "Failed to load resource: net::ERR_RESPONSE_HEADERS_TOO_BIG";
        var cases = PolicyCases.Generate(Policy, server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var verdicts = new List<PolicyVerdict>();
        foreach (var id in new[] { "https-evil-example/simple-get", "https-app-example-com/simple-get" })
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            verdicts.Add(PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), Words, preflight, actual, replay.Timeout));
        }
        var (refusal, allowed) = (verdicts[0], verdicts[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NetworkFailures.In(Words), Is.EqualTo("net::ERR_RESPONSE_HEADERS_TOO_BIG"));
            Assert.That(refusal.IsHarnessError, Is.True, refusal.Describe("Chromium 1"));
            Assert.That(refusal.Passed, Is.False);
            Assert.That(refusal.Describe("Chromium 1"), Does.Contain("failed below CORS (net::ERR_RESPONSE_HEADERS_TOO_BIG)").And.Contain("This is not a CORS verdict"));
            Assert.That(allowed.Passed, Is.False);
            Assert.That(allowed.Describe("Chromium 1"), Does.Contain("failed below CORS (net::ERR_RESPONSE_HEADERS_TOO_BIG)").And.Not.Contain("departs from the standard"));
        }
    }

    /// <summary>Answers every request, after a delay, as a one-origin policy's server does.</summary>
    private sealed class SlowServer(TimeSpan delay) : LoopbackTcpServer
    {
        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            var read = await stream.ReadAsync(new byte[8192], stop);
            await Task.Delay(delay, stop);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com\r\n"
                + "Access-Control-Allow-Methods: GET, PUT\r\nVary: Origin\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), stop);
            return false;
        }
    }

    /// <summary>A server that takes 5 s to answer each request, under the 10 s timeout: a preflighted PUT is two requests,
    /// and the page gave its whole fetch the one request's 10 s, so every preflighted case timed out in the browser while
    /// the replay's requests, each given 10 s, were answered; the harness error then blamed "a server that leaves requests
    /// hanging" (found by the hostile-server sweep). The page now waits the timeout once per request of the call, and a
    /// timeout behind slow answers says they were slow.</summary>
    [Test]
    public async Task A_preflighted_call_gets_the_timeout_for_each_of_its_requests_and_a_slow_server_is_said_to_be_slow()
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        await using var server = new SlowServer(TimeSpan.FromSeconds(1.5));
        var cases = PolicyCases.Generate(policy, server.Resource);
        var (put, get) = (cases.Single(c => c.Id == "https-app-example-com/method-put"), cases.Single(c => c.Id == "https-app-example-com/simple-get"));
        var timeout = TimeSpan.FromSeconds(2);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), timeout);
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = PolicyRunner.Judge(put, new PageAttempt(false, null, null, "AbortError: signal is aborted without reason", TimedOut: true), null, preflight, actual, timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PolicyRunner.PageTimeout(put, timeout), Is.EqualTo(TimeSpan.FromSeconds(4)), "a preflight and the request");
            Assert.That(PolicyRunner.PageTimeout(get, timeout), Is.EqualTo(timeout));
            Assert.That(actual.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.4)));
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.UnreachedWhy, Does.Contain("the replay's answers took").And.Contain("raise TimeoutSeconds").And.Not.Contain("hanging"));
        }
    }

    /// <summary>Firefox under Playwright moves a port of every host (network.socket.forcePort): a server on such a port is
    /// not judged there. Firefox over BiDi goes through a host proxy instead (FirefoxPrefs with a proxy port: no port
    /// move at all), as WebKitGTK does, and Chromium maps host and port together.</summary>
    [Test]
    public void A_browser_that_moves_a_port_of_every_host_does_not_judge_a_server_on_that_port()
    {
        var resource = new Uri("http://127.0.0.1:443/api/items");
        var cases = PolicyCases.Generate(Policy, resource);
        IReadOnlyList<HostMapping> mappings = [new("app.example.com", 443, 40001), new("evil.example", 443, 40001)];
        var moved = PolicyRunner.MovedAway(movesPortsOfEveryHost: true, mappings, cases);
        var proxied = new EngineSettings(Engine.Firefox, null, null, [], "test").FirefoxPrefs(mappings, proxyPort: 40009);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(moved.Keys, Is.EqualTo(new[] { resource }));
            Assert.That(moved[resource], Does.StartWith("Firefox cannot reach a server on port 443").And.Contain("app.example.com"));
            Assert.That(PolicyRunner.MovedAway(movesPortsOfEveryHost: false, mappings, cases), Is.Empty);
            Assert.That(PolicyRunner.MovedAway(movesPortsOfEveryHost: true, mappings, PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:18080/api"))), Is.Empty);
            Assert.That(proxied.Keys, Does.Not.Contain("network.socket.forcePort").And.Not.Contain("network.dns.localDomains"));
            Assert.That(proxied["network.proxy.type"], Is.EqualTo(2));
            Assert.That(Uri.UnescapeDataString((string)proxied["network.proxy.autoconfig_url"]), Does.Contain("PROXY 127.0.0.1:40009"));
            Assert.That(new EngineSettings(Engine.Firefox, null, null, [], "test").FirefoxPrefs(mappings)["network.socket.forcePort"], Is.EqualTo("443=40001"));
        }
    }

    /// <summary>An authentication layer in front of the CORS layer — the most common way a server breaks CORS — showed only
    /// as "the response has no Access-Control-Allow-Origin", the 401 in the evidence below: the failure now says what it
    /// is. A preflight answered 401 fails signed in or not (a preflight never carries credentials); an answer 401 without
    /// CORS headers hides even "sign in" from the page.</summary>
    [TestCase("preflight", "method-put", "The preflight was answered 401: a CORS-preflight request never carries cookies or Authorization")]
    [TestCase("actual", "simple-get", "The server answered 401 without Access-Control-Allow-Origin: a page at https://app.example.com cannot read even that it must sign in")]
    public async Task An_authentication_check_in_front_of_the_CORS_layer_is_named_in_the_failure(string refused, string slug, string expected)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowCredentials": true }""", "policy.json");
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? refused == "preflight" ? "401 Unauthorized\r\nWWW-Authenticate: Bearer"
                : $"204 No Content\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: GET, PUT"
            : "401 Unauthorized\r\nWWW-Authenticate: Bearer");
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == $"https-app-example-com/{slug}");
        var (preflight, actual) = await new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)).RunAsync(@case);
        var verdict = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False);
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain(expected));
            Assert.That(verdict.Describe("Chromium 1"), refused == "actual" ? Does.Contain("give the run AuthHeaders or a CookieJar") : Does.Not.Contain("AuthHeaders"));
        }
    }

    /// <summary>gorilla's handlers.CORS answers a preflight asking for a header it is not configured with 403 (its default
    /// headers leave out Content-Type), and one asking for a method it is not configured with 405; aiohttp-cors answers 403
    /// to either. Such a server, missing a header or method the policy lists, failed — rightly — but the failure said "an
    /// authentication check in front of OPTIONS refuses every preflighted call" (403) or "nothing on the server answers
    /// OPTIONS at this URL as a preflight" (405), sending the reader after a login layer or a router that are not there.
    /// A preflight from the same origin asking only for GET, without headers, tells: answered ok and admitting the origin,
    /// the CORS layer answers preflights and refuses what this one asks for. An authentication layer refuses that one too.</summary>
    [TestCase("header-x-request-id", 403, true, "the CORS layer answers preflights from https://app.example.com and refuses what this one asks for (Access-Control-Request-Method: GET; Access-Control-Request-Headers: x-request-id)")]
    [TestCase("method-put", 405, true, "the CORS layer answers preflights from https://app.example.com and refuses what this one asks for (Access-Control-Request-Method: PUT)")]
    [TestCase("header-x-request-id", 403, false, "an authentication check in front of OPTIONS refuses every preflighted call")]
    [TestCase("method-put", 405, false, "nothing on the server answers OPTIONS at this URL as a preflight")]
    public async Task A_CORS_layer_that_refuses_what_a_preflight_asks_for_is_named_as_such(string slug, int status, bool plainPreflightPasses, string expected)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowedHeaders": ["X-Request-Id"], "allowCredentials": true }""", "policy.json");
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? plainPreflightPasses && r.Header("Access-Control-Request-Method") == "GET" && r.Header("Access-Control-Request-Headers") is null
                ? $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Credentials: true"
                : $"{status} Refused"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin");
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == $"https-app-example-com/{slug}");
        var verdict = await BlockedInTheBrowserAsync(@case);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the policy allows it and the server refuses it");
            Assert.That(text, Does.Contain(expected));
            if (plainPreflightPasses)
            {
                Assert.That(text, Does.Not.Contain("authentication check").And.Not.Contain("nothing on the server answers OPTIONS"));
                Assert.That(text, Does.Contain($"The preflight was answered {status}, but one from https://app.example.com asking only for GET, without headers, is answered 200"));
            }
        }
    }

    /// <summary>go-chi/cors 1.2 and rs/cors 1.7 answer a preflight whose method is not in AllowedMethods (default GET, POST,
    /// HEAD) or whose header is not in AllowedHeaders (defaults without X-Request-Id) 200 with the three Vary lines alone;
    /// the least preflight (GET, no headers) passes. The failure named gorilla, aiohttp-cors, Tomcat and Jetty as the
    /// middlewares that refuse so, and neither of these two, whose defaults leave out PUT, DELETE and any custom header
    /// (seen on 2026-12-07 with go-chi/cors and rs/cors configured without AllowedMethods).</summary>
    [TestCase("method-put", "Access-Control-Request-Method: PUT")]
    [TestCase("header-x-request-id", "Access-Control-Request-Headers: x-request-id")]
    public async Task A_go_chi_or_rs_cors_refusal_of_what_a_preflight_asks_for_names_their_defaults(string slug, string asked)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowedHeaders": ["X-Request-Id"] }""", "policy.json");
        await using var server = new ScriptedServer(r =>
        {
            const string vary = "Vary: Origin\r\nVary: Access-Control-Request-Method\r\nVary: Access-Control-Request-Headers";
            if (r.Method != "OPTIONS") return $"200 OK\r\nVary: Origin\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}";
            var method = r.Header("Access-Control-Request-Method");
            return method is "GET" or "POST" or "HEAD" && r.Header("Access-Control-Request-Headers") is null
                ? $"200 OK\r\n{vary}\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Methods: {method}"
                : $"200 OK\r\n{vary}";
        });
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == $"https-app-example-com/{slug}");
        var verdict = await BlockedInTheBrowserAsync(@case);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the policy allows it and the server refuses it");
            Assert.That(text, Does.Contain("refuses what this one asks for (").And.Contain(asked));
            Assert.That(text, Does.Contain("go-chi/cors and rs/cors answer 200 with Vary alone"));
            Assert.That(text, Does.Contain("AllowedMethods").And.Contain("AllowedHeaders"));
        }
    }

    /// <summary>Tomcat's CorsFilter answers 403, without a CORS header, to an Origin not in cors.allowed.origins (its default
    /// allows none) and answers a request without Origin as the application does. Against it, a policy's allowed calls
    /// failed — rightly — but each failure said "as an authentication layer in front of the CORS layer answers" (the GET) or
    /// "an authentication check in front of OPTIONS refuses every preflighted call" (the PUT), sending the reader after a
    /// login layer that is not there. A GET without Origin tells: answered ok, the 403 refuses the origin itself. A server
    /// that refuses that GET too (an authentication layer) keeps the authentication hint.</summary>
    [TestCase("simple-get", true, "A GET from https://app.example.com is answered 403 without Access-Control-Allow-Origin, but a GET of the same URL without Origin (and without credentials) is answered 200: the server refuses the origin https://app.example.com itself")]
    [TestCase("method-put", true, "A GET from https://app.example.com is answered 403 without Access-Control-Allow-Origin, but a GET of the same URL without Origin (and without credentials) is answered 200: the server refuses the origin https://app.example.com itself")]
    [TestCase("simple-get", false, "as an authentication layer in front of the CORS layer answers")]
    [TestCase("method-put", false, "an authentication check in front of OPTIONS refuses every preflighted call")]
    public async Task A_CORS_layer_that_refuses_the_origin_with_403_is_not_called_authentication(string slug, bool tomcat, string expected)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowCredentials": true }""", "policy.json");
        await using var server = tomcat
            ? ScriptedServer.TomcatCorsFilter(origins: [], methods: ["GET", "POST", "HEAD", "OPTIONS", "PUT"])
            : new ScriptedServer(_ => "403 Forbidden");
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == $"https-app-example-com/{slug}");
        var verdict = await BlockedInTheBrowserAsync(@case);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the policy allows it and the server refuses it");
            Assert.That(text, Does.Contain(expected));
            if (tomcat) Assert.That(text, Does.Not.Contain("authentication"));
        }
    }

    /// <summary>Tomcat's CorsFilter checks the method of a request no preflight asks about against cors.allowed.methods: a
    /// simple POST (text/plain) from an allowed origin, where POST is not listed, is answered 403 without a CORS header. The
    /// failure said "as an authentication layer in front of the CORS layer answers"; the origin admitted to a GET and the
    /// same POST without Origin answered ok show the CORS layer refused the method. A server that refuses the POST without
    /// Origin too (writes behind a login) keeps the authentication hint.</summary>
    [TestCase(true, "A GET from https://app.example.com is answered 200 with Access-Control-Allow-Origin: https://app.example.com, and this POST without Origin (and without credentials) is answered 200: the server refuses POST from https://app.example.com itself")]
    [TestCase(false, "as an authentication layer in front of the CORS layer answers")]
    public async Task A_CORS_layer_that_refuses_a_simple_request_s_method_with_403_is_not_called_authentication(bool tomcat, string expected)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "POST"] }""", "policy.json");
        await using var server = tomcat
            ? ScriptedServer.TomcatCorsFilter(origins: ["https://app.example.com"], methods: ["GET", "HEAD", "OPTIONS"])
            : new ScriptedServer(r => r.Method == "POST" ? "403 Forbidden" : $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/simple-post");
        var verdict = await BlockedInTheBrowserAsync(@case);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the policy allows it and the server refuses it");
            Assert.That(text, Does.Contain(expected));
            if (tomcat) Assert.That(text, Does.Not.Contain("authentication"));
        }
    }

    /// <summary>Jetty's CrossOriginFilter, asked for a method it is not configured with (its default allowedMethods are GET,
    /// POST, HEAD), adds none of its headers and passes the preflight on to the application (chainPreflight, true by
    /// default), which answers 200. The failure said "something other than the CORS layer answered the OPTIONS, or the CORS
    /// headers are not added to this answer (Apache's `Header set` …)"; the least preflight from the same origin shows the
    /// filter answers preflights and refused the method.</summary>
    [Test]
    public async Task A_preflight_passed_on_without_CORS_headers_for_a_method_the_filter_lacks_is_named_as_such()
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowCredentials": true }""", "policy.json");
        await using var server = ScriptedServer.JettyCrossOriginFilter("https://app.example.com", ["GET", "POST", "HEAD"]);
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/method-put");
        var verdict = await BlockedInTheBrowserAsync(@case);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False);
            Assert.That(text, Does.Contain("The preflight was answered 200 without Access-Control-Allow-Origin, but one from https://app.example.com asking only for GET, without headers, is answered 200"));
            Assert.That(text, Does.Contain("refuses what this one asks for (Access-Control-Request-Method: PUT)"));
            Assert.That(text, Does.Not.Contain("Header set"));
        }
    }

    /// <summary>The case replayed against its server, judged as a browser's "TypeError: Failed to fetch", and asked about as
    /// the run asks a blocked allowed call (the least preflight, the GET with and without Origin).</summary>
    private static async Task<PolicyVerdict> BlockedInTheBrowserAsync(PolicyCase @case)
    {
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var (preflight, actual) = await replay.RunAsync(@case);
        var judged = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        return await PolicyRunner.WithPlainPreflightAsync(judged, replay, CancellationToken.None);
    }
}
