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

    private PlaywrightBrowser(IPlaywright playwright, IBrowser browser, EngineSettings settings, TimeSpan launchTime)
    {
        _playwright = playwright;
        Browser = browser;
        Settings = settings;
        LaunchTime = launchTime;
    }

    public IBrowser Browser { get; }

    public EngineSettings Settings { get; }

    public Engine Engine => Settings.Engine;

    public string Version => Browser.Version;

    public string Driver => "Playwright " + (typeof(IPlaywright).Assembly.GetName().Version?.ToString(3) ?? "");

    public TimeSpan LaunchTime { get; }

    /// <summary>Launches the engine, or says why it cannot and what installs it.</summary>
    /// <param name="hosts">Host names to resolve to loopback inside the browser; the reference topology by default.</param>
    public static async Task<LaunchResult> TryLaunchAsync(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts = null)
    {
        IPlaywright? playwright = null;
        EngineSettings? settings = null;
        try
        {
            // Where Playwright keeps its own build of the engine decides the default; asking costs a Node.js process (~0.4 s
            // of CPU), so it is asked once per engine per process.
            if (!BuildPaths.TryGetValue(engine, out var build))
            {
                playwright = await Playwright.CreateAsync();
                build = BuildPaths.GetOrAdd(engine, SafeExecutablePath(TypeOf(playwright, engine)));
            }
            settings = EngineSettings.Resolve(engine, lookup, build);
            if (settings.Source == "playwright build" && (build is null || !File.Exists(build)))
            {
                // Not installed (Playwright's WebKit, here): say so at once, in Playwright's words, without starting it.
                playwright?.Dispose();
                return new LaunchResult(null, $"{engine.Id()} could not be launched: Executable doesn't exist at {build ?? "(no path)"}. To install it: {settings.InstallHint}");
            }
            if (settings.UsesDirectCdp || settings.UsesDirectBidi)
            {
                // The direct drivers go on without Playwright.
                playwright?.Dispose();
                playwright = null;
                // Playwright's own build: for headless Chromium Playwright launches its headless shell, and so does the CDP driver.
                var direct = settings.ExecutablePath is null && build is not null
                    ? settings with { ExecutablePath = engine == Engine.Chromium ? EngineSettings.HeadlessShellBeside(build) ?? build : build }
                    : settings;
                return settings.UsesDirectCdp ? await CdpBrowser.TryLaunchAsync(direct, hosts) : await BidiBrowser.TryLaunchAsync(direct, hosts);
            }
            playwright ??= await Playwright.CreateAsync();
            var type = TypeOf(playwright, engine);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var browser = await type.LaunchAsync(new BrowserTypeLaunchOptions
            {
                Headless = true,
                ExecutablePath = settings.ExecutablePath,
                Channel = settings.Channel,
                Args = settings.LaunchArgs(hosts),
                FirefoxUserPrefs = engine == Engine.Firefox ? settings.FirefoxPrefs(hosts) : null,
                Timeout = 60_000,
            });
            return new LaunchResult(new PlaywrightBrowser(playwright, browser, settings, started.Elapsed), null);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            playwright?.Dispose();
            var hint = (settings ?? EngineSettings.Resolve(engine, lookup, null)).InstallHint;
            var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            return new LaunchResult(null, $"{engine.Id()} could not be launched: {first}. To install it: {hint}");
        }
    }

    /// <summary>A fresh context that ignores the in-memory certificate's errors and holds the planted cookies.</summary>
    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        if (!plantCookies) return new Scope(context);
        // Cookies are keyed by name, host and path, not scheme: one non-Secure cookie per host serves HTTP and HTTPS.
        await context.AddCookiesAsync(Enum.GetValues<Place>().Select(place => new Cookie
        {
            Name = ServerContract.CookieName,
            Value = "1",
            Url = servers.OriginOf(place, Scheme.Http) + "/",
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
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Engine, string?> BuildPaths = new();

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

