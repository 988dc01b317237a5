using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// Chromium (over CDP) and stock Firefox (over WebDriver BiDi) are driven by the harness itself, for speed: Playwright
/// watches every request. The driver must never change what is observed. The matrix already holds every case, run
/// directly, to snapshots first recorded through Playwright; this holds the rest of the observation too (the browser's
/// words, the page's error): every fourth case of the catalog (all categories and initiators), run through Playwright in the
/// same browser binary on the same servers, gives the same observations as the matrix's direct run of it
/// (<see cref="MatrixRuns"/>), and wherever Playwright heard the browser's words about a case the direct driver heard the same. (The direct CDP driver also hears dedicated
/// workers' console, which Playwright does not pass on: it may have words where Playwright has none.)
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed partial class DirectDriverTests(Engine engine)
{
    [Test]
    public async Task The_direct_driver_observes_the_catalog_exactly_as_Playwright_does()
    {
        if (engine is not (Engine.Chromium or Engine.Firefox)) Assert.Ignore($"{engine.DisplayName()} has no direct driver");
        var cases = CaseCatalog.All.Where((_, i) => i % 4 == 1).ToList();
        var direct = await DirectAsync(cases);
        var playwright = await PlaywrightAsync(cases);
        Assert.That(playwright.Description, Does.Not.Contain("CDP").And.Not.Contain("WebDriver BiDi"), "Playwright was not the driver used");
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var expected = Specs.Fetch.Oracle.Expect(cases[i]);
                if (expected.Alternatives.Count > 0)
                {
                    // Where the standard leaves the engine a choice (the preflight cache "may" drop an entry), the engine may
                    // choose differently from one run to the next, whoever drives it: each driver must see a choice the
                    // standard allows, or the same departure from it.
                    Assert.That(Specs.Verdicts.Verdict.Compare(expected, direct.Runs[i].Observation).Select(d => d.ToString()),
                        Is.EqualTo(Specs.Verdicts.Verdict.Compare(expected, playwright.Runs[i].Observation).Select(d => d.ToString())),
                        $"{cases[i].Id}: the direct driver and Playwright are judged differently");
                    continue;
                }
                Assert.That(direct.Runs[i].Observation with { BrowserReason = null },
                    Is.EqualTo(playwright.Runs[i].Observation with { BrowserReason = null }).Using(ObservationComparer.Instance),
                    $"{cases[i].Id}: the direct driver and Playwright differ");
                // A connection closed after an interim (1xx) answer fails below CORS; whether the browser also logs a CORS
                // message for it, and in time to be matched to its case, varies from run to run in either driver.
                if (playwright.Runs[i].Observation.BrowserReason is { } heard && !EndsInInterimAnswer(cases[i]))
                {
                    Assert.That(PageNamesOut(direct.Runs[i].Observation.BrowserReason), Is.EqualTo(PageNamesOut(heard)), $"{cases[i].Id}: the browser's words differ");
                }
            }
        }
    }

    /// <summary>The browser's words with the names the page made up written {n}: a font face's family is the page's count
    /// of the faces it has made (cors-font-7), which depends on the cases that ran in the page before it — the matrix's page
    /// ran the whole catalog, Playwright's only these cases. Likewise Firefox names an opaque origin by a fresh
    /// moz-nullprincipal:{uuid} each time, and the drivers may differ by a trailing line break where they join messages.</summary>
    private static string? PageNamesOut(string? words) =>
        words is null ? null : NullPrincipal().Replace(FontFamily().Replace(words, "cors-font-{n}"), "moz-nullprincipal:{uuid}").TrimEnd();

    [System.Text.RegularExpressions.GeneratedRegex(@"moz-nullprincipal:\{[0-9a-f-]+\}")]
    private static partial System.Text.RegularExpressions.Regex NullPrincipal();

    [System.Text.RegularExpressions.GeneratedRegex(@"cors-font-\d+")]
    private static partial System.Text.RegularExpressions.Regex FontFamily();

    private static bool EndsInInterimAnswer(Specs.Model.CorsCase @case) =>
        @case.Server.Actual.Status is >= 100 and < 200 || @case.Server.Preflight.Status is >= 100 and < 200
        || @case.Server.Redirect?.Status is >= 100 and < 200;

    /// <summary>The matrix's run of these cases, which is driven directly wherever the browser allows it.</summary>
    private async Task<(string Description, IReadOnlyList<CaseRun> Runs)> DirectAsync(IReadOnlyList<Specs.Model.CorsCase> cases)
    {
        var matrix = await MatrixRuns.OfAsync(engine);
        if (!matrix.Ran) Assert.Ignore(matrix.Unavailable!);
        if (!(matrix.Settings!.UsesDirectCdp || matrix.Settings.UsesDirectBidi))
        {
            Assert.Ignore($"this {engine.DisplayName()} ({matrix.Settings.Source}) is driven by Playwright only");
        }
        var observed = await MatrixRuns.ObservedAsync(engine);
        return (matrix.Description!, cases.Select(c => observed[c.Id]).ToList());
    }

    /// <summary>The same cases in the same browser binary, driven by Playwright.</summary>
    private async Task<(string Description, IReadOnlyList<CaseRun> Runs)> PlaywrightAsync(IReadOnlyList<Specs.Model.CorsCase> cases)
    {
        var key = engine.Id() + ".driver";
        Func<string, string?> settings = k => k == key ? "playwright" : EngineSelection.Settings(k);
        var launch = await BrowserLauncher.TryLaunchAsync(engine, settings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            throw new InvalidOperationException("unreachable");
        }
        await using (session)
        {
            return (session.Description, await new CaseRunner(ReferenceServersSetup.Servers, session).RunAsync(cases));
        }
    }
}
