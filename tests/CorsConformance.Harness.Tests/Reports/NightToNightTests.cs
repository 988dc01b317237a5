using CorsConformance.Cli;
using CorsConformance.Harness.Reports;
using V = CorsConformance.Harness.Reports.Verdicts;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>Two nights that differ in what ran, not in what the browsers did: an engine that ran yesterday and not today, a
/// night where no engine ran, a known deviation listed or unlisted between the nights, one night kept in two files. Each
/// read wrong before (found by the report/nightly review): the engine vanished from the changes, its version "→ none";
/// "Every engine conforms on every case" over no engine; a listed deviation was a "fix"; a night was drawn twice.</summary>
public sealed class NightToNightTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-nights-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static readonly ReportSummary Nothing = new(0, 0, 0, 0, 0);

    /// <summary>The current report without <paramref name="engine"/>'s results: skipped with a reason, or not listed at all.</summary>
    private static Report Without(Report report, string engine, bool listed) => report with
    {
        Engines = listed
            ? [.. report.Engines.Select(e => e.Engine == engine ? e with { Ran = false, Unavailable = "firefox-esr is not installed", Version = null, Summary = Nothing } : e)]
            : [.. report.Engines.Where(e => e.Engine != engine)],
        Cases = [.. report.Cases.Select(c => c with { Results = c.Results.Where(r => r.Key != engine).ToDictionary() })],
    };

    [TestCase(true, "not run: firefox-esr is not installed")]
    [TestCase(false, "not in this report")]
    public void An_engine_that_ran_in_the_baseline_and_not_now_is_said_and_fails_the_regression_gate(bool listed, string why)
    {
        var current = Without(RecordedReports.Current, "firefox", listed);
        var changes = ReportComparer.Compare(RecordedReports.Baseline, current, "baseline.json");
        var report = current with { Changes = changes };
        var markdown = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.EnginesNotRun, Is.EqualTo(new[] { new EngineNotRun("firefox", "153.7.0", why, 8, 8) }));
            Assert.That(changes.EngineVersions.Select(v => v.Engine), Does.Not.Contain("firefox"), "yesterday's version did not change to none");
            Assert.That(changes.IsEmpty, Is.False);
            Assert.That(changes.FailsRegressionGate, Is.True, "no regression can be ruled out on an engine that did not run");
            Assert.That(markdown, Does.Contain("**firefox ran in the baseline (version 153.7.0) and did not run now**").And.Not.Contain("→ none"));
            Assert.That(html, Does.Contain("firefox ran in the baseline (version 153.7.0) and did not run now").And.Contain("engine-not-run").And.Not.Contain("→ none"));
            Assert.That(changes.Counts(), Does.Contain("1 engine(s) that ran in the baseline did not run now (firefox: 8 verdict(s) not checked now)"));
        }
    }

    [Test]
    public void The_interop_score_says_which_listed_engine_it_leaves_out()
    {
        var report = Without(RecordedReports.Current, "firefox", listed: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MarkdownReport.Render(report), Does.Contain("**Not in this score: firefox (did not run).**"));
            Assert.That(HtmlReport.Render(report), Does.Contain("<strong>Not in this score: firefox (did not run).</strong>"));
            Assert.That(MarkdownReport.Render(RecordedReports.Current), Does.Not.Contain("Not in this score"));
        }
    }

    [Test]
    public void An_engine_that_did_not_run_in_the_baseline_is_not_a_version_change_from_none()
    {
        var baseline = Without(RecordedReports.Baseline, "firefox", listed: true);
        var changes = ReportComparer.Compare(baseline, RecordedReports.Current, "baseline.json");
        var markdown = MarkdownReport.Render(RecordedReports.Current with { Changes = changes });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.EngineVersions, Does.Contain(new VersionChange("firefox", null, "153.7.0")));
            Assert.That(changes.EnginesNotRun, Is.Empty);
            Assert.That(markdown, Does.Contain("- firefox: not run in the baseline, now version 153.7.0").And.Not.Contain("version none"));
        }
    }

    [Test]
    public void A_night_where_no_engine_ran_says_nothing_was_checked_not_that_every_engine_conforms()
    {
        var report = Without(Without(RecordedReports.Current, "firefox", listed: true), "chromium", listed: true);
        var markdown = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(markdown, Does.Not.Contain("Every engine conforms on every case").And.Not.Contain("all 0 engine(s)"));
            Assert.That(markdown, Does.Contain("**No engine ran: no case was checked.**").And.Contain("**no engine ran: none of the 8 case(s) was checked.**"));
            Assert.That(html, Does.Contain("<strong>no engine ran: none of the 8 case(s) was checked.</strong>").And.Not.Contain("all 0 engine(s)"));
        }
    }

    [Test]
    public void A_deviation_listed_or_unlisted_while_the_browser_did_the_same_is_neither_a_fix_nor_a_regression()
    {
        const string listed = "expose-headers/aceh-listed/same-origin", unlisted = "preflight-cache/max-age-absent/star";
        var baseline = RecordedReports.Current;
        var current = baseline with
        {
            Cases = [.. baseline.Cases.Select(c => c.Id switch
            {
                listed => c with { Results = c.Results.ToDictionary(r => r.Key, r => r.Key == "firefox" ? r.Value with { Verdict = V.KnownDeviation, Deviation = new ReportDeviation("listed now", "https://bugzil.la/1", ["readableHeaders"]) } : r.Value) },
                unlisted => c with { Results = c.Results.ToDictionary(r => r.Key, r => r.Key == "firefox" ? r.Value with { Verdict = V.Fails, Deviation = null } : r.Value) },
                _ => c,
            })],
        };
        var changes = ReportComparer.Compare(baseline, current, "baseline.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.Fixes, Is.Empty);
            Assert.That(changes.NewFailures, Is.Empty);
            Assert.That(changes.DeviationListChanges.Select(c => (c.Case, c.From, c.To)), Is.EqualTo(new[]
            {
                (listed, V.Fails, V.KnownDeviation), (unlisted, V.KnownDeviation, V.Fails),
            }));
            Assert.That(MarkdownReport.Render(current with { Changes = changes }), Does.Contain("**Known-deviations list changed"));
        }
    }

    [Test]
    public void One_night_in_two_files_is_one_night_and_two_files_of_one_time_that_differ_are_refused()
    {
        File.Copy(RecordedReports.PathOf("baseline.json"), Path.Combine(_directory, "2026-11-23.json"));
        File.Copy(RecordedReports.PathOf("baseline.json"), Path.Combine(_directory, "report.json"));
        var nights = ReportHistory.Load(_directory);
        Assert.That(nights.Select(n => n.Source), Is.EqualTo(new[] { "2026-11-23.json (also report.json)" }));

        var other = File.ReadAllText(RecordedReports.PathOf("history/2026-11-22.json"))
            .Replace("\"generatedAt\": \"2026-11-22T", "\"generatedAt\": \"2026-11-23T", StringComparison.Ordinal);
        var path = Path.Combine(_directory, "z.json");
        File.WriteAllText(path, other);
        var error = Assert.Throws<ReportFileException>(() => ReportHistory.Load(_directory))!;
        Assert.That(error.Message, Does.StartWith(path + ": field 'generatedAt': ").And.Contain("is also the night of 2026-11-23.json, whose figures differ"));
    }

    [Test]
    public async Task Merge_with_fail_on_regression_exits_3_when_an_engine_of_the_baseline_did_not_run()
    {
        var part = Path.Combine(_directory, "chromium.json");
        File.WriteAllText(part, ReportFile.Serialize(Without(RecordedReports.CurrentWithCatalog, "firefox", listed: true) with { Cases = [.. RecordedReports.CurrentWithCatalog.Cases.Select(c => c with { Results = c.Results.Where(r => r.Key == "chromium").ToDictionary() })] }));
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await Commands.RunAsync(["report", "merge", part, "--out", Path.Combine(_directory, "out"), "--baseline", RecordedReports.PathOf("baseline.json"), "--fail-on-regression"], output, error);
        Assert.That(code, Is.EqualTo(3), output.ToString() + error);
    }
}

