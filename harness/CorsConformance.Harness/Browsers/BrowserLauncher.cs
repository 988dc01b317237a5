namespace CorsConformance.Harness.Browsers;

/// <summary>What drives a browser.</summary>
public enum DriverKind
{
    /// <summary>Microsoft.Playwright (its own Chromium, Firefox and WebKit builds, or an executable given).</summary>
    Playwright,

    /// <summary>The harness's Chrome DevTools Protocol driver (<see cref="CdpBrowser"/>).</summary>
    Cdp,

    /// <summary>The harness's WebDriver BiDi driver (<see cref="BidiBrowser"/>).</summary>
    Bidi,

    /// <summary>The harness's W3C WebDriver driver (<see cref="WebDriverBrowser"/>).</summary>
    WebDriver,

    /// <summary>A browser a Selenium Grid serves, over W3C WebDriver (<see cref="GridBrowser"/>).</summary>
    Grid,
}

/// <summary>
/// Launches an engine with the driver that drives it. Which driver is <see cref="DriverFor"/> (engine × settings), and each
/// driver's launcher is one entry of <see cref="Launchers"/>: WebKitGTK over W3C WebDriver; Chromium over CDP and stock
/// Firefox over WebDriver BiDi by the harness itself unless the settings ask for Playwright
/// (<see cref="EngineSettings.UsesDirectCdp"/>, <see cref="EngineSettings.UsesDirectBidi"/>); the rest with Playwright.
/// </summary>
public static class BrowserLauncher
{
    private delegate Task<LaunchResult> Launcher(EngineSettings settings, IReadOnlyList<HostMapping>? hosts);

    private static readonly IReadOnlyDictionary<DriverKind, Launcher> Launchers = new Dictionary<DriverKind, Launcher>
    {
        [DriverKind.Playwright] = PlaywrightBrowser.TryLaunchAsync,
        [DriverKind.Cdp] = CdpBrowser.TryLaunchAsync,
        [DriverKind.Bidi] = BidiBrowser.TryLaunchAsync,
        [DriverKind.WebDriver] = WebDriverBrowser.TryLaunchAsync,
        [DriverKind.Grid] = GridBrowser.TryLaunchAsync,
    };

    /// <summary>The driver for an engine with these settings.</summary>
    public static DriverKind DriverFor(EngineSettings settings) =>
        settings.GridUrl is not null ? DriverKind.Grid
        : settings.Engine.IsWebDriver() ? DriverKind.WebDriver
        : settings.UsesDirectCdp ? DriverKind.Cdp
        : settings.UsesDirectBidi ? DriverKind.Bidi
        : DriverKind.Playwright;

    /// <param name="lookup">Settings (environment over runsettings): executable paths, channels, extra arguments.</param>
    /// <param name="hosts">Host names to resolve to loopback inside the browser; the reference topology by default.</param>
    /// <remarks>While a <see cref="BrowserPool"/> is current, a browser it already has for the same engine, settings and
    /// hosts is handed out instead (WebDriver engines and grids excepted).</remarks>
    public static Task<LaunchResult> TryLaunchAsync(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts = null) =>
        !engine.IsWebDriver() && !EngineRunsOnGrid(lookup) && BrowserPool.Current is { } pool
            ? pool.LaunchAsync(engine, lookup, hosts, () => LaunchAsync(engine, lookup, hosts))
            : LaunchAsync(engine, lookup, hosts);

    /// <summary>As <see cref="TryLaunchAsync"/>, but a browser of its own even while a pool is current: one whose processes
    /// a test kills must not be another fixture's, and one launched again after a run's browser died (the pool would hand
    /// back the one that died).</summary>
    internal static Task<LaunchResult> TryLaunchOwnAsync(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts = null) =>
        LaunchAsync(engine, lookup, hosts);

    private static async Task<LaunchResult> LaunchAsync(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts)
    {
        // Playwright's own build of the engine, if it has one, is the default executable of every driver but WebDriver's.
        // A grid serves its own browsers: nothing of this machine's is looked for.
        var build = engine.IsWebDriver() || EngineRunsOnGrid(lookup) ? null : await PlaywrightBrowser.BuildPathAsync(engine);
        var settings = EngineSettings.Resolve(engine, lookup, build);
        if (EngineSettings.PathProblem(engine, lookup) is { } problem)
        {
            return new LaunchResult(null, $"{engine.Id()} could not be launched: {problem}. To install it: {settings.InstallHint}");
        }
        if (settings.Source == "playwright build" && (build is null || !File.Exists(build)))
        {
            // Not installed (Playwright's WebKit, here): say so at once, in Playwright's words, without starting it.
            return new LaunchResult(null, $"{engine.Id()} could not be launched: Executable doesn't exist at {build ?? "(no path)"}. To install it: {settings.InstallHint}");
        }
        var driver = DriverFor(settings);
        if (driver is DriverKind.Cdp or DriverKind.Bidi && settings.ExecutablePath is null && build is not null)
        {
            // Playwright's own build: for headless Chromium Playwright launches its headless shell, and so does the CDP driver.
            settings = settings with { ExecutablePath = engine == Engine.Chromium ? EngineSettings.HeadlessShellBeside(build) ?? build : build };
        }
        return await Launchers[driver](settings, hosts);
    }

    private static bool EngineRunsOnGrid(Func<string, string?> lookup) => lookup("grid.url") is { Length: > 0 };
}
