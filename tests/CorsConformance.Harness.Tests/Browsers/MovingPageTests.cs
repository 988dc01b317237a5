using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Tests.Running;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// A moving page that would not move to the next origin: a Firefox tab whose content process was killed shows its crash
/// page, which refuses every navigation ("browsingContext.navigate: unknown error: Error: Address rejected"), and the
/// server under test's calls from that origin were skipped as not judged ("would not open the suite's page at …"). The
/// origin is tried once more in a fresh page; only a browser that refuses it there too has refused the origin.
/// </summary>
public sealed class MovingPageTests
{
    [Test]
    public async Task A_page_that_would_not_move_is_replaced_by_a_fresh_one_at_that_origin()
    {
        var scope = new Scope(refuses: _ => false);
        await using var moving = new MovingPage(scope);
        await moving.AtAsync("https://app.example.com");
        scope.NextMoveFails = true;
        var page = await moving.AtAsync("https://evil.example");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.PageOrigin, Is.EqualTo("https://evil.example"));
            Assert.That(scope.Opened, Is.EqualTo(["https://app.example.com", "https://evil.example"]));
            Assert.That(scope.Closed, Is.EqualTo(1), "the page that would not move is closed");
        }
    }

    [Test]
    public async Task An_origin_the_browser_refuses_in_a_fresh_page_too_is_refused()
    {
        var scope = new Scope(refuses: origin => origin == "http://localhost:5173");
        await using var moving = new MovingPage(scope);
        await moving.AtAsync("https://app.example.com");
        scope.NextMoveFails = true;
        Assert.That(() => moving.AtAsync("http://localhost:5173"), Throws.InstanceOf<PageOpenException>().With.Message.Contains("refused (stand-in)"));
        Assert.That(scope.Opened, Is.EqualTo(["https://app.example.com"]), "one fresh try, which failed");
        // The next origin starts from a fresh page.
        Assert.That((await moving.AtAsync("https://evil.example")).PageOrigin, Is.EqualTo("https://evil.example"));
    }

    /// <summary>Pages that move where asked, but for the next move when <see cref="NextMoveFails"/> says so; an origin
    /// <c>refuses</c> names gets no page at all.</summary>
    private sealed class Scope(Func<string, bool> refuses) : IBrowserScope
    {
        public bool NextMoveFails { get; set; }

        public List<string> Opened { get; } = [];

        public int Closed { get; private set; }

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            if (refuses(pageOrigin)) return Task.FromException<IRunnerPage>(new PageOpenException($"{pageOrigin} refused (stand-in)"));
            Opened.Add(pageOrigin);
            return Task.FromResult<IRunnerPage>(new StandInPage(pageOrigin, StandInPage.Read, () =>
            {
                Closed++;
                return ValueTask.CompletedTask;
            }, origin =>
            {
                if (!NextMoveFails) return null;
                NextMoveFails = false;
                return new PageOpenException("browsingContext.navigate: unknown error: Error: Address rejected (stand-in)");
            }));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
