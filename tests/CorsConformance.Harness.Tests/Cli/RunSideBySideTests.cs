using System.Text.Json;
using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>
/// `run` takes the engines side by side by default. What that must not change is what each engine is seen doing: the same
/// small case file run both ways gives the same observations, case by case and engine by engine, and the results list the
/// engines in the order --engines named them, whichever finished first.
/// </summary>
public sealed class RunSideBySideTests
{
    [Test]
    public async Task Side_by_side_each_engine_observes_what_it_observes_one_after_another()
    {
        if (RepositoryLayout.Root() is not { } root)
        {
            Assert.Ignore("not run from a clone: no case file to run");
            return;
        }
        var cases = Path.Combine(root, "specs", "catalog", "cases", "simple.yaml");
        var directory = Directory.CreateTempSubdirectory("cors-side-by-side-").FullName;
        try
        {
            var (sideCode, sideText, side) = await RunAsync(directory, "side.json", cases);
            foreach (var engine in new[] { "firefox", "chromium" })
            {
                if (!Ran(side, engine)) Assert.Ignore($"{engine} could not run here: {sideText}");
            }
            var (turnCode, turnText, turn) = await RunAsync(directory, "turn.json", cases, "--one-engine-at-a-time");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(sideCode, Is.Zero, sideText);
                Assert.That(turnCode, Is.Zero, turnText);
                Assert.That(Engines(side), Is.EqualTo(new[] { "firefox", "chromium" }), "the order --engines named");
                var seen = Observations(side);
                Assert.That(seen, Has.Count.EqualTo(2 * side.GetProperty("cases").GetArrayLength()).And.Count.GreaterThan(10), "every case in both engines");
                Assert.That(seen, Is.EqualTo(Observations(turn)), "the same observations both ways");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int Code, string Text, JsonElement Results)> RunAsync(string directory, string file, string cases, params string[] more)
    {
        var output = new StringWriter();
        var path = Path.Combine(directory, file);
        var code = await Commands.RunAsync(["run", "--no-install", "--engines", "firefox,chromium", "--cases", cases, "--out", path, .. more], output, output);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        return (code, output.ToString(), document.RootElement.Clone());
    }

    private static bool Ran(JsonElement results, string engine) =>
        results.GetProperty("engines").EnumerateArray().Any(e => e.GetProperty("engine").GetString() == engine && e.GetProperty("ran").GetBoolean());

    private static List<string?> Engines(JsonElement results) =>
        [.. results.GetProperty("engines").EnumerateArray().Select(e => e.GetProperty("engine").GetString())];

    /// <summary>Case id and engine → what was observed (the journal's entries too: requests, preflights, cookies).</summary>
    private static Dictionary<string, string> Observations(JsonElement results) =>
        results.GetProperty("cases").EnumerateArray()
            .SelectMany(c => c.GetProperty("results").EnumerateObject().Select(r => (
                Key: $"{r.Name} {c.GetProperty("id").GetString()}",
                Value: r.Value.GetProperty("observed").GetRawText() + " " + r.Value.GetProperty("journal").GetRawText())))
            .ToDictionary(x => x.Key, x => x.Value);
}
