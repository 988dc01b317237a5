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
    public void A_harness_error_on_one_side_is_neither_a_regression_nor_a_fix()
    {
        // Chromium could not judge the case in the baseline and conforms now: the harness was mended, not the browser.
        var change = Changes.HarnessErrors.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((change.Engine, change.Case, change.From, change.To), Is.EqualTo(("chromium", "null-origin/acao-literal-null/fetch", "harness-error", "conforms")));
            Assert.That(Changes.Fixes, Is.Empty);
            Assert.That(Changes.HasConformanceNoLongerJudged, Is.False);
        }
    }

    [Test]
    public void A_case_that_conformed_and_is_now_a_harness_error_is_no_regression_but_fails_the_regression_gate()
    {
        var current = WithResult(RecordedReports.Current, "expose-headers/aceh-listed/same-origin", "firefox", r => r with { Verdict = CorsConformance.Harness.Reports.Verdicts.HarnessError });
        var baseline = WithResult(RecordedReports.Baseline, "expose-headers/aceh-listed/same-origin", "firefox", r => r with { Verdict = CorsConformance.Harness.Reports.Verdicts.Conforms });
        var changes = ReportComparer.Compare(baseline, current, "baseline.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.NewFailures.Select(c => c.Case), Does.Not.Contain("expose-headers/aceh-listed/same-origin"));
            Assert.That(changes.HarnessErrors.Select(c => (c.Engine, c.Case, c.From, c.To)), Does.Contain(("firefox", "expose-headers/aceh-listed/same-origin", "conforms", "harness-error")));
            Assert.That(changes.HasRegressions, Is.False, "a harness problem is never a verdict");
            Assert.That(changes.FailsRegressionGate, Is.True, "no regression can be ruled out on a case that could not be judged");
        }
    }

    [Test]
    public void A_case_whose_expectation_changed_is_redefined_not_a_regression()
    {
        // The oracle now expects something else of the case (a step modelled anew), and the browser did what it did before:
        // the verdict moved with the case.
        const string id = "expose-headers/aceh-listed/same-origin";
        var baseline = WithResult(RecordedReports.Baseline, id, "firefox", r => r with { Verdict = CorsConformance.Harness.Reports.Verdicts.Conforms });
        var current = RecordedReports.Current;
        current = current with
        {
            Cases = [.. current.Cases.Select(c => c.Id == id ? c with { Expected = c.Expected with { ReadableHeaders = ["x-other"] } } : c)],
        };
        var changes = ReportComparer.Compare(baseline, current, "baseline.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.NewFailures, Is.Empty);
            Assert.That(changes.RedefinedCases.Select(c => (c.Engine, c.Case, c.From, c.To)), Is.EqualTo(new[] { ("firefox", id, "conforms", "fails") }));
            Assert.That(changes.FailsRegressionGate, Is.False);
        }
    }

    [Test]
    public void The_prose_of_an_expectation_and_a_field_only_one_report_carries_redefine_nothing()
    {
        var a = RecordedReports.Current.Cases[0];
        var reworded = a with { Expected = a.Expected with { Reason = a.Expected.Reason + " (reworded)", Extra = new() { ["redirected"] = true } } };
        var request = a with { Request = a.Request + " ×2" };
        var outcome = a with { Expected = a.Expected with { Alternatives = [a.Expected with { Preflights = a.Expected.Preflights + 1 }] } };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReportComparer.SameDefinition(a, reworded), Is.True);
            Assert.That(ReportComparer.SameDefinition(a, request), Is.False, "another request");
            Assert.That(ReportComparer.SameDefinition(a, outcome), Is.False, "another allowed behaviour");
        }
    }

    private static Report WithResult(Report report, string id, string engine, Func<ReportResult, ReportResult> change) => report with
    {
        Cases = [.. report.Cases.Select(c => c.Id != id ? c : c with
        {
            Results = c.Results.ToDictionary(r => r.Key, r => r.Key == engine ? change(r.Value) : r.Value),
        })],
    };

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

    /// <summary>A value of the wrong type was reported in .NET's words ("could not be converted to
    /// CorsConformance.Harness.Reports.ReportSummary"), which no reader of report-schema.md knows.</summary>
    [TestCase("\"ran\": true", "\"ran\": \"yes\"", "the value does not have the type docs/report-schema.md gives this field")]
    [TestCase("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"engines\": 3,", null)]
    [TestCase("\"generatedAt\": \"2026-11-24T02:00:00+00:00\"", "\"generatedAt\": \"2026-13-45T00:00:00Z\"", "the value is not a valid date and time (RFC 3339, as 2026-12-06T03:00:00Z)")]
    public void A_value_of_the_wrong_type_is_named_in_the_schema_s_words(string from, string to, string? words)
    {
        var json = File.ReadAllText(RecordedReports.PathOf("current.json"));
        Assert.That(json, Does.Contain(from));
        var e = Assert.Throws<ReportFileException>(() => ReportFile.Parse(json.Replace(from, to, StringComparison.Ordinal), "bad.json"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith("bad.json: ").And.Not.Contain("CorsConformance.").And.Not.Contain("System."));
            if (words is not null) Assert.That(e.Message, Does.Contain(words));
        }
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
