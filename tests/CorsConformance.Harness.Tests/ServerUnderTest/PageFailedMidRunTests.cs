using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Harness.Tests.Running;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A server under test's run whose browser page fails while a call runs (its renderer crashed or was killed, or it
/// hung past its budget): the page's exception ended the run, every case unjudged. That call is a harness error saying so,
/// the run goes on in a fresh page, and a page that keeps failing leaves the rest not run, saying why — never a verdict.</summary>
public sealed class PageFailedMidRunTests : ReferenceServersFixture
{
    private const string Crash = "the runner page failed: its renderer crashed or was killed (stand-in)";

    /// <remarks>A call whose page failed once is made again, alone, in a fresh page, as the catalog's runs make a failed
    /// batch's cases again: judged there (one crash), or a harness error naming both failures (a page that always crashes:
    /// two calls fail twice each, the four failures the run allows).</remarks>
    [TestCase(1, 0)]
    [TestCase(2, 1)]
    [TestCase(100, 2)]
    public async Task The_call_whose_page_failed_is_a_harness_error_and_the_others_are_judged_in_a_fresh_page(int crashes, int expectedFailed)
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? $"204 No Content\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Methods: GET, PUT\r\nVary: Origin"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        var cases = PolicyCases.Generate(policy, server.Resource);
        // The first call is the mixed-content probe (an https page calling plain-HTTP loopback); from the second on, the page
        // crashes on each call until it has crashed `crashes` times.
        var driver = new CrashingDriver(call => call >= 2 && call < 2 + crashes);
        var verdicts = await PolicyRunner.RunAsync(driver, Servers, cases, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3)))
            .WaitAsync(TimeSpan.FromSeconds(60));
        var failed = verdicts.Where(v => v.Actual.Failure?.Contains("the browser's page failed while the call ran") == true).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Has.Count.EqualTo(cases.Count));
            Assert.That(failed, Has.Count.EqualTo(expectedFailed), () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
            Assert.That(failed.Select(v => v.IsHarnessError), Has.All.True, "a failed page is never a verdict");
            Assert.That(failed.Select(v => v.Actual.Failure), Has.All.Contain(Crash).And.All.Contain("made again in a fresh page, it failed again"));
            if (crashes < 100)
            {
                // The stand-in page allows every call, so the forged origins' calls fail: judged, either way.
                Assert.That(verdicts.Except(failed).Select(v => v.Actual.Failure ?? ""), Has.None.Contain("page failed"), "the other calls ran in a fresh page");
                Assert.That(verdicts.Except(failed).Select(v => v.IsHarnessError), Has.All.False, "the other calls were judged");
                Assert.That(driver.Opened, Is.EqualTo(1 + crashes));
            }
            else
            {
                // Given up after the replacements: the rest are not run, saying why.
                var notRun = verdicts.Where(v => v.Actual.Failure?.StartsWith("not run: the browser's page failed 4 time(s)", StringComparison.Ordinal) == true).ToList();
                // The second call's second failure is the fourth: it is given up with the rest, not made again.
                Assert.That(notRun, Has.Count.EqualTo(cases.Count - expectedFailed), () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
                Assert.That(notRun.Select(v => v.IsHarnessError), Has.All.True);
                Assert.That(driver.Opened, Is.EqualTo(1 + ReplaceablePage.MaxReplacements));
            }
        }
    }

    /// <summary>The page fails during the mixed-content probe an https page makes before its calls to plain-HTTP loopback:
    /// the probe is made once more in a fresh page, and that origin's calls run there. Failing again, that origin's calls
    /// are not run, naming both failures, and the other origins' run in a fresh page.</summary>
    [TestCase(1, TestName = "{m}(once)")]
    [TestCase(2, TestName = "{m}(twice)")]
    public async Task A_page_failing_in_its_probe_is_replaced_and_failing_again_leaves_its_origin_s_calls_not_run(int crashes)
    {
        await using var server = new ScriptedServer(r => $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json");
        var cases = PolicyCases.Generate(policy, server.Resource);
        var driver = new CrashingDriver(call => call <= crashes);
        var verdicts = await PolicyRunner.RunAsync(driver, Servers, cases, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3)))
            .WaitAsync(TimeSpan.FromSeconds(60));
        // The first origin's page, where the null-origin calls run too (in its sandboxed frame).
        var first = cases[0].PageOrigin;
        bool InFirst(PolicyVerdict v) => v.Case.PageOrigin == first || v.Case.PageOrigin == "null";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts.Where(v => !InFirst(v)).Select(v => v.Actual.Failure ?? ""), Has.None.Contain("page"), "the other origins ran in a fresh page");
            Assert.That(verdicts.Where(v => !InFirst(v)), Is.Not.Empty);
            if (crashes == 1)
            {
                Assert.That(verdicts.Select(v => v.IsHarnessError), Has.All.False, "the probe made again in a fresh page, every call was made");
                Assert.That(driver.Opened, Is.EqualTo(2));
            }
            else
            {
                Assert.That(verdicts.Where(InFirst).Select(v => v.Actual.Failure),
                    Has.All.StartWith($"not run: the browser's page at {first} failed before its calls (").And.All.Contain(Crash).And.All.Contain("in a fresh page, it failed again"));
            }
        }
    }

    /// <summary>A browser whose every page fails (its process killed): the run gives its pages up, and the calls it never made
    /// are made once more in a browser launched afresh — judged there, or, where that browser cannot launch or fails too,
    /// harness errors saying both. A call whose page failed while it ran stays a harness error either way.</summary>
    [TestCase("launches", TestName = "{m}(a browser that launches again)")]
    [TestCase("fails again", TestName = "{m}(a browser whose pages fail again)")]
    [TestCase("cannot launch", TestName = "{m}(a browser that cannot launch)")]
    public async Task Calls_a_browser_that_died_never_made_are_made_in_one_launched_again(string relaunched)
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? $"204 No Content\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Methods: GET, PUT\r\nVary: Origin"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        var cases = PolicyCases.Generate(policy, server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3));
        // The mixed-content probe and the first call are made; from the third call on, every page of the browser fails (the
        // second and third calls fail twice each: alone, then again in a fresh page).
        var dead = new CrashingDriver(call => call > 2);
        var first = await PolicyRunner.RunCallsAsync(dead, Servers, cases, replay, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var again = new CrashingDriver(_ => relaunched == "fails again");
        var (verdicts, said) = await PolicyRunner.RunLostAgainAsync(first, Servers, replay,
            () => Task.FromResult(relaunched == "cannot launch" ? new LaunchResult(null, "stand-in: no executable") : new LaunchResult(again, null)),
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        string Failures() => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.PagesGone, Does.StartWith("not run: the browser's page failed"));
            Assert.That(first.NotRun, Has.Count.EqualTo(cases.Count - 1 - 2), "made: one; failed while they ran, twice each: the next two");
            Assert.That(verdicts, Has.Count.EqualTo(cases.Count));
            var crashedWhileRunning = Enumerable.Range(0, cases.Count).Where(i => !first.NotRun.Contains(i) && first.Verdicts[i].IsHarnessError).ToList();
            Assert.That(crashedWhileRunning.Select(i => verdicts[i]), Is.EqualTo(crashedWhileRunning.Select(i => first.Verdicts[i])), "a call whose page failed as it ran is not made again");
            var notRun = first.NotRun.Select(i => verdicts[i]).ToList();
            switch (relaunched)
            {
                case "launches":
                    Assert.That(notRun.Select(v => v.IsHarnessError), Has.All.False, Failures);
                    Assert.That(again.Opened, Is.GreaterThanOrEqualTo(1));
                    Assert.That(said.Single(), Does.Contain($"with {first.NotRun.Count} call(s) not made").And.EndWith($"launched again, it made {first.NotRun.Count} of them"));
                    break;
                case "fails again":
                    Assert.That(notRun.Select(v => v.IsHarnessError), Has.All.True, "never a verdict");
                    // Launched again, its pages fail at once (in the mixed-content probe before each origin's calls): no call is made.
                    Assert.That(notRun.Select(v => v.Actual.Failure), Has.All.StartWith("not run: the browser's page").And.All.Contain("launched again, the browser failed once more before making it"), Failures);
                    Assert.That(said.Single(), Does.Contain("launched again, it made 0 of them, and its pages failed again"));
                    break;
                default:
                    Assert.That(notRun.Select(v => v.IsHarnessError), Has.All.True, "never a verdict");
                    Assert.That(notRun.Select(v => v.Actual.Failure), Has.All.Contain("the browser could not be launched again to make them: stand-in: no executable"), Failures);
                    Assert.That(said.Single(), Does.Contain("could not be launched again"));
                    break;
            }
        }
    }

    /// <summary>A browser that dies with its page (no page opens after it): the call that was running says nothing of the
    /// server either, so it is made again with the calls not made, and the whole run is judged in the browser launched again.</summary>
    [Test]
    public async Task The_call_a_dying_browser_was_making_is_made_again_with_the_others()
    {
        await using var server = new ScriptedServer(r => $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var cases = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json"), server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3));
        var first = await PolicyRunner.RunCallsAsync(new CrashingDriver(call => call == 3, diesWithItsPage: true), Servers, cases, replay, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        var (verdicts, said) = await PolicyRunner.RunLostAgainAsync(first, Servers, replay, () => Task.FromResult(new LaunchResult(new CrashingDriver(_ => false), null)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.PagesGone, Does.StartWith("not run: the browser's page failed while '").And.Contain("and a fresh page would not open (ProtocolException: the browser's connection is gone (stand-in))"));
            Assert.That(first.NotRun, Is.EquivalentTo(Enumerable.Range(0, cases.Count).Where(i => first.Verdicts[i].IsHarnessError)),
                "every call it did not judge, the one it was making too, is made again");
            Assert.That(first.NotRun, Has.Count.LessThan(cases.Count), "the calls before it died were judged");
            Assert.That(first.Verdicts.Count(v => v.Actual.Failure?.StartsWith("the browser's page failed while the call ran", StringComparison.Ordinal) == true), Is.EqualTo(1));
            Assert.That(verdicts.Select(v => v.IsHarnessError), Has.All.False, () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
            Assert.That(said.Single(), Does.EndWith($"launched again, it made {first.NotRun.Count} of them"));
        }
    }

    /// <summary>A page whose renderer crashed, or whose browser died, as it moved to the next origin: the browser did not
    /// refuse a page at that origin, so its calls are never skipped as not judged ("would not open the suite's page at …").
    /// A crash gets a fresh page there; a browser gone leaves that origin's calls and the rest to a browser launched again.</summary>
    [TestCase(false, TestName = "{m}(a renderer that crashed)")]
    [TestCase(true, TestName = "{m}(a browser that died)")]
    public async Task A_page_failing_as_it_moves_is_no_refusal_of_the_origin(bool browserDied)
    {
        await using var server = new ScriptedServer(r => $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var cases = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json"), server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3));
        Exception failure = browserDied
            ? new ProtocolException("the browser closed its connection (stand-in)") { ConnectionGone = true }
            : new RunnerPageException("the runner page failed: Inspector.targetCrashed (stand-in)") { Crashed = true };
        var driver = new CrashingDriver(_ => false, moveFails: move => move == 2 ? failure : null);
        var first = await PolicyRunner.RunCallsAsync(driver, Servers, cases, replay, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var (verdicts, said) = await PolicyRunner.RunLostAgainAsync(first, Servers, replay, () => Task.FromResult(new LaunchResult(new CrashingDriver(_ => false), null)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Verdicts.Select(v => v.NotJudged ?? ""), Has.None.Contain("would not open"), "a failed page is no refusal of the origin");
            Assert.That(verdicts.Select(v => v.IsHarnessError), Has.All.False, () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
            if (browserDied)
            {
                Assert.That(first.PagesGone, Does.StartWith("not run: the browser failed as it opened its page at ").And.Contain("the browser closed its connection (stand-in)"));
                Assert.That(said.Single(), Does.EndWith($"launched again, it made {first.NotRun.Count} of them"));
            }
            else
            {
                Assert.That(first.PagesGone, Is.Null);
                Assert.That(said, Is.Empty);
                Assert.That(driver.Opened, Is.EqualTo(2), "a fresh page at the origin the move failed for");
            }
        }
    }

    /// <summary>A run whose pages held is not launched again.</summary>
    [Test]
    public async Task A_run_whose_pages_held_launches_nothing_again()
    {
        await using var server = new ScriptedServer(r => $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var cases = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json"), server.Resource);
        var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3));
        // One page failure, then a fresh page that holds: the failed call is a harness error, nothing else.
        var first = await PolicyRunner.RunCallsAsync(new CrashingDriver(call => call == 2), Servers, cases, replay, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var launched = false;
        var (verdicts, said) = await PolicyRunner.RunLostAgainAsync(first, Servers, replay, () => { launched = true; return Task.FromResult(new LaunchResult(null, "unused")); }, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.PagesGone, Is.Null);
            Assert.That(first.NotRun, Is.Empty);
            Assert.That(launched, Is.False);
            Assert.That(said, Is.Empty);
            Assert.That(verdicts, Is.EqualTo(first.Verdicts));
        }
    }

    /// <summary>Pages that answer every call as a browser allowing it (status 200, nothing readable beyond the safelist), or
    /// fail as a crashed renderer does where <c>crashes</c> says so for the driver's call count.</summary>
    private sealed class CrashingDriver(Func<int, bool> crashes, bool diesWithItsPage = false, Func<int, Exception?>? moveFails = null) : IBrowserDriver, IBrowserScope
    {
        private int _moves;
        private int _calls;
        private int _opened;
        private bool _dead;

        /// <summary>A move's failure; a connection gone leaves the browser dead.</summary>
        private Exception Dead(Exception failed)
        {
            if (failed is ProtocolException { ConnectionGone: true }) _dead = true;
            return failed;
        }

        /// <summary>Whether this call crashes its page; a browser that dies with its page opens none after it.</summary>
        private bool CrashesNow()
        {
            var crash = crashes(Interlocked.Increment(ref _calls));
            if (crash && diesWithItsPage) _dead = true;
            return crash;
        }

        public int Opened => _opened;

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        /// <summary>A build of its own: MixedContentProbe remembers a build's answer for the process, so a driver of another test
        /// that probed first (run side by side) left this one's run without its probe, and "the first call is the probe" false.</summary>
        public string Version { get; } = "stand-in " + Guid.NewGuid().ToString("N")[..8];

        public string Driver => "a stand-in whose page crashes";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => Task.FromResult<IBrowserScope>(this);

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            if (_dead) throw new ProtocolException("the browser's connection is gone (stand-in)");
            Interlocked.Increment(ref _opened);
            return Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, batch => CrashesNow() ? StandInPage.Crashed(Crash) : StandInPage.Read(batch), DisposeAsync,
                _ => moveFails?.Invoke(Interlocked.Increment(ref _moves)) is { } failed ? Dead(failed) : null));
        }

        /// <summary>A page or scope of a dead browser throws as it is closed, as the drivers do once the connection is gone.</summary>
        public ValueTask DisposeAsync() => _dead ? ValueTask.FromException(new ProtocolException("the browser's connection is gone (stand-in)")) : ValueTask.CompletedTask;
    }
}
