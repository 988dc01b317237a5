using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>A runner page that failed mid-run was replaced and its cases ran again alone (PageFailureTests): the counts
/// stand, but the night must say its browser failed under it — report.json keeps each failure, report.md and report.html
/// show them, and a merge keeps both shards' failures.</summary>
public sealed class PageFailuresReportTests
{
    private static readonly Report Whole = RecordedReports.CurrentWithCatalog;
    private const string Failure = "the page at http://www.cors.test:1 running a batch of 20 case(s): the runner page failed: its renderer crashed or was killed (CDP Inspector.targetCrashed)";

    private static Report WithFailures(Report report, string engine, params string[] failures) =>
        report with { Engines = [.. report.Engines.Select(e => e.Engine == engine ? e with { PageFailures = failures } : e)] };

    [Test]
    public void The_report_keeps_and_shows_each_page_failure()
    {
        var engine = Whole.Engines.First(e => e.Ran).Engine;
        var read = ReportFile.Parse(ReportFile.Serialize(WithFailures(Whole, engine, Failure)), "report.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Engines.Single(e => e.Engine == engine).PageFailures, Is.EqualTo(new[] { Failure }));
            Assert.That(MarkdownReport.Render(read), Does.Contain($"**{engine}: the browser failed under the run 1 time(s)**").And.Contain("- " + Failure));
            Assert.That(HtmlReport.Render(read), Does.Contain("the browser failed under the run 1 time(s)").And.Contain("Inspector.targetCrashed"));
            Assert.That(ReportFile.Serialize(Whole), Does.Not.Contain("pageFailures"), "a run whose pages held writes nothing of them");
            Assert.That(MarkdownReport.Render(Whole), Does.Not.Contain("the browser failed under the run"));
        }
    }

    [Test]
    public void A_merge_keeps_the_page_failures_of_every_shard()
    {
        // Three shards of two or more engines: the first engine's cases are split between the first two.
        var shards = Enumerable.Range(1, 3).Select(k => RecordedReports.Split(Whole, new Shard(k, 3))).ToList();
        var engine = shards[0].Engines.Select(e => e.Engine).Intersect(shards[1].Engines.Select(e => e.Engine)).First();
        var parts = shards.Select((shard, i) => ($"shard-{i + 1}.json", WithFailures(shard, engine, $"{Failure} (shard {i + 1})"))).ToList();
        var merged = ReportMerge.Merge(parts, new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
        var expected = parts.Where(p => p.Item2.Engines.Any(e => e.Engine == engine)).Select(p => $"{Failure} ({p.Item1.Replace("-", " ")[..7]})");
        Assert.That(merged.Engines.Single(e => e.Engine == engine).PageFailures, Is.EqualTo(expected).And.Count.GreaterThanOrEqualTo(2));
    }
}
