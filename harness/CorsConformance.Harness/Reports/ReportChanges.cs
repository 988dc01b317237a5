using System.Text.Json;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>What changed since a baseline report: new failures (regressions), fixes, other behaviour changes, engine versions;
/// apart from them, what is not the browser's doing: a harness error on one side (no verdict there) and a case whose request
/// or expectation is not the same in both reports (the catalog or the oracle changed).</summary>
public sealed record ReportChanges(
    string Baseline,
    DateTimeOffset BaselineGeneratedAt,
    IReadOnlyList<VersionChange> EngineVersions,
    IReadOnlyList<CaseChange> NewFailures,
    IReadOnlyList<CaseChange> Fixes,
    IReadOnlyList<CaseChange> BehaviourChanges,
    IReadOnlyList<string> NewCases,
    IReadOnlyList<string> RemovedCases)
{
    /// <summary>A verdict on one side and a harness error on the other: the harness could not judge the case that night, so
    /// it is neither a regression nor a fix (a harness problem is never a verdict).</summary>
    public IReadOnlyList<CaseChange> HarnessErrors { get; init; } = [];

    /// <summary>Cases whose request or expectation differs between the two reports (the catalog or the oracle changed):
    /// their verdicts moved with the case, not with the browser, so they are neither regressions nor fixes.</summary>
    public IReadOnlyList<CaseChange> RedefinedCases { get; init; } = [];

    /// <summary>Engines that ran in the baseline and did not run now (skipped, or not in the report at all): their cases are
    /// not checked now. Without this line an engine that failed to launch vanished from the changes, its regressions with it,
    /// and yesterday's version read as changed to "none".</summary>
    public IReadOnlyList<EngineNotRun> EnginesNotRun { get; init; } = [];

    /// <summary>A verdict that moved between fails and known-deviation while the browser did the same (no observed field
    /// changed): the known-deviations list changed, not the browser. Each read as a regression or a fix.</summary>
    public IReadOnlyList<CaseChange> DeviationListChanges { get; init; } = [];

    /// <summary>A verdict of the baseline (not a harness error) on a case this report still holds, in an engine that ran now,
    /// with no result now (`To` is "no result"): a shard left out, a result dropped. These left the changes without a word, a
    /// regression among them.</summary>
    public IReadOnlyList<CaseChange> NoResultNow { get; init; } = [];

    /// <summary>Engines that ran in both reports as another build (another executable, the full browser for the headless
    /// shell, another driver), whatever their versions: the changes beside it may be the build's doing, not a change of the
    /// browser's code. Before 2026-12-07 the shell replaced by the full Chromium of the same version read "0 engine version
    /// change(s)" beside 15 new harness errors.</summary>
    public IReadOnlyList<BuildChange> EngineBuilds { get; init; } = [];

    /// <summary>Whether the report says it is partial: then its missing results are said there, and do not fail the gate.</summary>
    public bool CurrentIsPartial { get; init; }

    public const string NoResult = "no result";

    public bool HasRegressions => NewFailures.Count > 0;

    /// <summary>A case that conformed (or deviated as listed) and is now a harness error: no regression can be ruled out on it.</summary>
    public bool HasConformanceNoLongerJudged => HarnessErrors.Any(c => c.To == Verdicts.HarnessError && c.From is Verdicts.Conforms or Verdicts.KnownDeviation);

    /// <summary>What --fail-on-regression fails on: a regression, or a case that conformed and could not be judged now.</summary>
    public bool FailsRegressionGate => HasRegressions || HasConformanceNoLongerJudged || EnginesNotRun.Any(e => e.Conformed > 0)
        || !CurrentIsPartial && NoResultNow.Any(c => c.From is Verdicts.Conforms or Verdicts.KnownDeviation);

    /// <summary>The counts, as one line says them (the console and the HTML summary).</summary>
    public string Counts() =>
        $"{NewFailures.Count} new failure(s), {Fixes.Count} fix(es), {BehaviourChanges.Count} behaviour change(s), {EngineVersions.Count} engine version change(s), "
        + (EngineBuilds.Count > 0 ? $"{EngineBuilds.Count} engine build change(s) ({string.Join(", ", EngineBuilds.Select(b => b.Engine))}: another build ran, and what changed there may be the build's doing), " : "")
        + $"{NewCases.Count} new and {RemovedCases.Count} removed case(s)"
        + (HarnessErrors.Count > 0 ? $", {HarnessErrors.Count} harness error(s) on one side (no verdict there: neither regressions nor fixes)" : "")
        + (EnginesNotRun.Count > 0 ? $", {EnginesNotRun.Count} engine(s) that ran in the baseline did not run now ({string.Join(", ", EnginesNotRun.Select(e => e.Engine))}: {EnginesNotRun.Sum(e => e.Judged)} verdict(s) not checked now)" : "")
        + (NoResultNow.Count > 0 ? $", {NoResultNow.Count} verdict(s) of the baseline with no result now (not checked)" : "")
        + (DeviationListChanges.Count > 0 ? $", {DeviationListChanges.Count} verdict(s) moved by the known-deviations list (the browser did the same)" : "")
        + (RedefinedCases.Count > 0 ? $", {RedefinedCases.Count} result(s) of cases redefined since (not the browser's doing)" : "");

    public bool IsEmpty => EngineVersions.Count + EngineBuilds.Count + NewFailures.Count + Fixes.Count + BehaviourChanges.Count + HarnessErrors.Count + RedefinedCases.Count
        + EnginesNotRun.Count + DeviationListChanges.Count + NoResultNow.Count + NewCases.Count + RemovedCases.Count == 0;
}

