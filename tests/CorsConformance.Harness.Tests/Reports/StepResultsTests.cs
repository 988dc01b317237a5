using AngleSharp.Html.Parser;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The report per step of the standard: each engine's verdicts on the cases behind each step, in report.json,
/// report.md and report.html.</summary>
public sealed class StepResultsTests
{
    /// <summary>main fetch 14.1.3 (the exposed header names are headerNames) is behind expose-headers/aceh-listed/same-origin,
    /// where the recorded firefox fails.</summary>
    private const string ExposeStep = "concept-main-fetch/14.1.3";

    private static StepResults.Row Row(string id) => StepResults.Of(RecordedReports.CurrentWithSteps).Single(r => r.Step.Id == id);

    [Test]
    public void A_step_lists_the_cases_whose_evaluation_took_it()
    {
        Assert.That(Row(ExposeStep).Cases, Does.Contain("expose-headers/aceh-listed/same-origin"));
    }

    [Test]
    public void A_step_says_per_engine_how_many_of_its_cases_deviate()
    {
        var row = Row(ExposeStep);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StepResults.Sentence(row, "firefox"), Does.StartWith($"main fetch, step 14.1.3: firefox deviates on 1 of {row.Cases.Count} case"));
            Assert.That(StepResults.Sentence(row, "firefox"), Does.Contain("(1 not listed as a known deviation)"));
            Assert.That(StepResults.Sentence(row, "chromium"), Is.EqualTo($"main fetch, step 14.1.3: chromium conforms on all {row.Cases.Count} case{(row.Cases.Count == 1 ? "" : "s")}"));
        }
    }

    [Test]
    public void Known_deviations_count_as_deviating_but_not_as_unlisted()
    {
        Assert.That(StepResults.Describe(new ReportSummary(9, 7, 2, 0, 0)), Is.EqualTo("deviates on 2 of 9 cases"));
        Assert.That(StepResults.Describe(new ReportSummary(3, 2, 0, 0, 1)), Is.EqualTo("not judged on 1 of 3 (harness errors)"));
        Assert.That(StepResults.Describe(new ReportSummary(0, 0, 0, 0, 0)), Is.EqualTo("no case"));
    }

    [Test]
    public void The_markdown_report_lists_the_steps_where_an_engine_differs()
    {
        var markdown = MarkdownReport.Render(RecordedReports.CurrentWithSteps);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(markdown, Does.Contain("## The standard, step by step"));
            Assert.That(markdown, Does.Contain("[main fetch, step 14.1.3](https://fetch.spec.whatwg.org/#concept-main-fetch)"));
        }
    }

    [Test]
    public void The_html_report_has_a_section_with_a_row_per_step_and_a_cell_per_engine()
    {
        var document = new HtmlParser().ParseDocument(HtmlReport.Render(RecordedReports.CurrentWithSteps));
        var row = document.QuerySelector($"#standard-steps tr[data-step='{ExposeStep}']");
        Assert.That(row, Is.Not.Null);
        var firefox = row!.QuerySelector("td[data-engine='firefox']")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.QuerySelectorAll("#standard-steps tbody tr"), Has.Length.EqualTo(RecordedReports.CurrentWithSteps.StandardSteps!.Count));
            Assert.That(firefox.ClassList, Does.Contain("fails"));
            Assert.That(firefox.GetAttribute("title"), Does.StartWith("main fetch, step 14.1.3: firefox deviates on 1 of"));
            Assert.That(row.QuerySelectorAll("a.step-case").Select(a => a.GetAttribute("href")), Does.Contain("#" + HtmlReport.DetailId("expose-headers/aceh-listed/same-origin")));
        }
    }

    [Test]
    public void A_report_recorded_before_the_map_renders_without_the_section()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MarkdownReport.Render(RecordedReports.CurrentWithChanges), Does.Not.Contain("step by step"));
            Assert.That(new HtmlParser().ParseDocument(HtmlReport.Render(RecordedReports.CurrentWithChanges)).QuerySelector("#standard-steps"), Is.Null);
        }
    }

    [Test]
    public void The_steps_survive_report_json()
    {
        var report = RecordedReports.CurrentWithSteps;
        var read = ReportFile.Parse(ReportFile.Serialize(report), "report.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.StandardSteps!.Select(s => s.Id), Is.EqualTo(report.StandardSteps!.Select(s => s.Id)));
            Assert.That(read.Cases.Select(c => c.Steps), Is.EqualTo(report.Cases.Select(c => c.Steps)));
        }
    }
}
