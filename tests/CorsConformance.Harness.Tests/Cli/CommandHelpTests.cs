using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`COMMAND --help` answers with that command's usage, options and exit codes, exit 0, even where the command
/// needs an argument (it used to be "unknown option '--help'"); the command line is System.CommandLine's, so a typo gets
/// the nearest spelling and a response file stands for its lines.</summary>
public sealed class CommandHelpTests
{
    private static string Program => System.CommandLine.RootCommand.ExecutableName;

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [TestCase("run", "--engines")]
    [TestCase("report", "--fail-on-regression")]
    [TestCase("render", "--history")]
    [TestCase("bench", "--rounds")]
    [TestCase("audit", "--fail-on")]
    [TestCase("oracle", "--json")]
    [TestCase("middlewares", "--out")]
    [TestCase("coverage", "--cases")]
    [TestCase("install-browsers", "--engines")]
    public async Task Every_command_answers_help_with_its_own_usage_options_and_exit_codes(string command, string option)
    {
        foreach (var args in new[] { new[] { command, "--help" }, ["help", command] })
        {
            var (code, output, error) = await RunAsync(args);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.Zero, string.Join(" ", args) + ": " + error);
                // The program's own name: cors-conformance, as installed; the test host's here.
                Assert.That(output, Does.Contain($"Usage:\n  {Program} {command}"));
                Assert.That(output.Split('\n').Count(l => l.StartsWith($"  {Program} ", StringComparison.Ordinal)), Is.EqualTo(1), "only this command's usage");
                Assert.That(output, Does.Contain(option), "its options");
                Assert.That(output, Does.Contain("Exit codes").And.Contain("\n  0  ").And.Contain("\n  2  bad usage"), "its exit codes");
            }
        }
    }

    [Test]
    public async Task Report_merge_answers_help_with_its_own_usage_not_report_s()
    {
        var (code, output, error) = await RunAsync("report", "merge", "--help");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain($"Usage:\n  {Program} report merge"));
            Assert.That(output, Does.Contain("PART.json").And.Contain("--history").And.Not.Contain("--shard"), "merge's own arguments and options");
            Assert.That(output, Does.Contain("\n  1  the joined report still lacks cases"), "its exit codes");
        }
    }

    [Test]
    public async Task Help_for_a_command_that_does_not_exist_is_bad_usage()
    {
        Assert.That((await RunAsync("bogus", "--help")).Code, Is.EqualTo(2));
        Assert.That((await RunAsync("help", "bogus")).Code, Is.EqualTo(2));
    }

    [Test]
    public async Task A_misspelt_command_or_option_is_bad_usage_with_the_nearest_spelling()
    {
        var command = await RunAsync("rnu");
        var option = await RunAsync("run", "--engnies", "chromium");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.Code, Is.EqualTo(2));
            Assert.That(command.Output + command.Error, Does.Contain("'rnu' was not matched. Did you mean").And.Contain("\nrun"));
            Assert.That(option.Code, Is.EqualTo(2));
            Assert.That(option.Output + option.Error, Does.Contain("Did you mean").And.Contain("\n--engines"));
        }
    }

    [Test]
    public async Task Shell_completion_through_dotnet_suggest_offers_commands_and_options()
    {
        var command = await RunAsync("[suggest]", "ora");
        var option = await RunAsync("[suggest:13]", "run --engi");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.Code, Is.Zero, command.Error);
            Assert.That(command.Output.Split('\n', StringSplitOptions.TrimEntries), Does.Contain("oracle"));
            Assert.That(option.Code, Is.Zero, option.Error);
            Assert.That(option.Output.Split('\n', StringSplitOptions.TrimEntries), Does.Contain("--engines"));
        }
    }

    [Test]
    public async Task A_response_file_stands_for_its_lines()
    {
        var folder = Directory.CreateTempSubdirectory("cors-rsp-").FullName;
        try
        {
            var cases = Path.Combine(folder, "one.yaml");
            await File.WriteAllTextAsync(cases, """
                cases:
                  - id: mine/allowed
                    anchor: cors-check
                    description: a GET the server allows
                    server: { actual: { headers: { Access-Control-Allow-Origin: "{origin}" } } }
                """);
            var response = Path.Combine(folder, "oracle.rsp");
            await File.WriteAllLinesAsync(response, ["oracle", cases]);
            var (code, output, error) = await RunAsync("@" + response);
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.StartWith("mine/allowed: allowed"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
