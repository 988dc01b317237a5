using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>The pool the browser tests share browsers through: one launch per engine, settings and host mapping; what it
/// hands out cannot close the browser; the pool closes every browser it launched.</summary>
public sealed class BrowserPoolTests
{
    private sealed class FakeBrowser : IBrowserDriver
    {
        public bool Disposed { get; private set; }

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "1.0";

        public string Driver => "fake";

        public bool MovesPortsOfEveryHost { get; init; }

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>What a lease hands out answers as its browser does: a Firefox that moves ports of every host must say so
    /// through the pool too, or a server on a moved port would be judged against the suite's own servers.</summary>
    [Test]
    public async Task A_lease_says_whether_its_browser_moves_ports_of_every_host()
    {
        await using var pool = new BrowserPool();
        var lease = await pool.LaunchAsync(Engine.Firefox, _ => null, null,
            () => Task.FromResult(new LaunchResult(new FakeBrowser { MovesPortsOfEveryHost = true }, null)));
        Assert.That(lease.Session!.MovesPortsOfEveryHost, Is.True);
    }

    [Test]
    public async Task Launches_alike_share_one_browser_that_only_the_pool_closes()
    {
        var launched = new List<FakeBrowser>();
        Task<LaunchResult> Launch()
        {
            var browser = new FakeBrowser();
            launched.Add(browser);
            return Task.FromResult(new LaunchResult(browser, null));
        }
        static string? Defaults(string key) => null;
        static string? OtherPath(string key) => key == "chromium.executablePath" ? "/opt/other/chrome" : null;
        HostMapping[] audit = [new("attacker.test", 443, 40443)];

        var pool = new BrowserPool();
        var first = await pool.LaunchAsync(Engine.Chromium, Defaults, null, Launch);
        var again = await pool.LaunchAsync(Engine.Chromium, Defaults, HostMapping.Topology, Launch);
        _ = await pool.LaunchAsync(Engine.Chromium, OtherPath, null, Launch);
        _ = await pool.LaunchAsync(Engine.Chromium, Defaults, audit, Launch);
        _ = await pool.LaunchAsync(Engine.Firefox, Defaults, null, Launch);
        await first.Session!.DisposeAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(launched, Has.Count.EqualTo(4), "the topology by default and named are one launch; other settings, hosts or engine are not");
            Assert.That(pool.Launched, Is.EqualTo(4));
            Assert.That(pool.Requests, Is.EqualTo(5));
            Assert.That(again.Session!.Description, Is.EqualTo(first.Session.Description));
            Assert.That(launched[0].Disposed, Is.False, "disposing what the pool handed out leaves the browser to the pool");
        }
        await pool.DisposeAsync();
        Assert.That(launched.All(b => b.Disposed), Is.True, "the pool closes every browser it launched");
    }

    [Test]
    public async Task An_engine_that_cannot_launch_is_asked_once_and_says_why_each_time()
    {
        var asked = 0;
        Task<LaunchResult> Fail()
        {
            asked++;
            return Task.FromResult(new LaunchResult(null, "webkit could not be launched: not installed"));
        }
        await using var pool = new BrowserPool();
        var first = await pool.LaunchAsync(Engine.Webkit, _ => null, null, Fail);
        var second = await pool.LaunchAsync(Engine.Webkit, _ => null, null, Fail);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked, Is.EqualTo(1));
            Assert.That(second.Unavailable, Is.EqualTo(first.Unavailable).And.Contains("not installed"));
            Assert.That(pool.Launched, Is.Zero);
        }
    }
}
