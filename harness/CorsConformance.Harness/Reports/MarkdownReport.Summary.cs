using System.Globalization;
using System.Text;

namespace CorsConformance.Harness.Reports;

/// <summary>report.md's parts with the same numbers as report.html's summary, partial notice and history chart.</summary>
public static partial class MarkdownReport
{
    private static void RenderPartial(StringBuilder md, Report report)
    {
        if (report.Partial is not { } partial) return;
        md.AppendLine().AppendLine("**Partial report" + (partial.Shards.Count > 0 ? $": shard {string.Join(", ", partial.Shards)}" : "") + ".**").AppendLine();
        foreach (var h in partial.Holds) md.AppendLine($"- {h.Engine}: results on {h.Cases} case(s)" + (h.First is null ? "" : $", `{Cell(h.First)}` … `{Cell(h.Last)}`"));
        foreach (var m in partial.Missing) md.AppendLine($"- {m.Engine}: **no result on {m.Cases} case(s)** of the catalog, `{Cell(m.First)}` … `{Cell(m.Last)}` — not checked here");
        if (partial.MissingShards is { Count: > 0 } absent) md.AppendLine($"- **shard(s) {string.Join(", ", absent)} of the split were not merged**: their engines' cases are not checked here");
    }

    private static void RenderSummary(StringBuilder md, Report report)
    {
        var engines = ReportFigures.RanEngines(report);
        var total = ReportFigures.Interop(report.Cases, engines);
        md.AppendLine().AppendLine("## Summary").AppendLine();
        md.AppendLine(engines.Count == 0 ? $"Interop score: **—** — **no engine ran: none of the {report.Cases.Count} case(s) was checked.**" : (report.ServerUnderTest is null
                ? $"Interop score: **{total.Percent}** — all {engines.Count} engine(s) conform on {total.Conforms} of {total.Judged} judged case(s)"
                : $"Interop score: **{total.Percent}** — in all {engines.Count} engine(s), {total.Conforms} of {total.Judged} judged case(s) do what the policy promises")
            // As loud as the score: a score over the judged cases alone read "100 %" beside cases nothing checked.
            + (total.NotJudged > 0 ? $"; **{total.NotJudged} case(s) not judged in every engine** (a harness error or no result{(report.ServerUnderTest?.NotJudged is { Count: > 0 } ? "; why: under Not judged" : "")}): not checked, counted in neither." : ".")
            + (ReportFigures.NotRun(report) is { Count: > 0 } notRun ? $" **Not in this score: {Cell(string.Join(", ", notRun))} (did not run).**" : ""));
        if (report.ServerUnderTest is { } sut) md.AppendLine().AppendLine(sut.FailedChecks.Count > 0 ? $"**{Cell(sut.ProtocolChecksHeadline())}**" : Cell(sut.ProtocolChecksHeadline()));
        md.AppendLine();
        md.AppendLine("| category | cases | " + string.Join(" | ", engines.Select(Cell)) + " | all engines (interop) |");
        md.AppendLine("|---|---:|" + string.Concat(engines.Select(_ => "---:|")) + "---:|");
        foreach (var (category, cases) in ReportFigures.Categories(report)) md.AppendLine(SummaryRow(Cell(category), cases, engines));
        md.AppendLine(SummaryRow("**all categories**", report.Cases, engines));
        md.AppendLine().AppendLine("A share counts the cases an engine conforms on among those it judged (a known deviation is not conformance; a harness error counts in neither).");
    }

    private static string SummaryRow(string label, IReadOnlyList<ReportCase> cases, IReadOnlyList<string> engines) =>
        $"| {label} | {cases.Count} | " + string.Concat(engines.Select(e => ShareText(ReportFigures.Engine(cases, e)) + " | ")) + ShareText(ReportFigures.Interop(cases, engines)) + " |";

    // The cases not judged sit in the cell beside the share: a "100.0 % (2/2)" in a row of 35 cases read as full marks.
    private static string ShareText(Share share) => (share.Judged == 0 ? "—" : $"{share.Percent} ({share.Conforms}/{share.Judged})")
        + (share.NotJudged > 0 ? $", **{share.NotJudged} not judged**" : "");

    private static void RenderHistory(StringBuilder md, Report report)
    {
        if (report.History is null) return;
        var nights = ReportHistory.WithTonight(report);
        var engines = ReportHistory.Engines(nights);
        md.AppendLine().AppendLine($"## Conformance over {nights.Count} night(s)").AppendLine();
        md.AppendLine("Each engine's share of conforming cases; the version is shown where it first appears or changed (\"new\").").AppendLine();
        md.AppendLine("| night | report | " + string.Join(" | ", engines.Select(Cell)) + " | interop |");
        md.AppendLine("|---|---|" + string.Concat(engines.Select(_ => "---:|")) + "---:|");
        for (var i = 0; i < nights.Count; i++)
        {
            md.AppendLine($"| {nights[i].GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} | {Cell(nights[i].Source)} | "
                + string.Concat(engines.Select(e => Cell(ReportHistory.Cell(nights, i, e)) + " | ")) + nights[i].Interop.Percent + " |");
        }
    }
}
