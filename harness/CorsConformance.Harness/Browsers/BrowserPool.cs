using System.Collections.Concurrent;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// Browsers kept for the rest of a process, one per engine, launch settings and host mapping: while a pool is
/// <see cref="Current"/>, <see cref="BrowserLauncher"/> hands out the pool's browser instead of launching another, and
/// disposing what it handed out leaves the browser running until the pool is disposed. What a run must not share it never
/// does: every run still gets fresh scopes (browser contexts: their own cookie jar and preflight cache) and unique URLs.
/// The browser tests use one so that a dozen fixtures do not each launch Firefox (2–7 s apiece on two cores); the CLI,
/// which launches each engine once, does not, nor do the tests that measure a process's CPU (idle browsers would count).
/// WebDriver engines are never pooled: a session is the scope there, and launching one costs half a second.
/// </summary>
public sealed class BrowserPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LaunchResult>>> _launches = new();
    private int _requests;

    /// <summary>The pool <see cref="BrowserLauncher"/> draws from; null (the default) launches a browser each time.</summary>
    public static BrowserPool? Current { get; set; }

    /// <summary>How many browsers this pool launched (for its tests, and to say what sharing saved).</summary>
    public int Launched => _launches.Count(l => l.Value.IsValueCreated && l.Value.Value.IsCompletedSuccessfully && l.Value.Value.Result.Session is not null);

    /// <summary>How many launches were asked of it.</summary>
    public int Requests => _requests;

    internal Task<LaunchResult> LaunchAsync(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts, Func<Task<LaunchResult>> launch)
    {
        Interlocked.Increment(ref _requests);
        var key = KeyOf(engine, lookup, hosts);
        return _launches.GetOrAdd(key, _ => new Lazy<Task<LaunchResult>>(async () =>
        {
            var result = await launch();
            return result.Session is { } session ? result with { Session = new Lease(session) } : result;
        })).Value;
    }

    /// <summary>What tells two launches apart: the engine, every setting that reaches its launch, and the host mapping.</summary>
    internal static string KeyOf(Engine engine, Func<string, string?> lookup, IReadOnlyList<HostMapping>? hosts)
    {
        var id = engine.Id();
        var settings = string.Join("|", new[] { "executablePath", "channel", "args", "driver" }.Select(key => $"{key}={lookup($"{id}.{key}")}"));
        var mapping = string.Join(",", (hosts ?? HostMapping.Topology).Select(h => h.ChromiumRule).Order(StringComparer.Ordinal));
        return $"{id}|{settings}|{mapping}";
    }

    public async ValueTask DisposeAsync()
    {
        if (ReferenceEquals(Current, this)) Current = null;
        foreach (var launch in _launches.Values.Where(l => l.IsValueCreated))
        {
            try
            {
                if (await launch.Value is { Session: Lease lease }) await lease.Browser.DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A launch that threw has nothing to close; one browser failing to close must not keep the others open.
            }
        }
        _launches.Clear();
    }

    /// <summary>The pool's browser as a launch hands it out: everything passes through but disposal, which the pool keeps.</summary>
    private sealed class Lease(IBrowserDriver browser) : IBrowserDriver
    {
        public IBrowserDriver Browser { get; } = browser;

        public EngineSettings Settings => Browser.Settings;

        public string Version => Browser.Version;

        public string Driver => Browser.Driver;

        public TimeSpan LaunchTime => Browser.LaunchTime;

        public CookiePolicy CookiePolicy => Browser.CookiePolicy;

        public string Description => Browser.Description;

        public bool MovesPortsOfEveryHost => Browser.MovesPortsOfEveryHost;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => Browser.NewScopeAsync(servers, plantCookies);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
