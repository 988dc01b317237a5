using System.Collections.Concurrent;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// The whole catalog in one engine, run once for this test run (launch included, from the assembly's browser pool) and
/// shared by every fixture that needs the catalog as the real runner observes it: the matrix judges and snapshots it,
/// BatchingTests compares its batched observations with cases run one by one, DirectDriverTests its direct driver's
/// observations with Playwright's. Each used to run those cases again for itself (docs/speed.md, "The test run").
/// </summary>
public static class MatrixRuns
{
    private static readonly ConcurrentDictionary<Engine, Lazy<Task<EngineRun>>> Runs = new();

    /// <summary>The engine's catalog run; the first fixture to ask starts it, the others wait for the same run.</summary>
    public static Task<EngineRun> OfAsync(Engine engine) =>
        Runs.GetOrAdd(engine, e => new Lazy<Task<EngineRun>>(() =>
            EngineRun.RunAsync(e, ReferenceServersSetup.Servers, CaseCatalog.All, KnownDeviations.LoadDefault(), EngineSelection.Settings))).Value;

    /// <summary>What the run observed of each case, by case id.</summary>
    public static async Task<IReadOnlyDictionary<string, CaseRun>> ObservedAsync(Engine engine) =>
        (await OfAsync(engine)).Verdicts.ToDictionary(v => v.Case.Id, v => v.Run);
}
