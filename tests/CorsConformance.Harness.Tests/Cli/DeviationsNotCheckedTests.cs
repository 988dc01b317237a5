using CorsConformance.Harness.Tests.BadInputs;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`run` says which entries of a deviations file given with --deviations it could not check (their engine did not
/// run: a vendor's own list was passed over in silence, as if it held), and says nothing of the shipped list's: every
/// ordinary one-engine run printed a `?` line for each other engine (2026-12-07).</summary>
public sealed class DeviationsNotCheckedTests() : CommandInputTests("cors-not-checked-")
{
    [Test]
    public async Task Entries_of_your_own_file_for_an_engine_that_did_not_run_are_said_not_checked_and_the_shipped_ones_are_not()
    {
        var mine = Path.Combine(Folder, "mine.yaml");
        await File.WriteAllTextAsync(mine, "- { engine: firefox, case: preflight/authorization/acah-star/same-origin, fields: [outcome], reason: r, link: \"https://bugzilla.mozilla.org/1\" }\n");
        var own = await RunAsync("run", "--deviations", mine, "--engines", "webkit", "--no-install", "--out", Path.Combine(Folder, "own.json"));
        var shipped = await RunAsync("run", "--engines", "webkit", "--no-install", "--out", Path.Combine(Folder, "shipped.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(own.Output, Does.Contain($"? 1 entry of {mine} for firefox not checked: firefox did not run"), own.Output + own.Error);
            Assert.That(shipped.Output, Does.Not.Contain("not checked: "), shipped.Output);
            Assert.That(shipped.Error, Does.Not.Contain("   at "), shipped.Error);
        }
    }
}
