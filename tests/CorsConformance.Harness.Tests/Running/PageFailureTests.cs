using System.Collections.Concurrent;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>
/// A runner page that fails mid-run — its renderer killed (Chromium's headless shell over CDP left the evaluate unanswered
/// and the run waiting for good at 429 of 1,713 cases, 2026-12-07), or hung — costs the cases it held, not the run: the
/// page is given up after its budget, replaced, and the batch's cases run again alone on the fresh page; a case whose page
/// fails alone too is a harness error naming both failures, never a verdict.
/// </summary>
public sealed class PageFailureTests : ReferenceServersFixture
{
    /// <summary>Six plain cases of one page (one scheme, no beacon, sequence, wait or authentication entry): one page runs
    /// them all, in the order given.</summary>
    private static readonly IReadOnlyList<CorsCase> Cases = [.. CaseCatalog.All.Where(c => c.Request.Initiator.Observes != Observes.Sent
        && c.Origins.Scheme == Scheme.Http && c.Request.Repeat <= 1 && c.Request.Then is null && !c.MayMakeAuthenticationEntry && !c.MayBeRefusedUnsent
        && c.Origins.Local is null && !c.Origins.DataUrl).Take(6)];

    private static readonly TimeSpan ShortBudget = TimeSpan.FromMilliseconds(400);

