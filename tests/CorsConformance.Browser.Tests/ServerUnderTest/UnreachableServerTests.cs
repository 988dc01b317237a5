using System.Diagnostics;
using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// A server under test that is down or hangs: the run checks it once first, so every case fails at once with that reason
/// (a harness error, never a CORS verdict and never clean), and a hung server costs one timeout, not one per case.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class UnreachableServerTests(Engine engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task A_down_server_fails_every_case_at_once_with_the_reason()
    {
        var cases = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), new Uri("http://127.0.0.1:9/api/items"));
        var verdicts = await RunAsync(cases);
        Assert.That(verdicts.Select(v => (v.IsHarnessError, v.Actual.Failure?.Contains("not reached before any case ran", StringComparison.Ordinal))),
            Has.All.EqualTo((true, (bool?)true)));
    }

    [Test]
    public async Task A_hung_server_costs_one_timeout_for_all_its_cases()
    {
        await using var silent = new SilentServer();
        var cases = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), silent.Resource);
        var clock = Stopwatch.StartNew();
        var started = Stopwatch.GetTimestamp();
        var run = await RunEngineAsync(cases);
        var verdicts = run.Verdicts;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Has.Count.EqualTo(cases.Count).And.All.Matches<PolicyVerdict>(v => v!.IsHarnessError));
            // One timeout for the check, and the browser's launch: not one timeout per case.
            Assert.That(clock.Elapsed, Is.LessThan(Timeout * 2 + TimeSpan.FromSeconds(20)), $"{cases.Count} cases");
            // The check waits its timeout while the browser launches, not after the launch (the two waits added up): the
            // server heard from the run before a launch's time had passed (a browser the pool had launched already reports
            // that launch's time, and the check is then the first thing the run does either way).
            Assert.That(silent.FirstConnection is { } at ? Stopwatch.GetElapsedTime(started, at) : (TimeSpan?)null,
                Is.Not.Null.And.LessThan(run.LaunchTime), $"the check reached the server only after the browser's launch ({run.LaunchTime.TotalSeconds:0.00} s)");
        }
    }

    /// <summary>A mistyped route (`/api/itemz`) on falcon's CORSMiddleware, which dresses the framework's 404 with its CORS
    /// headers: the protocol checks said "not checked: the URL answers 404", but the browser cases passed "a simple GET from
    /// https://app.example.com is allowed" on the error page and failed every preflighted call as a server without an
    /// OPTIONS route. A route that answers a GET it allows 404 or 410 has its cases not judged, saying why.</summary>
    [TestCase(404)]
    [TestCase(410)]
    public async Task A_route_that_is_not_there_has_its_cases_not_judged(int status)
    {
        await using var notThere = new ScriptedServer(r => r.Header("Origin") is { } origin
            ? $"{status} Not Here\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin"
            : $"{status} Not Here");
        var cases = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), notThere.Resource);
        var verdicts = await RunAsync(cases);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts.Where(v => v.Passed).Select(v => v.Case.Title), Is.Empty, "nothing passes on an error page");
            Assert.That(verdicts.Where(v => !v.Passed && v.NotJudged is null).Select(v => v.Case.Title), Is.Empty, "nor fails on one");
            Assert.That(verdicts.Select(v => v.NotJudged), Has.All.StartWith($"the URL answers {status} to a GET its route allows: the resource is not there"));
        }
    }

    /// <summary>A server that answers every request but OPTIONS, which it leaves hanging (a proxy that drops them, a handler
    /// that never ends): each preflighted call waited the page's timeout and then the replay's — 81 cases took 15 min with a
    /// 10 s timeout. After two preflights to the URL went unanswered in a row, its other preflighted calls are not run: each
    /// a harness error naming the two, never a verdict; the calls without a preflight are judged as before.</summary>
    [Test]
    public async Task A_server_hanging_only_on_options_costs_two_preflight_timeouts_not_one_per_call()
    {
        // Page origins over http: WebKitGTK blocks an https page's calls to this plain-HTTP loopback server (mixed content),
        // and it is the engine whose fetch, aborted while its preflight got no answer, never settled (the page's batch then
        // never ended: the run hung for good; matrix.js now settles it a little after the abort).
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["http://app.example.com"], "allowedMethods": ["GET", "POST", "PUT", "DELETE"], "allowedHeaders": ["Content-Type", "X-Request-Id"], "exposedHeaders": ["X-Total-Count"], "allowCredentials": true }""", "hanging-options.json");
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS" ? null
            : r.Header("Origin") is { } origin && policy.IsOriginAllowed(origin)
                ? $"200 OK\r\nAccess-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Expose-Headers: X-Total-Count\r\nX-Total-Count: 3\r\nVary: Origin"
                : "200 OK\r\nVary: Origin");
        var cases = PolicyCases.Generate(policy, server.Resource);
        static bool Preflighted(PolicyCase c) => !Methods.IsCorsSafelisted(Methods.Normalize(c.Request.Method)) || RequestHeaders.UnsafeNames(c.Request.Headers).Count > 0;
        const int HungBeforeSkipping = 2;
        var preflighted = cases.Count(Preflighted);
        var clock = Stopwatch.StartNew();
        var verdicts = await RunAsync(cases);
        var notRun = verdicts.Where(v => v.IsHarnessError && v.Actual.Failure?.StartsWith("not run: the server left the preflights of 2 earlier calls", StringComparison.Ordinal) == true).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(preflighted, Is.GreaterThan(HungBeforeSkipping + 2), "the policy has preflighted calls to skip");
            Assert.That(notRun, Has.Count.EqualTo(preflighted - HungBeforeSkipping), () => string.Join("\n", verdicts.Select(v => $"{v.Case.Title}: {v.Actual.Failure}")));
            Assert.That(verdicts.Where(v => Preflighted(v.Case)), Has.All.Matches<PolicyVerdict>(v => v!.IsHarnessError || v.NotJudged is not null));
            Assert.That(verdicts.Where(v => !Preflighted(v.Case) && v.Passed), Is.Not.Empty, "the calls without a preflight are judged");
            // Two preflighted calls' page and replay timeouts, the launch and the other calls: not one per preflighted call.
            Assert.That(clock.Elapsed, Is.LessThan(Timeout * 3 * (HungBeforeSkipping + 2) + TimeSpan.FromSeconds(30)), $"{preflighted} preflighted calls");
        }
    }

    private async Task<IReadOnlyList<PolicyVerdict>> RunAsync(IReadOnlyList<PolicyCase> cases) => (await RunEngineAsync(cases)).Verdicts;

    private async Task<PolicyEngineRun> RunEngineAsync(IReadOnlyList<PolicyCase> cases)
    {
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, Timeout, EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        return run;
    }
}
