using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A case passes only when the server's real answers, read by the Fetch Standard, keep the policy's promise too. A
/// server that resets every other connection once made "a simple GET from https://evil.example is refused" pass: the
/// browser's request was reset (to the page, the same TypeError as a CORS block) while the replay's answered with
/// Access-Control-Allow-Origin: * — a server admitting the origin it promises to refuse.</summary>
public sealed class PromiseOnAnswersTests
{
    private static readonly PolicyCase Refusal = PolicyCases.Generate(
            PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
        .First(c => c.Title.StartsWith("a simple GET from", StringComparison.Ordinal) && c.Title.EndsWith("is refused", StringComparison.Ordinal));

    private static PolicyVerdict BrowserBlocked(params Header[] answer)
    {
        var promised = Oracle.Expect(Refusal.Model);
        var onAnswers = Oracle.Expect(Refusal.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, answer)) });
        return new PolicyVerdict(Refusal, Outcome.Blocked, null, promised, onAnswers, null, new RawResponse(200, answer, null) { Reached = true },
            "net::ERR_CONNECTION_RESET", [], []);
    }

    [Test]
    public void A_refusal_the_server_s_answers_do_not_make_fails_though_the_browser_blocked()
    {
        var verdict = BrowserBlocked(new Header(HeaderNames.AccessControlAllowOrigin, "*"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(Refusal.Model).Outcome, Is.EqualTo(Outcome.Blocked), "the case is a refusal");
            Assert.That(verdict.Passed, Is.False, "the server admits the origin; the block came from elsewhere");
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("do not keep that promise").And.Contain("allowed"));
        }
    }

    [Test]
    public void A_refusal_the_server_s_answers_make_passes()
    {
        var verdict = BrowserBlocked();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.AnswersBreakThePromise, Is.False);
            Assert.That(verdict.Passed, Is.True);
        }
    }

    /// <summary>"PATCH … is refused (not in allowedMethods)" passed whenever the browser was blocked, even where the server's
    /// preflight admitted PATCH: the browser then sends the PATCH, the server acts on it, and only its response (without
    /// Access-Control-Allow-Origin, say) is blocked. The page sees the same block; the server does not keep the promise.</summary>
    [TestCase("PATCH", true, TestName = "A refused method the server's preflight admits fails though the browser blocked")]
    [TestCase("GET", false, TestName = "A refused method the server's preflight refuses passes")]
    public void A_refused_method_the_preflight_admits(string allowed, bool sent)
    {
        var refusal = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == "https-app-example-com/unlisted-method-patch");
        Header[] preflight = [new(HeaderNames.AccessControlAllowOrigin, Oracle.PageOriginToken), new(HeaderNames.AccessControlAllowMethods, allowed)];
        var onAnswers = Oracle.Expect(refusal.Model with { Server = new ServerPlan(new ResponsePlan(204, preflight), new ResponsePlan(200, [])) });
        var verdict = new PolicyVerdict(refusal, Outcome.Blocked, null, Oracle.Expect(refusal.Model), onAnswers,
            new RawResponse(204, preflight, null) { Reached = true }, new RawResponse(200, [], null) { Reached = true }, "CORS error", [], []);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Blocked), "blocked either way");
            Assert.That(verdict.SentThoughRefused, Is.EqualTo(sent));
            Assert.That(verdict.Passed, Is.EqualTo(!sent));
            if (sent) Assert.That(verdict.Describe("Chromium 1"), Does.Contain("only after sending it").And.Contain("admits PATCH"));
        }
    }

    /// <summary>"What the policy promises" named only the last check ("the CORS check passes: …") for a request that is
    /// preflighted, so a failing PUT did not say what its preflight answer should carry.</summary>
    [Test]
    public void A_preflighted_promise_names_the_preflight_answer_the_policy_implies()
    {
        var put = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == "https-app-example-com/method-put");
        var verdict = new PolicyVerdict(put, Outcome.Blocked, null, Oracle.Expect(put.Model), null, null, new RawResponse(200, [], null) { Reached = true }, null, [], []);
        Assert.That(verdict.PromiseWhy(), Does.StartWith("a preflight answered as the policy implies (204, ")
            .And.Contain("Access-Control-Allow-Origin: https://app.example.com")
            .And.Contain("Access-Control-Allow-Methods: GET, PUT")
            .And.Contain("lets the browser send the PUT; then the CORS check passes"));
    }

    /// <summary>Against Apache running a CGI script that does not read the request body, one credentialed PUT in four got
    /// net::ERR_EMPTY_RESPONSE in Chromium while the replay's PUT was answered 200 with the right headers; the failure said
    /// "the browser departs from the standard here", blaming the browser for the server's dropped connection.</summary>
    [TestCase("net::ERR_EMPTY_RESPONSE", false, TestName = "A blocked call whose browser request got no answer does not blame the browser")]
    [TestCase("CORS request did not succeed", false, TestName = "A blocked call Firefox says did not succeed does not blame the browser")]
    [TestCase("Access to fetch has been blocked by CORS policy | net::ERR_FAILED", true, TestName = "A blocked call the browser calls a CORS block departs from the standard")]
    public void An_allowed_call_blocked_by_a_network_failure_does_not_blame_the_browser(string reason, bool departs)
    {
        var allowed = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
            .First(c => c.Title.StartsWith("a simple GET from https://app.example.com", StringComparison.Ordinal));
        Header[] answer = [new(HeaderNames.AccessControlAllowOrigin, Oracle.PageOriginToken)];
        var onAnswers = Oracle.Expect(allowed.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, answer)) });
        var verdict = new PolicyVerdict(allowed, Outcome.Blocked, null, Oracle.Expect(allowed.Model), onAnswers, null,
            new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, allowed.PageOrigin)], null) { Reached = true }, reason, [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Allowed), "the server's answer allows the call");
            Assert.That(verdict.Passed, Is.False, "the call the policy promises did not succeed");
            Assert.That(text.Contains("the browser departs from the standard here", StringComparison.Ordinal), Is.EqualTo(departs), text);
            if (!departs) Assert.That(text, Does.Contain("failed below CORS (" + (reason.StartsWith("net::", StringComparison.Ordinal) ? reason : "CORS request did not succeed") + ")"));
        }
    }

    /// <summary>A refusal's promise read "the response has no Access-Control-Allow-Origin", stricter than the check: an
    /// answer naming another origin keeps it as well (found against Caddy answering a fixed origin to everyone).</summary>
    [TestCase("https-evil-example/simple-get", "a server keeping the policy answers so that the response has no Access-Control-Allow-Origin")]
    [TestCase("https-app-example-com/unlisted-method-patch", "a server keeping the policy answers so that the preflight fails (")]
    public void A_refusal_s_promise_is_kept_by_any_answer_that_blocks(string id, string how)
    {
        var refusal = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == id);
        var verdict = new PolicyVerdict(refusal, Outcome.Blocked, null, Oracle.Expect(refusal.Model), null, null, new RawResponse(200, [], null) { Reached = true }, null, [], []);
        Assert.That(verdict.PromiseWhy(), Does.StartWith("the request is blocked — " + how).And.EndWith("; any answer that blocks it keeps the promise"));
    }
    /// <summary>The replay hands the oracle the server's answers with the page's origin written as the oracle's token, so
    /// the standard's reason came out with it: against Apache adding `Access-Control-Allow-Origin: *` in front of an
    /// application that sets its own, every failure read "Access-Control-Allow-Origin '{origin}, *' is not the request's
    /// origin '{origin}'", hiding the very values to compare. The reason names the page's origin.</summary>
    [Test]
    public void The_standard_s_reason_names_the_page_s_origin_not_the_oracle_s_token()
    {
        var allowed = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
            .First(c => c.Title.StartsWith("a simple GET from https://app.example.com", StringComparison.Ordinal));
        Header[] answer = [new(HeaderNames.AccessControlAllowOrigin, Oracle.PageOriginToken), new(HeaderNames.AccessControlAllowOrigin, "*")];
        var onAnswers = Oracle.Expect(allowed.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, answer)) });
        var verdict = new PolicyVerdict(allowed, Outcome.Blocked, null, Oracle.Expect(allowed.Model), onAnswers, null,
            new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, allowed.PageOrigin), new(HeaderNames.AccessControlAllowOrigin, "*")], null) { Reached = true },
            "CORS error", [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(text, Does.Contain("Access-Control-Allow-Origin 'https://app.example.com, *' is not the request's origin 'https://app.example.com'"), text);
            Assert.That(text, Does.Not.Contain(Oracle.PageOriginToken), text);
        }
    }

    /// <summary>The oracle compares the server's value with its token, so "'https://App.Example.com' is not the request's
    /// origin 'https://app.example.com'" came out without saying how they differ (it did for `{origin}/`, which holds the
    /// token): with the page's origin in place, the reason names the byte difference.</summary>
    [TestCase("https://App.Example.com", "only in letter case")]
    [TestCase("https://app.example.com:443", "the default port 443")]
    [TestCase("https://app.example.com/", "with a trailing slash")]
    public void The_standard_s_reason_names_how_the_server_s_value_differs_from_the_page_s_origin(string value, string how)
    {
        var allowed = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
            .First(c => c.Title.StartsWith("a simple GET from https://app.example.com", StringComparison.Ordinal));
        // As the replay writes the answer for the oracle: the page's origin, wherever it is, as the token.
        Header[] answer = [new(HeaderNames.AccessControlAllowOrigin, value.Replace(allowed.PageOrigin, Oracle.PageOriginToken, StringComparison.Ordinal))];
        var onAnswers = Oracle.Expect(allowed.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, answer)) });
        var verdict = new PolicyVerdict(allowed, Outcome.Blocked, null, Oracle.Expect(allowed.Model), onAnswers, null,
            new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, value)], null) { Reached = true }, "CORS error", [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(text, Does.Contain($"Access-Control-Allow-Origin '{value}' is not the request's origin 'https://app.example.com' (").And.Contain(how), text);
            Assert.That(System.Text.RegularExpressions.Regex.Matches(text, "compares bytes").Count, Is.EqualTo(1), text);
        }
    }

    /// <summary>A preflight nothing answers as one: koa with @koa/cors mounted on the router's GET/PUT/… routes only (OPTIONS
    /// reaches no route: 404), a framework answering 405, and Apache's `Header set` recipe whose `RewriteRule … [R=200]`
    /// answer gets none of the headers (`Header set` adds them only to a handler's answer; `always` to every one). Each
    /// failure said only "preflight: the response has no Access-Control-Allow-Origin", which sends the reader to the origin
    /// check; the failure says what answered instead and what to change, as it does for a 401.</summary>
    [TestCase(404, "Content-Type: text/plain", "nothing on the server answers OPTIONS at this URL as a preflight")]
    [TestCase(405, "Allow: GET, PUT", "nothing on the server answers OPTIONS at this URL as a preflight")]
    [TestCase(500, "Content-Type: text/html", "the server failed on the OPTIONS request itself")]
    [TestCase(200, "Content-Type: text/html", "without any Access-Control- header")]
    public void A_preflight_not_answered_as_one_says_what_answered_it(int status, string line, string hint)
    {
        var put = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == "https-app-example-com/method-put");
        Header[] preflight = [new(line.Split(": ")[0], line.Split(": ")[1])];
        var onAnswers = Oracle.Expect(put.Model with { Server = new ServerPlan(new ResponsePlan(status, preflight), new ResponsePlan(200, [])) });
        var verdict = new PolicyVerdict(put, Outcome.Blocked, null, Oracle.Expect(put.Model), onAnswers,
            new RawResponse(status, preflight, null) { Reached = true }, new RawResponse(null, [], null) { Withheld = "the server's preflight answer refuses it" }, "CORS error", [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(text, Does.Contain($"The preflight was answered {status}").And.Contain(hint), text);
            if (status == 200) Assert.That(text, Does.Contain("Header always set"), text);
        }
    }
    /// <summary>@fastify/cors and @koa/cors without allowedHeaders echo Access-Control-Request-Headers, so a header the
    /// policy refuses passes the preflight and the browser allows the call. The failure's reason read only "the CORS check
    /// passes: Access-Control-Allow-Origin is *", which points at the origin, not at the preflight answer that let the header
    /// through: it names what the server's preflight answer admitted, and the line that did.</summary>
    [Test]
    public void A_refusal_the_server_s_preflight_admits_names_the_preflight_line_that_admits_it()
    {
        var refusal = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["*"], "allowedMethods": ["GET"] }""", "test.json"), new Uri("http://127.0.0.1:18599/api"))
            .First(c => c.Title.StartsWith("a request with X-Cors-Conformance-Unlisted", StringComparison.Ordinal));
        Header[] preflight = [new(HeaderNames.AccessControlAllowOrigin, "*"), new(HeaderNames.AccessControlAllowMethods, "GET"), new(HeaderNames.AccessControlAllowHeaders, "x-cors-conformance-unlisted")];
        Header[] actual = [new(HeaderNames.AccessControlAllowOrigin, "*")];
        var onAnswers = Oracle.Expect(refusal.Model with { Server = new ServerPlan(new ResponsePlan(204, preflight), new ResponsePlan(200, actual)) });
        var verdict = new PolicyVerdict(refusal, Outcome.Allowed, null, Oracle.Expect(refusal.Model), onAnswers,
            new RawResponse(204, preflight, null) { Reached = true }, new RawResponse(200, actual, null) { Reached = true }, null, [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(text, Does.Contain("Why, by the Fetch Standard, given the server's real answers: the server's preflight answer admits GET with x-cors-conformance-unlisted "
                + "(Access-Control-Allow-Headers: x-cors-conformance-unlisted), which the policy refuses; then the CORS check passes: Access-Control-Allow-Origin is *."), text);
        }
    }

    /// <summary>A server that answers a PUT's preflight without CORS headers every other time (the first time, or the second).</summary>
    private static ScriptedServer PreflightsRightEveryOtherTime(bool refusesFirst)
    {
        var asked = 0;
        return new ScriptedServer(r => r.Method == "OPTIONS" && Interlocked.Increment(ref asked) % 2 == (refusesFirst ? 1 : 0)
            ? "204 No Content"
            : $"{(r.Method == "OPTIONS" ? "204 No Content" : "200 OK")}\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: PUT\r\nVary: Origin");
    }

    /// <summary>The policy's allowed PUT against <paramref name="server"/>, and a replay to ask it with.</summary>
    private static (PolicyCase Put, Replay Replay) PutCase(ScriptedServer server)
    {
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json");
        return (PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/method-put"),
            new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)));
    }

    /// <summary>A server that answers the preflight and resets the connection of the PUT itself, for the browser and the
    /// replay alike (raw-socket stand-in, 2026-12-07; Chromium 156: net::ERR_CONNECTION_RESET): the failure read "Chromium
    /// blocked the request, but the policy promises it is allowed" with no cause at all. No CORS check ran anywhere: a
    /// harness error naming the reset, never a CORS verdict.</summary>
    [Test]
    public async Task A_request_reset_after_its_preflight_was_answered_is_no_cors_verdict()
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? "204 No Content\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: PUT"
            : ScriptedServer.Reset);
        var (put, replay) = PutCase(server);
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = PolicyRunner.Judge(put, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false),
            "Failed to load resource: net::ERR_CONNECTION_RESET", preflight, actual);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(verdict.IsHarnessError, Is.True, text);
            Assert.That(verdict.BrowserUnanswered, Does.Contain("net::ERR_CONNECTION_RESET").And.Contain("preflight was answered (204)").And.Contain("no CORS check ran"), text);
            Assert.That(text, Does.Not.Contain("blocked the request"), text);
        }
    }

    /// <summary>A server that answers its preflights correctly only every other time: the browser got the preflight without
    /// Access-Control-Allow-Origin (its own words say so) and the replay, asking next, the right one. The failure read "the
    /// browser departs from the standard here" — the browser did exactly what the standard says of the answer it got. Asked
    /// again, the server's answers lead elsewhere: the failure says the server answers the same request differently.</summary>
    [Test]
    public async Task A_server_that_answers_a_preflight_differently_each_time_is_not_a_browser_departing_from_the_standard()
    {
        await using var server = PreflightsRightEveryOtherTime(refusesFirst: false);
        var (put, replay) = PutCase(server);
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = PolicyRunner.Judge(put, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false),
            "Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            preflight, actual);
        Assert.That(verdict.BrowserDepartsFromStandard, Is.True, "on the replay's first answers alone, the browser looks as if it departs");
        verdict = await PolicyRunner.WithAnswersAskedAgainAsync(verdict, replay);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the call the policy promises failed in the browser");
            Assert.That(verdict.AnswersVary, Does.Contain("blocked"));
            Assert.That(text, Does.Not.Contain("departs from the standard"));
            Assert.That(text, Does.Contain("the server answers the same request differently from one time to the next"));
            Assert.That(text, Does.Contain("Preflight answer, asked again: 204"));
        }
    }

    /// <summary>The other way round: the browser got the right preflight and was allowed, the replay the one without CORS
    /// headers. The failure's first line still said "What the browser did came from a departure from the standard", the
    /// line after it that the server answers differently each time.</summary>
    [Test]
    public async Task An_allowed_call_kept_on_an_answer_the_server_gives_only_some_times_is_not_blamed_on_the_browser()
    {
        await using var server = PreflightsRightEveryOtherTime(refusesFirst: true);
        var (put, replay) = PutCase(server);
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = await PolicyRunner.WithAnswersAskedAgainAsync(
            PolicyRunner.Judge(put, new PageAttempt(true, 200, [], null, false), null, preflight, actual), replay);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "some of the server's answers break the promise");
            Assert.That(verdict.AnswersVary, Is.Not.Null);
            Assert.That(text, Does.Not.Contain("departure from the standard"));
            Assert.That(text, Does.StartWith("Chromium 1 allowed 'PUT from https://app.example.com is allowed after a preflight', as the policy promises, but the server answers the same requests differently"));
        }
    }

    [Test]
    public async Task A_browser_departing_from_answers_the_server_gives_every_time_still_says_so()
    {
        await using var server = new ScriptedServer(r => $"{(r.Method == "OPTIONS" ? "204 No Content" : "200 OK")}\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: PUT\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json");
        var put = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/method-put");
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = await PolicyRunner.WithAnswersAskedAgainAsync(
            PolicyRunner.Judge(put, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual), replay);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.AnswersVary, Is.Null);
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("the browser departs from the standard here"));
            // The ground it stands on, said with it: the replay's answers three times alike, never the browser's own.
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain($"the server gave the same answers {PolicyRunner.AskAgain + 2} times"));
        }
    }

    /// <summary>A server that answers a browser's request otherwise than the replay's — keyed on the headers a browser adds and
    /// HttpClient does not (User-Agent, Sec-Fetch-Mode; Go 1.25's CrossOriginProtection reads Sec-Fetch-Site, bot defences the
    /// User-Agent) — was said to be departed from by the browser: "the browser departs from the standard here (the server gave
    /// the same answers 3 times …)" of Chromium, which had got an answer without Access-Control-Allow-Origin (a hostile
    /// server's run). The last ask carries a browser's headers; answered alike every time without them and, with them, as the
    /// browser's outcome needs, the answers a browser gets are the ones read, and the verdict says how the others differ.</summary>
    [Test]
    public async Task A_server_answering_a_browser_s_headers_otherwise_is_not_called_a_departure_of_the_browser()
    {
        await using var server = new ScriptedServer(r => r.Header("Sec-Fetch-Mode") is null
            ? "200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nVary: Origin"
            : "200 OK\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json");
        var get = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/simple-get");
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var (preflight, actual) = await replay.RunAsync(get);
        var verdict = await PolicyRunner.WithAnswersAskedAgainAsync(
            PolicyRunner.Judge(get, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual), replay);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False);
            Assert.That(text, Does.Not.Contain("the browser departs from the standard"), text);
            Assert.That(verdict.AnsweredAsBrowser, Does.StartWith("without the headers a browser adds"), text);
            Assert.That(verdict.Actual.Headers.Get("Access-Control-Allow-Origin"), Is.Null, "the browser's answer is the one read");
            Assert.That(text, Does.Contain("The server answers browsers otherwise than other clients").And.Contain("no Access-Control-Allow-Origin")
                .And.Not.Contain("from one time to the next"), text);
            Assert.That(server.Seen.Count(r => r.Header("Sec-Fetch-Mode") == "cors" && r.Header("User-Agent") is { } ua && ua.StartsWith("Mozilla/5.0", StringComparison.Ordinal)), Is.EqualTo(1));
        }
    }

    /// <summary>WebKitGTK says nothing of why it blocked a call: its request failing on a 300 KB head (a hostile server's run)
    /// read "the browser departs from the standard here" with nothing to show that a CORS check, not the network, failed. A
    /// block without the browser's words says that it may have failed below CORS; one with a CORS reason does not. (Words
    /// that contradict the replay's answer — "No 'Access-Control-Allow-Origin' header is present" where it has one — make no
    /// departure at all: A_block_whose_words_contradict_the_replay_s_answers_is_not_called_the_browser_s_departure.)</summary>
    [TestCase(null, true)]
    [TestCase("Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy.", false)]
    public async Task A_wordless_block_of_an_allowed_call_is_not_put_down_to_CORS_alone(string? reason, bool hedged)
    {
        await using var server = new ScriptedServer(_ => "200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nVary: Origin\r\nX-Big: " + new string('a', 300 * 1024));
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json");
        var get = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/simple-get");
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var (preflight, actual) = await replay.RunAsync(get);
        var verdict = await PolicyRunner.WithAnswersAskedAgainAsync(
            PolicyRunner.Judge(get, new PageAttempt(false, null, null, "TypeError: Load failed", false), reason, preflight, actual), replay);
        var text = verdict.Describe("WebKitGTK 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False);
            Assert.That(text, Does.Contain("the browser departs from the standard here"), text);
            Assert.That(text.Contains("failed below CORS without a word", StringComparison.Ordinal), Is.EqualTo(hedged), text);
        }
    }

    /// <summary>A preflight whose CORS headers came only on a 103 Early Hints before its 204: the failure said "something
    /// other than the CORS layer answered the OPTIONS" and blamed Apache's `Header set`; the headers were sent, on an answer
    /// fetch does not read.</summary>
    [Test]
    public void A_preflight_whose_CORS_headers_came_only_on_a_103_says_so()
    {
        var put = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == "https-app-example-com/method-put");
        Header[] early = [new(HeaderNames.AccessControlAllowOrigin, "https://app.example.com"), new(HeaderNames.AccessControlAllowMethods, "GET, PUT")];
        Header[] preflight = [new("Vary", "Origin")];
        var onAnswers = Oracle.Expect(put.Model with { Server = new ServerPlan(new ResponsePlan(204, preflight), new ResponsePlan(200, [])) });
        var verdict = new PolicyVerdict(put, Outcome.Blocked, null, Oracle.Expect(put.Model), onAnswers,
            new RawResponse(204, preflight, null) { Reached = true, Interim = [new InterimAnswer(103, early)] },
            new RawResponse(null, [], null) { Withheld = "the server's preflight answer refuses it" }, "CORS error", [], []);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("only on the interim 103 answer before it").And.Contain("(interim 103, not read by fetch:"), text);
            Assert.That(text, Does.Not.Contain("something other than the CORS layer answered"), text);
        }
    }

    /// <summary>"Access-Control-Allow-Origin : …": Chromium allowed the calls, Firefox and WebKitGTK blocked them, and HTTP
    /// says nothing of a user agent's reading (RFC 9112 §5.1). Chromium's allowed call failed as "the browser departs from the
    /// standard"; it passes now, and a blocked one names the line.</summary>
    [TestCase(Outcome.Allowed, true)]
    [TestCase(Outcome.Blocked, false)]
    public void A_CORS_line_with_white_space_before_its_colon_is_read_either_way(Outcome browser, bool passes)
    {
        var get = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"] }""", "test.json"),
            new Uri("http://127.0.0.1:18599/api")).Single(c => c.Id == "https-app-example-com/simple-get");
        Header[] actual = [new("Access-Control-Allow-Origin ", "https://app.example.com"), new("Vary", "Origin")];
        var answer = new RawResponse(200, actual, null) { Reached = true };
        var onAnswers = Oracle.Expect(get.Model with { Server = Replay.PlanOf(get, null, answer)! });
        var verdict = new PolicyVerdict(get, browser, browser == Outcome.Allowed ? ["content-type"] : null, Oracle.Expect(get.Model), onAnswers,
            null, answer, browser == Outcome.Allowed ? null : "CORS error", [], []);
        var text = verdict.Describe("Firefox 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.EqualTo(passes), text);
            if (!passes) Assert.That(text, Does.Contain("white space between the name and the colon"), text);
        }
    }

    /// <summary>The browser's own words say its answer lacked what the replay's answer has: a server that leaves a PUT's
    /// body unread on a kept-alive connection read the browser's next request as "pingOPTIONS" and answered 501, while the
    /// replay, on a connection of its own, got the preflight's 204 — and the failure said "the browser departs from the
    /// standard here". The words are Chromium 156's and Firefox 153's against that server (a Python BaseHTTPRequestHandler);
    /// Firefox names the status it read, which settles that its answer was another.</summary>
    [TestCase("Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. | Failed to load resource: net::ERR_FAILED",
        "the browser says its preflight's answer had no Access-Control-Allow-Origin, where the replay's preflight was answered 204 with Access-Control-Allow-Origin: https://app.example.com", true)]
    [TestCase("Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        "the browser says its preflight's answer had no ok status, where the replay's preflight was answered 204", true)]
    [TestCase("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 501.",
        "the browser says an answer (status 501) lacked Access-Control-Allow-Origin, where the replay's preflight (204) and request (200) were answered with it", false)]
    // A server that answers each request of a kept-alive connection with the previous request's answer (raw-socket stand-in,
    // 2026-12-07) gave Chromium 156's preflight a GET's answer: its words name the method the replay's preflight allows.
    [TestCase("Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response. | Failed to load resource: net::ERR_FAILED",
        "the browser says its preflight's answer did not allow PUT in Access-Control-Allow-Methods, where the replay's preflight was answered 204 with Access-Control-Allow-Methods: PUT", true)]
    [TestCase("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
        "the browser says its preflight's answer did not allow PUT in Access-Control-Allow-Methods, where the replay's preflight was answered 204 with Access-Control-Allow-Methods: PUT", true)]
    [TestCase("Access to fetch at '{url}' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
        "the browser says its preflight's answer did not allow the header content-type in Access-Control-Allow-Headers, where the replay's preflight was answered 204 with Access-Control-Allow-Headers: Content-Type", true)]
    public async Task A_block_whose_words_contradict_the_replay_s_answers_is_not_called_the_browser_s_departure(string reason, string said, bool eitherWay)
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? "204 No Content\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nAccess-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Headers: Content-Type"
            : "200 OK\r\nAccess-Control-Allow-Origin: https://app.example.com");
        var (put, replay) = PutCase(server);
        var (preflight, actual) = await replay.RunAsync(put);
        var verdict = await PolicyRunner.WithAnswersAskedAgainAsync(
            PolicyRunner.Judge(put, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), reason, preflight, actual), replay);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "the call the policy allows was blocked in the browser");
            Assert.That(verdict.AnswersUnread, Does.StartWith(said).And.Contain("another answer than the replay"), text);
            Assert.That(verdict.AnswersUnread!.Contains("or it did not read the header", StringComparison.Ordinal), Is.EqualTo(eitherWay), text);
            Assert.That(text, Does.Not.Contain("departs from the standard here"), text);
        }
    }
}