    [Test]
    public async Task A_page_that_hangs_on_a_batch_is_replaced_and_the_batch_s_cases_run_again_alone()
    {
        var driver = new ScriptedDriver((page, batch, call) => page == 1 && call == 1 ? Behaviour.Hang : Behaviour.Answer);
        var runner = new CaseRunner(Servers, driver) { BatchSize = 3, Parallelism = 1, PageBudgetOverride = ShortBudget };
        var runs = await runner.RunAsync(Cases).WaitAsync(TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runner.PageFailures, Has.Count.EqualTo(1));
            Assert.That(runner.PageFailures[0], Does.Contain("running a batch of 3 case(s)").And.Contain("gave no answer to a batch of 3 request(s)"));
            foreach (var run in runs) Assert.That(run.Observation.PageError ?? "", Does.Not.Contain("runner page failed").And.Not.Contain("browser failed"), run.Case.Id);
            // The hung batch's three cases, each alone on the second page, then the next batch there whole.
            Assert.That(driver.Calls.Select(c => (c.Page, c.Ids.Length)), Is.EqualTo(new[] { (1, 3), (2, 1), (2, 1), (2, 1), (2, 3) }));
            Assert.That(driver.Calls.Skip(1).Take(3).SelectMany(c => c.Ids), Is.EqualTo(driver.Calls[0].Ids));
            Assert.That(driver.Closed, Does.Contain(1), "the hung page is closed");
        }
    }

    [Test]
    public async Task A_case_whose_page_fails_even_alone_is_the_only_harness_error_and_names_both_failures()
    {
        var crasher = Cases[1].Id;
        var driver = new ScriptedDriver((_, batch, _) => batch.Any(r => r.Id == crasher) ? Behaviour.Crash : Behaviour.Answer);
        var runner = new CaseRunner(Servers, driver) { BatchSize = 3, Parallelism = 1, PageBudgetOverride = ShortBudget };
        var runs = await runner.RunAsync(Cases).WaitAsync(TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in runs.Where(r => r.Case.Id != crasher))
            {
                Assert.That(run.Observation.PageError ?? "", Does.Not.Contain("runner page failed").And.Not.Contain("browser failed"), run.Case.Id);
            }
            var crashed = runs.Single(r => r.Case.Id == crasher);
            Assert.That(crashed.Observation.PageError, Does.StartWith(CaseRunner.PageFailedPrefix + "the runner page failed: its renderer crashed (stand-in)")
                .And.Contain("after the page running its batch of 3 failed: the runner page failed: its renderer crashed (stand-in)"));
            var verdict = CaseVerdict.Judge(crashed, "chromium", KnownDeviations.Empty);
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.Describe("Chromium 1"), Does.Contain($"'{crasher}' was not observed").And.Not.Contain("never reached the target"));
            Assert.That(runner.PageFailures, Has.Count.EqualTo(2));
            Assert.That(runner.PageFailures[1], Does.Contain($"running '{crasher}' alone"));
        }
    }

    [Test]
    public async Task A_page_that_fails_every_time_is_given_up_after_its_replacements_and_the_rest_are_harness_errors()
    {
        var driver = new ScriptedDriver((_, _, _) => Behaviour.Crash);
        var runner = new CaseRunner(Servers, driver) { BatchSize = 2, Parallelism = 1, PageBudgetOverride = ShortBudget };
        var runs = await runner.RunAsync(Cases).WaitAsync(TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver.Opened, Is.EqualTo(1 + ReplaceablePage.MaxReplacements), "no page after the last replacement");
            foreach (var run in runs)
            {
                Assert.That(CaseVerdict.Judge(run, "chromium", KnownDeviations.Empty).IsHarnessError, Is.True, run.Case.Id);
                Assert.That(run.Observation.PageError, Does.Contain("its renderer crashed (stand-in)"), run.Case.Id);
            }
            Assert.That(runs.Where(r => r.Observation.PageError!.StartsWith(CaseRunner.BrowserFailedPrefix, StringComparison.Ordinal)).Select(r => r.Observation.PageError),
                Has.All.Contain($"the runner page failed {ReplaceablePage.MaxReplacements + 1} times in this run"));
        }
    }

    /// <summary>WebKitGTK's WebDriver deletes the whole session when its web process dies, and a session is the scope there:
    /// no page opened in it any more, and every case left was a harness error. The scope is replaced by a fresh one.</summary>
    [Test]
    public async Task A_scope_in_which_no_page_opens_any_more_is_replaced_and_the_cases_run_in_the_fresh_one()
    {
        var driver = new DyingScopeDriver();
        var runner = new CaseRunner(Servers, driver) { BatchSize = 3, Parallelism = 1, PageBudgetOverride = ShortBudget };
        var runs = await runner.RunAsync(Cases).WaitAsync(TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in runs) Assert.That(run.Observation.PageError ?? "", Does.Not.Contain("runner page failed").And.Not.Contain("browser failed"), run.Case.Id);
            Assert.That(driver.Scopes, Is.EqualTo(2), "one fresh scope");
            Assert.That(runner.PageFailures, Has.Some.Contains("the browser scope was replaced by a fresh one, as a page at").And.Some.Contains("invalid session id"));
        }
    }

    /// <summary>A browser that died under the run (its process killed: Chromium and Firefox left 1,286 and 1,287 cases
    /// harness errors, 2026-12-07): the cases it never ran run once more in a browser launched afresh, and the run says so.</summary>
    [Test]
    public async Task The_cases_a_dead_browser_never_ran_run_again_once_in_a_browser_launched_afresh()
    {
        var dead = await new CaseRunner(Servers, new ScriptedDriver((_, _, _) => Behaviour.Crash)) { BatchSize = 3, Parallelism = 1, PageBudgetOverride = ShortBudget }.RunAsync(Cases);
        var fresh = new ScriptedDriver((_, _, _) => Behaviour.Answer);
        var (runs, said) = await EngineRun.RunLostAgainAsync(dead, Servers, () => Task.FromResult(new LaunchResult(fresh, null)), CancellationToken.None);
        var (unchanged, saidUnchanged) = await EngineRun.RunLostAgainAsync(runs, Servers, () => throw new AssertionException("no case was lost: nothing is launched"), CancellationToken.None);
        var (stillLost, saidNoLaunch) = await EngineRun.RunLostAgainAsync(dead, Servers, () => Task.FromResult(new LaunchResult(null, "chromium could not be launched: gone")), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dead.Select(r => r.Observation.PageError), Has.Some.StartWith(CaseRunner.BrowserFailedPrefix), "the stand-in lost cases");
            foreach (var run in runs) Assert.That(run.Observation.PageError ?? "", Does.Not.StartWith(CaseRunner.BrowserFailedPrefix), run.Case.Id);
            var lostCount = dead.Count(r => r.Observation.PageError!.StartsWith(CaseRunner.BrowserFailedPrefix, StringComparison.Ordinal));
            Assert.That(said[0], Does.StartWith($"it failed before {lostCount} case(s) ran (").And.EndWith($"launched again, it ran {lostCount} of them"));
            Assert.That(fresh.Calls.SelectMany(c => c.Ids), Is.EquivalentTo(dead.Where(r => r.Observation.PageError!.StartsWith(CaseRunner.BrowserFailedPrefix, StringComparison.Ordinal)).Select(r => r.Case.Id)),
                "only the lost cases ran again");
            Assert.That(unchanged, Is.SameAs(runs));
            Assert.That(saidUnchanged, Is.Empty);
            Assert.That(stillLost, Is.SameAs(dead), "no browser: the harness errors stand");
            Assert.That(saidNoLaunch.Single(), Does.Contain("could not be launched again to run them: chromium could not be launched: gone"));
        }
    }

    [Test]
    public void A_batch_s_budget_covers_every_request_its_slowest_case_sends_one_after_another()
    {
        var one = new PageRequest("a", "origin", "fetch", "GET", [], "omit", null, 1, "http://x/");
        var sequence = one with { Repeat = 2, Then = [new PageFollowUp("GET", [], "omit", null, 3000)], MarkUrl = "http://x/mark", ControlUrl = "http://x/control" };
        using (Assert.EnterMultipleScope())
        {
            // 15 s and the page's 2 s backstop, a quarter more, 20 s of slack.
            Assert.That(PageBudget.Of([one]), Is.EqualTo(TimeSpan.FromSeconds(17 * 1.25 + 20)));
            // Two repetitions, a follow-up and its mark, the control: five requests of 17 s, and the follow-up's 3 s delay.
            Assert.That(PageBudget.Of([one, sequence]), Is.EqualTo(TimeSpan.FromSeconds((5 * 17 + 3) * 1.25 + 20)));
            Assert.That(PageBudget.Of([one with { TimeoutMs = 2000 }]), Is.LessThan(PageBudget.Of([one])));
        }
    }

    private enum Behaviour { Answer, Hang, Crash }

    /// <summary>Scopes whose first page crashes on its first batch and take the whole scope with it, as WebKitWebDriver's
    /// session deleted "because of page crash or hang": no page opens in that scope afterwards. Later scopes hold.</summary>
    private sealed class DyingScopeDriver : IBrowserDriver
    {
        private int _scopes;

        public int Scopes => _scopes;

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "0";

        public string Driver => "a stand-in whose session dies with its page";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) =>
            Task.FromResult<IBrowserScope>(new Scope(Interlocked.Increment(ref _scopes) == 1));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Scope(bool dies) : IBrowserScope
        {
            private bool _dead;

            public Task<IRunnerPage> OpenPageAsync(string pageOrigin) => _dead
                ? throw new OpenQA.Selenium.WebDriverException("invalid session id")
                : Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, RunAsync, DisposePageAsync));

            public ValueTask DisposeAsync() => DisposePageAsync();

            private ValueTask DisposePageAsync() => _dead ? throw new OpenQA.Selenium.WebDriverException("invalid session id") : ValueTask.CompletedTask;

            private Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
            {
                if (_dead) return Task.FromException<IReadOnlyList<PageResult>>(new OpenQA.Selenium.WebDriverException("invalid session id"));
                if (!dies) return StandInPage.Failed(batch);
                _dead = true;
                return Task.FromException<IReadOnlyList<PageResult>>(new OpenQA.Selenium.WebDriverException("session deleted because of page crash or hang."));
            }
        }
    }

    /// <summary>A driver whose pages answer every request as a failed fetch, hang, or fail as a crashed renderer does, as
    /// <c>script</c> says for (page number, batch, that page's call number).</summary>
    private sealed class ScriptedDriver(Func<int, IReadOnlyList<PageRequest>, int, Behaviour> script) : IBrowserDriver, IBrowserScope
    {
        private int _pages;

        public ConcurrentQueue<int> Closed { get; } = new();

        public List<(int Page, string[] Ids)> Calls { get; } = [];

        public int Opened => _pages;

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "0";

        public string Driver => "a scripted stand-in";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => Task.FromResult<IBrowserScope>(this);

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            var number = Interlocked.Increment(ref _pages);
            var calls = 0;
            return Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, batch =>
            {
                lock (Calls) Calls.Add((number, [.. batch.Select(r => r.Id)]));
                return script(number, batch, ++calls) switch
                {
                    Behaviour.Hang => new TaskCompletionSource<IReadOnlyList<PageResult>>().Task,
                    Behaviour.Crash => StandInPage.Crashed("the runner page failed: its renderer crashed (stand-in)"),
                    _ => StandInPage.Failed(batch),
                };
            }, () =>
            {
                Closed.Enqueue(number);
                return ValueTask.CompletedTask;
            }));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
