using CorsConformance.Harness;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using Microsoft.Playwright;

namespace CorsConformance.Browser.Tests.Reports;

/// <summary>
/// report.html in a real browser: the committed sample report (docs/sample-report) opens from disk with no network, its
/// filters work, and a screenshot of it is taken (kept as docs/report.png when CORS_UPDATE_DOCS=1).
/// </summary>
public sealed class ReportPageTests
{
    private static string Root => RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone");

    [Test]
    public async Task The_sample_report_filters_to_the_failures_in_a_real_browser()
    {
        var folder = Path.Combine(Root, "docs", "sample-report");
        var report = ReportFile.Load(Path.Combine(folder, "report.json"));
        // The page is driven with Playwright's locators, so Chromium's driver is Playwright here, whatever the settings say.
        // Launched straight through Playwright, not the shared pool (which hands out leases, not Playwright's own browser).
        var settings = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.driver" ? "playwright" : EngineSelection.Settings(key),
            await PlaywrightBrowser.BuildPathAsync(Engine.Chromium));
        var launch = await PlaywrightBrowser.TryLaunchAsync(settings);
        if (launch.Session is null)
        {
            Assert.Ignore(launch.Unavailable!);
            return;
        }
        if (launch.Session is not PlaywrightBrowser session)
        {
            await launch.Session.DisposeAsync();
            Assert.Fail($"chromium.driver=playwright launched {launch.Session.Description}");
            return;
        }
        await using (session)
        {
            // No network at all: the file must be self-contained.
            var context = await session.Browser.NewContextAsync(new BrowserNewContextOptions { Offline = true, ViewportSize = new ViewportSize { Width = 1100, Height = 700 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(Path.Combine(folder, "report.html")).AbsoluteUri);
            var all = await page.Locator("#matrix tr.case:not(.hidden)").CountAsync();

            await page.CheckAsync("#filter-failures");
            var failing = await page.Locator("#matrix tr.case:not(.hidden)").CountAsync();
            var failingIds = await page.Locator("#matrix tr.case:not(.hidden)").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

            await page.SelectOptionAsync("#filter-engine", "chromium");
            var failingInChromium = await page.Locator("#matrix tr.case:not(.hidden)").CountAsync();
            await page.SelectOptionAsync("#filter-engine", "");
            await page.UncheckAsync("#filter-failures");
            await page.CheckAsync("#filter-differences");
            var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
            await context.CloseAsync();

            var expectedFailing = report.Cases.Where(c => c.Results.Values.Any(r => r.Failed)).Select(c => c.Id).ToArray();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(all, Is.EqualTo(report.Cases.Count));
                Assert.That(failing, Is.EqualTo(expectedFailing.Length));
                Assert.That(failingIds, Is.EqualTo(expectedFailing));
                Assert.That(failingInChromium, Is.EqualTo(report.Cases.Count(c => c.Results.TryGetValue("chromium", out var r) && r.Failed)));
                Assert.That(screenshot.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
            }
            var artifacts = Path.Combine(Root, "artifacts");
            Directory.CreateDirectory(artifacts);
            await File.WriteAllBytesAsync(Path.Combine(artifacts, "report.png"), screenshot);
            if (Environment.GetEnvironmentVariable("CORS_UPDATE_DOCS") == "1")
            {
                await File.WriteAllBytesAsync(Path.Combine(Root, "docs", "report.png"), screenshot);
            }
        }
    }
}
