using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>
/// report.md is built from report.json, which `render` and `report merge` read from anywhere: an engine name in it is text
/// for a table cell like any other, so markup or a pipe in it can neither break the tables nor reach a viewer as HTML.
/// </summary>
public sealed class MarkdownEscapingTests
{
    [Test]
    public void An_engine_name_with_markup_and_a_pipe_stays_inside_its_cells()
    {
        var current = RecordedReports.CurrentWithChanges;
        const string Hostile = "<script>alert(1)</script>|x";
        var renamed = current with
        {
            Engines = [.. current.Engines.Select((e, i) => i == 0 ? e with { Engine = Hostile } : e)],
        };
        var markdown = MarkdownReport.Render(renamed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(markdown, Does.Not.Contain("<script>"));
            Assert.That(markdown, Does.Not.Contain("</script>|x"));
            Assert.That(markdown, Does.Contain("&lt;script&gt;"));
        }
    }
}
