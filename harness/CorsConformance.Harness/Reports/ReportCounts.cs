namespace CorsConformance.Harness.Reports;

/// <summary>
/// The figures a report carries beside its results, checked against them when a report is read: the history's shares, the
/// changes' entries (each names a case and engine of the report, and its `to` is that result's verdict), the partial notice
/// (which engines lack which results) and the server-under-test's cases not judged. Each was written and never read back:
/// `render` drew "99 of 7 conform", a regression the report's own results do not hold, and a report whose catalog it does
/// not cover as whole (hostile-input round 3).
/// </summary>
internal static class ReportCounts
{
    /// <summary>The first figure that disagrees with what it counts, as "field 'path': …"; null when all agree.</summary>
    public static string? Disagreement(Report report) => History(report) ?? Changes(report) ?? Partial(report) ?? NotJudged(report);

    private static string? ShareProblem(Share share, string at)
    {
        var said = $"{share.Conforms} conform of {share.Judged} judged ({share.NotJudged} not judged)";
        if (share.Conforms < 0 || share.Judged < 0 || share.NotJudged < 0) return $"field '{at}': {said}: a count is negative, which no run writes";
        return share.Conforms > share.Judged ? $"field '{at}': {said}: more cases conform than were judged" : null;
    }

    private static string? History(Report report)
    {
        foreach (var (night, k) in (report.History ?? []).Select((n, k) => (n, k)))
        {
            if (night.GeneratedAt >= report.GeneratedAt)
            {
                return $"field 'history[{k}].generatedAt': {night.GeneratedAt:O} is not before the report's own generatedAt ({report.GeneratedAt:O}); the history holds previous nights";
            }
            if (k > 0 && night.GeneratedAt <= report.History![k - 1].GeneratedAt)
            {
                return $"field 'history[{k}].generatedAt': {night.GeneratedAt:O} is not after history[{k - 1}]'s ({report.History[k - 1].GeneratedAt:O}); the nights are oldest first, one each";
            }
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (engine, j) in night.Engines.Select((e, j) => (e, j)))
            {
                if (!seen.TryAdd(engine.Engine, j)) return $"field 'history[{k}].engines[{j}].engine': '{engine.Engine}' is listed already, as history[{k}].engines[{seen[engine.Engine]}]";
                if (ShareProblem(engine.Share, $"history[{k}].engines[{j}].share") is { } problem) return problem;
            }
            if (ShareProblem(night.Interop, $"history[{k}].interop") is { } interop) return interop;
        }
        return null;
    }

    private static string? Changes(Report report)
    {
        if (report.Changes is not { } changes) return null;
        var cases = report.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var lists = new (string Name, IReadOnlyList<CaseChange> Entries)[]
        {
            ("newFailures", changes.NewFailures), ("fixes", changes.Fixes), ("behaviourChanges", changes.BehaviourChanges),
            ("harnessErrors", changes.HarnessErrors), ("redefinedCases", changes.RedefinedCases),
            ("deviationListChanges", changes.DeviationListChanges), ("noResultNow", changes.NoResultNow),
        };
        foreach (var (name, entries) in lists)
        {
            foreach (var (change, i) in entries.Select((c, i) => (c, i)))
            {
                var at = $"changes.{name}[{i}]";
                if (!Verdicts.All.Contains(change.From)) return $"field '{at}.from': '{change.From}' is not a verdict ({string.Join(", ", Verdicts.All)})";
                if (!cases.TryGetValue(change.Case, out var @case)) return $"field '{at}': '{change.Case}' is not a case of the report, so it cannot have changed in it";
                var result = @case.Results.GetValueOrDefault(change.Engine);
                if (name == "noResultNow")
                {
                    if (result is not null) return $"field '{at}': case '{change.Case}' has a result of engine '{change.Engine}' ('{result.Verdict}'), so it is not without one";
                    if (change.To != ReportChanges.NoResult) return $"field '{at}.to': '{change.To}', but a verdict with no result now reads '{ReportChanges.NoResult}'";
                    continue;
                }
                if (result is null) return $"field '{at}': case '{change.Case}' has no result of engine '{change.Engine}' in the report, so its verdict cannot have changed";
                if (change.To != result.Verdict) return $"field '{at}.to': '{change.To}', but the report's result is '{result.Verdict}'";
            }
        }
        foreach (var (engine, i) in changes.EnginesNotRun.Select((e, i) => (e, i)))
        {
            var at = $"changes.enginesNotRun[{i}]";
            if (report.Engine(engine.Engine) is { Ran: true }) return $"field '{at}.engine': '{engine.Engine}' ran in this report, so it is no engine that did not run";
            if (engine.Conformed < 0 || engine.Judged < 0 || engine.Conformed > engine.Judged)
            {
                return $"field '{at}': {engine.Conformed} conformed of {engine.Judged} judged, which no comparison counts";
            }
        }
        return null;
    }

    private static string Said(PartialEngine e) => $"engine '{e.Engine}', {e.Cases} cases" + (e.First is null ? "" : $" ('{e.First}' to '{e.Last}')");

    /// <summary>A report with a catalog: its partial notice is what its results make it (<see cref="ReportPartiality"/>), or,
    /// after a merge that lacks whole shards, an empty one naming them.</summary>
    private static string? Partial(Report report)
    {
        foreach (var (list, name) in new[] { (report.Partial?.Shards, "shards"), (report.Partial?.MissingShards, "missingShards") })
        {
            foreach (var (shard, i) in (list ?? []).Select((s, i) => (s, i)))
            {
                // `render` showed any text as the shard a report is ("shard abc"); only `report merge` parsed them.
                try
                {
                    Shard.Parse(shard);
                }
                catch (ArgumentException e)
                {
                    return $"field 'partial.{name}[{i}]': {e.Message.Replace("--shard ", "a shard ", StringComparison.Ordinal)}";
                }
            }
        }
        if (report.Catalog is null) return null;
        var given = report.Partial;
        var expected = ReportPartiality.Of(report, given?.Shards ?? []);
        if (given is null)
        {
            return expected?.Missing.FirstOrDefault() is { } lacking
                ? $"the field 'partial' is missing: engine '{lacking.Engine}' has no result on {lacking.Cases} of the {report.Catalog.Cases.Count} cases of 'catalog.cases' (first '{lacking.First}'), and a report that lacks results says so in 'partial' (docs/report-schema.md)"
                : null;
        }
        // `report merge` writes an empty notice when its parts hold every result but name shards not among them.
        var (holds, missing) = (expected?.Holds ?? [], expected?.Missing ?? []);
        if (expected is null && given.Holds.Count == 0) holds = [];
        foreach (var (name, said, made) in new[] { ("holds", given.Holds, holds), ("missing", given.Missing, missing) })
        {
            for (var i = 0; i < Math.Max(said.Count, made.Count); i++)
            {
                if (i < said.Count && i < made.Count && said[i] == made[i]) continue;
                if (i < said.Count)
                {
                    return $"field 'partial.{name}[{i}]': {Said(said[i])}, but the report's results make it "
                        + (i < made.Count ? Said(made[i]) : "no entry" + (name == "missing" ? " (no engine lacks a result there)" : ""));
                }
                return name == "missing"
                    ? $"field 'partial.missing': engine '{made[i].Engine}' has no result on {made[i].Cases} cases of 'catalog.cases' ('{made[i].First}' to '{made[i].Last}'), which the notice does not list"
                    : $"field 'partial.holds': engine '{made[i].Engine}' holds {made[i].Cases} cases, which the notice does not list";
            }
        }
        return null;
    }

    private static string? NotJudged(Report report)
    {
        foreach (var (entry, i) in (report.ServerUnderTest?.NotJudged ?? []).Select((e, i) => (e, i)))
        {
            if (report.Engine(entry.Engine) is null) return $"field 'serverUnderTest.notJudged[{i}].engine': '{entry.Engine}' is not an engine of the report's 'engines'";
            if (entry.Cases < 1) return $"field 'serverUnderTest.notJudged[{i}].cases': {entry.Cases}, but an entry counts the cases an engine could not judge, at least 1";
        }
        return null;
    }
}
