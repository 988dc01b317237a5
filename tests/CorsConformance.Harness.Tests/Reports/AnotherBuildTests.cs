using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>A browser vendor's path (2026-12-07): the catalog run in Debian's headless shell, then in the full Chromium of the
/// same version (CORS_CHROMIUM_EXECUTABLE_PATH=/usr/bin/chromium). Before: the full browser read "Chromium 156.0.8078.114
/// (settings, CDP)" (under Playwright "(settings)"), report.md gave the version alone, and the change report said "0 engine
/// version change(s)" with 15 cases gone from conforms to harness errors, nothing tying them to the other build.</summary>
public sealed class AnotherBuildTests
{
    private const string Shell = "/usr/lib/chromium/chromium-headless-shell";
    private const string Full = "/usr/bin/chromium";

    private static Report WithChromium(Report report, string description, string? path) => report with
    {
        Engines = [.. report.Engines.Select(e => e.Engine == "chromium"
            ? e with { Description = description, Launch = path is null ? null : new ReportLaunch(path, null, [], path == Shell ? "debian package" : "settings") }
            : e)],
    };

    [Test]
    public void The_full_browser_and_the_driver_are_named_in_the_engine_s_description()
    {
        var full = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.executablePath" ? Full : null, null);
        var shell = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.executablePath" ? Shell : null, null);
        var underPlaywright = EngineSettings.Resolve(Engine.Chromium, key => key switch { "chromium.executablePath" => Full, "chromium.driver" => "playwright", _ => null }, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(full.BuildWords, Is.EqualTo("settings, full browser"));
            Assert.That(shell.BuildWords, Is.EqualTo("settings, headless shell"));
            Assert.That(underPlaywright.BuildWords, Is.EqualTo("settings, full browser, Playwright"));
            Assert.That(EngineSettings.Resolve(Engine.WebkitGtk, _ => null, null).BuildWords, Is.EqualTo("debian package"));
        }
    }

    [Test]
    public void Another_build_of_the_same_version_is_a_build_change_and_the_changes_are_tied_to_it()
    {
        var version = RecordedReports.Current.Engine("chromium")!.Version;
        var baseline = WithChromium(RecordedReports.Current, $"Chromium {version} (debian package, headless shell, CDP)", Shell);
        var current = WithChromium(RecordedReports.Current, $"Chromium {version} (settings, full browser, CDP)", Full);
        var changes = ReportComparer.Compare(baseline, current, "shell.json");
        var report = current with { Changes = changes };
        var markdown = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.EngineVersions, Is.Empty, "the version is the same");
            Assert.That(changes.EngineBuilds, Has.Count.EqualTo(1));
            Assert.That(changes.EngineBuilds[0].Engine, Is.EqualTo("chromium"));
            Assert.That(changes.EngineBuilds[0].From, Does.Contain("headless shell").And.Contain(Shell));
            Assert.That(changes.EngineBuilds[0].To, Does.Contain("full browser").And.Contain(Full));
            Assert.That(changes.IsEmpty, Is.False);
            Assert.That(changes.Counts(), Does.Contain("1 engine build change(s)").And.Contain("chromium"));
            Assert.That(markdown, Does.Contain("another build of the same version").And.Contain(Full).And.Contain(Shell));
            Assert.That(html, Does.Contain("another build of the same version").And.Contain("build-change"));
            Assert.That(ReportComparer.Compare(current, current, "same.json").EngineBuilds, Is.Empty, "the same build is no change");
            Assert.That(ReportComparer.Compare(RecordedReports.Baseline, RecordedReports.Current, "baseline.json").EngineBuilds, Is.Empty,
                "a new version of the same build is a version change only");
        }
    }

    [Test]
    public void Report_md_and_html_name_the_build_that_ran_not_the_version_alone()
    {
        var version = RecordedReports.Current.Engine("chromium")!.Version;
        var report = WithChromium(RecordedReports.Current, $"Chromium {version} (settings, full browser, CDP)", Full);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MarkdownReport.Render(report), Does.Contain($"| chromium | {version} (settings, full browser, CDP) {Full} |"));
            Assert.That(HtmlReport.Render(report), Does.Contain("settings, full browser, CDP").And.Contain(Full));
        }
    }

    [Test]
    public void The_history_says_another_build_ran_and_how_many_cases_it_did_not_judge()
    {
        var v = "156.0.8078.114";
        var shell = new HistoryNight(DateTimeOffset.UnixEpoch, "shell.json",
            [new HistoryEngine("chromium", v, new Share(87, 87), $"{v} (debian package, headless shell, CDP) {Shell}")], new Share(87, 87));
        var full = new HistoryNight(DateTimeOffset.UnixEpoch.AddDays(1), "full.json",
            [new HistoryEngine("chromium", v, new Share(72, 72, 15), $"{v} (settings, full browser, CDP) {Full}")], new Share(72, 72, 15));
        var older = new HistoryNight(DateTimeOffset.UnixEpoch.AddDays(-1), "old.json", [new HistoryEngine("chromium", v, new Share(87, 87))], new Share(87, 87));
        IReadOnlyList<HistoryNight> nights = [older, shell, full];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReportHistory.Cell(nights, 2, "chromium"), Does.Contain("15 not judged").And.Contain("another build").And.Contain(Full));
            Assert.That(ReportHistory.Cell(nights, 1, "chromium"), Does.Not.Contain("another build"), "a night recorded without its build is no build change");
            Assert.That(ReportHistory.BuildChange(nights, 2, "chromium"), Is.Not.Null);
            var report = RecordedReports.Current with { History = [shell] };
            var reportFull = WithChromium(report, $"Chromium {RecordedReports.Current.Engine("chromium")!.Version} (settings, full browser, CDP)", Full);
            Assert.That(HtmlReport.Render(reportFull), Does.Contain("build-change"));
        }
    }
}

