using System.Diagnostics;
using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>The wait for the runner page: a document that loaded without its runner (a browser's error page) gives up after
/// <see cref="RunnerPageReady.DeadFor"/>, not <see cref="RunnerPageReady.Within"/> — WebKitGTK's error pages for three
/// loopback origins cost 63 s of the test run; a document that is briefly so (a navigation not yet committed) is waited for.</summary>
public sealed class RunnerPageReadyTests
{
    [Test]
    public async Task A_document_that_stays_without_its_runner_gives_up_after_the_short_wait()
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PageOpenException>(() => RunnerPageReady.WaitAsync("http://localhost:5173",
            () => Task.FromResult(false), () => Task.FromResult<string?>("the browser shows an error page"), () => Task.FromResult(true)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(RunnerPageReady.Within - TimeSpan.FromSeconds(5)));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(RunnerPageReady.DeadFor));
            Assert.That(e!.Message, Does.Contain("the runner page at http://localhost:5173 was not ready (the document loaded without its runner for 2 s): the browser shows an error page"));
        }
    }

    [Test]
    public async Task A_document_briefly_without_its_runner_is_waited_for()
    {
        var clock = Stopwatch.StartNew();
        // Dead for the first second (the page before a navigation commits), ready at 3 s: past DeadFor from the start, but
        // not dead for DeadFor in a row.
        await RunnerPageReady.WaitAsync("https://app.example.com",
            () => Task.FromResult(clock.Elapsed > TimeSpan.FromSeconds(3)), null, () => Task.FromResult(clock.Elapsed < TimeSpan.FromSeconds(1)));
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(3)));
    }
}
