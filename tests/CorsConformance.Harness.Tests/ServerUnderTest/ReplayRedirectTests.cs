using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The browser follows a redirect; the replay did not, so the standard was read on the redirect itself: a route
/// that redirects (`/api/items` → `/api/items/`) to an answer without Access-Control-Allow-Origin blocked in every browser
/// while the suite said the standard allows it ("the browser departs from the standard"), and a hop to another origin,
/// after which the Origin is `null`, was never seen. The replay now follows as fetch does (HTTP-redirect fetch), and what
/// it cannot follow, or a browser that read another answer than the replay, leaves the standard's reading out.</summary>
public sealed class ReplayRedirectTests
{
    /// <summary>A server answering by <paramref name="answer"/> (method, path, Origin → status line and headers).</summary>
    private static ScriptedServer Server(Func<string, string, string?, string> answer) => new(r => answer(r.Method, r.Path, r.Header("Origin")));

    private const string App = "https://app.example.com";

    private static readonly CorsPolicy Policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowCredentials": true }""", "policy.json");

    private static PolicyCase Case(Uri resource, string id) => PolicyCases.Generate(Policy, resource).Single(c => c.Id == id);

    private static Replay NewReplay() => new(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));

    private static string Allow(string? origin) => origin is null ? "" : $"\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true";

    [Test]
    public async Task A_redirect_to_an_answer_without_CORS_headers_is_followed_and_the_standard_blocks_what_the_browser_blocked()
    {
        await using var server = Server((_, path, origin) => path.EndsWith('/') ? "200 OK" : $"301 Moved{Allow(origin)}\r\nLocation: {path}/");
        var @case = Case(server.Resource, "https-app-example-com/simple-get");
        var (preflight, actual) = await NewReplay().RunAsync(@case);
        var verdict = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Seen.Select(r => r.ToString()), Is.EqualTo(new[] { $"GET /api/items {App}", $"GET /api/items/ {App}" }), "a same-origin hop keeps the page's Origin");
            Assert.That((actual.Status, actual.Redirects.Count), Is.EqualTo((200, 1)));
            Assert.That(verdict.SpecOnAnswers?.Outcome, Is.EqualTo(Outcome.Blocked), "the answer the browser got to has no Access-Control-Allow-Origin");
            Assert.That(verdict.BrowserDepartsFromStandard, Is.False, "the browser that blocked it follows the standard");
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("(redirect 1: GET " + server.Resource).And.Contain("curl -i -X 'GET' '" + server.Resource + "/'"));
        }
    }

    [Test]
    public async Task A_hop_to_another_origin_taints_the_Origin_to_null()
    {
        await using var other = Server((_, _, origin) => $"200 OK{Allow(origin == "null" ? "null" : null)}");
        await using var server = Server((_, _, origin) => $"302 Found{Allow(origin)}\r\nLocation: {other.BaseUrl}api/items/");
        var @case = Case(server.Resource, "https-app-example-com/credentialed-get");
        var (preflight, actual) = await NewReplay().RunAsync(@case);
        var verdict = PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(other.Seen.Select(r => r.ToString()), Is.EqualTo(new[] { "GET /api/items/ null" }), "HTTP-redirect fetch sets the tainted origin flag");
            Assert.That(actual.Redirects.Single().NextOrigin, Is.EqualTo("null"));
            Assert.That(verdict.SpecOnAnswers?.Outcome, Is.EqualTo(Outcome.Allowed), "the last answer allows `null`, with credentials");
            Assert.That(verdict.Passed, Is.True);
        }
        // Where the last answer allows only the page's origin, the failure says why the browser sent `null`.
        await using var strict = Server((_, _, origin) => $"200 OK{Allow(origin == App ? App : null)}");
        await using var redirecting = Server((_, _, origin) => $"302 Found{Allow(origin)}\r\nLocation: {strict.BaseUrl}api/items/");
        var refused = Case(redirecting.Resource, "https-app-example-com/credentialed-get");
        var (p2, a2) = await NewReplay().RunAsync(refused);
        var blocked = PolicyRunner.Judge(refused, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, p2, a2);
        Assert.That(blocked.Describe("Chromium 1"), Does.Contain($"a hop to another origin, the browser sends Origin: null").And.Contain("must allow `null`"));
    }

    [Test]
    public async Task A_redirect_that_fails_the_CORS_check_is_not_followed()
    {
        await using var server = Server((_, path, _) => path.EndsWith('/') ? "200 OK" : $"301 Moved\r\nLocation: {path}/");
        var @case = Case(server.Resource, "https-app-example-com/simple-get");
        var (_, actual) = await NewReplay().RunAsync(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Seen, Has.Count.EqualTo(1), "a browser stops at a redirect without Access-Control-Allow-Origin");
            Assert.That((actual.Status, actual.Redirects.Count), Is.EqualTo((301, 0)));
        }
    }

    [Test]
    public async Task A_303_makes_a_POST_a_GET()
    {
        await using var server = Server((method, path, origin) => path.EndsWith('/') ? $"200 OK{Allow(origin)}" : $"303 See Other{Allow(origin)}\r\nLocation: {path}/");
        var @case = Case(server.Resource, "https-app-example-com/simple-post");
        var (_, actual) = await NewReplay().RunAsync(@case);
        Assert.That(server.Seen.Select(r => r.ToString()), Is.EqualTo(new[] { $"POST /api/items {App}", $"GET /api/items/ {App}" }));
        Assert.That(actual.Redirects.Single().NextMethod, Is.EqualTo("GET"));
    }

    /// <summary>A preflighted request redirected: main fetch runs anew at the new URL, so the browser preflights there
    /// (with the Origin the request now carries) and sends the request on only where that preflight lets it.</summary>
    [TestCase(true, TestName = "A preflighted request redirected is preflighted again at the new URL and sent on where that preflight admits it")]
    [TestCase(false, TestName = "A preflighted request redirected is not sent on where the preflight at the new URL refuses it")]
    public async Task A_preflighted_request_redirected_is_preflighted_again(bool admits)
    {
        await using var server = Server((method, path, origin) => (method, path.EndsWith('/')) switch
        {
            ("OPTIONS", false) => $"204 No Content{Allow(origin)}\r\nAccess-Control-Allow-Methods: PUT",
            ("OPTIONS", true) => admits ? $"204 No Content{Allow(origin)}\r\nAccess-Control-Allow-Methods: PUT" : "204 No Content",
            (_, false) => $"307 Temporary Redirect{Allow(origin)}\r\nLocation: {path}/",
            _ => $"200 OK{Allow(origin)}",
        });
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        var @case = PolicyCases.Generate(policy, server.Resource).Single(c => c.Id == "https-app-example-com/method-put");
        var (preflight, actual) = await NewReplay().RunAsync(@case);
        var blocked = PolicyRunner.Judge(@case, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Seen.Select(r => r.ToString()), Is.EqualTo(new[] { $"OPTIONS /api/items {App}", $"PUT /api/items {App}", $"OPTIONS /api/items/ {App}" }
                .Concat(admits ? [$"PUT /api/items/ {App}"] : Array.Empty<string>())));
            Assert.That(actual.Redirects.Single().NextPreflight?.Status, Is.EqualTo(204));
            Assert.That(blocked.SpecOnAnswers?.Outcome, Is.EqualTo(admits ? Outcome.Allowed : Outcome.Blocked));
            Assert.That(blocked.BrowserDepartsFromStandard, Is.EqualTo(admits));
            if (!admits) Assert.That(actual.Withheld, Does.StartWith($"the server's answer to the preflight at {server.Resource}/ refuses it"));
        }
    }

    /// <summary>A Location the replay cannot follow: the standard's reading is left out, and a refusal the browser kept
    /// there is not judged (nothing showed the block came from CORS).</summary>
    [Test]
    public async Task A_redirect_the_replay_does_not_follow_leaves_the_standard_s_reading_out()
    {
        await using var server = Server((_, _, origin) => $"302 Found{Allow(origin)}\r\nLocation: ftp://files.example/items");
        var refusal = Case(server.Resource, "https-evil-example/simple-get");
        var allowedCase = Case(server.Resource, "https-app-example-com/simple-get");
        var failed = new PageAttempt(false, null, null, "TypeError: Failed to fetch", false);
        var (p1, a1) = await NewReplay().RunAsync(allowedCase);
        var (p2, a2) = await NewReplay().RunAsync(refusal);
        var blocked = PolicyRunner.Judge(allowedCase, failed, null, p1, a1);
        var refused = PolicyRunner.Judge(refusal, failed, null, p2, a2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a1.NotModelled, Does.Contain("a ftp: Location is a network error the suite does not model"));
            Assert.That(blocked.SpecOnAnswers, Is.Null);
            Assert.That(blocked.Passed, Is.False, "the policy promises it allowed");
            Assert.That(blocked.Describe("Chromium 1"), Does.Contain("The Fetch Standard's reading of the server's answers is left out"));
            Assert.That(refused.NotJudged, Does.StartWith("the browser blocked it, as the policy promises, but"), "the redirect admits evil.example and leads where the replay does not follow");
        }
    }

    /// <summary>The browser read another status than the replay got for the same request: the server answered them
    /// differently, and a refusal the browser kept is not shown to come from CORS.</summary>
    [Test]
    public async Task A_browser_that_read_another_status_than_the_replay_is_not_judged_on_the_replay_s_answers()
    {
        await using var server = Server((_, _, origin) => $"200 OK{Allow(origin)}");
        var allowedCase = Case(server.Resource, "https-app-example-com/simple-get");
        var (preflight, actual) = await NewReplay().RunAsync(allowedCase);
        var verdict = PolicyRunner.Judge(allowedCase, new PageAttempt(true, 429, [], null, false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.SpecOnAnswers, Is.Null);
            Assert.That(verdict.AnswersUnread, Does.StartWith("the browser read status 429 where the replay, sending the same GET, got 200"));
        }
    }

    /// <summary>Starlette, allowing `*` with credentials, answers `*` to a request without a Cookie and reflects the Origin
    /// with credentials to one with any: the browser's credentialed request from https://evil.example (no cookie of ours)
    /// was blocked, and "is refused" passed, while every signed-in user's responses were readable from there. A
    /// credentialed refusal's replay carries a cookie, as a signed-in user's request does; an allowed call's does not (it
    /// stands for the browser's own request).</summary>
    [Test]
    public async Task A_credentialed_refusal_is_replayed_as_a_signed_in_user_s_request()
    {
        await using var cookieAware = ScriptedServer.CookieReflecting();
        var replay = NewReplay();
        var refusal = Case(cookieAware.Resource, "https-evil-example/credentialed-get");
        var (preflight, actual) = await replay.RunAsync(refusal);
        var verdict = PolicyRunner.Judge(refusal, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cookieAware.Seen.Select(r => r.Header("Cookie")), Is.EqualTo(new[] { Replay.SignedInCookie }));
            Assert.That(verdict.Passed, Is.False, "a signed-in user's responses are readable from https://evil.example");
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain("but only for a visitor without cookies").And.Contain("-H 'Cookie: " + Replay.SignedInCookie + "'"));
            Assert.That(replay.SendsSignedInCookie(Case(cookieAware.Resource, "https-app-example-com/credentialed-get")), Is.False, "an allowed call's replay stands for the browser's request");
            Assert.That(replay.SendsSignedInCookie(Case(cookieAware.Resource, "https-evil-example/simple-get")), Is.False, "a request without credentials carries no cookie");
        }
    }

    /// <summary>The other side of the same server: an allowed credentialed call, blocked without a cookie (`*` with
    /// credentials), failed saying only that `*` is read literally, though every signed-in user's call works. The failure
    /// says so, from the call sent again with a cookie; a server that blocks it with the cookie too says nothing of it.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task An_allowed_call_blocked_only_without_a_cookie_says_it_works_for_signed_in_users(bool cookieAware)
    {
        await using var server = cookieAware ? ScriptedServer.CookieReflecting() : new ScriptedServer(_ => "200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true");
        var replay = NewReplay();
        var allowed = Case(server.Resource, "https-app-example-com/credentialed-get");
        var (preflight, actual) = await replay.RunAsync(allowed);
        var judged = PolicyRunner.Judge(allowed, new PageAttempt(false, null, null, "TypeError: Failed to fetch", false), null, preflight, actual);
        var verdict = await PolicyRunner.WithSignedInAnswerAsync(judged, replay, Authentication.None, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, "a visitor without cookies is blocked");
            Assert.That(server.Seen.Select(r => r.Header("Cookie")), Is.EqualTo(new[] { null, Replay.SignedInCookie }), "the call, then the call as a signed-in user's");
            Assert.That(verdict.Describe("Chromium 1").Contains("the call works for users with a session", StringComparison.Ordinal), Is.EqualTo(cookieAware));
        }
    }

    /// <summary>A rate limit (429) or a gateway (502–504) answering in place of the API: the browser's call fails, and a
    /// refusal "passed" on an answer that never came from the route. Neither is a CORS verdict.</summary>
    [TestCase(429)]
    [TestCase(503)]
    public async Task A_call_the_server_did_not_handle_is_not_judged(int status)
    {
        await using var server = ScriptedServer.Unhandled(status);
        var failed = new PageAttempt(false, null, null, "TypeError: Failed to fetch", false);
        var refusal = Case(server.Resource, "https-evil-example/credentialed-get");
        var allowed = Case(server.Resource, "https-app-example-com/simple-get");
        var (p1, a1) = await NewReplay().RunAsync(refusal);
        var (p2, a2) = await NewReplay().RunAsync(allowed);
        var refused = PolicyRunner.Judge(refusal, failed, null, p1, a1);
        var blocked = PolicyRunner.Judge(allowed, failed, null, p2, a2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.NotJudged, Does.Contain($"the server answered the request {status}, which says it did not handle it"));
            Assert.That(blocked.NotJudged, Does.Contain("not a CORS verdict"));
            Assert.That((refused.Passed, blocked.Passed), Is.EqualTo((false, false)));
        }
    }
}
