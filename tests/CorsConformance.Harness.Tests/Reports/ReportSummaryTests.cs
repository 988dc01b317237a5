using AngleSharp.Html.Parser;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>
/// report.html's and report.md's summary, partial notice and history, against numbers counted by hand from the recorded
/// reports (fixtures/reports/README.md says what each holds): current.json has chromium conforming on 7 of 8 cases (one
/// known deviation), firefox on 5 of 8 (two known deviations, one failure), and both on 5.
/// </summary>
public sealed class ReportSummaryTests
{
    private static readonly Report Sample = RecordedReports.Sample;
    private AngleSharp.Html.Dom.IHtmlDocument Html = null!;
    private string Markdown = "";

    [OneTimeSetUp]
    public void Render()
    {
        Html = new HtmlParser().ParseDocument(HtmlReport.Render(Sample));
        Markdown = MarkdownReport.Render(Sample);
    }

    [OneTimeTearDown]
    public void Dispose() => Html.Dispose();

    private string Cell(string row, string column) =>
        Html.QuerySelector($"#summary-table {row} {column}")?.TextContent ?? $"no cell {row} {column}";

    [TestCase("cors-check", "chromium", "100.0 %")]
    [TestCase("expose-headers", "firefox", "0.0 %")]
    [TestCase("preflight", "chromium", "50.0 %")]
    [TestCase("preflight-cache", "firefox", "0.0 %")]
    public void Each_category_shows_the_share_of_cases_each_engine_conforms_on(string category, string engine, string share)
    {
        Assert.That(Cell($"tbody tr[data-category='{category}']", $"td[data-engine='{engine}']"), Is.EqualTo(share));
    }

