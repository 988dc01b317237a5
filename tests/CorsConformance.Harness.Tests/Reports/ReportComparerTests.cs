using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The baseline comparison, on two recorded report files that differ in known ways.</summary>
public sealed class ReportComparerTests
{
    private static ReportChanges Changes => RecordedReports.CurrentWithChanges.Changes!;

    [Test]
    public void An_engine_version_change_is_reported()
    {
        Assert.That(Changes.EngineVersions, Is.EqualTo(new[] { new VersionChange("chromium", "155.0.7999.10", "156.0.8078.79") }));
    }

    [Test]
    public void A_case_that_conformed_and_now_fails_is_a_regression()
    {
        var regression = Changes.NewFailures.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((regression.Engine, regression.Case, regression.From, regression.To),
                Is.EqualTo(("firefox", "expose-headers/aceh-listed/same-origin", "conforms", "fails")));
            Assert.That(regression.Fields, Is.EqualTo(new[] { "readableHeaders" }));
            Assert.That(Changes.HasRegressions, Is.True);
        }
    }

    [Test]
    public void A_harness_error_that_now_conforms_is_a_fix()
    {
        var fix = Changes.Fixes.Single();
        Assert.That((fix.Engine, fix.Case, fix.From, fix.To), Is.EqualTo(("chromium", "null-origin/acao-literal-null/fetch", "harness-error", "conforms")));
    }

    [Test]
    public void A_different_observation_under_the_same_verdict_is_a_behaviour_change()
    {
        var change = Changes.BehaviourChanges.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((change.Engine, change.Case), Is.EqualTo(("firefox", "preflight-cache/max-age-absent/star")));
            Assert.That(change.Fields, Is.EqualTo(new[] { "preflights" }));
        }
    }

    [Test]
    public void New_and_removed_cases_are_listed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Changes.NewCases, Is.EqualTo(new[] { "redirects/to-cross-site/final-acao-literal-null" }));
            Assert.That(Changes.RemovedCases, Is.EqualTo(new[] { "cors-check/retired-case" }));
        }
    }

    [Test]
    public void A_report_compared_with_itself_has_no_changes()
    {
        Assert.That(ReportComparer.Compare(RecordedReports.Current, RecordedReports.Current, "same").IsEmpty, Is.True);
    }

    [Test]
    public void A_report_of_another_schema_version_is_refused_by_name()
    {
        var json = File.ReadAllText(RecordedReports.PathOf("current.json")).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 99", StringComparison.Ordinal);
        Assert.That(() => ReportFile.Parse(json, "old.json"), Throws.TypeOf<ReportFileException>().With.Message.Contains("old.json").And.Message.Contains("99"));
    }

    [Test]
    public void A_report_round_trips_through_its_json()
    {
        var report = RecordedReports.CurrentWithChanges;
        var again = ReportFile.Parse(ReportFile.Serialize(report), "round-trip");
        Assert.That(ReportFile.Serialize(again), Is.EqualTo(ReportFile.Serialize(report)));
    }
}

/// <summary>A shard compared with a whole baseline: the cases it did not run are not "removed" (issue 19).</summary>
public sealed class PartialComparisonTests
{
    [Test]
    public void A_shard_s_cases_that_did_not_run_are_not_removed_cases()
    {
        var shard = RecordedReports.Split(RecordedReports.CurrentWithCatalog, new Shard(1, 3));
        var changes = ReportComparer.Compare(RecordedReports.Baseline, shard, "baseline.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.RemovedCases, Is.EqualTo(new[] { "cors-check/retired-case" }));
            Assert.That(changes.NewCases, Is.EqualTo(new[] { "redirects/to-cross-site/final-acao-literal-null" }));
        }
    }
}
