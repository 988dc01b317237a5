namespace CorsConformance.Harness.Reports;

/// <summary>How many judged cases conform. A harness error is no verdict, so it is in neither number (it is counted apart).</summary>
public sealed record Share(int Conforms, int Judged, int NotJudged = 0)
{
    /// <summary>"97.9 %", or "—" when nothing was judged.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Percent => Judged == 0 ? "—" : $"{100.0 * Conforms / Judged:0.0} %";

    [System.Text.Json.Serialization.JsonIgnore]
    public double? Ratio => Judged == 0 ? null : (double)Conforms / Judged;
}

/// <summary>The summary's numbers, computed from a report's cases: per engine and category the share of cases it conforms
/// on, and the interop score — the cases on which every engine that ran conforms, as the web platform's Interop effort
/// counts it.</summary>
public static class ReportFigures
{
    public static IReadOnlyList<string> RanEngines(Report report) => report.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();

    /// <summary>The engines the report lists that did not run: the interop score is of the others alone.</summary>
    public static IReadOnlyList<string> NotRun(Report report) => report.Engines.Where(e => !e.Ran).Select(e => e.Engine).ToList();

    /// <summary>Categories in the order they first appear, each with its cases.</summary>
    public static IReadOnlyList<(string Category, IReadOnlyList<ReportCase> Cases)> Categories(Report report) =>
        report.Cases.GroupBy(c => c.Category).Select(g => (g.Key, (IReadOnlyList<ReportCase>)g.ToList())).ToList();

    public static Share Engine(IEnumerable<ReportCase> cases, string engine)
    {
        var verdicts = cases.Where(c => c.Results.ContainsKey(engine)).Select(c => c.Results[engine].Verdict).ToList();
        var judged = verdicts.Count(v => v != Verdicts.HarnessError);
        return new Share(verdicts.Count(v => v == Verdicts.Conforms), judged, verdicts.Count - judged);
    }

    /// <summary>Cases every engine that ran has judged, and of them those on which all conform.</summary>
    public static Share Interop(IEnumerable<ReportCase> cases, IReadOnlyList<string> engines)
    {
        if (engines.Count == 0) return new Share(0, 0);
        var conforms = 0;
        var judged = 0;
        var notJudged = 0;
        foreach (var c in cases)
        {
            var results = engines.Select(e => c.Results.GetValueOrDefault(e)).ToList();
            if (results.Any(r => r is null || r.Verdict == Verdicts.HarnessError))
            {
                notJudged++;
                continue;
            }
            judged++;
            if (results.All(r => r!.Verdict == Verdicts.Conforms)) conforms++;
        }
        return new Share(conforms, judged, notJudged);
    }
}
