using CorsConformance.Harness.Audit;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Harness.Tests.Running;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Specs.Policies;
using RawResponse = CorsConformance.Harness.ServerUnderTest.RawResponse;

namespace CorsConformance.Harness.Tests.Audit;

/// <summary>An audit's browser confirmation whose page fails while it reads (its renderer crashed or was killed, or it hung):
/// the exception ended the whole audit. The read is "not checked", never "not exploitable", and the next read starts in a
/// fresh page.</summary>
public sealed class ConfirmationPageFailedTests : ReferenceServersFixture
{
    private const string Crash = "the runner page failed: its renderer crashed or was killed (stand-in)";

    [TestCase("http://127.0.0.1:9/", "failed while it read")]
    // An https page reading a plain-HTTP loopback target first asks whether the engine lets it (the mixed-content probe).
    [TestCase("http://127.0.0.1:9/", "failed before it read", "https://cors-audit-attacker.test")]
    public async Task A_page_failing_during_the_read_leaves_the_finding_not_checked_and_the_next_read_gets_a_fresh_page(string target, string said, string probe = "http://cors-audit-attacker.test")
    {
        var scope = new Scope();
        await using var moving = new MovingPage(scope);
        var finding = new AuditFinding(ServerDefects.ReflectedOrigin, Severity.High, probe, "reflects", new RawResponse(200, [], null), "curl", "fetch");
        // A build of its own: MixedContentProbe remembers a build's answer for the process, and another test's read with the
        // same name, side by side, would leave this one without its probe.
        var browser = "Chromium " + Guid.NewGuid().ToString("N")[..8];
        var first = await BrowserConfirmation.TryReadAsync(moving, finding, new Uri(target), Servers, TimeSpan.FromSeconds(2), null, browser);
        var second = await BrowserConfirmation.TryReadAsync(moving, finding, new Uri(target), Servers, TimeSpan.FromSeconds(2), null, browser);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Outcome, Is.EqualTo(BrowserConfirmation.Read.Unchecked));
            Assert.That(first.Why, Is.EqualTo($"{browser}'s page {said} ({Crash})"));
            Assert.That(scope.Opened, Is.EqualTo(2), "the failed page is dropped and the next read opens a fresh one");
            Assert.That(second.Outcome, Is.EqualTo(BrowserConfirmation.Read.Readable), second.Why);
        }
    }

    /// <summary>Pages whose first call of all fails as a crashed renderer does; every later call reads the response.</summary>
    private sealed class Scope : IBrowserScope
    {
        private int _calls;

        public int Opened { get; private set; }

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            Opened++;
            return Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, batch => Interlocked.Increment(ref _calls) == 1 ? StandInPage.Crashed(Crash) : StandInPage.Read(batch)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
