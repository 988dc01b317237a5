using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

public sealed class MarkdownReportTests
{
    private static readonly string Markdown = MarkdownReport.Render(RecordedReports.CurrentWithChanges);

    [Test]
    public void The_summary_table_has_every_engine_s_counts()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Markdown, Does.Contain("| chromium | 156.0.8078.79 (debian package) | 7 | 1 | 0 | 0 |"));
            Assert.That(Markdown, Does.Contain("| firefox | 153.7.0 (debian package) | 5 | 2 | 1 | 0 |"));
        }
    }

    [Test]
    public void The_changes_since_the_baseline_name_the_regression_and_the_version()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Markdown, Does.Contain("firefox `expose-headers/aceh-listed/same-origin`: conforms → fails"));
            Assert.That(Markdown, Does.Contain("chromium: version 155.0.7999.10 → 156.0.8078.79"));
        }
    }

    [TestCase("a | b", "a \\| b")]
    [TestCase("<script>", "&lt;script&gt;")]
    [TestCase("`x`", "\\`x\\`")]
    [TestCase("[click](https://evil.example)", "\\[click\\](https://evil.example)")]
    [TestCase("![](https://evil.example/p.png)", "!\\[\\](https://evil.example/p.png)")]
    [TestCase("a\r# heading", "a # heading")]
    public void Cell_text_cannot_break_out_of_its_table_cell(string text, string escaped)
    {
        Assert.That(MarkdownReport.Cell(text), Is.EqualTo(escaped));
    }

    /// <summary>An anchor from a report.json is a link only when it is http(s), but a parenthesis or a space in it ended the
    /// link early, and the rest of it was read as Markdown: here an image every viewer of report.md loaded.</summary>
    [Test]
    public void An_anchor_cannot_end_its_link_early()
    {
        var report = RecordedReports.Current;
        var hostile = "https://fetch.spec.whatwg.org/x) ![t](https://evil.example/q.png";
        var md = MarkdownReport.Render(report with { Cases = [.. report.Cases.Select(c => c with { Anchor = hostile })] });
        Assert.That(md, Does.Contain("](https://fetch.spec.whatwg.org/x%29%20![t]%28https://evil.example/q.png)").And.Not.Contain("x) ![t]"));
    }
}
