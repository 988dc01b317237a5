using CorsConformance.Cli;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Tests.Reports;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`report merge`, `--shard` and `--history` on the command line: the exit codes of the README's table, the file
/// named on stderr, and nothing written on bad input.</summary>
public sealed class ReportMergeCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-merge-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string Out => Path.Combine(_directory, "out");

    private IReadOnlyList<string> WriteShards(int count)
    {
        var whole = RecordedReports.CurrentWithCatalog;
        return Enumerable.Range(1, count).Select(k =>
        {
            var path = Path.Combine(_directory, $"shard-{k}.json");
            File.WriteAllText(path, ReportFile.Serialize(RecordedReports.Split(whole, new Shard(k, count))));
            return path;
        }).ToList();
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Every_shard_merged_writes_one_whole_report_with_its_history_and_exits_0()
    {
        var shards = WriteShards(3);
        var (code, output, error) = await Run(["report", "merge", .. shards, "--out", Out, "--baseline", RecordedReports.PathOf("baseline.json"), "--history", RecordedReports.HistoryFolder]);
        var merged = ReportFile.Load(Path.Combine(Out, "report.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, output + error);
            Assert.That(Directory.GetFiles(Out).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "report.html", "report.json", "report.md" }));
            Assert.That(merged.Partial, Is.Null);
            Assert.That(merged.Cases.Sum(c => c.Results.Count), Is.EqualTo(16));
            Assert.That(merged.History, Has.Count.EqualTo(3));
            Assert.That(merged.Changes!.NewFailures.Select(c => c.Case), Is.EqualTo(new[] { "expose-headers/aceh-listed/same-origin" }));
        }
    }

    [Test]
    public async Task A_shard_left_out_is_written_as_partial_and_exits_1()
    {
        var shards = WriteShards(3);
        var (code, output, _) = await Run(["report", "merge", shards[0], shards[2], "--out", Out]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Does.Contain("✗ Partial report (shard 1/3, 3/3)").And.Contain("shard(s) 2/3 not among the parts"));
            Assert.That(ReportFile.Load(Path.Combine(Out, "report.json")).Partial!.MissingShards, Is.EqualTo(new[] { "2/3" }));
        }
    }

    [Test]
    public async Task Overlapping_shards_exit_2_naming_the_file_case_and_engine_and_write_nothing()
    {
        var shards = WriteShards(2);
        var (code, _, error) = await Run(["report", "merge", shards[0], shards[1], shards[0], "--out", Out]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"error: {shards[0]}: case 'cors-check/acao-exact/same-origin/fetch' in engine 'chromium' is also in {shards[0]}").And.Not.Contain("   at "));
            Assert.That(Directory.Exists(Out), Is.False);
        }
    }

    [Test]
    public async Task A_schema_1_report_exits_2_naming_it()
    {
        var shards = WriteShards(2);
        var (code, _, error) = await Run(["report", "merge", shards[0], RecordedReports.PathOf("current.json"), "--out", Out]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"error: {RecordedReports.PathOf("current.json")}: field 'catalog' is missing"));
            Assert.That(Directory.Exists(Out), Is.False);
        }
    }

    [Test]
    public async Task A_bad_file_in_the_history_folder_exits_2_naming_it_before_anything_runs_or_is_written()
    {
        var history = Path.Combine(_directory, "history");
        Directory.CreateDirectory(history);
        File.Copy(RecordedReports.PathOf("baseline.json"), Path.Combine(history, "2026-11-23.json"));
        var bad = Path.Combine(history, "2026-11-22.json");
        File.WriteAllText(bad, "{\"schemaVersion\": 2, \"generatedAt\": ");
        foreach (var args in new[]
        {
            new[] { "render", RecordedReports.PathOf("current.json"), "--history", history, "--out", Out },
            ["report", "merge", .. WriteShards(1), "--history", history, "--out", Out],
            // Refused before a browser is launched: no engine here could be, and the code would be 1.
            ["report", "--engines", "chromium", "--no-install", "--history", history, "--out", Out],
        })
        {
            var (code, _, error) = await Run(args);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(2), string.Join(" ", args));
                Assert.That(error, Does.StartWith($"error: {bad}: ").And.Not.Contain("   at "), string.Join(" ", args));
                Assert.That(Directory.Exists(Out), Is.False, string.Join(" ", args));
            }
        }
    }

    [TestCase("run")]
    [TestCase("report")]
    public async Task A_shard_that_is_not_k_of_n_is_bad_usage(string command)
    {
        var (code, _, error) = await Run(command, "--shard", "5/4", "--out", Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("--shard 5/4: K must be from 1 to N"));
        }
    }

    [Test]
    public async Task Merge_without_files_is_bad_usage()
    {
        var (code, _, error) = await Run("report", "merge", "--out", Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("Required argument missing for command: 'merge'"), "System.CommandLine names what is missing");
        }
    }
}
