using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`render` on a bad report.json or a bad --baseline: the file and the field named, exit 2, nothing written
/// (issue 15, item 10). The bad files are in BadInputs/reports.</summary>
public sealed class RenderCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-render-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static string Bad(string name) => Path.Combine(AppContext.BaseDirectory, "BadInputs", "reports", name);

    private static string Good => Path.Combine(AppContext.BaseDirectory, "fixtures", "reports", "current.json");

    [TestCase("empty.json", "the file is empty")]
    [TestCase("truncated.json", "line ")]
    [TestCase("schema-3.json", "field 'schemaVersion' is 3; this version of the suite reads schema versions 1 and 2")]
    [TestCase("missing-expected.json", "field 'cases[1]")]
    [TestCase("null-engine.json", "field 'engines[0].engine'")]
    public async Task A_bad_report_is_refused_naming_the_file_and_the_field_and_nothing_is_written(string file, string field)
    {
        var output = Path.Combine(_directory, "out");
        foreach (var args in new[] { new[] { "render", Bad(file), "--out", output }, ["render", Good, "--baseline", Bad(file), "--out", output] })
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var code = await Commands.RunAsync(args, stdout, stderr);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(2), string.Join(" ", args) + "\n" + stderr);
                Assert.That(stderr.ToString(), Does.StartWith($"error: {Bad(file)}: ").And.Contain(field).And.Not.Contain("   at "));
                Assert.That(Directory.Exists(output), Is.False, "a partial output folder was left behind");
            }
        }
    }

    [Test]
    public async Task A_good_report_renders_the_three_files()
    {
        var output = Path.Combine(_directory, "out");
        var error = new StringWriter();
        var code = await Commands.RunAsync(["render", Good, "--out", output], new StringWriter(), error);
        Assert.That(code, Is.Zero, error.ToString());
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "report.html", "report.json", "report.md" }));
    }
}
