using CorsConformance.Cli;
using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>grid.url / --grid: a grid's browser is asked for as remote capabilities, and a bad URL is bad usage, said at once.</summary>
public sealed class GridSettingsTests
{
    private static Func<string, string?> Lookup(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Test]
    public void A_grid_url_puts_the_engine_on_the_grid_with_the_capabilities_asked_for()
    {
        var settings = EngineSettings.Resolve(Engine.Chromium,
            Lookup(("grid.url", "http://127.0.0.1:4444"), ("chromium.browserVersion", "156"), ("chromium.platformName", "linux")),
            playwrightBuildPath: typeof(GridSettingsTests).Assembly.Location);
        var capabilities = GridBrowser.Capabilities(settings, HostMapping.Topology);
        var chromeOptions = (IDictionary<string, object>)capabilities.GetCapability("goog:chromeOptions")!;
        var args = ((IEnumerable<object>)chromeOptions["args"]).Select(a => a.ToString()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(BrowserLauncher.DriverFor(settings), Is.EqualTo(DriverKind.Grid));
            Assert.That(settings.Source, Is.EqualTo("grid"), "neither Playwright's build nor a Debian package of this machine");
            Assert.That(capabilities.GetCapability("browserName"), Is.EqualTo("chrome"));
            Assert.That(capabilities.GetCapability("browserVersion"), Is.EqualTo("156"));
            Assert.That(capabilities.GetCapability("platformName"), Is.EqualTo("linux"));
            Assert.That(capabilities.GetCapability("acceptInsecureCerts"), Is.True);
            Assert.That(args, Does.Contain(settings.LaunchArgs()[0]).And.Contain("--headless"), "the host mapping and the CDP driver's switches");
            Assert.That(chromeOptions.ContainsKey("binary"), Is.False, "this machine's Chromium is not the node's");
        }
    }

    [Test]
    public void A_binary_named_in_the_settings_is_the_one_the_grid_starts()
    {
        var settings = EngineSettings.Resolve(Engine.Chromium,
            Lookup(("grid.url", "http://127.0.0.1:4444"), ("chromium.executablePath", "/usr/lib/chromium/chromium-headless-shell")), null);
        var chromeOptions = (IDictionary<string, object>)GridBrowser.Capabilities(settings, HostMapping.Topology).GetCapability("goog:chromeOptions")!;
        Assert.That(chromeOptions["binary"], Is.EqualTo("/usr/lib/chromium/chromium-headless-shell"));
    }

    [Test]
    public void A_grid_url_that_is_not_http_is_refused_naming_the_setting()
    {
        var refused = Assert.Throws<ArgumentException>(() => EngineSettings.Resolve(Engine.Chromium, Lookup(("grid.url", "ftp://grid")), null));
        Assert.That(refused!.Message, Does.Contain("grid.url (CORS_GRID_URL)").And.Contain("ftp://grid"));
        // Port 0 is no port a grid listens on: refused as --grid refuses it, not a launch that fails later.
        var port0 = Assert.Throws<ArgumentException>(() => EngineSettings.Resolve(Engine.Chromium, Lookup(("grid.url", "http://127.0.0.1:0/")), null));
        Assert.That(port0!.Message, Does.Contain("grid.url (CORS_GRID_URL)").And.Contain("at a port from 1 to 65535"));
    }

    /// <summary>CORS_GRID_URL at a host no name resolves to was tried at launch, and the engine said unavailable (exit 1).</summary>
    [TestCase("http://999.1.1.1:4444/", "ends in a number but is no IPv4 address")]
    [TestCase("http://user:s3cret@exa mple:4444/", "the host 'exa mple' holds ' '")]
    [TestCase("http://127.0.0.1:4444/ ", "holds U+0020 last")]
    [TestCase(" http://127.0.0.1:4444/", "holds U+0020 first")]
    [TestCase("http://user:s3cret@127.0.0.1:4444/wd\n", "holds U+000A last")]
    public void A_grid_url_at_a_host_no_name_resolves_to_is_refused_saying_why(string grid, string why)
    {
        var refused = Assert.Throws<ArgumentException>(() => EngineSettings.Resolve(Engine.Chromium, Lookup(("grid.url", grid)), null));
        Assert.That(refused!.Message, Does.Contain("grid.url (CORS_GRID_URL)").And.Contain(why).And.Not.Contain("s3cret"));
    }

    [Test]
    public async Task A_bad_grid_option_is_bad_usage_and_writes_nothing()
    {
        var output = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.json");
        var error = new StringWriter();
        var code = await Commands.RunAsync(["run", "--engines", "chromium", "--grid", "grid:4444", "--out", output], new StringWriter(), error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.Contain("--grid 'grid:4444' is not an http:// or https:// URL"));
            Assert.That(File.Exists(output), Is.False);
        }
    }

    /// <summary>A grid behind basic authentication (http://user:password@grid:4444, which Selenium sends as credentials)
    /// had its password printed in the launch failure and written into results.json, from the suite's own words and from
    /// Selenium's exception (found by the fuzz campaign: `run --grid http://user:s3cret@127.0.0.1:1/`). The user stays, the
    /// password is starred, in every message and in the report.</summary>
    [Test]
    public async Task A_grid_password_is_never_printed_nor_written()
    {
        var launch = await BrowserLauncher.TryLaunchAsync(Engine.Chromium, Lookup(("grid.url", "http://user:s3cret@127.0.0.1:9/")));
        var other = await BrowserLauncher.TryLaunchAsync(Engine.Firefox, Lookup(("grid.url", "http://user:s3cret@127.0.0.1:9/")));
        var refused = Assert.Throws<ArgumentException>(() => EngineSettings.Resolve(Engine.Chromium, Lookup(("grid.url", "http://user:s3cret@127.0.0.1:0/")), null))!;
        var output = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.json");
        var cases = Path.ChangeExtension(output, ".yaml");
        File.WriteAllText(cases, "cases:\n  - id: grid/one\n    anchor: concept-cors-check\n    description: a GET\n");
        var console = new StringWriter();
        var error = new StringWriter();
        try
        {
            await Commands.RunAsync(["run", "--no-install", "--engines", "chromium", "--grid", "http://user:s3cret@127.0.0.1:9/", "--cases", cases, "--out", output], console, error);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(launch.Unavailable, Does.Contain("http://user:***@127.0.0.1:9/").And.Not.Contain("s3cret"));
                Assert.That(other.Unavailable, Does.Contain("http://user:***@127.0.0.1:9/").And.Not.Contain("s3cret"));
                Assert.That(refused.Message, Does.Contain("user:***@").And.Not.Contain("s3cret"));
                Assert.That(console.ToString() + error, Does.Contain("user:***@").And.Not.Contain("s3cret"));
                Assert.That(File.ReadAllText(output), Does.Not.Contain("s3cret"));
            }
        }
        finally
        {
            File.Delete(output);
            File.Delete(cases);
        }
    }

    [Test]
    public async Task Engines_other_than_chromium_are_not_launched_on_a_grid_and_say_why()
    {
        var launch = await BrowserLauncher.TryLaunchAsync(Engine.Firefox, Lookup(("grid.url", "http://127.0.0.1:9")));
        Assert.That(launch.Unavailable, Does.Contain("only chromium runs on a grid so far"));
    }
}
