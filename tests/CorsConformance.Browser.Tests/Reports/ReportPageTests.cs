using CorsConformance.Harness;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using Microsoft.Playwright;

namespace CorsConformance.Browser.Tests.Reports;

/// <summary>
/// report.html in a real browser: the committed sample report (docs/sample-report) opens from disk with no network on its
/// summary, under its own Content-Security-Policy with nothing refused; its links, filters and history chart work; and a
/// screenshot of it is taken (kept as docs/report.png when CORS_UPDATE_DOCS=1).
/// </summary>
public sealed class ReportPageTests
{
    private static string Root => RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone");

    private static string Folder => Path.Combine(Root, "docs", "sample-report");

    private static readonly Report Sample = ReportFile.Load(Path.Combine(Folder, "report.json"));

    private PlaywrightBrowser? _session;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _console = [];

    [OneTimeSetUp]
    public async Task Launch()
    {
        // The page is driven with Playwright's locators, so Chromium's driver is Playwright here, whatever the settings say.
        // Launched straight through Playwright, not the shared pool (which hands out leases, not Playwright's own browser).
        var settings = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.driver" ? "playwright" : EngineSelection.Settings(key),
            await PlaywrightBrowser.BuildPathAsync(Engine.Chromium));
        var launch = await PlaywrightBrowser.TryLaunchAsync(settings);
        if (launch.Session is null) Assert.Ignore(launch.Unavailable!);
        if (launch.Session is not PlaywrightBrowser session)
        {
            await launch.Session!.DisposeAsync();
            Assert.Fail($"chromium.driver=playwright launched {launch.Session.Description}");
            return;
        }
        _session = session;
    }

    [OneTimeTearDown]
    public async Task Close()
    {
        if (_session is not null) await _session.DisposeAsync();
    }

    [SetUp]
    public async Task Open()
    {
        // No network at all: the file must be self-contained.
        _context = await _session!.Browser.NewContextAsync(new BrowserNewContextOptions { Offline = true, ViewportSize = new ViewportSize { Width = 1100, Height = 700 } });
        _page = await _context.NewPageAsync();
        _console.Clear();
        _page.Console += (_, message) => _console.Add(message.Text);
        await _page.GotoAsync(new Uri(Path.Combine(Folder, "report.html")).AbsoluteUri);
    }

    [TearDown]
    public async Task CloseContext()
    {
        await _context.CloseAsync();
        // A refused script, style or load would leave the page half-working: the browser says so on the console.
        Assert.That(_console, Has.None.Contains("Content Security Policy").And.None.Contains("Refused"), "the page's own policy refused something");
    }

    private ILocator VisibleRows => _page.Locator("#matrix tr.case:not(.hidden)");

    private static string[] Ids(IEnumerable<ReportCase> cases) => cases.Select(c => c.Id).ToArray();

    [Test]
    public async Task The_page_opens_on_the_summary_and_the_matrix_one_click_away_shows_the_differences_then_filters()
    {
        var summaryVisible = await _page.Locator("#summary-table").IsVisibleAsync();
        var matrixVisibleAtFirst = await _page.Locator("#matrix").IsVisibleAsync();
        var interop = await _page.Locator("#interop").TextContentAsync();

        await _page.ClickAsync("#full-matrix > summary");
        var matrixVisible = await _page.Locator("#matrix").IsVisibleAsync();
        var differing = await VisibleRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        var shown = await _page.Locator("#shown").TextContentAsync();

        await _page.UncheckAsync("#filter-differences");
        var all = await VisibleRows.CountAsync();
        await _page.CheckAsync("#filter-failures");
        var failing = await VisibleRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        await _page.SelectOptionAsync("#filter-engine", "chromium");
        var failingInChromium = await VisibleRows.CountAsync();
        await _page.SelectOptionAsync("#filter-engine", "");
        await _page.UncheckAsync("#filter-failures");
        await _page.CheckAsync("#filter-differences");
        var screenshot = await _page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });

        var expectedDiffering = Ids(Sample.Cases.Where(c => c.Results.Values.Any(r => r.Verdict != Verdicts.Conforms)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(summaryVisible, Is.True, "the summary is what the page opens on");
            Assert.That(matrixVisibleAtFirst, Is.False, "the matrix is closed at first");
            Assert.That(interop, Does.Contain("62.5 %"));
            Assert.That(matrixVisible, Is.True, "one click opens the matrix");
            Assert.That(differing, Is.EqualTo(expectedDiffering).And.Not.Empty, "filtered to differences by default");
            Assert.That(shown, Is.EqualTo($"{expectedDiffering.Length} case(s) shown"));
            Assert.That(all, Is.EqualTo(Sample.Cases.Count));
            Assert.That(failing, Is.EqualTo(Ids(Sample.Cases.Where(c => c.Results.Values.Any(r => r.Failed)))));
            Assert.That(failingInChromium, Is.EqualTo(Sample.Cases.Count(c => c.Results.TryGetValue("chromium", out var r) && r.Failed)));
            Assert.That(screenshot.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        }
        var artifacts = Path.Combine(Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "report.png"), screenshot);
        if (Environment.GetEnvironmentVariable("CORS_UPDATE_DOCS") == "1") await File.WriteAllBytesAsync(Path.Combine(Root, "docs", "report.png"), screenshot);
    }

    [TestCase("preflight")]
    [TestCase("expose-headers")]
    public async Task A_category_of_the_summary_opens_the_matrix_on_that_category(string category)
    {
        await _page.ClickAsync($"#summary-table tr[data-category='{category}'] a.category-link");
        var open = await _page.Locator("#full-matrix").EvaluateAsync<bool>("d => d.open");
        var selected = await _page.InputValueAsync("#filter-category");
        var rows = await VisibleRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        var inView = await _page.Locator("#matrix").IsVisibleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(open, Is.True);
            Assert.That(selected, Is.EqualTo(category));
            Assert.That(inView, Is.True);
            Assert.That(rows, Is.EqualTo(Ids(Sample.Cases.Where(c => c.Category == category && c.Results.Values.Any(r => r.Verdict != Verdicts.Conforms)))).And.Not.Empty);
        }
    }

    [Test]
    public async Task A_change_links_to_its_case_s_detail_opened_and_scrolled_to()
    {
        var link = _page.Locator("#changes li.regression a.case-link").First;
        var caseId = await link.TextContentAsync();
        await link.ClickAsync();
        var detail = _page.Locator($"details#{HtmlReport.DetailId(caseId!)}");
        var open = await detail.EvaluateAsync<bool>("d => d.open");
        var top = await detail.EvaluateAsync<double>("d => d.getBoundingClientRect().top");
        var journalShown = await detail.Locator("table.journal").First.IsVisibleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caseId, Is.EqualTo(Sample.Changes!.NewFailures[0].Case));
            Assert.That(open, Is.True);
            Assert.That(top, Is.InRange(-1, 700), "scrolled into the viewport");
            Assert.That(journalShown, Is.True);
        }
    }

    [Test]
    public async Task The_history_chart_is_drawn_a_line_per_engine_with_its_version_changes_marked()
    {
        var nights = Sample.History!.Count + 1;
        var lines = await _page.Locator("#history-chart g.series polyline").EvaluateAllAsync<double[][]>(
            "lines => lines.map(l => [l.getTotalLength(), l.getBBox().width, l.points.numberOfItems])");
        var colours = await _page.Locator("#history-chart g.series polyline").EvaluateAllAsync<string[]>("lines => lines.map(l => getComputedStyle(l).stroke)");
        var rings = await _page.Locator("#history-chart circle.version-change").EvaluateAllAsync<double[]>("rings => rings.map(r => r.getBBox().width)");
        var chartVisible = await _page.Locator("#history-chart").IsVisibleAsync();
        var tooltip = await _page.Locator("#history-chart g.series[data-engine='chromium'] circle.version-change title").First.TextContentAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chartVisible, Is.True);
            Assert.That(lines, Has.Length.EqualTo(Sample.Engines.Count(e => e.Ran)));
            foreach (var line in lines)
            {
                Assert.That(line[0], Is.GreaterThan(100), "a line drawn across the chart");
                Assert.That(line[1], Is.GreaterThan(300));
                Assert.That(line[2], Is.EqualTo(nights));
            }
            Assert.That(colours, Is.Unique, "each engine its colour: the page's style applied under its policy");
            Assert.That(rings, Has.Length.EqualTo(3).And.All.GreaterThan(10));
            Assert.That(tooltip, Is.EqualTo("chromium: version 154.0.7900.5 → 155.0.7999.10 on 2026-11-22"));
        }
    }
}