/// <summary>The history chart over a night an engine did not run.</summary>
public sealed class HistoryGapTests
{
    /// <summary>Firefox ran on the 21st and the 23rd and not on the 22nd: one line from the 21st to the 23rd drew a share
    /// for the 22nd that no run had; now two lines, and the table says "not run".</summary>
    [Test]
    public void A_night_an_engine_did_not_run_breaks_its_line()
    {
        var nights = ReportHistory.Load(RecordedReports.HistoryFolder).ToList();
        var firefoxLess = nights[1] with { Engines = [.. nights[1].Engines.Where(e => e.Engine != "firefox")] };
        var report = RecordedReports.Current with { History = [nights[0], firefoxLess, nights[2]] };
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(HtmlReport.Render(report));
        var lines = document.QuerySelectorAll("#history-chart g.series[data-engine='firefox'] polyline").Select(l => l.GetAttribute("points")!.Split(' ').Length).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Is.EqualTo(new[] { 1, 2 }), "the 21st alone, then the 23rd and tonight");
            Assert.That(document.QuerySelectorAll("#history-chart g.series[data-engine='chromium'] polyline"), Has.Length.EqualTo(1));
            Assert.That(MarkdownReport.Render(report), Does.Contain("| 2026-11-22 02:00 | 2026-11-22.json | 85.7 %, 1 not judged (155.0.7999.10, new) | not run |"));
        }
    }
}

