using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>docs/sample-report is what the renderer makes of the recorded reports today, not a hand-kept copy:
/// `cors-conformance render fixtures/reports/current.json --baseline fixtures/reports/baseline.json --history
/// fixtures/reports/history --out docs/sample-report` regenerates it when this fails.</summary>
public sealed class SampleReportTests
{
    private static string Committed(string name)
    {
        var root = RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone");
        return File.ReadAllText(Path.Combine(root, "docs", "sample-report", name));
    }

    [Test]
    public void The_committed_sample_report_is_the_renderer_s_output()
    {
        var sample = RecordedReports.Sample with { SchemaVersion = Report.CurrentSchemaVersion };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MarkdownReport.Render(sample), Is.EqualTo(Committed("report.md")), "docs/sample-report/report.md");
            Assert.That(HtmlReport.Render(sample), Is.EqualTo(Committed("report.html")), "docs/sample-report/report.html");
        }
    }
}
