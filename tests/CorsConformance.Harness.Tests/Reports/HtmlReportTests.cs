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

/// <summary>report.html and report.md never make a live link of anything but http(s) (issue 15, item 9).</summary>
public sealed class ReportLinkTests
{
    private static Report Hostile()
    {
        var report = RecordedReports.Current;
        var first = report.Cases[0];
        var (engine, result) = first.Results.First();
        var results = first.Results.ToDictionary(r => r.Key, r => r.Value);
        results[engine] = result with { Deviation = new ReportDeviation("a reason", "javascript:alert(1)", ["outcome"]) };
        var cases = report.Cases.ToList();
        cases[0] = first with { Anchor = "javascript:alert(2)", Results = results };
        cases[1] = cases[1] with { Anchor = "data:text/html,<script>alert(3)</script>" };
        return report with { Cases = cases };
    }

    [Test]
    public void A_javascript_or_data_url_in_an_anchor_or_a_deviation_link_stays_text()
    {
        using var html = new HtmlParser().ParseDocument(HtmlReport.Render(Hostile()));
        var hrefs = html.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hrefs.Where(h => !h.StartsWith('#')), Is.Not.Empty.And.All.StartsWith("https://").Or.All.StartsWith("http://"));
            Assert.That(html.QuerySelectorAll(".not-a-link").Select(s => s.TextContent), Is.SupersetOf(new[] { "javascript:alert(1)", "javascript:alert(2)" }));
            Assert.That(MarkdownReport.Render(Hostile()), Does.Not.Contain("](javascript:").And.Not.Contain("](data:"));
        }
    }

    [Test]
    public void The_page_forbids_outside_loads_and_inline_handlers_and_allows_its_own_script_by_hash()
    {
        using var html = new HtmlParser().ParseDocument(HtmlReport.Render(RecordedReports.Current));
        var policy = html.QuerySelector("meta[http-equiv='Content-Security-Policy']")?.GetAttribute("content");
        var script = html.QuerySelector("script")!.TextContent;
        var hash = "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy, Does.Contain("default-src 'none'").And.Contain($"script-src '{hash}'").And.Not.Contain("unsafe-inline"));
            // The policy comes before anything it governs.
            var head = html.Head!.Children.ToList();
            Assert.That(head.FindIndex(e => e.HasAttribute("http-equiv")), Is.GreaterThanOrEqualTo(0).And.LessThan(head.FindIndex(e => e.LocalName == "style")));
        }
    }
}
