using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>report.json, report.md and report.html in one folder (`report` and `render`).</summary>
internal static class ReportFolder
{
    public static async Task WriteAsync(string folder, Report report)
    {
        // Everything rendered before the folder is made: a render that fails leaves nothing behind.
        var files = new (string Name, string Text)[]
        {
            ("report.json", ReportFile.Serialize(report)), ("report.md", MarkdownReport.Render(report)), ("report.html", HtmlReport.Render(report)),
        };
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(folder, name), text);
    }
}
