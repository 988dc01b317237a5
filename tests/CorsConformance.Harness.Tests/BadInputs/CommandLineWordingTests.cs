
namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// Command-line words the third hostile-input round tried: an empty --history threw out of its own check (exit 134, a stack
/// trace), an empty --deviations was said to be ": the file does not exist" (no name), `--version extra` printed the version
/// and exit 0, `--engines all,x` was told 'all' is no engine, and --shard took " 1/2", "+1/2" and "01/2" as 1/2 (the
/// report then says "1/2", which is not what was given). Each is bad usage, exit 2, naming the option, before anything runs.
/// </summary>
public sealed class CommandLineWordingTests() : CommandInputTests("cors-words-")
{
    private static string Report => Path.Combine(AppContext.BaseDirectory, "fixtures", "reports", "current.json");

    /// <summary>Refused as every bad input is, and before anything ran.</summary>
    private static void AssertRefusedBeforeRunning((int Code, string Output, string Error) result, string problem)
    {
        AssertRefused(result, problem);
        Assert.That(result.Output, Does.Not.Contain("Reference servers"), "nothing ran");
    }

    [Test]
    public async Task An_empty_history_or_deviations_is_bad_usage_naming_the_option()
    {
        var output = Path.Combine(Folder, "out");
        AssertRefusedBeforeRunning(await RunAsync("render", Report, "--history", "", "--out", output), "--history is empty: give a folder");
        AssertRefusedBeforeRunning(await RunAsync("report", "--engines", "webkit", "--no-install", "--history", "", "--out", output), "--history is empty: give a folder");
        AssertRefusedBeforeRunning(await RunAsync("run", "--engines", "webkit", "--no-install", "--deviations", "", "--out", Path.Combine(Folder, "r.json")), "--deviations is empty: give a file");
        AssertRefusedBeforeRunning(await RunAsync("run", "--engines", "webkit", "--no-install", "--deviations", Folder, "--out", Path.Combine(Folder, "r.json")), $"known-deviations file '{Folder}' is a folder, not a file");
        Assert.That(Directory.GetFileSystemEntries(Folder), Is.Empty, "nothing written");
    }

    [Test]
    public async Task A_word_after_version_is_bad_usage()
    {
        var (code, output, error) = await RunAsync("--version", "extra");
        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("'extra'"));
        var plain = await RunAsync("--version");
        Assert.That(plain.Code, Is.Zero, plain.Error);
    }

    [Test]
    public async Task All_beside_an_engine_is_said_to_stand_alone()
    {
        AssertRefusedBeforeRunning(await RunAsync("run", "--engines", "all,x", "--no-install", "--out", Path.Combine(Folder, "r.json")),
            "'all' stands alone, not in a list");
        AssertRefusedBeforeRunning(await RunAsync("bench", "--engines", "chromium,all"), "'all' stands alone, not in a list");
    }

    [TestCase(" 1/2")]
    [TestCase("1/2 ")]
    [TestCase("+1/2")]
    [TestCase("01/2")]
    [TestCase("1/ 2")]
    [TestCase("1/+2")]
    [TestCase("１/２")]
    public async Task A_shard_written_other_than_K_slash_N_in_digits_is_bad_usage(string shard)
    {
        var output = Path.Combine(Folder, "r.json");
        AssertRefusedBeforeRunning(await RunAsync("run", "--engines", "webkit", "--no-install", "--shard", shard, "--out", output), $"--shard takes K/N (the K-th of N parts, e.g. 2/4), not '{shard}'");
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>A file path ending in a slash (a folder that does not exist yet) passed the check: `run` ran every engine and
    /// then failed on "Access to the path '…/' is denied" (exit 2, the run's results lost), `audit` after every probe.</summary>
    [TestCase("r/")]
    [TestCase("r/.")]
    [TestCase("r/..")]
    public async Task A_file_path_that_ends_as_a_folder_is_refused_before_anything_runs(string end)
    {
        var path = Path.Combine(Folder, end);
        AssertRefusedBeforeRunning(await RunAsync("run", "--engines", "webkit", "--no-install", "--out", path), "--out names a folder");
        var audit = await RunAsync("audit", "http://127.0.0.1:9/", "--no-browser", "--sarif", path);
        AssertRefusedBeforeRunning(audit, "--sarif names a folder");
        Assert.That(audit.Output, Does.Not.Contain("Audit of"), "no probe was sent");
        Assert.That(Directory.GetFileSystemEntries(Folder), Is.Empty, "nothing written");
    }
}
