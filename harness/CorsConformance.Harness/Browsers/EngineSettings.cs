namespace CorsConformance.Harness.Browsers;

/// <summary>
/// How to launch one engine: which executable, which Playwright channel, which extra arguments.
/// Settings come from a lookup (environment variables, then runsettings parameters); without them the engine's own
/// Playwright build is used when it is installed, else the Debian package (Chromium /usr/bin/chromium; Firefox
/// /usr/bin/firefox-esr over WebDriver BiDi with channel moz-firefox). WebKitGTK has no Playwright build: its browser is
/// Debian's MiniBrowser, driven by WebKitWebDriver (<see cref="DriverPath"/>), under Xvfb when there is no display.
/// </summary>
public sealed record EngineSettings(Engine Engine, string? ExecutablePath, string? Channel, IReadOnlyList<string> ExtraArgs, string Source)
{
    public const string DebianChromium = "/usr/bin/chromium";

    /// <summary>
    /// Debian's chromium-headless-shell package: Chromium's headless shell, the build Playwright itself launches for headless
    /// Chromium (its "chromium-headless-shell" download) — the same Blink and network stack as the browser without its UI
    /// layer. The catalog ran at ~400 verdicts/s in it against ~250 in /usr/bin/chromium, with half the browser's CPU
    /// (2 cores, 2026-11-29), and every snapshot held. The binary itself: /usr/bin/chromium-headless-shell is a shell script
    /// that does not exec it, so ending the script would leave the browser running.
    /// </summary>
    public const string DebianChromiumHeadlessShell = "/usr/lib/chromium/chromium-headless-shell";
    public const string DebianFirefox = "/usr/bin/firefox-esr";
    public const string StockFirefoxChannel = "moz-firefox";
    public const string DebianWebKitWebDriver = "/usr/bin/WebKitWebDriver";
    public const string DebianXvfb = "/usr/bin/Xvfb";

    /// <summary>Where Debian's webkit2gtk-driver package puts MiniBrowser (its path has the architecture in it).</summary>
    public static IEnumerable<string> DebianMiniBrowsers =>
        Directory.Exists("/usr/lib")
            ? Directory.EnumerateDirectories("/usr/lib").Select(d => Path.Combine(d, "webkit2gtk-4.1", "MiniBrowser")).Append("/usr/lib/webkit2gtk-4.1/MiniBrowser")
            : [];

    /// <summary>The WebDriver server that drives the browser (WebKitGTK: WebKitWebDriver); null for Playwright's engines.</summary>
    public string? DriverPath { get; init; }

    /// <summary>The Selenium Grid (any W3C WebDriver remote end) that serves the browser (<c>grid.url</c>, CORS_GRID_URL); null:
    /// the browser runs on this machine (<see cref="GridBrowser"/>).</summary>
    public Uri? GridUrl { get; init; }

    /// <summary>The browserVersion capability asked of the grid (<c>chromium.browserVersion</c>); null: any.</summary>
    public string? GridBrowserVersion { get; init; }

    /// <summary>The platformName capability asked of the grid (<c>chromium.platformName</c>); null: any.</summary>
    public string? GridPlatformName { get; init; }

    /// <summary>The <c>chromium.driver</c> (cdp or playwright) or <c>firefox.driver</c> (bidi or playwright) setting; null when not set.</summary>
    public string? DriverChoice { get; init; }

    /// <summary>
    /// Chromium is driven over CDP by the harness itself unless <c>chromium.driver</c> says <c>playwright</c>: Playwright enables
    /// the Network domain on every page and frame, so the browser reports every request to it; without that the catalog ran
    /// at ~250 verdicts/s against ~200 (2 cores, 2026-11-29), the browser's CPU 2.8 s against 3.5 s.
    /// </summary>
    public bool UsesDirectCdp => Engine == Engine.Chromium && DriverChoice != "playwright";

