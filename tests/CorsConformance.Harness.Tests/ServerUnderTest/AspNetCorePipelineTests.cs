using CorsConformance.Fixtures;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>An ASP.NET Core team's misordered pipelines (found by the ASP.NET Core review, 2026-12-06), answered by the real
/// middleware in process: a failure names what answered and what to change in ASP.NET Core's words, not only the rule the
/// answer breaks. The verdicts are built on the server's real answers, as the runner builds them, with the browser's
/// block the page saw.</summary>
public sealed class AspNetCorePipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly CorsPolicy Policy = FixturePolicies.Load("aspnetcore") with { MaxAge = 600 };
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    private async Task<RawResponse> SendAsync(Uri resource, string method, params Header[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), resource);
        foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await Replay.SendAsync(_client, request, Timeout, CancellationToken.None);
    }

    /// <summary>The verdict of <paramref name="id"/> against <paramref name="server"/>: the browser blocked it, as a browser
    /// does on these answers (the test holds the oracle to that).</summary>
    private async Task<PolicyVerdict> BlockedAsync(Uri resource, string id)
    {
        var @case = PolicyCases.Generate(Policy, resource).Single(c => c.Id == id);
        var origin = @case.PageOrigin;
        var method = Methods.Normalize(@case.Request.Method);
        var names = RequestHeaders.UnsafeNames(@case.Request.Headers);
        RawResponse? preflight = null;
        if (Oracle.Expect(@case.Model).Preflights > 0)
        {
            List<Header> asked = [new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, method)];
            if (names.Count > 0) asked.Add(new(HeaderNames.AccessControlRequestHeaders, string.Join(",", names).ToLowerInvariant()));
            preflight = await SendAsync(resource, "OPTIONS", [.. asked]);
        }
        var actual = await SendAsync(resource, method, [new(HeaderNames.Origin, origin), .. @case.Request.Headers]);
        var plan = new ServerPlan(preflight is null ? ResponsePlan.Empty : new ResponsePlan(preflight.Status!.Value, preflight.Headers), new ResponsePlan(actual.Status!.Value, actual.Headers));
        var onAnswers = Oracle.Expect(@case.Model with { Server = plan });
        Assert.That(onAnswers.Outcome, Is.EqualTo(Outcome.Blocked), "a browser blocks the call on these answers");
        return new PolicyVerdict(@case, Outcome.Blocked, null, Oracle.Expect(@case.Model), onAnswers, preflight, actual,
            "Access to fetch … has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.", [], []);
    }

    /// <summary>An exception in Production without app.UseExceptionHandler(): Kestrel answers 500 without the headers the CORS
    /// middleware adds as the response starts. The failure said only "the response has no Access-Control-Allow-Origin" with
    /// the 500 below it, which sends the team to the CORS configuration; it says the page cannot read the error, that the
    /// CORS layer admitted the origin where the preflight shows it, and how ASP.NET Core keeps the headers on errors.</summary>
    [TestCase("https-app-example-com/simple-get", false)]
    [TestCase("https-app-example-com/method-put", true)]
    public async Task An_error_answered_without_CORS_headers_says_the_page_cannot_read_the_error(string id, bool preflighted)
    {
        await using var server = await AspNetCorePipelineServer.StartAsync(Policy, AspNetCorePipeline.UnhandledException);
        var verdict = await BlockedAsync(server.Resource, id);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Actual.Status, Is.EqualTo(500));
            Assert.That(text, Does.Contain("The server answered 500 without Access-Control-Allow-Origin: the page at https://app.example.com cannot read this error, "
                + "neither its status nor its body, only a CORS failure"), text);
            Assert.That(text, Does.Contain("app.UseExceptionHandler() keeps them"), text);
            Assert.That(text.Contains("The preflight admitted https://app.example.com (Access-Control-Allow-Origin: https://app.example.com), so the CORS layer allows this origin", StringComparison.Ordinal),
                Is.EqualTo(preflighted), text);
            // A CORS layer that admitted the preflight runs: the 500 is not ASP.NET Core's for a CORS middleware missing.
            Assert.That(text.Contains("when app.UseCors() is missing", StringComparison.Ordinal), Is.EqualTo(!preflighted), text);
        }
    }

    /// <summary>An answer that is no error, or one that carries Access-Control-Allow-Origin, gets no such sentence.</summary>
    [TestCase(200)]
    [TestCase(500)]
    public void An_answer_that_is_not_an_error_without_CORS_headers_gets_no_error_sentence(int status)
    {
        var @case = PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:18599/api/items")).Single(c => c.Id == "https-app-example-com/simple-get");
        Header[] headers = status == 500 ? [new(HeaderNames.AccessControlAllowOrigin, "https://app.example.com/")] : [];
        var onAnswers = Oracle.Expect(@case.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(status, headers)) });
        var verdict = new PolicyVerdict(@case, Outcome.Blocked, null, Oracle.Expect(@case.Model), onAnswers, null,
            new RawResponse(status, headers, null) { Reached = true }, "CORS error", [], []);
        Assert.That(verdict.Describe("Chromium 1"), Does.Not.Contain("cannot read this error"));
    }

    /// <summary>app.UseCors() after app.UseAuthentication() and app.UseAuthorization(): the preflight is answered 401 and a
    /// GET without a session 401, both without CORS headers. The failure said "let the CORS layer answer preflights before
    /// authentication runs"; it names the calls to move.</summary>
    [TestCase("https-app-example-com/method-put", "The preflight was answered 401")]
    [TestCase("https-app-example-com/simple-get", "The server answered 401 without Access-Control-Allow-Origin")]
    public async Task Authentication_before_CORS_names_the_calls_to_reorder(string id, string hint)
    {
        await using var server = await AspNetCorePipelineServer.StartAsync(Policy, AspNetCorePipeline.AuthenticationBeforeCors);
        var text = (await BlockedAsync(server.Resource, id)).Describe("Chromium 1");
        Assert.That(text, Does.Contain(hint).And.Contain("app.UseCors(…) before app.UseAuthentication() and app.UseAuthorization()"), text);
    }

    /// <summary>The other pipelines a team gets wrong, as ASP.NET Core answers them (each seen against a real app): UseCors
    /// after UseEndpoints (routing answers the OPTIONS 405), an endpoint marked [DisableCors] (204 without a CORS header),
    /// and an endpoint given a CORS policy with UseCors missing or before UseRouting (500 to every request).</summary>
    [TestCase(405, "app.UseCors(…) must run before the endpoints do")]
    [TestCase(204, "[DisableCors]")]
    [TestCase(500, "The answer shows ASP.NET Core — Server: Kestrel.) (ASP.NET Core answers 500 to every request, OPTIONS included, of an endpoint given a CORS policy")]
    public void A_preflight_ASP_NET_Core_answers_so_names_the_ASP_NET_Core_cause(int status, string words)
    {
        var text = PreflightRefused(status, [new("Server", "Kestrel")]);
        Assert.That(text, Does.Contain(words), text);
    }

    /// <summary>ASP.NET Core's 500 for an endpoint given a CORS policy without a CORS middleware was named for any server's
    /// 500 (an Express or nginx app read "ASP.NET Core answers 500 to every request…"). Without a sign of ASP.NET Core in
    /// the answer, the advice names no framework.</summary>
    [TestCase("X-Powered-By", "Express")]
    [TestCase("Server", "nginx/1.22.1")]
    public void A_500_from_a_server_that_shows_no_ASP_NET_Core_gets_advice_that_names_none(string name, string value)
    {
        var text = PreflightRefused(500, [new(name, value)]);
        Assert.That(text, Does.Not.Contain("ASP.NET Core").And.Contain("its log says why").And.Contain("rejects its own CORS configuration at request time"), text);
    }

    /// <summary>A Bottle app whose handler raised (fifth review, 2026-12-06): its 500 to a simple GET, and a 500 to the
    /// preflight, read "(The server's its log says why it failed (…).)" — a sentence with two owners, after "Why the server
    /// answered 500 is in its own log" had said so already. Each says once where the cause is, in a sentence that parses.</summary>
    [Test]
    public void A_500_from_a_server_that_shows_no_ASP_NET_Core_says_once_that_its_log_has_the_cause()
    {
        Header[] bottle = [new("Server", "WSGIServer/0.2 CPython/3.11.2")];
        var get = PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:18599/api/items")).Single(c => c.Id == "https-app-example-com/simple-get");
        var onAnswers = Oracle.Expect(get.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(500, bottle)) });
        var error = new PolicyVerdict(get, Outcome.Blocked, null, Oracle.Expect(get.Model), onAnswers, null,
            new RawResponse(500, bottle, null) { Reached = true }, "CORS error", [], []).Describe("Chromium 1");
        var preflight = PreflightRefused(500, bottle);
        using (Assert.EnterMultipleScope())
        {
            foreach (var text in new[] { error, preflight })
            {
                Assert.That(text, Does.Not.Contain("The server's its").And.Not.Contain("ASP.NET Core answers 500"), text);
                Assert.That(System.Text.RegularExpressions.Regex.Count(text, @"\blog\b"), Is.EqualTo(1), text);
                Assert.That(text, Does.Contain("rejects its own CORS configuration at request time"), text);
            }
        }
    }

    /// <summary>A preflight answered 405 by a server that shows no ASP.NET Core (a Bottle app that never routes OPTIONS, a
    /// HAProxy in front of PHP: found by the real-servers review) read only ASP.NET Core's pipeline as the example; it now
    /// names how the usual frameworks mount the CORS layer before routing, ASP.NET Core among them.</summary>
    [Test]
    public void A_405_preflight_from_a_server_that_shows_no_ASP_NET_Core_names_other_frameworks_too()
    {
        var text = PreflightRefused(405, [new("Server", "WSGIServer/0.2 CPython/3.11.2")]);
        Assert.That(text, Does.Contain("Express: app.use(cors(…)) before the routes").And.Contain("go-chi").And.Not.Contain("The answer shows ASP.NET Core"), text);
    }

    private static string PreflightRefused(int status, IReadOnlyList<Header> headers)
    {
        var put = PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:18599/api/items")).Single(c => c.Id == "https-app-example-com/method-put");
        var onAnswers = Oracle.Expect(put.Model with { Server = new ServerPlan(new ResponsePlan(status, headers), new ResponsePlan(200, [])) });
        var verdict = new PolicyVerdict(put, Outcome.Blocked, null, Oracle.Expect(put.Model), onAnswers,
            new RawResponse(status, headers, null) { Reached = true }, new RawResponse(null, [], null) { Withheld = "the server's preflight answer refuses it" }, "CORS error", [], []);
        return verdict.Describe("Chromium 1");
    }

    /// <summary>SetIsOriginAllowed(_ => true) with AllowCredentials(): each forged origin's refusal failed under its own title
    /// — "prefix-match: admitted by a server that matches the allowed origin as a prefix", "unescaped-dot: … whose dot is not
    /// escaped" — eleven failures each blaming a matching bug the server does not have. The failure now shows that an origin
    /// with nothing of the policy's in it is admitted too: the server admits any origin.</summary>
    [TestCase(AspNetCorePipeline.AnyOriginAllowed, true)]
    [TestCase(AspNetCorePipeline.UnhandledException, false)]
    public async Task A_forged_origin_admitted_by_a_server_that_admits_any_says_so(AspNetCorePipeline pipeline, bool admitsAny)
    {
        // A server that admits only the prefix forgery, not any origin, keeps the forgery's own explanation: the unhandled
        // exception pipeline admits none, so it is judged on a stand-in answer that admits the forged origin.
        await using var server = await AspNetCorePipelineServer.StartAsync(Policy, pipeline);
        var @case = PolicyCases.Generate(Policy, server.Resource).Single(c => c.Id == "https-app-example-com/forged-prefix-match/credentialed-get");
        var admitted = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, @case.PageOrigin), new(HeaderNames.AccessControlAllowCredentials, "true")], null) { Reached = true };
        var judged = PolicyRunner.Judge(@case, new PageAttempt(true, 200, [], null, false), null, null, admitted);
        var verdict = await PolicyRunner.WithAnyOriginAnswerAsync(judged, new Replay(_client, Timeout), CancellationToken.None);
        var text = verdict.Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.Passed, Is.False, text);
            Assert.That(PolicyVerdict.ForgeryKind(@case), Is.EqualTo("prefix-match"));
            Assert.That(text.Contains("A GET from https://cors-audit-attacker.test, an origin with nothing of the policy's in it, is answered Access-Control-Allow-Origin: "
                + "https://cors-audit-attacker.test with Access-Control-Allow-Credentials: true: the server admits any origin (it reflects the Origin), so no prefix-match match", StringComparison.Ordinal),
                Is.EqualTo(admitsAny), text);
            if (admitsAny) Assert.That(text, Does.Contain("SetIsOriginAllowed(_ => true)"), text);
        }
    }

    [TestCase("https-app-example-com/forged-any-subdomain-2/simple-get", "any-subdomain")]
    [TestCase("https-app-example-com/forged-unescaped-dot/credentialed-get", "unescaped-dot")]
    [TestCase("https-evil-example/simple-get", null)]
    public void A_forged_origin_s_kind_is_read_from_its_case_id(string id, string? kind)
    {
        var @case = PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:18599/api/items")).Single(c => c.Id == id);
        Assert.That(PolicyVerdict.ForgeryKind(@case), Is.EqualTo(kind));
    }

    /// <summary>UseCors after UseAuthentication: every refused origin's call was answered 401 without a CORS header, as the
    /// allowed origin's was, and all 24 refusals passed — "a credentialed GET from https://app.example.com.cors-audit-attacker.test
    /// … is refused" — on answers that never reached the CORS layer (found by the ASP.NET Core review, 2026-12-06). They are not
    /// judged, saying why; with UseCors first, the allowed origin's 401 carries Access-Control-Allow-Origin and the refusals
    /// are judged as before.</summary>
    [TestCase(AspNetCorePipeline.AuthenticationBeforeCors, true)]
    [TestCase(AspNetCorePipeline.AuthenticationAfterCors, false)]
    public async Task A_refusal_kept_only_by_authentication_in_front_of_CORS_is_not_judged(AspNetCorePipeline pipeline, bool notJudged)
    {
        await using var server = await AspNetCorePipelineServer.StartAsync(Policy, pipeline);
        var cases = PolicyCases.Generate(Policy, server.Resource);
        var replay = new Replay(_client, Timeout);
        var verdicts = new List<PolicyVerdict>();
        foreach (var id in new[] { "https-app-example-com/simple-get", "https-app-example-com/credentialed-get", "https-app-example-com/method-put",
            "https-evil-example/simple-get", "https-app-example-com/forged-prefix-match/credentialed-get", "https-app-example-com/unlisted-method-patch" })
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            // What a browser does on these answers: the oracle's outcome, as the page reports it.
            var plan = new ServerPlan(preflight is { Status: { } ps } ? new ResponsePlan(ps, preflight.Headers) : ResponsePlan.Empty,
                actual.Status is { } s ? new ResponsePlan(s, actual.Headers) : ResponsePlan.Empty);
            var allowed = Oracle.Expect(@case.Model with { Server = plan }).Outcome == Outcome.Allowed;
            verdicts.Add(PolicyRunner.Judge(@case, allowed ? new PageAttempt(true, actual.Status, [], null, false) : new PageAttempt(false, null, null, "TypeError: Failed to fetch", false),
                null, preflight, actual));
        }
        var judged = PolicyRunner.RefusalsBehindAuthentication(verdicts);
        var refusals = judged.Where(v => v.Promised.Outcome == Outcome.Blocked).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusals, Has.Count.EqualTo(3));
            foreach (var refusal in refusals)
            {
                var text = refusal.Describe("Chromium 1");
                if (notJudged)
                {
                    Assert.That(refusal.NotJudged, Does.Contain("an authentication layer answers before the CORS layer, so the block shows nothing of how the CORS layer treats"), text);
                    Assert.That(refusal.NotJudged, Does.Contain("app.UseCors(…) before app.UseAuthentication()"), text);
                }
                else
                {
                    Assert.That(refusal.NotJudged, Is.Null, text);
                    Assert.That(refusal.Passed, Is.True, text);
                }
            }
            Assert.That(judged.Where(v => v.Promised.Outcome == Outcome.Allowed).Select(v => v.NotJudged), Has.All.Null, "allowed calls are judged either way");
        }
    }

    /// <summary>UseCors after UseEndpoints: the GET is answered 200 without a single CORS header, and the failure said only
    /// "the response has no Access-Control-Allow-Origin". It says the CORS layer refused the origin or never ran, in ASP.NET
    /// Core's words; an answer carrying some CORS header (another origin named) gets no such sentence.</summary>
    [Test]
    public async Task An_ok_answer_without_any_CORS_header_says_the_CORS_layer_did_not_admit_or_did_not_run()
    {
        await using var server = await AspNetCorePipelineServer.StartAsync(Policy, AspNetCorePipeline.CorsAfterEndpoints);
        var text = (await BlockedAsync(server.Resource, "https-app-example-com/simple-get")).Describe("Chromium 1");
        Assert.That(text, Does.Contain("The server answered 200 without a single Access-Control- header: its CORS layer refused https://app.example.com, or never ran for this URL")
            .And.Contain("app.UseCors(…) called after app.UseEndpoints(…)"), text);

        var @case = PolicyCases.Generate(Policy, server.Resource).Single(c => c.Id == "https-app-example-com/simple-get");
        Header[] other = [new(HeaderNames.AccessControlAllowOrigin, "https://other.example")];
        var onAnswers = Oracle.Expect(@case.Model with { Server = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, other)) });
        var verdict = new PolicyVerdict(@case, Outcome.Blocked, null, Oracle.Expect(@case.Model), onAnswers, null, new RawResponse(200, other, null) { Reached = true }, "CORS error", [], []);
        Assert.That(verdict.Describe("Chromium 1"), Does.Not.Contain("without a single Access-Control- header"));
    }

    /// <summary>A policy naming an origin the app's WithOrigins lacks: its calls are answered 200 without a CORS header, and the
    /// failure named only a CORS layer that never ran ("[DisableCors]; UseCors after UseEndpoints"), though the run saw the
    /// same URL admit the policy's other origin. With that seen, it says the CORS layer runs and refuses this origin.</summary>
    [Test]
    public async Task An_allowed_origin_the_server_lacks_is_told_apart_from_a_CORS_layer_that_never_runs()
    {
        var promised = Policy with { AllowedOrigins = [.. Policy.AllowedOrigins, new OriginRule("https://admin.example.net")] };
        await using var server = await AspNetCoreCorsServer.StartAsync(Policy);
        var cases = PolicyCases.Generate(promised, server.Resource);
        var replay = new Replay(_client, Timeout);
        var verdicts = new List<PolicyVerdict>();
        foreach (var id in new[] { "https-app-example-com/simple-get", "https-admin-example-net/simple-get", "https-admin-example-net/method-put" })
        {
            var @case = cases.Single(c => c.Id == id);
            var (preflight, actual) = await replay.RunAsync(@case);
            var admitted = actual.Headers.Get(HeaderNames.AccessControlAllowOrigin) == @case.PageOrigin;
            verdicts.Add(PolicyRunner.Judge(@case, admitted ? new PageAttempt(true, actual.Status, [], null, false) : new PageAttempt(false, null, null, "TypeError: Failed to fetch", false),
                null, preflight, actual));
        }
        var judged = PolicyRunner.WithOriginAdmittedElsewhere(verdicts);
        var text = judged[1].Describe("Chromium 1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged[0].Browser, Is.EqualTo(Outcome.Allowed), "the policy's first origin is admitted");
            Assert.That(judged[0].AdmittedElsewhere, Is.Null);
            Assert.That(text, Does.Contain("but admitted https://app.example.com on the same URL").And.Contain("its CORS layer runs here and refuses https://admin.example.net"), text);
            Assert.That(text, Does.Not.Contain("[DisableCors]"), text);
            // ASP.NET Core answers the preflight from an origin it lacks 204 without a CORS header: the same, not "something other
            // than the CORS layer answered the OPTIONS".
            var put = judged[2].Describe("Chromium 1");
            Assert.That(put, Does.Contain("The preflight was answered 204 without a single Access-Control- header, but admitted https://app.example.com"), put);
            Assert.That(put, Does.Not.Contain("something other than the CORS layer"), put);
        }
    }
}
