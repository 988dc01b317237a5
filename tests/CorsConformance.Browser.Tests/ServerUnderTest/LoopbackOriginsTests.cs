using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.NUnit;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// Policies that allow development origins — `http://localhost:5173`, `http://127.0.0.1:3000`, `http://[::1]:8080`, as
/// teams keep beside the production one. Chromium maps them to the suite's pages like any host (host-resolver rules);
/// Firefox's host proxy is asked for loopback too, but only for the host:port pairs the run maps (a proxy auto-config
/// script), so a server under test on loopback is still reached directly. Firefox judged none of them before (its proxy
/// was never used for loopback: NS_ERROR_CONNECTION_REFUSED on the machine's own port 5173). WebKitGTK's proxy comes from
/// environment variables whose no_proxy exempted all of loopback: it judged none of them either; now only the loopback
/// names no page needs are exempt. An engine that still will not open such a page (Playwright's WebKit, not run here)
/// leaves that origin's cases not judged, naming the origin and why; the other origins' cases run as usual.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class LoopbackOriginsTests(Engine engine)
{
    private static readonly string[] Loopback = ["http://127.0.0.1:3000", "http://[::1]:8080", "http://localhost:5173"];

    /// <summary>The engines whose pages can have a loopback origin the policy names.</summary>
    private bool MapsLoopback => engine is Engine.Chromium or Engine.Firefox or Engine.WebkitGtk;

    [Test]
    public async Task A_loopback_origin_in_a_policy_is_judged_on_the_servers_real_answers_and_the_others_run()
    {
        // The policy promises http://localhost:5173, but the server leaves it out: its cases must fail on the server's real
        // answers (a page at that origin made the calls and was refused), while the other loopback origins' pass.
        var policy = CorsPolicies.Allow([.. Loopback, "https://app.example.com"], methods: ["GET", "PUT"], credentials: true);
        var served = CorsPolicies.Allow(["http://127.0.0.1:3000", "http://[::1]:8080", "https://app.example.com"], methods: ["GET", "PUT"], credentials: true);
        await using var server = await AspNetCoreCorsServer.StartAsync(served);
        var cases = PolicyCases.Generate(policy, server.Resource);
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, TimeSpan.FromSeconds(3), EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        var kept = run.Verdicts.Where(v => v.Case.PageOrigin is "http://127.0.0.1:3000" or "http://[::1]:8080").ToList();
        var dropped = run.Verdicts.Where(v => v.Case.PageOrigin == "http://localhost:5173").ToList();
        var others = run.Verdicts.Where(v => v.Case.PageOrigin == "https://app.example.com").ToList();
        TestContext.Out.WriteLine($"{run.Description}: {run.Verdicts.Count} cases, {run.Verdicts.Count(v => v.NotJudged is null)} judged, {run.Verdicts.Count(v => v.Passed)} as promised; "
            + $"{kept.Count} from 127.0.0.1:3000 and [::1]:8080, {dropped.Count} from localhost:5173 ({dropped.Count(v => !v.Passed && v.NotJudged is null)} failing on the server's refusal)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kept, Has.Count.GreaterThan(0));
            Assert.That(dropped, Has.Count.GreaterThan(0));
            Assert.That(kept.Where(v => !v.Passed && v.NotJudged is null).Select(v => v.Describe(run.Description!)), Is.Empty);
            // Every call the policy promises allowed from http://localhost:5173 fails on the server's refusal; its refusals
            // (a method or header outside the policy) are kept by the server and may pass.
            var promisedAllowed = dropped.Where(v => v.Promised.Outcome == Specs.Verdicts.Outcome.Allowed).ToList();
            Assert.That(promisedAllowed, Has.Count.GreaterThan(0));
            Assert.That(promisedAllowed.Where(v => v.Passed).Select(v => v.Case.Title), Is.Empty, "the server refuses http://localhost:5173: no call from it may pass as allowed");
            if (MapsLoopback)
            {
                // Every case is judged, the forged loopback origins' too (http://localhost:5174, http://cors-audit-probe.localhost:5173,
                // http://127.0.0.1:3001, http://[::1]:8081), and the refusals pass: the server refuses each. (WebKitGTK blocks an
                // https page's calls to this plain-HTTP loopback server as mixed content: those, and only those, are not judged.)
                Assert.That(run.Verdicts.Where(v => v.NotJudged is { } why && !why.Contains(Harness.Running.MixedContentProbe.Blocked, StringComparison.Ordinal))
                    .Select(v => $"{v.Case.Title}: {v.NotJudged}"), Is.Empty);
                Assert.That(run.Verdicts.Where(v => v.Case.PageOrigin.StartsWith("http://", StringComparison.Ordinal) && v.NotJudged is not null).Select(v => v.Case.Title), Is.Empty);
                Assert.That(run.Verdicts.Where(v => v.Case.PageOrigin is "http://localhost:5174" or "http://cors-audit-probe.localhost:5173" or "http://127.0.0.1:3001" or "http://[::1]:8081")
                    .Select(v => v.Case.PageOrigin).Distinct().ToList(), Has.Count.EqualTo(4));
                Assert.That(run.Verdicts.Where(v => v.Case.Title.Contains("forged from", StringComparison.Ordinal) && v.NotJudged is null && !v.Passed).Select(v => v.Describe(run.Description!)), Is.Empty);
                // Failed as CORS refusals on the server's answers (no Access-Control-Allow-Origin for that origin), not as
                // harness errors.
                Assert.That(dropped.Where(v => v.IsHarnessError).Select(v => v.Case.Title), Is.Empty);
                Assert.That(promisedAllowed.Where(v => v.Browser != Specs.Verdicts.Outcome.Blocked).Select(v => v.Case.Title), Is.Empty);
            }
            else
            {
                Assert.That(kept.Concat(dropped).Where(v => v.NotJudged is not null), Has.All.Matches<PolicyVerdict>(v => v is not null
                    && v.NotJudged!.Contains($"would not open the suite's page at {v.Case.PageOrigin}", StringComparison.Ordinal)
                    && v.NotJudged!.Contains("directly, never through the suite's host mapping", StringComparison.Ordinal)));
            }
            // The ASP.NET Core middleware keeps the policy: the production origin's cases all pass, in every engine that opens its page.
            if (engine is not (Engine.WebkitGtk or Engine.Webkit)) Assert.That(others.Where(v => !v.Passed).Select(v => v.Describe(run.Description!)), Is.Empty);
            Assert.That(others, Has.Count.GreaterThan(0));
        }
    }

    /// <summary>
    /// A policy allowing http://127.0.0.1:(P-1) forges http://127.0.0.1:P (`other-port`), the server under test's own host and
    /// port: a page mapped there took the server's place in the browser (Chromium's host-resolver rule; Firefox's host proxy
    /// now that it maps loopback), so every call reached the suite's own page server and was judged on its answers. That
    /// origin's cases are not judged, saying why, and the server is reached as usual by every other case.
    /// </summary>
    [Test]
    public async Task A_page_origin_on_the_servers_own_host_and_port_is_not_judged_and_leaves_the_server_reachable()
    {
        // The server admits any origin without credentials (its port is known only once it listens); the trusted origin's
        // cases then pass only if their calls reach it.
        await using var server = await AspNetCoreCorsServer.StartAsync(CorsPolicies.Allow(["*"], methods: ["GET", "PUT"]));
        var port = server.Resource.Port;
        var trusted = $"http://127.0.0.1:{port - 1}";
        var own = $"http://127.0.0.1:{port}";
        var cases = PolicyCases.Generate(CorsPolicies.Allow([trusted], methods: ["GET", "PUT"]), server.Resource);
        Assert.That(cases.Select(c => c.PageOrigin), Does.Contain(own), "the other-port forgery is the server's own origin");
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, TimeSpan.FromSeconds(3), EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        var clashing = run.Verdicts.Where(v => v.Case.PageOrigin == own).ToList();
        var fromTrusted = run.Verdicts.Where(v => v.Case.PageOrigin == trusted).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clashing, Has.Count.GreaterThan(0));
            Assert.That(clashing.Where(v => v.NotJudged is not { } why || !why.Contains($"{own} is the server under test's own host and port", StringComparison.Ordinal))
                .Select(v => $"{v.Case.Title}: {v.NotJudged ?? v.Describe(run.Description!)}"), Is.Empty);
            Assert.That(fromTrusted, Has.Count.GreaterThan(0));
            if (MapsLoopback) Assert.That(fromTrusted.Where(v => !v.Passed).Select(v => v.Describe(run.Description!)), Is.Empty);
            Assert.That(run.Verdicts.Where(v => v.IsHarnessError).Select(v => v.Describe(run.Description!)), Is.Empty);
        }
    }
}
