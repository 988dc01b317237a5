using CorsConformance.Harness.Audit;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Specs.Policies;
using RawResponse = CorsConformance.Harness.ServerUnderTest.RawResponse;
using Read = CorsConformance.Harness.Audit.BrowserConfirmation.Read;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>
/// An audit's browser that dies while it reads (its process killed or crashed): every read after it was "not checked",
/// though the findings were what the audit is for (Chromium killed during the reads of a server reflecting any origin with
/// credentials: "not checked in a browser: … failed as it opened its page"). The reads the dead browser failed are made
/// once more in a browser launched again, as a server under test's calls are.
/// </summary>
public sealed class ConfirmationBrowserDiedTests : ReferenceServersFixture
{
    private static readonly AuditFinding Reflected = Finding("https://cors-audit-attacker.test");
    private static readonly AuditFinding NullTrusted = Finding("null");

    private static AuditFinding Finding(string probe) =>
        new(ServerDefects.ReflectedOrigin, Severity.High, probe, "reflects", new RawResponse(200, [], null), "curl", "fetch");

    private static readonly (Read, string) Failed = (Read.Unchecked, "chromium stand-in failed as it opened its page at https://cors-audit-attacker.test (ProtocolException: the browser closed its connection)");

    [TestCase("launches", TestName = "{m}(a browser that launches again)")]
    [TestCase("cannot launch", TestName = "{m}(a browser that cannot launch)")]
    public async Task Reads_a_dead_browser_failed_are_made_again_in_one_launched_again(string relaunched)
    {
        var dead = new StandInBrowser(alive: false);
        var fresh = new StandInBrowser(alive: true);
        IReadOnlyList<AuditFinding>? readAgain = null;
        var reads = await BrowserConfirmation.ReadLostAgainAsync([(Reflected, Failed), (NullTrusted, (Read.Readable, ""))], dead, Servers,
            () => Task.FromResult(relaunched == "launches" ? new LaunchResult(fresh, null) : new LaunchResult(null, "stand-in: no executable")),
            r =>
            {
                readAgain = r.Findings;
                return Task.FromResult<IReadOnlyList<(AuditFinding, (Read, string))>>([.. r.Findings.Select(f => (f, (Read.Readable, "")))]);
            });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reads.Select(r => r.Finding), Is.EqualTo(new[] { Reflected, NullTrusted }), "every finding, in its order");
            Assert.That(reads[1].Read.Outcome, Is.EqualTo(Read.Readable), "a read the browser made is kept");
            if (relaunched == "launches")
            {
                Assert.That(readAgain, Is.EqualTo(new[] { Reflected }), "only the read the dead browser failed");
                Assert.That(reads[0].Read.Outcome, Is.EqualTo(Read.Readable));
                Assert.That(fresh.Disposed, Is.True, "the browser launched again is closed");
            }
            else
            {
                Assert.That(readAgain, Is.Null);
                Assert.That(reads[0].Read.Outcome, Is.EqualTo(Read.Unchecked), "never refused, never confirmed");
                Assert.That(reads[0].Read.Why, Does.StartWith(Failed.Item2).And.EndWith("the browser had died (ProtocolException: the browser's connection is gone (stand-in)) and could not be launched again: stand-in: no executable"));
            }
        }
    }

    /// <summary>A browser dead before its first read: the scope it would not open threw out of the audit. Every read is not
    /// checked, in the words that make them be read again in a browser launched again.</summary>
    [Test]
    public async Task A_browser_dead_before_its_reads_leaves_them_to_one_launched_again()
    {
        var dead = new StandInBrowser(alive: false);
        var result = new AuditResult(new Uri("http://127.0.0.1:9/"), "https://app.example.com", [Reflected, NullTrusted]);
        var reads = await BrowserConfirmation.ReadAllAsync(dead, [Reflected, NullTrusted], result, Servers, TimeSpan.FromSeconds(2), null);
        var fresh = new StandInBrowser(alive: true);
        var again = await BrowserConfirmation.ReadLostAgainAsync(reads, dead, Servers, () => Task.FromResult(new LaunchResult(fresh, null)),
            r => Task.FromResult<IReadOnlyList<(AuditFinding, (Read, string))>>([.. r.Findings.Select(f => (f, (Read.Readable, "")))]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reads.Select(r => r.Read.Outcome), Has.All.EqualTo(Read.Unchecked));
            Assert.That(reads.Select(r => r.Read.Why), Has.All.StartWith("chromium stand-in failed as it opened a scope for its reads (ProtocolException: "));
            Assert.That(again.Select(r => r.Read.Outcome), Has.All.EqualTo(Read.Readable), "read again in the browser launched again");
        }
    }

    /// <summary>A browser that still opens a scope is not launched again, and a read not checked for another reason (an
    /// engine that blocks mixed content) does not even ask whether the browser is alive.</summary>
    [Test]
    public async Task A_living_browser_or_a_read_not_checked_for_another_reason_launches_nothing()
    {
        var launched = 0;
        Task<LaunchResult> Relaunch()
        {
            launched++;
            return Task.FromResult(new LaunchResult(null, "unused"));
        }
        var alive = new StandInBrowser(alive: true);
        var kept = await BrowserConfirmation.ReadLostAgainAsync([(Reflected, Failed)], alive, Servers, Relaunch, _ => throw new AssertionException("read again"));
        var dead = new StandInBrowser(alive: false);
        var mixedContent = (Read.Unchecked, "an https page's requests to http://127.0.0.1 are blocked as mixed content");
        var notAsked = await BrowserConfirmation.ReadLostAgainAsync([(Reflected, mixedContent)], dead, Servers, Relaunch, _ => throw new AssertionException("read again"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kept.Single().Read, Is.EqualTo(Failed));
            Assert.That(alive.ScopesOpened, Is.EqualTo(1), "asked whether it is alive once");
            Assert.That(notAsked.Single().Read, Is.EqualTo(mixedContent));
            Assert.That(dead.ScopesOpened, Is.Zero, "not asked");
            Assert.That(launched, Is.Zero);
        }
    }

    /// <summary>A browser named "chromium stand-in" whose scopes open (and close) while it is alive; a dead one's connection
    /// is gone.</summary>
    private sealed class StandInBrowser(bool alive) : IBrowserDriver, IBrowserScope
    {
        public int ScopesOpened { get; private set; }

        public bool Disposed { get; private set; }

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "stand-in";

        public string Driver => "a stand-in";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
        {
            ScopesOpened++;
            return alive ? Task.FromResult<IBrowserScope>(this)
                : Task.FromException<IBrowserScope>(new ProtocolException("the browser's connection is gone (stand-in)") { ConnectionGone = true });
        }

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin) => throw new AssertionException("no page is opened here");

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
