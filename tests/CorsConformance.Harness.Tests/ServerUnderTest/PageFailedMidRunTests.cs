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

    [TestCase(1, 1)]
    [TestCase(100, 4)]
    public async Task The_call_whose_page_failed_is_a_harness_error_and_the_others_are_judged_in_a_fresh_page(int crashes, int expectedFailed)
    {
        await using var server = new ScriptedServer(r => r.Method == "OPTIONS"
            ? $"204 No Content\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nAccess-Control-Allow-Methods: GET, PUT\r\nVary: Origin"
            : $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        var cases = PolicyCases.Generate(policy, server.Resource);
        // From the second call on, the page crashes on each call until it has crashed `crashes` times.
        var driver = new CrashingDriver(call => call >= 2 && call < 2 + crashes);
        var verdicts = await PolicyRunner.RunAsync(driver, Servers, cases, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3)))
            .WaitAsync(TimeSpan.FromSeconds(60));
        var failed = verdicts.Where(v => v.Actual.Failure?.Contains("the browser's page failed while the call ran") == true).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Has.Count.EqualTo(cases.Count));
            Assert.That(failed, Has.Count.EqualTo(expectedFailed), () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
            Assert.That(failed.Select(v => v.IsHarnessError), Has.All.True, "a failed page is never a verdict");
            Assert.That(failed.Select(v => v.Actual.Failure), Has.All.Contain(Crash));
            if (crashes == 1)
            {
                // The stand-in page allows every call, so the forged origins' calls fail: judged, either way.
                Assert.That(verdicts.Except(failed).Select(v => v.Actual.Failure ?? ""), Has.None.Contain("page failed"), "the other calls ran in a fresh page");
                Assert.That(verdicts.Except(failed).Select(v => v.IsHarnessError), Has.All.False, "the other calls were judged");
                Assert.That(driver.Opened, Is.EqualTo(2));
            }
            else
            {
                // Given up after the replacements: the rest are not run, saying why.
                var notRun = verdicts.Where(v => v.Actual.Failure?.StartsWith("not run: the browser's page failed 4 time(s)", StringComparison.Ordinal) == true).ToList();
                Assert.That(notRun, Has.Count.EqualTo(cases.Count - 1 - expectedFailed), () => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {v.Actual.Failure}")));
                Assert.That(notRun.Select(v => v.IsHarnessError), Has.All.True);
                Assert.That(driver.Opened, Is.EqualTo(1 + ReplaceablePage.MaxReplacements));
            }
        }
    }

    /// <summary>The page fails during the mixed-content probe an https page makes before its calls to plain-HTTP loopback:
    /// that origin's calls are not run, saying why, and the other origins' run in a fresh page.</summary>
    [Test]
    public async Task A_page_failing_in_its_probe_leaves_its_origin_s_calls_not_run_and_the_others_judged()
    {
        await using var server = new ScriptedServer(r => $"200 OK\r\nAccess-Control-Allow-Origin: {r.Header("Origin")}\r\nVary: Origin");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json");
        var cases = PolicyCases.Generate(policy, server.Resource);
        var driver = new CrashingDriver(call => call == 1);
        var verdicts = await PolicyRunner.RunAsync(driver, Servers, cases, new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(3)))
            .WaitAsync(TimeSpan.FromSeconds(60));
        // The first origin's page, where the null-origin calls run too (in its sandboxed frame).
        var first = cases[0].PageOrigin;
        bool InFirst(PolicyVerdict v) => v.Case.PageOrigin == first || v.Case.PageOrigin == "null";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts.Where(InFirst).Select(v => v.Actual.Failure),
                Has.All.StartWith($"not run: the browser's page at {first} failed before its calls (").And.All.Contain(Crash));
            Assert.That(verdicts.Where(v => !InFirst(v)).Select(v => v.Actual.Failure ?? ""), Has.None.Contain("page"), "the other origins ran in a fresh page");
            Assert.That(verdicts.Where(v => !InFirst(v)), Is.Not.Empty);
        }
    }

    /// <summary>Pages that answer every call as a browser allowing it (status 200, nothing readable beyond the safelist), or
    /// fail as a crashed renderer does where <c>crashes</c> says so for the driver's call count.</summary>
    private sealed class CrashingDriver(Func<int, bool> crashes) : IBrowserDriver, IBrowserScope
    {
        private int _calls;
        private int _opened;

        private bool CrashesNow() => crashes(Interlocked.Increment(ref _calls));

        public int Opened => _opened;

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "0";

        public string Driver => "a stand-in whose page crashes";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => Task.FromResult<IBrowserScope>(this);

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            Interlocked.Increment(ref _opened);
            return Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, batch => CrashesNow() ? StandInPage.Crashed(Crash) : StandInPage.Read(batch)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
