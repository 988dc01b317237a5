using AngleSharp.Html.Parser;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>report.html, parsed back with AngleSharp and checked against report.json.</summary>
public sealed class HtmlReportTests
{
    private static readonly Report Report = RecordedReports.CurrentWithChanges;
    private AngleSharp.Html.Dom.IHtmlDocument Html = null!;

    [OneTimeSetUp]
    public void Parse() => Html = new HtmlParser().ParseDocument(HtmlReport.Render(Report));

    [OneTimeTearDown]
    public void Dispose() => Html.Dispose();

    [Test]
    public void The_matrix_has_one_row_per_case_of_the_json_in_order()
    {
        var rows = Html.QuerySelectorAll("#matrix tbody tr.case").Select(r => r.GetAttribute("data-id")).ToList();
        Assert.That(rows, Is.EqualTo(Report.Cases.Select(c => c.Id)));
    }

    [Test]
    public void Every_engine_cell_carries_the_json_verdict_and_the_standard_sits_beside_it()
    {
        foreach (var @case in Report.Cases)
        {
            var row = Html.QuerySelector($"#matrix tr.case[data-id='{@case.Id}']")!;
            Assert.That(row.QuerySelector("td.standard")!.TextContent, Is.EqualTo(@case.Expected.Outcome), @case.Id);
            foreach (var (engine, result) in @case.Results)
            {
                Assert.That(row.QuerySelector($"td[data-engine='{engine}']")!.GetAttribute("data-verdict"), Is.EqualTo(result.Verdict), $"{@case.Id} {engine}");
            }
        }
    }

    [Test]
    public void Every_case_has_a_detail_view_with_its_anchor_link_request_and_journal()
    {
        foreach (var @case in Report.Cases)
        {
            var detail = Html.GetElementById(HtmlReport.DetailId(@case.Id))!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(detail.QuerySelector($"a[href='{@case.Anchor}']"), Is.Not.Null, @case.Id);
                Assert.That(detail.QuerySelector(".request")!.TextContent, Does.Contain(@case.Request), @case.Id);
                Assert.That(detail.QuerySelectorAll("table.journal"), Has.Length.EqualTo(@case.Results.Count), @case.Id);
            }
        }
    }

    [Test]
    public void Markup_in_a_browser_reason_stays_text()
    {
        using (Assert.EnterMultipleScope())
        {
            // Only the report's own script: the reason's <script> is text, not an element.
            Assert.That(Html.QuerySelectorAll("script"), Has.Length.EqualTo(1));
            Assert.That(Html.QuerySelectorAll(".reason").Select(r => r.TextContent), Has.Some.Contains("<script>alert(\"markup\")</script>"));
        }
    }

    [Test]
    public void The_engines_table_and_the_changes_match_the_json()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Html.QuerySelectorAll("#engines tbody tr").Select(r => r.GetAttribute("data-engine")), Is.EqualTo(Report.Engines.Select(e => e.Engine)));
            Assert.That(Html.QuerySelectorAll("#changes li.regression").Select(li => li.GetAttribute("data-case")),
                Is.EqualTo(Report.Changes!.NewFailures.Select(c => c.Case)));
            Assert.That(Html.QuerySelectorAll("#changes li.fix"), Has.Length.EqualTo(Report.Changes.Fixes.Count));
        }
    }

    [Test]
    public void The_file_is_self_contained()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Html.QuerySelectorAll("script[src], link[rel=stylesheet], img"), Is.Empty);
            Assert.That(Html.QuerySelectorAll("#filters select, #filters input[type=checkbox]"), Has.Length.EqualTo(4));
        }
    }
}