/// <param name="From">Null when the engine did not run in the baseline.</param>
public sealed record VersionChange(string Engine, string? From, string? To);

/// <summary>Another build of an engine that ran in both reports: each side's <see cref="ReportEngine.Build"/>.</summary>
public sealed record BuildChange(string Engine, string From, string To);

/// <summary>An engine that ran in the baseline and not now: its version there, why it did not run now (its `unavailable`,
/// or that the report does not list it), and how many of its baseline verdicts are not checked now (<paramref name="Judged"/>:
/// conforms, known-deviation or fails; <paramref name="Conformed"/>: conforms or known-deviation).</summary>
public sealed record EngineNotRun(string Engine, string? Version, string Why, int Judged, int Conformed);

/// <summary>One case in one engine that changed: the verdicts before and after and, for behaviour, the fields that changed.</summary>
public sealed record CaseChange(string Engine, string Case, string From, string To, IReadOnlyList<string> Fields);

/// <summary>Compares a report with its baseline.</summary>
public static class ReportComparer
{
    public static ReportChanges Compare(Report baseline, Report current, string baselineName)
    {
        // Versions of the engines that ran now; one that ran in the baseline and not now is no version change to "none".
        var versions = current.Engines.Where(e => e.Ran)
            .Select(e => (e.Engine, Before: baseline.Engine(e.Engine), To: e.Version))
            .Where(x => x.Before is not { Ran: true } || x.Before.Version != x.To)
            .Select(x => new VersionChange(x.Engine, x.Before is { Ran: true } ? x.Before.Version : null, x.To))
            .ToList();
        // Another build in both reports (the executable, shell or full browser, the driver), whatever the versions.
        var builds = current.Engines.Where(e => e.Ran)
            .Select(e => (Now: e, Before: baseline.Engine(e.Engine)))
            .Where(x => x.Before is { Ran: true } before && before.BuildWithoutVersion != x.Now.BuildWithoutVersion)
            .Select(x => new BuildChange(x.Now.Engine, x.Before!.Build, x.Now.Build))
            .ToList();
        var notRun = baseline.Engines.Where(e => e.Ran && current.Engine(e.Engine) is not { Ran: true })
            .Select(e =>
            {
                var verdicts = baseline.Cases.Where(c => c.Results.ContainsKey(e.Engine)).Select(c => c.Results[e.Engine].Verdict).ToList();
                return new EngineNotRun(e.Engine, e.Version,
                    current.Engine(e.Engine) is { } skipped ? "not run: " + (skipped.Unavailable ?? "no reason given") : "not in this report",
                    verdicts.Count(v => v != Verdicts.HarnessError), verdicts.Count(v => v is Verdicts.Conforms or Verdicts.KnownDeviation));
            })
            .ToList();
        var before = baseline.Cases.ToDictionary(c => c.Id);
        var newFailures = new List<CaseChange>();
        var fixes = new List<CaseChange>();
        var behaviour = new List<CaseChange>();
        var harnessErrors = new List<CaseChange>();
        var redefined = new List<CaseChange>();
        var deviationList = new List<CaseChange>();
        var noResult = new List<CaseChange>();
        foreach (var @case in current.Cases)
        {
            if (!before.TryGetValue(@case.Id, out var old)) continue;
            var sameCase = SameDefinition(old, @case);
            // A verdict of the baseline in an engine that ran now and has no result on the case now.
            foreach (var (engine, then) in old.Results.Where(r => r.Value.Verdict != Verdicts.HarnessError && !@case.Results.ContainsKey(r.Key)))
            {
                if (current.Engine(engine) is { Ran: true }) noResult.Add(new CaseChange(engine, @case.Id, then.Verdict, ReportChanges.NoResult, []));
            }
            foreach (var (engine, now) in @case.Results)
            {
                if (!old.Results.TryGetValue(engine, out var then)) continue;
                var fields = ChangedFields(then.Observed, now.Observed);
                var change = new CaseChange(engine, @case.Id, then.Verdict, now.Verdict, fields);
                var harnessError = (then.Verdict == Verdicts.HarnessError, now.Verdict == Verdicts.HarnessError);
                // What a harness error "observed" is no observation: two of them are nothing to report, one is no verdict.
                if (harnessError == (true, true)) continue;
                if (harnessError != (false, false)) harnessErrors.Add(change);
                else if (fields.Count == 0 && then.Verdict == now.Verdict) continue;
                else if (!sameCase) redefined.Add(change);
                // The same observation judged against another known-deviations list: not the browser's doing.
                else if (fields.Count == 0 && (then.Verdict, now.Verdict) is (Verdicts.Fails, Verdicts.KnownDeviation) or (Verdicts.KnownDeviation, Verdicts.Fails)) deviationList.Add(change);
                else if (!then.Failed && now.Failed) newFailures.Add(change);
                else if (then.Failed && !now.Failed) fixes.Add(change);
                else behaviour.Add(change);
            }
        }
        // New and removed by the catalog where the report has one: a shard's or a partial report's cases that did not run
        // were not removed from the catalog.
        var currentIds = current.Catalog?.Cases ?? current.Cases.Select(c => c.Id).ToList();
        var currentSet = currentIds.ToHashSet();
        return new ReportChanges(baselineName, baseline.GeneratedAt, versions, newFailures, fixes, behaviour,
            currentIds.Where(id => !before.ContainsKey(id)).ToList(),
            baseline.Cases.Where(c => !currentSet.Contains(c.Id)).Select(c => c.Id).ToList())
        {
            HarnessErrors = harnessErrors,
            RedefinedCases = redefined,
            EnginesNotRun = notRun,
            EngineBuilds = builds,
            DeviationListChanges = deviationList,
            NoResultNow = noResult,
            CurrentIsPartial = current.Partial is not null,
        };
    }

