using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// Stock Firefox is driven over WebDriver BiDi by the harness itself, for speed (Playwright's BiDi driver watches every
/// request). The driver must never change what is observed: the whole catalog, run once through Playwright and once
/// directly in the same Firefox binary on the same servers, gives the same observations and the same browser words.
/// </summary>
public sealed class FirefoxDriverTests
{
    [Test]
    public async Task Stock_Firefox_driven_directly_observes_the_catalog_exactly_as_driven_by_Playwright()
    {
        var selected = Engines.ParseList(Environment.GetEnvironmentVariable("BROWSER") ?? TestContext.Parameters.Get("Engine"));
        if (!selected.Contains(Engine.Firefox)) Assert.Ignore("Firefox is not in this run's engines");
        var cases = CaseCatalog.All;
        var direct = await RunAsync(null, cases);
        var playwright = await RunAsync("playwright", cases);
        Assert.That(direct.Description, Does.Contain("WebDriver BiDi"), "the direct driver was not the one used");
        Assert.That(playwright.Description, Does.Not.Contain("WebDriver BiDi"), "Playwright was not the driver used");
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < cases.Count; i++)
            {
                Assert.That(direct.Runs[i].Observation, Is.EqualTo(playwright.Runs[i].Observation).Using(ObservationComparer.Instance),
                    $"{cases[i].Id}: direct BiDi and Playwright differ");
                Assert.That(direct.Runs[i].Observation.BrowserReason, Is.EqualTo(playwright.Runs[i].Observation.BrowserReason),
                    $"{cases[i].Id}: the browser's words differ");
            }
        }
    }

    /// <param name="driver">The firefox.driver setting; null: the default, which is the direct driver for stock Firefox.</param>
    private static async Task<(string Description, IReadOnlyList<CaseRun> Runs)> RunAsync(string? driver, IReadOnlyList<Specs.Model.CorsCase> cases)
    {
        Func<string, string?> settings = key => key == "firefox.driver" ? driver : EngineSelection.Settings(key);
        var launch = await BrowserLauncher.TryLaunchAsync(Engine.Firefox, settings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            throw new InvalidOperationException("unreachable");
        }
        if (driver is null && !session.Settings.UsesDirectBidi)
        {
            await session.DisposeAsync();
            Assert.Ignore($"this Firefox ({session.Settings.Source}) is Playwright's own build, which only Playwright drives");
        }
        await using (session)
        {
            return (session.Description, await new CaseRunner(ReferenceServersSetup.Servers, session).RunAsync(cases));
        }
    }
}
