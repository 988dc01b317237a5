using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// Batching must never change a verdict: cases that run together in one evaluate must be observed exactly as when each runs
/// alone. Takes every fifth case of the catalog (all categories): as the matrix's own run observed them (<see cref="MatrixRuns"/>:
/// batches of up to 200 cases, each with the rest of the catalog), run again in four parallel contexts of ten-case batches,
/// and run one by one; and compares.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class BatchingTests(Engine engine)
{
    [Test]
    public async Task Cases_run_in_one_batch_or_in_parallel_contexts_are_observed_exactly_as_cases_run_one_by_one()
    {
        var sample = CaseCatalog.All.Where((_, i) => i % 5 == 0).ToList();
        Assert.That(sample, Is.Not.Empty, "the catalog is empty");
        var matrix = await MatrixRuns.OfAsync(engine);
        if (!matrix.Ran)
        {
            Assert.Ignore(matrix.Unavailable!);
            return;
        }
        var observed = await MatrixRuns.ObservedAsync(engine);
        var batched = sample.Select(c => observed[c.Id]).ToList();
        var launch = await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            return;
        }
        await using (session)
        {
            var servers = ReferenceServersSetup.Servers;
            var parallel = await new CaseRunner(servers, session) { BatchSize = 10, Parallelism = 4 }.RunAsync(sample);
            var alone = await new CaseRunner(servers, session) { BatchSize = 1, Parallelism = 1 }.RunAsync(sample);
            // A case whose preflight count varies from run to run of the same catalog (CatalogMatrixTests.ChoiceVaries: a
            // preflight-cache entry the standard lets the browser drop at any time) is compared without that count.
            Observation Comparable(CaseRun run) => run.Observation with
            {
                BrowserReason = null,
                PageError = null,
                Preflights = CatalogMatrixTests.ChoiceVaries.Contains((engine.Id(), run.Case.Id)) ? 0 : run.Observation.Preflights,
            };
            using (Assert.EnterMultipleScope())
            {
                for (var i = 0; i < sample.Count; i++)
                {
                    Assert.That(Comparable(batched[i]), Is.EqualTo(Comparable(alone[i])).Using(ObservationComparer.Instance),
                        $"{sample[i].Id}: batched (the matrix's run) and alone differ");
                    Assert.That(Comparable(parallel[i]), Is.EqualTo(Comparable(alone[i])).Using(ObservationComparer.Instance),
                        $"{sample[i].Id}: parallel contexts and alone differ");
                }
            }
        }
    }
}
