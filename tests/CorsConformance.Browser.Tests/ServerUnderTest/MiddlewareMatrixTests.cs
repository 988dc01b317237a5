using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Middlewares;
using MatrixFixtures = CorsConformance.Fixtures.Middlewares.Middlewares;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// The middleware matrix in real browsers, as docs/middlewares.md reports it: each real middleware, configured from each
/// policy, does in this engine what the policy promises (one launch per engine for every middleware and policy). The
/// middlewares start once for every engine of the run, as the `middlewares` command starts them, and each engine's fixture
/// reads its own column. A middleware that is not installed or does not start is skipped with the reason, never passed.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class MiddlewareMatrixTests(Engine engine)
{
    /// <summary>The matrix in every engine of this test run, run once for all the engine fixtures.</summary>
    private static readonly Lazy<Task<MiddlewareMatrixResult>> Matrix = new(() =>
        MiddlewareMatrix.RunAsync(MatrixFixtures.All, MatrixFixtures.Policies, EngineSelection.Selected, ReferenceServersSetup.Servers,
            EngineSelection.Settings, TimeSpan.FromSeconds(3)));

    private MiddlewareMatrixResult _result = null!;
    private string _description = "";

    public static IEnumerable<string> Ids => MatrixFixtures.All.Select(m => m.Id);

    [OneTimeSetUp]
    public async Task RunAsync()
    {
        _result = await Matrix.Value;
        var run = _result.Engines.Single(e => e.Engine == engine);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        if (run.NothingJudged is not null) Assert.Ignore(run.NothingJudged);
        _description = run.Description!;
    }

    [TestCaseSource(nameof(Ids))]
    public void Configured_from_each_policy_it_does_in_this_engine_what_the_policy_promises(string id)
    {
        if (_result.Middlewares.Single(m => m.Id == id).Unavailable is { } why) Assert.Ignore(why);
        var cells = _result.Cells.Where(c => c.Middleware == id).ToList();
        if (cells.FirstOrDefault(c => c.NotRun is not null) is { } notRun) Assert.Ignore($"{id} under {notRun.Policy}: {notRun.NotRun}");
        // An engine may be unable to judge a whole cell (WebKitGTK from an https page to a plain-HTTP middleware judges only
        // the http: forged origins, and a public policy has none): such a cell is said, never passed; a middleware no cell
        // of which was judged is skipped with the reasons.
        var unjudged = cells.Where(c => c.Verdicts[engine].All(v => v.NotJudged is not null)).ToList();
        if (unjudged.Count == cells.Count)
        {
            Assert.Ignore($"{id}: no case was judged in {engine.DisplayName()}: " + string.Join("; ", cells.SelectMany(c => c.Verdicts[engine]).Select(v => v.NotJudged).Distinct().Take(3)));
        }
        foreach (var cell in unjudged) TestContext.Out.WriteLine($"{id} under {cell.Policy}: not judged in {engine.DisplayName()} ({cell.Verdicts[engine].FirstOrDefault()?.NotJudged ?? "no case"})");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cells.Select(c => c.Policy), Is.EquivalentTo(MatrixFixtures.PolicyIds));
            foreach (var cell in cells.Except(unjudged))
            {
                var verdicts = cell.Verdicts[engine];
                Assert.That(verdicts.Where(v => v.NotJudged is null && !v.Passed).Select(v => v.Case.Id), Is.Empty,
                    () => $"{id} under {cell.Policy}:\n" + string.Join("\n", verdicts.Where(v => v.NotJudged is null && !v.Passed).Select(v => v.Describe(_description))));
            }
        }
    }
}
