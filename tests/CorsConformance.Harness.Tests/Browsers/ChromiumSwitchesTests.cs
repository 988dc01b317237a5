using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// Debian's full Chromium did not start a data: SharedWorker under Playwright's
/// <c>--disable-features=…ThirdPartyStoragePartitioning…</c> (15 null-origin cases were harness errors there, 2026-12-07);
/// the headless shell starts it either way and its snapshots were recorded under Playwright's switches as they are.
/// </summary>
public sealed class ChromiumSwitchesTests
{
    private static EngineSettings Chromium(string path) =>
        EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.executablePath" ? path : null, null);

    private static string[] Disabled(IEnumerable<string> switches) =>
        switches.Single(s => s.StartsWith("--disable-features=", StringComparison.Ordinal))["--disable-features=".Length..].Split(',');

    [TestCase("/usr/lib/chromium/chromium-headless-shell")]
    [TestCase("/opt/chrome-headless-shell-linux64/chrome-headless-shell")]
    public void The_headless_shell_gets_Playwright_s_switches_unchanged(string shell)
    {
        var settings = Chromium(shell);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CdpBrowser.SwitchesFor(settings), Is.EqualTo(CdpBrowser.PlaywrightSwitches));
            Assert.That(Disabled(CdpBrowser.SwitchesFor(settings)), Does.Contain("ThirdPartyStoragePartitioning"));
            Assert.That(PlaywrightBrowser.FullBrowserSwitches(settings), Is.Empty, "nothing replaced under Playwright either");
        }
    }

    [TestCase("/usr/bin/chromium")]
    [TestCase("/usr/lib/chromium/chromium")]
    [TestCase("/opt/google/chrome/chrome")]
    public void The_full_browser_keeps_storage_partitioning_and_every_other_switch(string full)
    {
        var settings = Chromium(full);
        var switches = CdpBrowser.SwitchesFor(settings);
        var playwright = CdpBrowser.PlaywrightSwitches;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Disabled(switches), Does.Not.Contain("ThirdPartyStoragePartitioning"));
            Assert.That(Disabled(switches), Is.EqualTo(Disabled(playwright).Where(f => f != "ThirdPartyStoragePartitioning")),
                "every other disabled feature (HttpsUpgrades, AvoidCorsURLLoaderRestartOnRedirect, …) stays disabled, in order");
            Assert.That(switches.Where(s => !s.StartsWith("--disable-features=", StringComparison.Ordinal)),
                Is.EqualTo(playwright.Where(s => !s.StartsWith("--disable-features=", StringComparison.Ordinal))));
            Assert.That(PlaywrightBrowser.FullBrowserSwitches(settings), Is.EqualTo(new[] { CdpBrowser.FullBrowserDisabledFeatures }),
                "under Playwright the same switch replaces Playwright's own");
        }
    }

    [Test]
    public void The_switch_Playwright_s_launch_ignores_is_Playwright_s_own()
    {
        // Playwright 1.64's chromiumSwitches, read from the driver the build copies beside the harness: ignoreDefaultArgs
        // matches by the whole string, so a switch that drifted from Playwright's would ignore nothing.
        var bundle = Path.Combine(Path.GetDirectoryName(typeof(CdpBrowser).Assembly.Location)!, ".playwright", "package", "lib", "coreBundle.js");
        if (!File.Exists(bundle)) Assert.Ignore("no Playwright driver beside the harness: " + bundle);
        var text = File.ReadAllText(bundle);
        var start = text.IndexOf("disabledFeatures = [", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "Playwright's disabledFeatures list");
        var list = text[start..text.IndexOf("].filter(Boolean)", start, StringComparison.Ordinal)];
        var features = System.Text.RegularExpressions.Regex.Matches(list, "^\\s*\"([^\"]+)\",?\\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);
        Assert.That(CdpBrowser.PlaywrightDisabledFeatures, Is.EqualTo("--disable-features=" + string.Join(",", features)));
    }
}
