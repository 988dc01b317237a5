using CorsConformance.Cli;
using System.Runtime.Versioning;
using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>
/// Engine settings from the environment that no engine can be launched with (hostile-input round 3). A malformed
/// CORS_GRID_URL or CORS_CHROMIUM_DRIVER was bad usage for `run` and `report`, but threw out of `bench` (after its table's
/// header was printed) and `install-browsers`: exit 134, a stack trace. An executable path that is a folder, a file
/// without the execute bit or no file was started anyway and failed as "browser: 1: /tmp: Permission denied", naming
/// neither the setting nor what was wrong with it. The settings are environment variables, so these tests run alone.
/// </summary>
[NonParallelizable]
public sealed class EngineSettingsCommandTests
{
    private static readonly string[] Variables = ["CORS_GRID_URL", "CORS_CHROMIUM_DRIVER", "CORS_CHROMIUM_EXECUTABLE_PATH"];

    private readonly Dictionary<string, string?> _saved = [];
    private string _directory = "";

    [SetUp]
    public void Save()
    {
        foreach (var name in Variables) _saved[name] = Environment.GetEnvironmentVariable(name);
        _directory = Directory.CreateTempSubdirectory("cors-settings-").FullName;
    }

    [TearDown]
    public void Restore()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [TestCase("CORS_GRID_URL", "garbage", "grid.url (CORS_GRID_URL) is 'garbage'")]
    [TestCase("CORS_CHROMIUM_DRIVER", "bogus", "chromium.driver (CORS_CHROMIUM_DRIVER) is 'bogus'")]
    public async Task A_malformed_engine_setting_is_bad_usage_for_every_command_that_launches(string variable, string value, string named)
    {
        Environment.SetEnvironmentVariable(variable, value);
        string[][] commands =
        [
            ["bench", "--engines", "chromium", "--rounds", "1"],
            ["install-browsers", "--engines", "chromium"],
            ["middlewares", "--engines", "chromium", "--out", Path.Combine(_directory, "m.md")],
            ["run", "--engines", "chromium", "--no-install", "--out", Path.Combine(_directory, "r.json")],
        ];
        foreach (var args in commands)
        {
            var (code, output, error) = await RunAsync(args);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(2), $"{args[0]}: {output}{error}");
                Assert.That(error, Does.Contain(named).And.Not.Contain("   at "), args[0]);
                Assert.That(output, Does.Not.Contain("| engine |").And.Not.Contain("Reference servers"), $"{args[0]}: nothing ran");
            }
        }
        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty, "nothing written");
    }

    /// <summary>The launch rule is kept (a named engine that cannot launch fails, exit 1; under the default it is skipped),
    /// but the reason names the setting and what is wrong with its path, and nothing is started.</summary>
    [Test]
    [UnsupportedOSPlatform("windows")]
    public async Task An_executable_path_that_is_no_executable_is_said_so_naming_the_setting()
    {
        var plain = Path.Combine(_directory, "chromium.txt");
        File.WriteAllText(plain, "#!/bin/sh\n");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var (path, why) in new[] { (_directory, "is a folder, not an executable file"), (plain, "is not executable (no execute permission)"), (Path.Combine(_directory, "none"), "does not exist") })
        {
            var result = await BrowserLauncher.TryLaunchAsync(Engine.Chromium, key => key == "chromium.executablePath" ? path : null);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Session, Is.Null);
                Assert.That(result.Unavailable, Does.Contain($"chromium.executablePath (CORS_CHROMIUM_EXECUTABLE_PATH) is '{path}', which {why}"));
                Assert.That(result.Unavailable, Does.Contain("apt-get install -y chromium-headless-shell"));
            }
        }
    }
}
