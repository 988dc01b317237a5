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

    /// <summary>A server's header values reach the evidence as they came: an Access-Control-Allow-Origin ending in
    /// ESC [2J (clear the screen) or a C1 CSI was written raw into report.md's evidence blocks and protocol-check messages,
    /// so `cat report.md` ran the server's escape sequence in the reader's terminal (found by the hostile-server sweep).
    /// Control characters are written as \xNN; line breaks stay.</summary>
    [Test]
    public void A_server_s_control_characters_in_the_evidence_are_written_escaped()
    {
        var current = RecordedReports.CurrentWithChanges;
        var first = current.Cases[0];
        var results = first.Results.ToDictionary(r => r.Key, r => r.Value with
        {
            Verdict = "fails",
            Evidence = "Actual answer: 200\n      Access-Control-Allow-Origin: https://app.example.com\u001b[2J\u0007\u009b31m\0",
        });
        var hostile = current with { Cases = [first with { Results = results }, .. current.Cases.Skip(1)] };
        var markdown = MarkdownReport.Render(hostile);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(markdown, Does.Not.Match("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]"));
            Assert.That(markdown, Does.Contain("Access-Control-Allow-Origin: https://app.example.com\\x1b[2J\\x07\\x9b31m\\x00"));
            Assert.That(markdown, Does.Contain("Actual answer: 200\n      Access-Control-Allow-Origin"), "line breaks stay");
            Assert.That(HtmlReport.Render(hostile), Does.Not.Match("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]").And.Contain("https://app.example.com\\x1b[2J"));
        }
    }
}
