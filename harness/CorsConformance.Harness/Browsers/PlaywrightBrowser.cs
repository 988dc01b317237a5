using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using Microsoft.Playwright;

namespace CorsConformance.Harness.Browsers;

/// <summary>One browser launched by Playwright: shared by every case of a run; each run of cases gets a fresh context (a fresh
/// cookie jar and preflight cache).</summary>
public sealed class PlaywrightBrowser : IBrowserDriver
{
    private readonly IPlaywright _playwright;

    private PlaywrightBrowser(IPlaywright playwright, IBrowser browser, EngineSettings settings, TimeSpan launchTime, bool movesPorts)
    {
        _playwright = playwright;
        Browser = browser;
        Settings = settings;
        LaunchTime = launchTime;
        MovesPortsOfEveryHost = movesPorts;
    }

    public bool MovesPortsOfEveryHost { get; }

    public IBrowser Browser { get; }

    public EngineSettings Settings { get; }

    public Engine Engine => Settings.Engine;

    public string Version => Browser.Version;

    public string Driver => "Playwright " + (typeof(IPlaywright).Assembly.GetName().Version?.ToString(3) ?? "");

    public TimeSpan LaunchTime { get; }

    /// <summary>Where Playwright keeps its own build of the engine (null when it cannot say). Asking costs a Node.js process
    /// (~0.4 s of CPU), so it is asked once per process, for every engine at once.</summary>
    public static async Task<string?> BuildPathAsync(Engine engine) => (await BuildPaths.Value).GetValueOrDefault(engine);

    private static readonly Lazy<Task<IReadOnlyDictionary<Engine, string?>>> BuildPaths = new(async () =>
    {
        try
        {
            using var playwright = await Playwright.CreateAsync();
            return Engines.All.ToDictionary(e => e, e => SafeExecutablePath(TypeOf(playwright, e)));
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // No Playwright driver to ask: the settings' own executable (or the Debian one) is all there is.
            return new Dictionary<Engine, string?>();
        }
    });

    /// <summary>Launches the engine with Playwright, or says why it cannot and what installs it.</summary>
    public static async Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts = null)
    {
        IPlaywright? playwright = null;
        try
        {
            playwright = await Playwright.CreateAsync();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var browser = await TypeOf(playwright, settings.Engine).LaunchAsync(new BrowserTypeLaunchOptions
            {
                Headless = true,
                ExecutablePath = settings.ExecutablePath,
                Channel = settings.Channel,
                Args = [.. FullBrowserSwitches(settings), .. settings.LaunchArgs(hosts)],
                IgnoreDefaultArgs = FullBrowserSwitches(settings).Count > 0 ? [CdpBrowser.PlaywrightDisabledFeatures] : null,
                FirefoxUserPrefs = settings.Engine == Engine.Firefox ? settings.FirefoxPrefs(hosts) : null,
                Timeout = 60_000,
            });
            var movesPorts = settings.Engine == Engine.Firefox && HostMapping.FirefoxForcePort(hosts ?? HostMapping.Topology) is not null;
            return new LaunchResult(new PlaywrightBrowser(playwright, browser, settings, started.Elapsed, movesPorts), null);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            playwright?.Dispose();
            var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            return new LaunchResult(null, $"{settings.Engine.Id()} could not be launched: {first}. To install it: {settings.InstallHint}");
        }
    }

    /// <summary>What Playwright's launch replaces for the full Chromium: its own <c>--disable-features</c> (ignored as a
    /// default argument) by the one without ThirdPartyStoragePartitioning, as <see cref="CdpBrowser.SwitchesFor"/> has it;
    /// nothing for the headless shell and the other engines.</summary>
    public static IReadOnlyList<string> FullBrowserSwitches(EngineSettings settings) =>
        CdpBrowser.SwitchesFor(settings).Contains(CdpBrowser.PlaywrightDisabledFeatures) ? [] : [CdpBrowser.FullBrowserDisabledFeatures];

    /// <summary>A fresh context that ignores the in-memory certificate's errors and holds the planted cookies.</summary>
    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        if (!plantCookies) return new Scope(context);
        await context.AddCookiesAsync(servers.PlantedCookies().Select(cookie => new Cookie
        {
            Name = cookie.Name,
            Value = cookie.Value,
            Url = cookie.HttpOrigin + "/",
            SameSite = SameSiteAttribute.Lax,
        }).ToList());
        return new Scope(context);
    }

    private sealed class Scope(IBrowserContext context) : IBrowserScope
    {
        public async Task<string?> AddCookiesAsync(IReadOnlyList<ServerUnderTest.JarCookie> cookies)
        {
            await context.AddCookiesAsync(cookies.Select(c => new Cookie
            {
                Name = c.Name,
                Value = c.Value,
                Domain = c.IncludeSubdomains ? "." + c.Domain : c.Domain,
                Path = c.Path,
                Secure = c.Secure,
                HttpOnly = c.HttpOnly,
                Expires = c.Expires > 0 ? c.Expires : -1,
                SameSite = c.Secure ? SameSiteAttribute.None : SameSiteAttribute.Lax,
            }).ToList());
            return null;
        }

        public async Task<IRunnerPage> OpenPageAsync(string pageOrigin) => await PageSession.OpenAsync(context, pageOrigin);

        public ValueTask DisposeAsync() => context.DisposeAsync();
    }

    /// <summary>Where Playwright's own build of each engine is (or would be), as Playwright said it the first time asked.</summary>
    private static IBrowserType TypeOf(IPlaywright playwright, Engine engine) => engine switch
    {
        Engine.Chromium => playwright.Chromium,
        Engine.Firefox => playwright.Firefox,
        _ => playwright.Webkit,
    };

    private static string? SafeExecutablePath(IBrowserType type)
    {
        try
        {
            return type.ExecutablePath;
        }
        catch (PlaywrightException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

