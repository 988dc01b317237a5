using CorsConformance.Cli;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`cors-conformance coverage` prints the map of the standard with the cases behind each step.</summary>
public sealed class CoverageCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Over_the_catalog_every_step_is_printed_with_its_oracle_method_and_cases_and_the_exit_is_zero()
    {
        var (code, output, error) = await RunAsync("coverage");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, output + error);
            Assert.That(output, Does.StartWith($"The Fetch Standard's CORS steps and the cases that exercise them: {StandardMap.Steps.Count} steps"));
            Assert.That(output, Does.Contain("CORS-preflight fetch — https://fetch.spec.whatwg.org/#cors-preflight-fetch-0"));
            Assert.That(output, Does.Contain("oracle: Oracle.Run.Preflight; "));
            Assert.That(output, Does.Contain("preflight/actual-fails-clears-cache/fetch"));
            Assert.That(output, Does.Contain("exempt: "));
            Assert.That(output, Does.Not.Contain("NO CASE"));
        }
    }

    [Test]
    public async Task Over_a_file_that_reaches_few_steps_the_steps_without_a_case_are_problems_and_the_exit_is_one()
    {
        var file = Path.Combine(_directory, "mine.yaml");
        File.WriteAllText(file, """
            cases:
              - id: mine/simple-get
                anchor: concept-cors-check
                description: a GET answered with the page's origin
                server: { actual: { headers: { Access-Control-Allow-Origin: "{origin}" } } }
            """);
        var (code, output, _) = await RunAsync("coverage", "--cases", file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Does.Contain("exercised by 1 case(s)"));
            Assert.That(output, Does.Contain("mine/simple-get"));
            Assert.That(output, Does.Contain("✗ cors-preflight-fetch-0/7.3 (CORS-preflight fetch, step 7.3): no case exercises it"));
        }
    }
}
