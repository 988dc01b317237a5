namespace CorsConformance.Harness.Reports;

/// <summary>
/// The report per step of the standard: for each step of the map, each engine's verdicts on the cases behind it (those
/// whose oracle evaluation took the step), so a vendor reads "CORS-preflight fetch, step 7.3: firefox deviates on 2 of 9
/// cases". report.md and report.html render the same figures.
/// </summary>
public static class StepResults
{
    /// <summary>One step: its cases in the report, and per engine that ran the counts of its verdicts on them.</summary>
    public sealed record Row(ReportStep Step, IReadOnlyList<string> Cases, IReadOnlyDictionary<string, ReportSummary> Engines)
    {
        /// <summary>Whether an engine's result on this step's cases differs from the standard anywhere (listed or not), or
        /// could not be judged.</summary>
        public bool AnyDifference => Engines.Values.Any(s => s.Conforms != s.Cases);
    }

    /// <summary>Every step of the report's map, in its order; empty for a report recorded before the map existed.</summary>
    public static IReadOnlyList<Row> Of(Report report)
    {
        var engines = report.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();
        return (report.StandardSteps ?? []).Select(step =>
        {
            var cases = report.Cases.Where(c => c.Steps?.Contains(step.Id) == true).ToList();
            var byEngine = engines.ToDictionary(e => e, e => ReportBuilder.Summarize(
                cases.Where(c => c.Results.ContainsKey(e)).Select(c => c.Results[e].Verdict)));
            return new Row(step, cases.Select(c => c.Id).ToList(), byEngine);
        }).ToList();
    }

    /// <summary>One engine on one step, in words: "conforms on all 9 cases", "deviates on 2 of 9 cases (1 not listed as a
    /// known deviation)", "not judged on 1 of 9 cases (harness errors)"; "no case" when none ran.</summary>
    public static string Describe(ReportSummary summary)
    {
        if (summary.Cases == 0) return "no case";
        var deviating = summary.KnownDeviations + summary.Fails;
        var parts = new List<string>();
        if (deviating > 0)
        {
            parts.Add($"deviates on {deviating} of {summary.Cases} case{(summary.Cases == 1 ? "" : "s")}"
                + (summary.Fails > 0 ? $" ({summary.Fails} not listed as a known deviation)" : ""));
        }
        if (summary.HarnessErrors > 0) parts.Add($"not judged on {summary.HarnessErrors} of {summary.Cases} (harness errors)");
        return parts.Count > 0 ? string.Join("; ", parts) : $"conforms on all {summary.Cases} case{(summary.Cases == 1 ? "" : "s")}";
    }

    /// <summary>"CORS-preflight fetch, step 7.3: firefox deviates on 2 of 9 cases".</summary>
    public static string Sentence(Row row, string engine) =>
        row.Engines[engine].Cases == 0 ? $"{row.Step.Name}: no case {engine} ran exercises it" : $"{row.Step.Name}: {engine} {Describe(row.Engines[engine])}";
}