    /// <summary>
    /// Stock Firefox (channel moz-firefox: the Debian package, a Mozilla build) is driven over WebDriver BiDi by the harness
    /// itself, subscribed to the log only, unless <c>firefox.driver</c> says <c>playwright</c>. Playwright over BiDi subscribes
    /// every page to network events and collects every response body; a Gecko profile put half of the parent process's
    /// main thread there, and the catalog ran at ~100 verdicts/s under Playwright against ~200 directly (2 cores,
    /// 2026-11-29). Playwright's own Firefox build speaks Juggler, not BiDi, so Playwright drives it.
    /// </summary>
    public bool UsesDirectBidi => Engine == Engine.Firefox && DriverChoice != "playwright" && (DriverChoice == "bidi" || Channel == StockFirefoxChannel);

    /// <summary>
    /// Resolves the settings for <paramref name="engine"/>. <paramref name="lookup"/> answers keys such as
    /// <c>chromium.executablePath</c>, <c>firefox.channel</c>, <c>webkit.args</c> (environment: CORS_CHROMIUM_EXECUTABLE_PATH, …).
    /// <paramref name="playwrightBuildPath"/> is where Playwright keeps its own build of the engine.
    /// </summary>
    public static EngineSettings Resolve(Engine engine, Func<string, string?> lookup, string? playwrightBuildPath)
    {
        var id = engine.Id();
        var path = Setting(lookup, id, "executablePath");
        var channel = Setting(lookup, id, "channel");
        var args = (Setting(lookup, id, "args") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lookup("grid.url") is { Length: > 0 } grid)
        {
            if (GridBrowser.UrlProblem(grid, out var url) is { } problem)
            {
                throw new ArgumentException($"grid.url ({EnvironmentName("grid.url")}) is '{GridBrowser.WithoutPassword(grid)}'; it takes an http:// or https:// URL of a WebDriver remote end, at a port from 1 to 65535: {problem}");
            }
            return new(engine, path, null, args, path is null ? "grid" : "settings")
            {
                GridUrl = url!,
                GridBrowserVersion = Setting(lookup, id, "browserVersion"),
                GridPlatformName = Setting(lookup, id, "platformName"),
            };
        }
        if (engine == Engine.WebkitGtk)
        {
            var driver = Setting(lookup, id, "driverPath");
            var browser = path ?? DebianMiniBrowsers.FirstOrDefault(File.Exists);
            return new(engine, browser, null, args, path is null && driver is null ? "debian package" : "settings")
            {
                DriverPath = driver ?? DebianWebKitWebDriver,
            };
        }
        var direct = engine switch { Engine.Chromium => "cdp", Engine.Firefox => "bidi", _ => null };
        var driverChoice = direct is null ? null : Setting(lookup, id, "driver")?.ToLowerInvariant();
        if (driverChoice is not null && driverChoice != direct && driverChoice != "playwright")
        {
            throw new ArgumentException($"{id}.driver ({EnvironmentName(id + ".driver")}) is '{driverChoice}'; it takes {direct} or playwright");
        }
        EngineSettings Chosen()
        {
            if (path is not null || channel is not null) return new(engine, path, channel, args, "settings");
            if (playwrightBuildPath is not null && File.Exists(playwrightBuildPath)) return new(engine, null, null, args, "playwright build");
            return engine switch
            {
                Engine.Chromium when File.Exists(DebianChromiumHeadlessShell) => new(engine, DebianChromiumHeadlessShell, null, args, "debian package"),
                Engine.Chromium when File.Exists(DebianChromium) => new(engine, DebianChromium, null, args, "debian package"),
                Engine.Firefox when File.Exists(DebianFirefox) => new(engine, DebianFirefox, StockFirefoxChannel, args, "debian package"),
                _ => new(engine, null, null, args, "playwright build"),
            };
        }
        return Chosen() with { DriverChoice = driverChoice };
    }

