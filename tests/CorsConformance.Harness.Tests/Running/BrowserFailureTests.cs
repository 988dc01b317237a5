using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>
/// A browser or driver that fails (a scope whose cookies cannot be planted, a page that will not open, a batch the driver
/// drops) makes the cases it did not run harness errors carrying the driver's words — never verdicts, never an unhandled
/// exception that ends `run` with a stack trace. (Found with `run --grid` pointed at a bare chromedriver.)
/// </summary>
public sealed class BrowserFailureTests : ReferenceServersFixture
{
    private static readonly IReadOnlyList<Specs.Model.CorsCase> Cases = [.. CaseCatalog.All.Take(6)];

    [TestCase("scope")]
    [TestCase("page")]
    [TestCase("batch")]
    public async Task EveryCaseNotRunIsAHarnessErrorWithTheDriversWords(string failing)
    {
        var runs = await new CaseRunner(Servers, new FailingDriver(failing)) { BatchSize = 2, Parallelism = 1 }.RunAsync(Cases);

        Assert.That(runs, Has.Count.EqualTo(Cases.Count));
        Assert.Multiple(() =>
        {
            foreach (var run in runs)
            {
                Assert.That(run.Observation.Outcome, Is.EqualTo(Outcome.Unreached), run.Case.Id);
                // A batch the driver drops: its page is replaced and its cases run again alone, until the page has failed too
                // often (PageFailureTests); each case is then a harness error with the driver's words, whichever way it ended.
                Assert.That(run.Observation.PageError, Does.StartWith(CaseRunner.BrowserFailedPrefix).Or.StartWith(CaseRunner.PageFailedPrefix), run.Case.Id);
                Assert.That(run.Observation.PageError, Does.Contain("invalid cookie domain"), run.Case.Id);
                var verdict = CaseVerdict.Judge(run, "chromium", KnownDeviations.Empty);
                Assert.That(verdict.IsHarnessError, Is.True, run.Case.Id);
                Assert.That(verdict.Judgement.Passed, Is.False, run.Case.Id);
            }
        });
    }

    [Test]
    public void AFailureOfTheHarnessItselfIsNotTakenForTheBrowsers()
    {
        Assert.That(CaseRunner.BrowserFailure(new NullReferenceException("a bug")), Is.Null);
        Assert.That(CaseRunner.BrowserFailure(new AggregateException(new PageOpenException("page"))), Is.EqualTo("page"));
    }

    private sealed class FailingDriver(string failing) : IBrowserDriver
    {
        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "0";

        public string Driver => "a driver that fails";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => failing == "scope"
            ? throw new PageOpenException("could not plant the test cookie (invalid cookie domain)")
            : Task.FromResult<IBrowserScope>(new Scope(failing));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Scope(string failing) : IBrowserScope
    {
        public Task<IRunnerPage> OpenPageAsync(string pageOrigin) => failing == "page"
            ? throw new OpenQA.Selenium.InvalidCookieDomainException("invalid cookie domain")
            : Task.FromResult<IRunnerPage>(new Page(pageOrigin));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Page(string pageOrigin) : IRunnerPage
    {
        public string PageOrigin => pageOrigin;

        public Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch) =>
            throw new RunnerPageException("the runner page failed: invalid cookie domain");

        public string? ReasonFor(string token) => null;

        public string? TakeMessages() => null;

        public Task MoveToAsync(string pageOrigin) => throw new PageOpenException("this page stays where it is");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
