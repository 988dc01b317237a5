using System.Text;

namespace CorsConformance.Harness.Reports;

/// <summary>report.md: the summary (per category and the interop score), what changed since the baseline, the history
/// table, and every case where an engine differs from the standard.</summary>
public static partial class MarkdownReport
{
    public static string Render(Report report)
    {
        var md = new StringBuilder();
        md.AppendLine("# CORS conformance report").AppendLine();
        md.AppendLine($"{report.Cases.Count} cases against the [Fetch Standard]({report.Spec}), {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC.").AppendLine();
        md.AppendLine("| engine | version | conform | known deviations | fail | harness errors |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var e in report.Engines)
        {
            md.AppendLine(e.Ran
                ? $"| {e.Engine} | {Cell(e.Version)} | {e.Summary.Conforms} | {e.Summary.KnownDeviations} | {e.Summary.Fails} | {e.Summary.HarnessErrors} |"
                : $"| {e.Engine} | not run: {Cell(e.Unavailable)} | | | | |");
        }
        RenderPartial(md, report);
        RenderSummary(md, report);
        if (report.Changes is { } changes)
        {
            md.AppendLine().AppendLine($"## Changes since {Cell(changes.Baseline)} ({changes.BaselineGeneratedAt:yyyy-MM-dd})").AppendLine();
            if (changes.IsEmpty) md.AppendLine("Nothing changed.");
            foreach (var v in changes.EngineVersions) md.AppendLine($"- {v.Engine}: version {Cell(v.From ?? "none")} → {Cell(v.To ?? "none")}");
            Section(md, "New failures (regressions)", changes.NewFailures);
            Section(md, "Fixes", changes.Fixes);
            Section(md, "Behaviour changes", changes.BehaviourChanges);
            if (changes.NewCases.Count > 0) md.AppendLine($"- {changes.NewCases.Count} new case(s)");
            if (changes.RemovedCases.Count > 0) md.AppendLine($"- {changes.RemovedCases.Count} removed case(s)");
        }
        RenderHistory(md, report);
        var engines = report.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();
        var differing = report.Cases.Where(c => c.Results.Values.Any(r => r.Verdict != Verdicts.Conforms)).ToList();
        md.AppendLine().AppendLine("## Where engines differ from the standard").AppendLine();
        if (differing.Count == 0)
        {
            md.AppendLine("Every engine conforms on every case.");
        }
        else
        {
            md.AppendLine("| case | standard | " + string.Join(" | ", engines) + " |");
            md.AppendLine("|---|---|" + string.Concat(engines.Select(_ => "---|")));
            foreach (var c in differing)
            {
                md.AppendLine($"| {(SafeLink.Of(c.Anchor) is { } anchor ? $"[{Cell(c.Id)}]({anchor})" : Cell(c.Id))} | {c.Expected.Outcome} | "
                    + string.Join(" | ", engines.Select(e => c.Results.TryGetValue(e, out var r) ? Cell(Summary(r)) : "")) + " |");
            }
        }
        return md.ToString();
    }

    private static void Section(StringBuilder md, string title, IReadOnlyList<CaseChange> changes)
    {
        if (changes.Count == 0) return;
        md.AppendLine().AppendLine($"**{title}**").AppendLine();
        foreach (var c in changes)
        {
            md.AppendLine($"- {c.Engine} `{Cell(c.Case)}`: {c.From} → {c.To}" + (c.Fields.Count > 0 ? $" ({string.Join(", ", c.Fields)})" : ""));
        }
    }

    private static string Summary(ReportResult r) =>
        r.Verdict + (r.Differences.Count > 0 ? ": " + string.Join("; ", r.Differences.Select(d => d.Field)) : "");

    /// <summary>Text for a table cell: pipes, backticks and markup characters cannot break out of it.</summary>
    public static string Cell(string? text) =>
        (text ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("`", "\\`", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
