using System.Text.RegularExpressions;
using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>
/// `cors-conformance bench` measures, it asserts no speed: what is held here is that it runs both ways and reports what it
/// promises — verdicts per second naive and batched with their ratio, the matrix's wall time, and the runner's account
/// (HTTP requests from the journal, when the last page was ready, CPU by side). One small case file, one round, Chromium.
/// </summary>
public sealed partial class BenchCommandTests
{
    [Test]
    public async Task Bench_prints_both_ways_the_ratio_the_matrix_time_and_where_the_runner_s_time_went()
    {
        if (RepositoryLayout.Root() is not { } root)
        {
            Assert.Ignore("not run from a clone: no case file to bench");
            return;
        }
        var cases = Path.Combine(root, "specs", "catalog", "cases", "simple.yaml");
        var output = new StringWriter();
        var code = await Commands.RunAsync(["bench", "--engines", "chromium", "--cases", cases, "--rounds", "1"], output, new StringWriter());
        var text = output.ToString();
        if (text.Contains("| chromium | skipped:", StringComparison.Ordinal)) Assert.Ignore("Chromium could not run here: " + text);

        Assert.That(code, Is.Zero, text);
        var row = text.Split('\n').First(line => line.StartsWith("| Chromium", StringComparison.Ordinal) && line.Contains("verdicts/s", StringComparison.Ordinal));
        var account = text.Split('\n').Last(line => line.StartsWith("| Chromium", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Rates().Matches(row), Has.Count.EqualTo(2), "naive and runner, each in verdicts/s: " + row);
            Assert.That(row, Does.Match(@"×\d+\.\d"), "the ratio between them");
            Assert.That(text, Does.Match(@"One after another \(chromium\), each engine's launch and best runner round added up: \d+\.\d s"));
            Assert.That(text, Does.Match(@"Whole matrix \(chromium\), launches included, side by side as `run` runs it: \d+\.\d s \(each engine's verdicts in at chromium \d+\.\d s"));
            // simple.yaml is one request per case: the journal's count is at least the number of cases.
            var requests = Regex.Match(account, @"\| (\d+) \(\d+/s\) \|");
            Assert.That(requests.Success && int.Parse(requests.Groups[1].Value) >= 32, Is.True, "HTTP requests from the journal: " + account);
            Assert.That(account, Does.Match(@"\d+\.\d\d s of \d+\.\d\d s"), "when the last page was ready, of the round");
            if (OperatingSystem.IsLinux()) Assert.That(account, Does.Match(@"\d+ %"), "how busy the cores were");
        }
    }

    [GeneratedRegex(@"\d+ verdicts/s \(\d+\.\d\d s\)")]
    private static partial Regex Rates();
}