    /// <summary>
    /// Whether the Chromium this runs is a headless shell (Debian's chromium-headless-shell, Playwright's or Chrome for
    /// Testing's chrome-headless-shell, an older headless_shell), not the full browser in headless mode. Playwright's own
    /// build under Playwright is the shell: Playwright launches its headless-shell download for headless Chromium.
    /// </summary>
    public bool IsHeadlessShell =>
        Engine == Engine.Chromium
        && (ExecutablePath is null ? Source == "playwright build" : Path.GetFileNameWithoutExtension(ExecutablePath).Contains("headless", StringComparison.OrdinalIgnoreCase));

    /// <summary>The build in words, as results name it: where the settings came from, for Chromium whether it is the headless
    /// shell or the full browser, and Playwright where it drives an engine the harness otherwise drives itself
    /// ("debian package, headless shell", "settings, full browser, Playwright"). Before 2026-12-07 the full browser read
    /// "settings" alone, so a report of /usr/bin/chromium could not be told from one of the shell.</summary>
    public string BuildWords =>
        Source
        + (Engine == Engine.Chromium && GridUrl is null ? (IsHeadlessShell ? ", headless shell" : ", full browser") : "")
        + (DriverChoice == "playwright" ? ", Playwright" : "");

    /// <summary>
    /// Playwright's headless shell beside its full Chromium build, as Playwright lays them out: for
    /// <c>…/chromium-1248/chrome-linux64/chrome</c> (or, on a Mac, deeper inside an .app), the shell is
    /// <c>…/chromium_headless_shell-1248/*/chrome-headless-shell</c> (an older one <c>headless_shell</c>); null when it is
    /// not installed.
    /// </summary>
    public static string? HeadlessShellBeside(string chromiumBuild)
    {
        var revisionDirectory = Path.GetDirectoryName(chromiumBuild);
        while (revisionDirectory is not null && !Path.GetFileName(revisionDirectory).StartsWith("chromium-", StringComparison.Ordinal))
        {
            revisionDirectory = Path.GetDirectoryName(revisionDirectory);
        }
        if (revisionDirectory is null || Path.GetFileName(revisionDirectory) is not { } name) return null;
        var shellDirectory = Path.Combine(Path.GetDirectoryName(revisionDirectory)!, "chromium_headless_shell-" + name["chromium-".Length..]);
        if (!Directory.Exists(shellDirectory)) return null;
        string[] names = ["chrome-headless-shell", "chrome-headless-shell.exe", "headless_shell", "headless_shell.exe"];
        return Directory.EnumerateDirectories(shellDirectory)
            .SelectMany(directory => names.Select(file => Path.Combine(directory, file)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Why a path setting of the engine (<c>executablePath</c>; WebKitGTK's <c>driverPath</c>) names no program this
    /// machine can start, naming the setting; null when each names one or none is given, or a grid serves the browser (the
    /// path is the grid's). A folder, a file without the execute bit or nothing there was started anyway and failed as
    /// "browser: 1: /tmp: Permission denied", naming neither the setting nor what was wrong (hostile-input round 3).</summary>
    public static string? PathProblem(Engine engine, Func<string, string?> lookup)
    {
        if (lookup("grid.url") is { Length: > 0 }) return null;
        var id = engine.Id();
        foreach (var key in engine == Engine.WebkitGtk ? ["executablePath", "driverPath"] : new[] { "executablePath" })
        {
            if (Setting(lookup, id, key) is not { } path) continue;
            var why = Directory.Exists(path) ? "is a folder, not an executable file"
                : !File.Exists(path) ? (path.Contains('/') || path.Contains(Path.DirectorySeparatorChar) || !OnPath(path) ? "does not exist" : null)
                : !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0
                    ? "is not executable (no execute permission)"
                    : null;
            if (why is not null) return $"{id}.{key} ({EnvironmentName($"{id}.{key}")}) is '{path}', which {why}";
        }
        return null;
    }

    /// <summary>Whether a bare program name is found on PATH, as a shell would start it.</summary>
    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, name)));

    private static string? Setting(Func<string, string?> lookup, string engine, string key) =>
        lookup($"{engine}.{key}") is { Length: > 0 } value ? value : null;

    /// <summary>The environment variable a setting key reads from: chromium.executablePath → CORS_CHROMIUM_EXECUTABLE_PATH.</summary>
    public static string EnvironmentName(string key) =>
        "CORS_" + string.Concat(key.Select(c => c == '.' ? "_" : char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    /// <summary>Arguments that map the topology's host names to loopback inside the browser (never the machine's hosts file).</summary>
    public IReadOnlyList<string> LaunchArgs(IReadOnlyList<HostMapping>? hosts = null) => Engine switch
    {
        Engine.Chromium =>
        [
            "--host-resolver-rules=" + string.Join(",", (hosts ?? HostMapping.Topology).Select(h => h.ChromiumRule)),
            // The closed network refuses Chromium's own background connections; keep them from starting.
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
            .. ExtraArgs,
        ],
        _ => ExtraArgs,
    };

    /// <summary>Firefox preferences: host mapping plus a deliberate cookie policy. With <paramref name="proxyPort"/>, the
    /// mapping is a host proxy's (<see cref="HostProxy"/>, routing by host and port) in place of DNS and port moves: a port
    /// move applies to every host, so a server of the user's on a moved port (443) could not be reached. The proxy is named by
    /// a proxy auto-config script (<see cref="HostProxy.AutoConfig"/>): loopback goes direct, so a server on 127.0.0.1 is
    /// reached directly, except the loopback host:port pairs mapped to the suite's pages (a policy's http://localhost:5173),
    /// which a manual proxy setting could not single out (it proxies all of loopback or none).</summary>
    public Dictionary<string, object> FirefoxPrefs(IReadOnlyList<HostMapping>? hosts = null, int? proxyPort = null)
    {
        // 1 = reject third-party cookies (no partitioned ones either): the same policy the Chromium run has.
        var prefs = new Dictionary<string, object> { ["network.cookie.cookieBehavior"] = 1 };
        if (proxyPort is { } port)
        {
            prefs["network.proxy.type"] = 2;
            prefs["network.proxy.autoconfig_url"] = "data:application/x-ns-proxy-autoconfig," + Uri.EscapeDataString(HostProxy.AutoConfig(hosts ?? HostMapping.Topology, port));
            prefs["network.proxy.no_proxies_on"] = "";
            // Loopback is asked of the script too (it answers DIRECT for all but the mapped pairs); without this, Firefox
            // never proxies loopback, and a page at http://localhost:5173 reached the machine's own port.
            prefs["network.proxy.allow_hijacking_localhost"] = true;
            return prefs;
        }
        hosts ??= HostMapping.Topology;
        prefs["network.dns.localDomains"] = string.Join(",", hosts.Select(h => h.Host).Distinct());
        prefs["network.proxy.type"] = 0;
        if (HostMapping.FirefoxForcePort(hosts) is { } moves) prefs["network.socket.forcePort"] = moves;
        return prefs;
    }

    /// <summary>What to run to get this engine when it is missing.</summary>
    public string InstallHint => Engine switch
    {
        Engine.Chromium => "apt-get install -y chromium-headless-shell (Debian; or chromium), or with internet: dotnet run --project harness/CorsConformance.Cli -- install-browsers --engines chromium",
        Engine.Firefox => "apt-get install -y firefox-esr (Debian), or with internet: dotnet run --project harness/CorsConformance.Cli -- install-browsers --engines firefox",
        Engine.WebkitGtk => "apt-get install -y webkit2gtk-driver xvfb (Debian; WebKitWebDriver drives MiniBrowser, Xvfb gives it a display)",
        _ => "with internet: dotnet run --project harness/CorsConformance.Cli -- install-browsers --engines webkit (Playwright's WebKit build; Linux also needs its system dependencies: playwright.ps1 install-deps webkit)",
    };
}