/// <summary>New and removed cases named, not only counted.</summary>
public sealed class NewAndRemovedCasesTests
{
    /// <summary>A renamed case read "1 new case(s)", "1 removed case(s)" in report.md and nothing but the count in
    /// report.html: which case left (with its failure, if it failed) was not said.</summary>
    [Test]
    public void New_and_removed_cases_are_named_in_report_md_and_report_html()
    {
        var report = RecordedReports.CurrentWithChanges;
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(HtmlReport.Render(report));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MarkdownReport.Render(report), Does.Contain("- 1 new case(s): `redirects/to-cross-site/final-acao-literal-null`")
                .And.Contain("- 1 removed case(s) (in the baseline, not in this catalog): `cors-check/retired-case`"));
            Assert.That(html.QuerySelector("#changes li.removed-case")?.TextContent, Does.Contain("cors-check/retired-case"));
            Assert.That(html.QuerySelector("#changes li.new-case")?.TextContent, Does.Contain("redirects/to-cross-site/final-acao-literal-null"));
        }
    }

    [Test]
    public void A_long_list_is_cut_with_how_many_more()
    {
        var ids = Enumerable.Range(0, ReportChangesText.ListedIds + 7).Select(i => $"c/n{i}").ToList();
        var report = RecordedReports.CurrentWithChanges;
        report = report with { Changes = report.Changes! with { NewCases = ids } };
        Assert.That(MarkdownReport.Render(report), Does.Contain($"`c/n{ReportChangesText.ListedIds - 1}` and 7 more").And.Not.Contain($"`c/n{ReportChangesText.ListedIds}`"));
    }
}

/// <summary>A result of the baseline missing now in an engine that ran.</summary>
public sealed class NoResultNowTests
{
    /// <summary>Firefox ran and has no result on three cases it conformed on yesterday, one of them today's regression:
    /// the changes said nothing of them (the regression vanished) and --fail-on-regression passed.</summary>
    [Test]
    public void A_baseline_verdict_with_no_result_now_is_listed_and_fails_the_gate_unless_the_report_says_it_is_partial()
    {
        var current = RecordedReports.Current;
        var dropped = current.Cases.Take(3).Select(c => c.Id).ToHashSet();
        current = current with
        {
            Cases = [.. current.Cases.Select(c => dropped.Contains(c.Id) ? c with { Results = c.Results.Where(r => r.Key != "firefox").ToDictionary() } : c)],
        };
        var changes = ReportComparer.Compare(RecordedReports.Baseline, current, "baseline.json");
        var partial = ReportComparer.Compare(RecordedReports.Baseline, current with { Partial = new ReportPartial([], [], []) }, "baseline.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.NoResultNow.Select(c => (c.Engine, c.Case, c.From, c.To)), Is.EquivalentTo(dropped.Select(id => ("firefox", id, "conforms", ReportChanges.NoResult))));
            Assert.That(changes.NewFailures, Is.Empty);
            Assert.That(changes.FailsRegressionGate, Is.True, "no regression can be ruled out on a case not checked");
            Assert.That(partial.NoResultNow, Has.Count.EqualTo(3));
            Assert.That(partial.FailsRegressionGate, Is.False, "a partial report says what it lacks; its parts are joined by report merge");
            Assert.That(MarkdownReport.Render(current with { Changes = changes }), Does.Contain("**3 verdict(s) of the baseline have no result now")
                .And.Contain("- firefox `expose-headers/aceh-listed/same-origin`: conforms → no result"));
            Assert.That(HtmlReport.Render(current with { Changes = changes }), Does.Contain("class=\"no-result\""));
        }
    }
}