    /// <summary>Whether a case asks the same and expects the same in both reports: its request, and its expectation field by
    /// field with every allowed alternative (the prose of the reason and of the choice aside, and only the fields carried by
    /// name that both reports carry, so an older report lacking a newer field is no redefinition).</summary>
    public static bool SameDefinition(ReportCase a, ReportCase b)
    {
        if (a.Request != b.Request) return false;
        var shared = (a.Expected.Extra?.Keys ?? Enumerable.Empty<string>()).Intersect(b.Expected.Extra?.Keys ?? Enumerable.Empty<string>()).ToHashSet();
        return Definition(a.Expected, shared) == Definition(b.Expected, shared);
    }

    private static string Definition(ReportExpectation e, IReadOnlySet<string> extras) =>
        JsonSerializer.Serialize(e with
        {
            Reason = "",
            Choice = null,
            Extra = e.Extra?.Where(x => extras.Contains(x.Key)).OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(),
            Alternatives = null,
        }) + string.Concat((e.Alternatives ?? []).Select(alternative => " or " + Definition(alternative, extras)));

    /// <summary>The observation fields that differ (what a browser did, not how the verdict was judged).</summary>
    public static IReadOnlyList<string> ChangedFields(ReportObservation a, ReportObservation b) =>
        ObservedFields.All.Where(f => !ObservedField.Same(ReportExtra.Value(a, a.Extra, f), ReportExtra.Value(b, b.Extra, f))).Select(f => f.Name).ToList();

}

/// <summary>What report.md and report.html share when they name cases of the changes.</summary>
public static class ReportChangesText
{
    /// <summary>How many new or removed case ids are named before "and N more".</summary>
    public const int ListedIds = 50;

    /// <summary>The first <see cref="ListedIds"/> ids, each as <paramref name="show"/> writes it, and how many more.</summary>
    public static string Listed(IReadOnlyList<string> ids, Func<string, string> show) =>
        string.Join(", ", ids.Take(ListedIds).Select(show)) + (ids.Count > ListedIds ? $" and {ids.Count - ListedIds} more" : "");
}
