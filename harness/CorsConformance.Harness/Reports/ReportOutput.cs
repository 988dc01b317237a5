namespace CorsConformance.Harness.Reports;

/// <summary>What `report`, `report merge` and `render` share: the baseline's changes and the history added to a report,
/// and the three files written — all read and rendered before anything is written, so a bad input leaves nothing behind.</summary>
public static class ReportOutput
{
    /// <summary>The report with its changes since <paramref name="baseline"/> and the nights of <paramref name="historyFolder"/>.</summary>
    /// <exception cref="ReportFileException">The baseline or a history file is not a report: the file and the field named.</exception>
    public static Report Complete(Report report, string? baseline, string? historyFolder, string? baselineName = null)
    {
        if (baseline is not null) report = report with { Changes = ReportComparer.Compare(ReportFile.Load(baseline), report, baselineName ?? baseline) };
        // Previous nights only: the report itself (or a later one) in the folder is not a night before it.
        if (historyFolder is not null) report = report with { History = ReportHistory.Load(historyFolder).Where(n => n.GeneratedAt < report.GeneratedAt).ToList() };
        return report;
    }

    /// <summary>Reads the baseline and the history folder, for a command to refuse them before it runs anything.</summary>
    /// <exception cref="ReportFileException">The baseline or a history file is not a report: the file and the field named.</exception>
    public static void CheckInputs(string? baseline, string? historyFolder)
    {
        if (baseline is not null) ReportFile.Load(baseline);
        if (historyFolder is not null) ReportHistory.Load(historyFolder);
    }

    /// <summary>report.json, report.md and report.html in <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, Report report)
    {
        CheckFolder(folder);
        // Everything rendered before the folder is made: a render that fails leaves nothing behind, and so does a file
        // that cannot be written (OutputPath.WriteAllAsync).
        var files = new (string Name, string Text)[]
        {
            ("report.json", ReportFile.Serialize(report)), ("report.md", MarkdownReport.Render(report)), ("report.html", HtmlReport.Render(report)),
        };
        await OutputPath.WriteAllAsync(files.Select(f => (Path.Combine(folder, f.Name), f.Text)).ToList());
    }

    /// <summary>Whether --out can take the three files, for a command to refuse it before it runs anything.</summary>
    /// <exception cref="InputFileException">A file where the folder should be, or a folder where a file should be.</exception>
    public static void CheckFolder(string folder) => OutputPath.CheckFolder(folder, "--out", "report.json", "report.md", "report.html");

    /// <summary>`report merge`: the given report files joined (<see cref="ReportMerge"/>).</summary>
    /// <exception cref="ReportFileException">A file that is not a report, or reports that cannot be joined: the file named.</exception>
    public static Report Merge(IReadOnlyList<string> files, DateTimeOffset generatedAt) =>
        ReportMerge.Merge(files.Select(f => (f, ReportFile.Load(f))).ToList(), generatedAt);

    /// <summary>One line for the console: what a partial report holds and lacks.</summary>
    public static string? DescribePartial(Report report) => report.Partial is not { } p ? null
        : "Partial report" + (p.Shards.Count > 0 ? $" (shard {string.Join(", ", p.Shards)})" : "") + ": "
            + string.Join("; ", p.Holds.Select(h => $"{h.Engine} {h.Cases} case(s)"))
            + (p.Missing.Count > 0 ? "; NOT checked: " + string.Join("; ", p.Missing.Select(m => $"{m.Engine} {m.Cases} case(s)")) : "")
            + (p.MissingShards is { Count: > 0 } absent ? $"; shard(s) {string.Join(", ", absent)} not among the parts" : "") + ".";
}
