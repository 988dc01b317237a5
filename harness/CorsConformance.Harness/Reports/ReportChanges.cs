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

    public bool HasRegressions => NewFailures.Count > 0;

    /// <summary>A case that conformed (or deviated as listed) and is now a harness error: no regression can be ruled out on it.</summary>
    public bool HasConformanceNoLongerJudged => HarnessErrors.Any(c => c.To == Verdicts.HarnessError && c.From is Verdicts.Conforms or Verdicts.KnownDeviation);

    /// <summary>What --fail-on-regression fails on: a regression, or a case that conformed and could not be judged now.</summary>
    public bool FailsRegressionGate => HasRegressions || HasConformanceNoLongerJudged;

    /// <summary>The counts, as one line says them (the console and the HTML summary).</summary>
    public string Counts() =>
        $"{NewFailures.Count} new failure(s), {Fixes.Count} fix(es), {BehaviourChanges.Count} behaviour change(s), {EngineVersions.Count} engine version change(s), "
        + $"{NewCases.Count} new and {RemovedCases.Count} removed case(s)"
        + (HarnessErrors.Count > 0 ? $", {HarnessErrors.Count} harness error(s) on one side (no verdict there: neither regressions nor fixes)" : "")
        + (RedefinedCases.Count > 0 ? $", {RedefinedCases.Count} result(s) of cases redefined since (not the browser's doing)" : "");

    public bool IsEmpty => EngineVersions.Count + NewFailures.Count + Fixes.Count + BehaviourChanges.Count + HarnessErrors.Count + RedefinedCases.Count
        + NewCases.Count + RemovedCases.Count == 0;
}

public sealed record VersionChange(string Engine, string? From, string? To);

/// <summary>One case in one engine that changed: the verdicts before and after and, for behaviour, the fields that changed.</summary>
public sealed record CaseChange(string Engine, string Case, string From, string To, IReadOnlyList<string> Fields);

/// <summary>Compares a report with its baseline.</summary>
public static class ReportComparer
{
    public static ReportChanges Compare(Report baseline, Report current, string baselineName)
    {
        var versions = current.Engines
            .Select(e => (e.Engine, From: baseline.Engine(e.Engine)?.Version, To: e.Version))
            .Where(x => x.From != x.To)
            .Select(x => new VersionChange(x.Engine, x.From, x.To))
            .ToList();
        var before = baseline.Cases.ToDictionary(c => c.Id);
        var newFailures = new List<CaseChange>();
        var fixes = new List<CaseChange>();
        var behaviour = new List<CaseChange>();
        var harnessErrors = new List<CaseChange>();
        var redefined = new List<CaseChange>();
        foreach (var @case in current.Cases)
        {
            if (!before.TryGetValue(@case.Id, out var old)) continue;
            var sameCase = SameDefinition(old, @case);
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
