namespace CorsConformance.Harness.Reports;

/// <summary>Whether a report holds every engine's result on every case of its catalog, and if not, what it holds and lacks.</summary>
public static class ReportPartiality
{
    /// <returns>null when every engine that ran has a result on every catalog case (and the report is no shard); else the
    /// shards it holds, and per engine that ran the cases it holds and lacks.</returns>
    public static ReportPartial? Of(Report report, IReadOnlyList<string> shards)
    {
        if (report.Catalog is not { } catalog) return null;
        var holds = new List<PartialEngine>();
        var missing = new List<PartialEngine>();
        foreach (var engine in report.Engines.Where(e => e.Ran).Select(e => e.Engine))
        {
            var present = report.Cases.Where(c => c.Results.ContainsKey(engine)).Select(c => c.Id).ToHashSet();
            var held = catalog.Cases.Where(present.Contains).ToList();
            var lacking = catalog.Cases.Where(id => !present.Contains(id)).ToList();
            holds.Add(new PartialEngine(engine, held.Count, held.FirstOrDefault(), held.LastOrDefault()));
            if (lacking.Count > 0) missing.Add(new PartialEngine(engine, lacking.Count, lacking[0], lacking[^1]));
        }
        // A shard is partial even when it happens to hold everything (1/1 is not): it says which part of a run it is.
        return missing.Count == 0 && shards.All(s => s.EndsWith("/1", StringComparison.Ordinal)) ? null : new ReportPartial(shards, holds, missing);
    }
}