    [Test]
    public void The_totals_and_the_interop_score_count_cases_where_every_engine_conforms()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Cell("tfoot tr", "td[data-engine='chromium']"), Is.EqualTo("87.5 %"));
            Assert.That(Cell("tfoot tr", "td[data-engine='firefox']"), Is.EqualTo("62.5 %"));
            Assert.That(Cell("tfoot tr", "td.interop"), Is.EqualTo("62.5 %"));
            Assert.That(Cell("tbody tr[data-category='preflight']", "td.interop"), Is.EqualTo("50.0 %"));
            Assert.That(Html.GetElementById("interop")!.TextContent, Does.Contain("62.5 %").And.Contain("5 of 8 judged"));
            Assert.That(Markdown, Does.Contain("| **all categories** | 8 | 87.5 % (7/8) | 62.5 % (5/8) | 62.5 % (5/8) |"));
            Assert.That(Markdown, Does.Contain("| expose-headers | 1 | 100.0 % (1/1) | 0.0 % (0/1) | 0.0 % (0/1) |"));
        }
    }

    [Test]
    public void A_harness_error_is_no_verdict_and_counts_in_neither_number()
    {
        // The baseline: chromium's harness error on null-origin/acao-literal-null/fetch.
        using var html = new HtmlParser().ParseDocument(HtmlReport.Render(RecordedReports.Baseline));
        var cell = html.QuerySelector("#summary-table tbody tr[data-category='null-origin'] td[data-engine='chromium']")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cell.GetAttribute("data-judged"), Is.EqualTo("0"));
            // The case not judged is in the engine's own cell, not only in the sentence above the table.
            Assert.That(System.Text.RegularExpressions.Regex.Replace(cell.TextContent, @"\s+", " ").Trim(), Is.EqualTo("— 1 not judged"));
            Assert.That(cell.QuerySelector("strong.not-judged")?.TextContent, Is.EqualTo("1 not judged"));
            Assert.That(MarkdownReport.Render(RecordedReports.Baseline), Does.Match(@"\| null-origin \| 1 \| —, \*\*1 not judged\*\* \|"));
            Assert.That(System.Text.RegularExpressions.Regex.Replace(html.GetElementById("interop")!.TextContent, @"\s+", " "),
                Does.Contain("judged case(s); 1 case(s) not judged in every engine (a harness error or no result): not checked"));
            // As loud as the score beside it, in both renderings.
            Assert.That(html.QuerySelector("#interop strong")?.TextContent, Is.EqualTo("1 case(s) not judged in every engine"));
            Assert.That(MarkdownReport.Render(RecordedReports.Baseline), Does.Contain("; **1 case(s) not judged in every engine** (a harness error or no result): not checked"));
        }
    }

    [Test]
    public void The_page_opens_on_the_summary_with_the_matrix_closed_and_filtered_to_differences()
    {
        var matrix = Html.GetElementById("full-matrix")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(matrix.LocalName, Is.EqualTo("details"));
            Assert.That(matrix.HasAttribute("open"), Is.False);
            Assert.That(Html.GetElementById("filter-differences")!.HasAttribute("checked"), Is.True);
            Assert.That(Html.Body!.Children.Select(c => c.Id).TakeWhile(id => id != "full-matrix"), Does.Contain("summary").And.Contain("changes").And.Contain("history"));
            Assert.That(Html.GetElementById("changes-headline")!.TextContent, Does.Contain("1 new failure(s), 0 fix(es)").And.Contains("1 harness error(s) on one side"));
        }
    }

    [Test]
    public void Every_summary_and_change_link_leads_to_something_on_the_page()
    {
        var options = Html.QuerySelectorAll("#filter-category option").Select(o => o.GetAttribute("value")).ToList();
        var categories = Html.QuerySelectorAll("#summary-table a.category-link").Select(a => a.GetAttribute("href")!).ToList();
        var cases = Html.QuerySelectorAll("#changes a.case-link").Select(a => a.GetAttribute("href")!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(categories, Is.EqualTo(Sample.Cases.Select(c => c.Category).Distinct().Select(HtmlReport.CategoryLink)));
            Assert.That(categories.Select(h => Uri.UnescapeDataString(h["#matrix/category=".Length..])), Is.SubsetOf(options));
            Assert.That(cases, Has.Count.EqualTo(Sample.Changes!.NewFailures.Count + Sample.Changes.Fixes.Count + Sample.Changes.BehaviourChanges.Count + Sample.Changes.HarnessErrors.Count + Sample.Changes.RedefinedCases.Count));
            foreach (var href in cases) Assert.That(Html.GetElementById(href[1..])?.LocalName, Is.EqualTo("details"), href);
        }
    }

    [Test]
    public void The_history_chart_has_a_line_per_engine_a_point_per_night_and_a_ring_per_version_change()
    {
        var chart = Html.GetElementById("history-chart")!;
        string[] Versions(string engine) => chart.QuerySelectorAll($"g.series[data-engine='{engine}'] circle.version-change").Select(c => c.GetAttribute("data-version")!).ToArray();
        double[] Heights(string engine) => chart.QuerySelectorAll($"g.series[data-engine='{engine}'] circle.point").Select(c => double.Parse(c.GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chart.NamespaceUri, Is.EqualTo("http://www.w3.org/2000/svg"));
            Assert.That(chart.QuerySelectorAll("g.series").Select(g => g.GetAttribute("data-engine")), Is.EqualTo(new[] { "chromium", "firefox" }));
            Assert.That(chart.QuerySelector("g.series[data-engine='chromium'] polyline")!.GetAttribute("points")!.Split(' '), Has.Length.EqualTo(4));
            Assert.That(Versions("chromium"), Is.EqualTo(new[] { "155.0.7999.10", "156.0.8078.79" }));
            Assert.That(Versions("firefox"), Is.EqualTo(new[] { "153.7.0" }));
            // chromium: 71.4 %, 85.7 %, 85.7 %, 87.5 %: higher on the page is a smaller y.
            var chromium = Heights("chromium");
            Assert.That(chromium[0], Is.GreaterThan(chromium[1]));
            Assert.That(chromium[1], Is.EqualTo(chromium[2]));
            Assert.That(chromium[2], Is.GreaterThan(chromium[3]));
        }
    }

    [Test]
    public void Report_md_carries_the_history_s_numbers_as_a_table()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Markdown, Does.Contain("## Conformance over 4 night(s)"));
            Assert.That(Markdown, Does.Contain("| 2026-11-21 02:00 | 2026-11-21.json | 71.4 %, 1 not judged (154.0.7900.5) | 62.5 % (153.6.0) | 42.9 % |"));
            Assert.That(Markdown, Does.Contain("| 2026-11-22 02:00 | 2026-11-22.json | 85.7 %, 1 not judged (155.0.7999.10, new) | 62.5 % | 57.1 % |"));
            Assert.That(Markdown, Does.Contain("| 2026-11-23 02:00 | 2026-11-23.json | 85.7 %, 1 not judged | 75.0 % (153.7.0, new) | 71.4 % |"));
            Assert.That(Markdown, Does.Contain("| 2026-11-24 02:00 | this report | 87.5 % (156.0.8078.79, new) | 62.5 % | 62.5 % |"));
        }
    }

    [Test]
    public void A_partial_report_says_so_at_the_top_of_both_files()
    {
        var shard = RecordedReports.Split(RecordedReports.CurrentWithCatalog, new Shard(1, 3));
        using var html = new HtmlParser().ParseDocument(HtmlReport.Render(shard));
        var markdown = MarkdownReport.Render(shard);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html.QuerySelector("#partial h2")!.TextContent, Is.EqualTo("Partial report: shard 1/3"));
            Assert.That(html.QuerySelector("#partial li.missing")!.TextContent, Does.StartWith("chromium: NO result on 3 case(s)"));
            Assert.That(markdown, Does.Contain("**Partial report: shard 1/3.**").And.Contain("- chromium: **no result on 3 case(s)**"));
        }
    }

    [Test]
    public void The_page_loads_nothing_from_outside_and_its_policy_stays_strict()
    {
        var policy = Html.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content")!;
        var style = Html.QuerySelector("style")!.TextContent;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Html.QuerySelectorAll("[src], link, image, use, foreignObject, [style]"), Is.Empty);
            Assert.That(Html.QuerySelectorAll("[href]").Select(a => a.GetAttribute("href")!), Is.All.Match("^(#|https?://)"));
            Assert.That(style, Does.Not.Contain("url(").And.Not.Contain("@import").And.Not.Contain("@font-face"));
            Assert.That(policy, Does.StartWith("default-src 'none';").And.Not.Contain("unsafe").And.Not.Contain("*"));
        }
    }
}

/// <summary>A shard's matrix says which cells it has no result on, rather than leaving them blank.</summary>
public sealed class PartialMatrixTests
{
    [Test]
    public void A_cell_without_a_result_says_so()
    {
        var shard = RecordedReports.Split(RecordedReports.CurrentWithCatalog, new Shard(2, 3));
        using var html = new HtmlParser().ParseDocument(HtmlReport.Render(shard));
        var empty = html.QuerySelectorAll("#matrix td.no-result").Select(td => (td.ParentElement!.GetAttribute("data-id"), td.GetAttribute("data-engine"))).ToList();
        var expected = shard.Cases.SelectMany(c => new[] { "chromium", "firefox" }.Where(e => !c.Results.ContainsKey(e)).Select(e => ((string?)c.Id, (string?)e))).ToList();
        Assert.That(empty, Is.EqualTo(expected).And.Not.Empty);
    }
}
