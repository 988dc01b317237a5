using CorsConformance.Cli;
using CorsConformance.Fixtures;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>
/// `run`, `report` and `audit` with engines pointed at missing executables (issue 20): a named engine that cannot launch
/// fails the command with the reason and the install command; under the default, engines that cannot launch are skipped
/// unless none can. The settings are environment variables, so these tests run alone.
/// </summary>
[NonParallelizable]
public sealed class MissingEngineCommandTests
{
    private static readonly string[] Variables =
        ["CORS_CHROMIUM_EXECUTABLE_PATH", "CORS_FIREFOX_EXECUTABLE_PATH", "CORS_WEBKIT_EXECUTABLE_PATH", "CORS_WEBKITGTK_EXECUTABLE_PATH"];

    private readonly Dictionary<string, string?> _saved = [];
    private string _directory = "";

    [SetUp]
    public void Save()
    {
        foreach (var name in Variables) _saved[name] = Environment.GetEnvironmentVariable(name);
        _directory = Directory.CreateTempSubdirectory("cors-missing-").FullName;
    }

    [TearDown]
    public void Restore()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_directory, recursive: true);
    }

    private static void Missing(params string[] variables)
    {
        foreach (var name in variables) Environment.SetEnvironmentVariable(name, "/nonexistent/" + name.ToLowerInvariant());
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await Commands.RunAsync(args, output, output);
        return (code, output.ToString());
    }

    /// <summary>Two cases, so a run that does launch stays short.</summary>
    private string SmallCaseFile()
    {
        var path = Path.Combine(_directory, "two.yaml");
        File.WriteAllText(path, """
            cases:
              - id: mine/allowed
                anchor: cors-check
                description: a GET the server allows
                server: { actual: { headers: { Access-Control-Allow-Origin: "{origin}" } } }
              - id: mine/refused
                anchor: cors-check
                description: a GET without Access-Control-Allow-Origin
            """);
        return path;
    }

    [TestCase("run")]
    [TestCase("report")]
    [TestCase("bench")]
    public async Task A_named_engine_that_cannot_launch_fails_the_command_with_the_reason_and_the_install_command(string command)
    {
        Missing("CORS_CHROMIUM_EXECUTABLE_PATH");
        var (code, output) = await RunAsync(command == "bench"
            ? ["bench", "--engines", "chromium", "--rounds", "1", "--cases", SmallCaseFile()]
            : [command, "--engines", "chromium", "--no-install", "--cases", SmallCaseFile(), "--out", Path.Combine(_directory, "out")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("Chromium was asked for").And.Contain("/nonexistent/cors_chromium_executable_path").And.Contain("apt-get install -y chromium-headless-shell"));
        }
    }

    [Test]
    public async Task With_the_default_engines_a_run_where_none_can_launch_fails()
    {
        Missing([.. Variables]);
        var (code, output) = await RunAsync("run", "--no-install", "--cases", SmallCaseFile(), "--out", Path.Combine(_directory, "results.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("No engine could launch, so nothing was tested"));
        }
    }

    [Test]
    public async Task With_the_default_engines_those_that_cannot_launch_are_skipped_with_the_reason_and_the_others_count()
    {
        if (!File.Exists("/usr/lib/chromium/chromium-headless-shell") && !File.Exists("/usr/bin/chromium")) Assert.Ignore("no Debian Chromium here to run the cases");
        Missing("CORS_FIREFOX_EXECUTABLE_PATH", "CORS_WEBKIT_EXECUTABLE_PATH", "CORS_WEBKITGTK_EXECUTABLE_PATH");
        var (code, output) = await RunAsync("run", "--no-install", "--cases", SmallCaseFile(), "--out", Path.Combine(_directory, "results.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, output);
            Assert.That(output, Does.Contain("firefox: skipped — firefox could not be launched").And.Contain("2 cases"));
        }
    }

    [Test]
    public async Task An_audit_whose_named_confirmation_engine_cannot_launch_fails_and_still_reports_its_findings()
    {
        Missing("CORS_CHROMIUM_EXECUTABLE_PATH");
        await using var server = await MisconfiguredServer.StartAsync();
        var (code, output) = await RunAsync("audit", server.UrlOf("/prefix").ToString(), "--origin", MisconfiguredServer.Trusted, "--engines", "chromium");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("[high] prefix-match").And.Contain("Chromium was asked for").And.Contain("apt-get install"));
        }
    }
}
