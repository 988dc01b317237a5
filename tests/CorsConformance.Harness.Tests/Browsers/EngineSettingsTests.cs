using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

public sealed class EngineSettingsTests
{
    private static string? None(string key) => null;

    [Test]
    public void Explicit_settings_win_over_every_default()
    {
        var settings = EngineSettings.Resolve(Engine.Firefox, key => key switch
        {
            "firefox.executablePath" => "/opt/firefox/firefox",
            "firefox.channel" => "moz-firefox",
            _ => null,
        }, playwrightBuildPath: typeof(EngineSettingsTests).Assembly.Location);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.ExecutablePath, Is.EqualTo("/opt/firefox/firefox"));
            Assert.That(settings.Channel, Is.EqualTo("moz-firefox"));
            Assert.That(settings.Source, Is.EqualTo("settings"));
        }
    }

    [Test]
    public void Playwright_s_own_build_is_preferred_when_it_is_installed()
    {
        // Any existing file stands in for an installed Playwright build.
        var settings = EngineSettings.Resolve(Engine.Chromium, None, typeof(EngineSettingsTests).Assembly.Location);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.ExecutablePath, Is.Null);
            Assert.That(settings.Source, Is.EqualTo("playwright build"));
        }
    }

    [TestCase("/usr/lib/chromium/chromium-headless-shell", true)]
    [TestCase("/opt/chrome-headless-shell-linux64/chrome-headless-shell", true)]
    [TestCase("/opt/chrome-headless-shell-win64/chrome-headless-shell.exe", true)]
    [TestCase("/opt/chromium_headless_shell-1155/chrome-linux/headless_shell", true)]
    [TestCase("/usr/bin/chromium", false)]
    [TestCase("/opt/chromium-1248/chrome-linux64/chrome", false)]
    public void A_headless_shell_is_told_from_the_full_browser_by_its_file_name(string path, bool shell)
    {
        var settings = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.executablePath" ? path : null, null);
        Assert.That(settings.IsHeadlessShell, Is.EqualTo(shell));
    }

    [Test]
    public void Playwright_s_headless_shell_is_found_beside_its_chromium_build_as_Playwright_lays_them_out()
    {
        var root = Directory.CreateTempSubdirectory("pw-browsers-");
        try
        {
            var chrome = Path.Combine(root.FullName, "chromium-1248", "chrome-linux64", "chrome");
            Directory.CreateDirectory(Path.GetDirectoryName(chrome)!);
            File.WriteAllText(chrome, "");
            Assert.That(EngineSettings.HeadlessShellBeside(chrome), Is.Null, "no shell installed");

            var shell = Path.Combine(root.FullName, "chromium_headless_shell-1248", "chrome-headless-shell-linux64", "chrome-headless-shell");
            Directory.CreateDirectory(Path.GetDirectoryName(shell)!);
            File.WriteAllText(shell, "");
            Directory.CreateDirectory(Path.Combine(root.FullName, "chromium_headless_shell-1200", "chrome-headless-shell-linux64"));
            File.WriteAllText(Path.Combine(root.FullName, "chromium_headless_shell-1200", "chrome-headless-shell-linux64", "chrome-headless-shell"), "");
            Assert.That(EngineSettings.HeadlessShellBeside(chrome), Is.EqualTo(shell), "the shell of the same revision");
            Assert.That(EngineSettings.HeadlessShellBeside("/usr/bin/chromium"), Is.Null, "not a Playwright layout");
            var mac = Path.Combine(root.FullName, "chromium-1248", "chrome-mac-arm64", "Google Chrome for Testing.app", "Contents", "MacOS", "Google Chrome for Testing");
            Assert.That(EngineSettings.HeadlessShellBeside(mac), Is.EqualTo(shell), "a Mac's build sits deeper, inside its .app");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // Stock Firefox (channel moz-firefox) is driven directly over BiDi unless firefox.driver says playwright; Playwright's
    // own build (no channel) only by Playwright, unless firefox.driver says bidi.
    [TestCase("moz-firefox", null, true)]
    [TestCase("moz-firefox", "playwright", false)]
    [TestCase("moz-firefox", "Playwright", false)]
    [TestCase(null, null, false)]
    [TestCase(null, "bidi", true)]
    public void Stock_Firefox_is_driven_over_BiDi_directly_unless_the_driver_setting_says_playwright(string? channel, string? driver, bool direct)
    {
        var settings = EngineSettings.Resolve(Engine.Firefox, key => key switch
        {
            "firefox.channel" => channel,
            "firefox.driver" => driver,
            _ => null,
        }, playwrightBuildPath: typeof(EngineSettingsTests).Assembly.Location);
        Assert.That(settings.UsesDirectBidi, Is.EqualTo(direct));
    }

    [Test]
    public void Firefox_moves_each_port_once_and_separates_the_moves_with_semicolons()
    {
        HostMapping[] hosts = [new("a.test", 443, 40443), new("b.test", 443, 40443), new("c.test", 80, 40080), new("www.cors.test")];
        var prefs = EngineSettings.Resolve(Engine.Firefox, None, null).FirefoxPrefs(hosts);
        Assert.That(prefs["network.socket.forcePort"], Is.EqualTo("443=40443;80=40080"));
    }

    [TestCase(null, true)]
    [TestCase("cdp", true)]
    [TestCase("playwright", false)]
    public void Chromium_is_driven_over_CDP_directly_unless_the_driver_setting_says_playwright(string? driver, bool direct)
    {
        var settings = EngineSettings.Resolve(Engine.Chromium, key => key == "chromium.driver" ? driver : null, null);
        Assert.That(settings.UsesDirectCdp, Is.EqualTo(direct));
    }

    [TestCase(Engine.Firefox, "firefox.driver", "marionette", "bidi or playwright")]
    [TestCase(Engine.Chromium, "chromium.driver", "bidi", "cdp or playwright")]
    public void A_driver_setting_the_engine_has_no_driver_for_is_refused_by_name(Engine engine, string key, string value, string choices)
    {
        var refused = Assert.Throws<ArgumentException>(() => EngineSettings.Resolve(engine, k => k == key ? value : null, null));
        Assert.That(refused!.Message, Does.Contain(value).And.Contain(choices));
    }

    [Test]
    public void Chromium_maps_every_topology_host_to_loopback_inside_the_browser()
    {
        var args = EngineSettings.Resolve(Engine.Chromium, None, null).LaunchArgs();
        var rules = args.Single(a => a.StartsWith("--host-resolver-rules=", StringComparison.Ordinal));
        foreach (var host in Harness.Servers.HostNames.All) Assert.That(rules, Does.Contain($"MAP {host} 127.0.0.1"));
    }

    [Test]
    public void Firefox_maps_the_hosts_by_preference_and_sets_the_cookie_policy_on_purpose()
    {
        var prefs = EngineSettings.Resolve(Engine.Firefox, None, null).FirefoxPrefs();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prefs["network.dns.localDomains"], Is.EqualTo(string.Join(",", Harness.Servers.HostNames.All)));
            Assert.That(prefs["network.cookie.cookieBehavior"], Is.EqualTo(1));
        }
    }

    [TestCase("chromium.executablePath", "CORS_CHROMIUM_EXECUTABLE_PATH")]
    [TestCase("firefox.channel", "CORS_FIREFOX_CHANNEL")]
    [TestCase("webkit.args", "CORS_WEBKIT_ARGS")]
    [TestCase("webkitgtk.driverPath", "CORS_WEBKITGTK_DRIVER_PATH")]
    [TestCase("firefox.driver", "CORS_FIREFOX_DRIVER")]
    [TestCase("chromium.driver", "CORS_CHROMIUM_DRIVER")]
    public void A_setting_key_reads_from_its_environment_variable(string key, string variable)
    {
        Assert.That(EngineSettings.EnvironmentName(key), Is.EqualTo(variable));
    }

    [TestCase(Engine.Chromium, "chromium.executablePath", "/nonexistent/chromium", "apt-get install -y chromium-headless-shell")]
    [TestCase(Engine.WebkitGtk, "webkitgtk.driverPath", "/nonexistent/WebKitWebDriver", "apt-get install -y webkit2gtk-driver xvfb")]
    public async Task An_engine_that_cannot_launch_is_unavailable_with_its_reason_and_install_command(Engine engine, string key, string path, string install)
    {
        var result = await BrowserLauncher.TryLaunchAsync(engine, k => k == key ? path : null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Session, Is.Null);
            Assert.That(result.Unavailable, Does.Contain("could not be launched").And.Contain(install));
        }
    }

    /// <summary>A browser that starts and says where it listens, then fails as its session opens (killed or crashed meanwhile;
    /// here nothing listens where it said): it is installed, and the install command read as the cure for a browser that had
    /// just started.</summary>
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_browser_that_started_then_failed_is_not_sent_to_its_install_command()
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("cors-started-then-failed-").FullName, "chromium");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'DevTools listening on ws://127.0.0.1:9/devtools/browser/stand-in' >&2\nsleep 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var result = await BrowserLauncher.TryLaunchOwnAsync(Engine.Chromium, k => k == "chromium.executablePath" ? script : null);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Session, Is.Null);
                Assert.That(result.Unavailable, Does.StartWith($"chromium could not be launched: {script} started, then failed as its session opened (")
                    .And.Contain("it is installed").And.Not.Contain("To install it"));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
    }

    [Test]
    public void WebKitGTK_takes_its_driver_and_browser_from_settings()
    {
        var settings = EngineSettings.Resolve(Engine.WebkitGtk, key => key switch
        {
            "webkitgtk.driverPath" => "/opt/webkit/WebKitWebDriver",
            "webkitgtk.executablePath" => "/opt/webkit/MiniBrowser",
            _ => null,
        }, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.DriverPath, Is.EqualTo("/opt/webkit/WebKitWebDriver"));
            Assert.That(settings.ExecutablePath, Is.EqualTo("/opt/webkit/MiniBrowser"));
            Assert.That(settings.Source, Is.EqualTo("settings"));
            Assert.That(Engine.WebkitGtk.IsWebDriver(), Is.True);
        }
    }

    [TestCase(Engine.Chromium, "156.0.8078.108", "156")]
    [TestCase(Engine.WebkitGtk, "2.50.6", "2.50")]
    public void A_release_is_named_as_people_name_it(Engine engine, string version, string expected)
    {
        Assert.That(engine.ShortVersion(version), Is.EqualTo(expected));
    }

    [TestCase("all", 4)]
    [TestCase("chromium,firefox", 2)]
    [TestCase(" Firefox ", 1)]
    public void Engine_lists_parse(string text, int count)
    {
        Assert.That(Engines.ParseList(text), Has.Count.EqualTo(count));
    }

    [Test]
    public void An_unknown_engine_is_refused_by_name()
    {
        Assert.That(() => Engines.Parse("netscape"), Throws.ArgumentException.With.Message.Contains("netscape"));
    }
}
