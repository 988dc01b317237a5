using System.Text.Json.Nodes;
using CorsConformance.Cli;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Tests.Reports;

namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// The figures a report.json carries beside its results — each result's `failed`, the changes' gate and counts, the
/// history's shares, the partial notice's counts — were written and never read back: `render`, `--baseline`, `--history`
/// and `report merge` took a file whose `failed` said false on a `fails` verdict, whose history said 99 of 7 cases
/// conformed, or whose changes listed a regression its own results do not hold (each exit 0, hostile-input round 3). A
/// figure that disagrees with what it summarises is refused, naming the file, the field and its line.
/// </summary>
public sealed class ReportCountsTests() : CommandInputTests("cors-counts-")
{
    private static string Sample => Path.Combine(RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone"), "docs", "sample-report", "report.json");

    [TestCase("cases[0].results.chromium.failed", "true", "field 'cases[0].results.chromium.failed' (line 92): true, but the rest of the report makes it false")]
    [TestCase("cases[2].results.firefox.failed", "false", "field 'cases[2].results.firefox.failed' (line ")]
    [TestCase("cases[0].results.chromium.failed", "\"no\"", "field 'cases[0].results.chromium.failed' (line 92): \"no\", but the rest of the report makes it false")]
    [TestCase("changes.failsRegressionGate", "false", "field 'changes.failsRegressionGate' (line ")]
    [TestCase("changes.hasRegressions", "false", "field 'changes.hasRegressions' (line ")]
    [TestCase("changes.isEmpty", "true", "field 'changes.isEmpty' (line ")]
    public async Task A_derived_field_that_disagrees_with_the_report_is_refused_naming_it(string field, string value, string problem)
    {
        var file = Path.Combine(Folder, "report.json");
        File.WriteAllText(file, Set(JsonNode.Parse(File.ReadAllText(Sample))!, field, value).ToJsonString(new() { WriteIndented = true }));
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", file, "--out", output), file, problem);
        AssertRefused(await RunAsync("render", Sample, "--baseline", file, "--out", output), file, problem);
        var history = Directory.CreateDirectory(Path.Combine(Folder, "history")).FullName;
        File.Copy(file, Path.Combine(history, "night.json"));
        AssertRefused(await RunAsync("render", Sample, "--history", history, "--out", output), "night.json", problem.Split(" (line")[0]);
        Assert.That(Directory.Exists(output), Is.False, "nothing written");
    }

    [TestCase("history[0].engines[0].share.conforms", "99", "field 'history[0].engines[0].share' (line ", "99 conform of 7 judged")]
    [TestCase("history[0].interop.judged", "-7", "field 'history[0].interop' (line ", "is negative")]
    [TestCase("history[1].engines[1].share.notJudged", "-1", "field 'history[1].engines[1].share' (line ", "is negative")]
    [TestCase("history[2].engines[1].engine", "\"chromium\"", "field 'history[2].engines[1].engine' (line ", "'chromium' is listed already, as history[2].engines[0]")]
    // A night of the history is a previous night, and the nights are oldest first (render draws them in the file's order).
    [TestCase("history[2].generatedAt", "\"2026-12-31T02:00:00+00:00\"", "field 'history[2].generatedAt' (line ", "is not before the report's own generatedAt")]
    [TestCase("history[0].generatedAt", "\"2026-11-22T03:00:00+00:00\"", "field 'history[1].generatedAt' (line ", "is not after history[0]'s")]
    [TestCase("changes.newFailures[0].to", "\"conforms\"", "field 'changes.newFailures[0].to' (line ", "the report's result is 'fails'")]
    [TestCase("changes.newFailures[0].engine", "\"webkit\"", "field 'changes.newFailures[0]' (line ", "has no result of engine 'webkit'")]
    [TestCase("changes.newFailures[0].case", "\"cors-check/not-a-case\"", "field 'changes.newFailures[0]' (line ", "'cors-check/not-a-case' is not a case of the report")]
    [TestCase("changes.enginesNotRun[+]", """{"engine":"webkit","version":null,"why":"x","judged":-1,"conformed":5}""", "field 'changes.enginesNotRun[0]' (line ", "5 conformed of -1 judged")]
    [TestCase("changes.enginesNotRun[+]", """{"engine":"chromium","version":null,"why":"x","judged":1,"conformed":1}""", "field 'changes.enginesNotRun[0].engine' (line ", "'chromium' ran in this report")]
    public async Task A_count_that_disagrees_with_what_it_counts_is_refused_naming_it(string field, string value, string where, string problem)
    {
        var file = Path.Combine(Folder, "report.json");
        File.WriteAllText(file, Set(JsonNode.Parse(File.ReadAllText(Sample))!, field, value).ToJsonString(new() { WriteIndented = true }));
        var output = Path.Combine(Folder, "out");
        var result = await RunAsync("render", file, "--out", output);
        AssertRefused(result, file, where);
        AssertRefused(result, file, problem);
        Assert.That(Directory.Exists(output), Is.False, "nothing written");
    }

    /// <summary>A report with a catalog whose results lack cells, without a `partial` notice (deleted, or edited out), read as
    /// whole: render drew it without a word on what was not checked, and --baseline's gate counted its missing results as
    /// regressions of a whole report. The notice's counts are those of the results.</summary>
    [Test]
    public async Task A_partial_notice_missing_or_miscounted_is_refused_naming_it()
    {
        var whole = RecordedReports.CurrentWithCatalog;
        var shard = RecordedReports.Split(whole, new Shard(1, 3));
        Assert.That(shard.Partial, Is.Not.Null);
        var output = Path.Combine(Folder, "out");
        async Task Refused(Report report, string where, string problem)
        {
            var file = Path.Combine(Folder, "part.json");
            File.WriteAllText(file, ReportFile.Serialize(report));
            var result = await RunAsync("render", file, "--out", output);
            AssertRefused(result, file, where);
            AssertRefused(result, file, problem);
            AssertRefused(await RunAsync("report", "merge", file, "--out", output), file, where);
            Assert.That(Directory.Exists(output), Is.False, "nothing written");
        }
        await Refused(shard with { Partial = null }, "the field 'partial' is missing", "engine 'chromium' has no result on 3 of the 8 cases of 'catalog.cases'");
        var partial = shard.Partial!;
        await Refused(shard with { Partial = partial with { Holds = [partial.Holds[0] with { Cases = 203 }, .. partial.Holds.Skip(1)] } },
            "field 'partial.holds[0]' (line ", "203 cases");
        await Refused(shard with { Partial = partial with { Missing = [] } }, "field 'partial.missing' (line ", "engine 'chromium' has no result on 3 cases");
        // A shard that is no K/N was shown as the shard the report is ("shard abc"); only `report merge` parsed it.
        await Refused(shard with { Partial = partial with { Shards = ["abc"] } }, "field 'partial.shards[0]' (line ", "takes K/N (the K-th of N parts, e.g. 2/4), not 'abc'");
        // The shard as written still reads.
        var good = Path.Combine(Folder, "good.json");
        File.WriteAllText(good, ReportFile.Serialize(shard));
        var (code, _, error) = await RunAsync("render", good, "--out", output);
        Assert.That(code, Is.Zero, error);
    }

    /// <summary>Each report file of the suite's own reads: the fixtures, the sample, a shard and a merge of shards.</summary>
    [Test]
    public void The_suites_own_reports_still_read()
    {
        var root = RepositoryLayout.Root()!;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "fixtures", "reports"), "*.json", SearchOption.AllDirectories).Append(Sample))
        {
            Assert.That(() => ReportFile.Load(file), Throws.Nothing, file);
        }
        var whole = RecordedReports.CurrentWithCatalog;
        foreach (var shard in new[] { new Shard(1, 3), new Shard(2, 3), new Shard(3, 3) })
        {
            var part = RecordedReports.Split(whole, shard);
            Assert.That(() => ReportFile.Parse(ReportFile.Serialize(part), "part.json"), Throws.Nothing, shard.ToString());
        }
        var merged = ReportMerge.Merge([("one.json", RecordedReports.Split(whole, new Shard(1, 3))), ("three.json", RecordedReports.Split(whole, new Shard(3, 3)))], DateTimeOffset.UnixEpoch);
        Assert.That(() => ReportFile.Parse(ReportFile.Serialize(merged), "merged.json"), Throws.Nothing);
    }
}
