using System.Runtime.CompilerServices;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Verdicts;
using Snapshooter;
using Snapshooter.NUnit;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// The browser matrix: every catalog case in one engine. The whole catalog runs once per engine, batched, in the fixture's
/// set-up (<see cref="MatrixRuns"/>, whose run BatchingTests and DirectDriverTests compare too); each case is then its own
/// test that asserts the browser did what the Fetch Standard says (or deviates exactly as listed) and that the observation
/// matches its committed snapshot.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class CatalogMatrixTests(Engine engine)
{
    private EngineRun? _run;
    private Dictionary<string, CaseVerdict> _verdicts = [];

    public static IEnumerable<TestCaseData> Cases() =>
        CaseCatalog.All.Select(c => new TestCaseData(c.Id).SetArgDisplayNames(c.Id).SetCategory(c.Category));

    [OneTimeSetUp]
    public async Task RunCatalogAsync()
    {
        _run = await MatrixRuns.OfAsync(engine);
        ReferenceServersSetup.EngineRuns.Add(_run);
        if (!_run.Ran)
        {
            EngineSummaries.Append($"{engine.Id()}: skipped — {_run.Unavailable}");
            Assert.Ignore(_run.Unavailable!);
        }
        _verdicts = _run.Verdicts.ToDictionary(v => v.Case.Id);
        var line = $"{_run.Description}: {_run.Verdicts.Count} cases in {_run.WallTime.TotalSeconds:F1} s (launch {_run.LaunchTime.TotalSeconds:F1} s); "
            + $"{_run.Verdicts.Count(v => v.Judgement.Kind == JudgementKind.Conforms)} conform, "
            + $"{_run.Verdicts.Count(v => v.Judgement.Kind == JudgementKind.KnownDeviation)} known deviations, "
            + $"{_run.Verdicts.Count(v => v.Judgement.Kind == JudgementKind.Fails)} fail; third-party cookies: {_run.CookiePolicy.ThirdPartyCookies}";
        TestContext.Progress.WriteLine(line);
        // `dotnet test` hides progress output; .ci/run prints this file so CI shows what each engine ran.
        EngineSummaries.Append(line);
    }

    [TestCaseSource(nameof(Cases))]
    public void Case(string id)
    {
        var verdict = _verdicts[id];
        if (verdict.IsHarnessError) Assert.Fail(verdict.Describe(_run!.Description!));
        Assert.That(verdict.Judgement.Passed, Is.True, () => verdict.Describe(_run!.Description!));
        // The suite's own list stays true: an engine that no longer deviates conforms (a report says so), but here its entry must go.
        Assert.That(verdict.Judgement.ListedButConforms, Is.False, () => $"{_run!.Description} {verdict.Judgement.Summary}");
        // Named after the stable case id, engine last, so one case's engines sit side by side in Matrix/__snapshots__.
        SnapshotMatcher.Match(SnapshotOf(verdict, id), new SnapshotFullName($"{id.Replace('/', '.')}.{engine.Id()}.snap", SnapshotFolder()));
    }

    /// <summary>The observation as committed: nothing unstable (no ports, tokens, timings, versions, browser wording).
    /// Every observed field (ObservedFields.All), those OnlyWhenObserved only where the case shows them (ContentReadable for
    /// an img, script or stylesheet…), and Chose only where the standard leaves a choice (which of the allowed behaviours the
    /// engine showed), so other cases' snapshots keep their shape.</summary>
    private object SnapshotOf(CaseVerdict verdict, string id)
    {
        var observed = verdict.Observed;
        var snapshot = new Dictionary<string, object?> { ["Case"] = id, ["Engine"] = engine.Id() };
        foreach (var field in ObservedFields.All)
        {
            var value = field.Observed(observed);
            if (value is null && field.OnlyWhenObserved) continue;
            snapshot[field.PropertyName] = value is Outcome outcome ? outcome.ToString().ToLowerInvariant() : value;
        }
        if (verdict.ChoiceMade is { } choice) snapshot["Chose"] = choice;
        if (ChoiceVaries.Contains((engine.Id(), id)))
        {
            // The verdict above still holds the observation to the standard; the snapshot says the choice varies, not which.
            snapshot["Preflights"] = "varies between runs among the counts the standard allows";
            snapshot.Remove("Chose");
        }
        return snapshot;
    }

    /// <summary>An engine and case whose choice among the behaviours the standard allows (a "may") differs from run to run
    /// of the same catalog: Firefox kept the preflight-cache entry of initiators/xhr-upload-listener/cached in some full
    /// runs (1 preflight) and not in others (2; fresh-clone CI 2026-12-04 and 2026-12-05), and keeps it when the case runs
    /// alone — not explained yet. Pinning either count made the snapshot a coin toss. WebKitGTK does the same (2 preflights
    /// in 1 of 4 BatchingTests runs, 2026-12-06, once the case entered that test's sample).</summary>
    internal static readonly HashSet<(string Engine, string Case)> ChoiceVaries =
        [("firefox", "initiators/xhr-upload-listener/cached"), ("webkitgtk", "initiators/xhr-upload-listener/cached")];

    /// <summary>This file's folder; Snapshooter adds __snapshots__ (committed) and __mismatch__ (ignored).</summary>
    private static string SnapshotFolder([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;
}
