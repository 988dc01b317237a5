using System.Text.Json;
using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`cors-conformance oracle FILE` evaluates a user's case file without a browser.</summary>
public sealed class OracleCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public async Task A_user_case_file_gets_the_standard_s_verdict_per_case_as_JSON()
    {
        var file = Write("mine.yaml", """
            cases:
              - id: mine/put-allowed
                anchor: cors-preflight-fetch-0
                description: a PUT that the preflight allows
                request: { method: PUT }
                server:
                  preflight: { headers: { Access-Control-Allow-Origin: "{origin}", Access-Control-Allow-Methods: PUT } }
                  actual: { headers: { Access-Control-Allow-Origin: "{origin}" } }
              - id: mine/put-refused
                anchor: cors-preflight-fetch-0
                description: a PUT that the preflight does not list
                request: { method: PUT }
                server:
                  preflight: { headers: { Access-Control-Allow-Origin: "{origin}", Access-Control-Allow-Methods: GET } }
            """);
        var (code, output, _) = await RunAsync("oracle", file, "--json");
        var verdicts = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => (Outcome: e.GetProperty("outcome").GetString(), Preflights: e.GetProperty("preflights").GetInt32()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(verdicts["mine/put-allowed"], Is.EqualTo(("allowed", 1)));
            Assert.That(verdicts["mine/put-refused"], Is.EqualTo(("blocked", 1)));
        }
    }

    [Test]
    public async Task A_malformed_case_file_is_refused_naming_the_file_the_case_and_the_field()
    {
        var file = Write("broken.yaml", """
            cases:
              - id: mine/typo
                anchor: concept-cors-check
                description: a typo in a field name
                request: { methd: PUT }
            """);
        var (code, _, error) = await RunAsync("oracle", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("broken.yaml").And.Contain("mine/typo").And.Contain("request.methd"));
        }
    }

    [Test]
    public async Task A_missing_case_file_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("oracle", Path.Combine(_directory, "absent.yaml"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("absent.yaml").And.Contain("does not exist"));
        }
    }

    // `run --cases FILE` and `coverage --cases FILE` name a case file with --cases; `oracle --cases FILE` read "--cases" as the
    // file and said "case file '--cases' does not exist" (found running generated case files through all three commands).
    [Test]
    public async Task A_case_file_may_be_named_with_cases_as_run_and_coverage_take_it()
    {
        var first = Write("first.yaml", """
            cases:
              - id: mine/simple
                anchor: concept-cors-check
                description: a GET the server shares
                server: { actual: { headers: { Access-Control-Allow-Origin: "*" } } }
            """);
        var second = Write("second.yaml", """
            cases:
              - id: mine/unshared
                anchor: concept-cors-check
                description: a GET the server does not share
            """);
        var (code, output, error) = await RunAsync("oracle", "--cases", first, second, "--json");
        var outcomes = code == 0
            ? JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("outcome").GetString())
            : [];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(outcomes, Is.EqualTo(new Dictionary<string, string?> { ["mine/simple"] = "allowed", ["mine/unshared"] = "blocked" }));
        }
    }

    [Test]
    public async Task No_case_file_at_all_is_a_usage_error_that_says_so()
    {
        var (code, output, error) = await RunAsync("oracle");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.Contain("no case file"));
            Assert.That(output, Does.Not.Contain("allowed").And.Not.Contain("blocked"), "no expectation is printed");
        }
    }

    [Test]
    public async Task An_unknown_command_or_engine_is_a_usage_error()
    {
        Assert.That((await RunAsync("frobnicate")).Code, Is.EqualTo(2));
        Assert.That((await RunAsync("run", "--engines", "netscape")).Error, Does.Contain("netscape"));
    }
}

/// <summary>`oracle` and `run` on a case file without a case: refused, exit 2 (issue 15, item 13).</summary>
public sealed class EmptyCaseFileCommandTests
{
    [TestCase("oracle")]
    [TestCase("run")]
    public async Task An_empty_case_file_is_refused_with_exit_2(string command)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cors-empty-").FullName, "empty.yaml");
        await File.WriteAllTextAsync(file, "");
        var error = new StringWriter();
        var code = await Commands.RunAsync(command == "oracle" ? ["oracle", file] : ["run", "--no-install", "--cases", file], new StringWriter(), error);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain(file).And.Contain("holds no case"));
    }
}
