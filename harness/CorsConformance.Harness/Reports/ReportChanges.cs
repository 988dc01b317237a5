using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>What changed since a baseline report: new failures (regressions), fixes, other behaviour changes, engine versions.</summary>
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
    public bool HasRegressions => NewFailures.Count > 0;

    public bool IsEmpty => EngineVersions.Count + NewFailures.Count + Fixes.Count + BehaviourChanges.Count + NewCases.Count + RemovedCases.Count == 0;
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
        foreach (var @case in current.Cases)
        {
            if (!before.TryGetValue(@case.Id, out var old)) continue;
            foreach (var (engine, now) in @case.Results)
            {
                if (!old.Results.TryGetValue(engine, out var then)) continue;
                var fields = ChangedFields(then.Observed, now.Observed);
                var change = new CaseChange(engine, @case.Id, then.Verdict, now.Verdict, fields);
                if (!then.Failed && now.Failed) newFailures.Add(change);
                else if (then.Failed && !now.Failed) fixes.Add(change);
                else if (fields.Count > 0 || then.Verdict != now.Verdict) behaviour.Add(change);
            }
        }
        // New and removed by the catalog where the report has one: a shard's or a partial report's cases that did not run
        // were not removed from the catalog.
        var currentIds = current.Catalog?.Cases ?? current.Cases.Select(c => c.Id).ToList();
        var currentSet = currentIds.ToHashSet();
        return new ReportChanges(baselineName, baseline.GeneratedAt, versions, newFailures, fixes, behaviour,
            currentIds.Where(id => !before.ContainsKey(id)).ToList(),
            baseline.Cases.Where(c => !currentSet.Contains(c.Id)).Select(c => c.Id).ToList());
    }

    /// <summary>The observation fields that differ (what a browser did, not how the verdict was judged).</summary>
    public static IReadOnlyList<string> ChangedFields(ReportObservation a, ReportObservation b) =>
        ObservedFields.All.Where(f => !ObservedField.Same(ReportExtra.Value(a, a.Extra, f), ReportExtra.Value(b, b.Extra, f))).Select(f => f.Name).ToList();

}
