using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// One launched browser, whatever drives it: Playwright (Chromium, Firefox, Playwright's WebKit build) or W3C WebDriver
/// (WebKitGTK through WebKitWebDriver). Runners see only this, a scope and a runner page, so the same catalog, oracle and
/// snapshots serve every engine.
/// </summary>
public interface IBrowserDriver : IAsyncDisposable
{
    EngineSettings Settings { get; }

    Engine Engine => Settings.Engine;

    /// <summary>The engine's own version string (Chromium 156.0.8078.79; WebKitGTK 2.50.6).</summary>
    string Version { get; }

    /// <summary>What drives it: "Playwright 1.64.1" or "WebDriver (WebKitWebDriver)".</summary>
    string Driver { get; }

    TimeSpan LaunchTime { get; }

    CookiePolicy CookiePolicy => CookiePolicy.For(Engine);

    /// <summary>Whether the browser gives pages their origins by moving ports of every host at once (Firefox under
    /// Playwright: network.socket.forcePort), so that a server on a moved port cannot be reached (HostMapping.Unreachable).</summary>
    bool MovesPortsOfEveryHost => false;

    /// <summary>"Chromium 156.0.8078.79 (debian package)", "WebKitGTK 2.50.6 (debian package, WebDriver)".</summary>
    string Description => $"{Engine.DisplayName()} {Version} ({Settings.BuildWords}{(Engine.IsWebDriver() ? ", WebDriver" : "")})";

    /// <summary>A fresh scope — its own cookie jar and preflight cache — that accepts the in-memory certificate, with the
    /// planted cookie on every host of the topology unless <paramref name="plantCookies"/> is false.</summary>
    Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true);
}

/// <summary>A browser context (Playwright) or session (WebDriver): state no other scope shares.</summary>
public interface IBrowserScope : IAsyncDisposable
{
    /// <summary>Opens the runner page (fixtures/pages/matrix.html) at <paramref name="pageOrigin"/> and waits until its runner
    /// script has run (its sandboxed frame loads on; a batch that needs the frame waits for it in the page). Throws <see cref="PageOpenException"/> when the browser will not load a page there.
    /// A scope's pages run side by side (over W3C WebDriver, a window each, their commands taking turns on the session).</summary>
    Task<IRunnerPage> OpenPageAsync(string pageOrigin);

    /// <summary>Puts a cookie jar's cookies into this scope's jar (a server under test behind a login): null when they are
    /// in, else why they could not be (the caller reports the credentialed cases as not judged, never as passing).</summary>
    Task<string?> AddCookiesAsync(IReadOnlyList<ServerUnderTest.JarCookie> cookies) =>
        Task.FromResult<string?>("this driver cannot put a cookie jar's cookies into the browser");
}

/// <summary>The runner page open at one origin.</summary>
public interface IRunnerPage : IAsyncDisposable
{
    /// <summary>The origin the page has (scheme://host:port as the browser serializes it).</summary>
    string PageOrigin { get; }

    /// <summary>Issues one batch in one round trip and returns what the page saw, in the batch's order.</summary>
    Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch);

    /// <summary>The browser's words about the request whose URL holds <paramref name="token"/>, with that URL written {url};
    /// null when there are none or the driver cannot hear them (classic WebDriver has no console).</summary>
    string? ReasonFor(string token);

    /// <summary>Every browser message since the last call (for requests run one at a time, whose URL carries no token).</summary>
    string? TakeMessages();

    /// <summary>
    /// Loads the runner page at <paramref name="pageOrigin"/> in this same page (its tab or window), in place of the one it
    /// shows, and waits until that one is ready, as <see cref="IBrowserScope.OpenPageAsync"/> would; the messages of the
    /// page before are dropped. A run that needs a page at one origin after another (a server under test's forged origins,
    /// two cases each) moves one page along: Firefox spent ~0.4 s of CPU making and closing a tab, a quarter of that
    /// navigating one. Throws <see cref="PageOpenException"/> when the browser will not load a page there.
    /// </summary>
    Task MoveToAsync(string pageOrigin);
}
