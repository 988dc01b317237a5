using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// The mixed-content probe turns every server-under-test case of an engine into "not judged", so it must not be wrong: a
/// page at https calling http://127.0.0.1 is not mixed content (loopback is potentially trustworthy), and only an engine
/// listed here, with the reason, may block it. A listed engine that stops blocking fails too, so the list stays true.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class MixedContentProbeTests(Engine engine)
{
    /// <summary>Engines seen blocking an https page's calls to plain-HTTP loopback, against Mixed Content §4.3 ("a priori
    /// authenticated" URLs include loopback): WebKitGTK 2.50.6 (Debian), 2026-11-29, fetch rejects with no request sent.</summary>
    private static readonly IReadOnlySet<Engine> KnownToBlock = new HashSet<Engine> { Engine.WebkitGtk };

    [Test]
    public async Task An_https_page_reaches_plain_HTTP_loopback_unless_the_engine_is_known_to_block_it()
    {
        var servers = ReferenceServersSetup.Servers;
        var launch = await BrowserLauncher.TryLaunchAsync(engine, EngineSelection.Settings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            return;
        }
        string? blocked;
        await using (session)
        {
            await using var scope = await session.NewScopeAsync(servers, plantCookies: false);
            await using var page = await scope.OpenPageAsync(servers.OriginOf(Specs.Model.Place.Page, Specs.Model.Scheme.Https));
            blocked = await MixedContentProbe.WhyBlockedAsync(page, servers, TimeSpan.FromSeconds(10));
        }
        if (KnownToBlock.Contains(engine))
        {
            Assert.That(blocked, Does.Contain(MixedContentProbe.Blocked), "listed as blocking, but the call went through: remove it from KnownToBlock");
        }
        else
        {
            Assert.That(blocked, Is.Null, "an unlisted engine blocked the call");
        }
    }
}
