using System.Diagnostics;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>Reproduction commands are pasted into shells: every value must reach curl as written and run nothing else.</summary>
public sealed class CurlCommandTests
{
    [TestCase("http://127.0.0.1:18101/api/x'$(id)'y")]
    [TestCase("http://h/`id`/\"q\"/$HOME/a b")]
    public void Every_value_reaches_the_command_as_written_and_nothing_runs(string url)
    {
        var command = CurlCommand.For("GET", url, [new Header("Origin", "https://a.example'; touch /tmp/pwned; '"), new Header("X-Q", "$(id)")], body: "it's");
        // `sh -c 'printf …'` with the command's words: what a shell hands to curl, argument by argument.
        var words = ShellWords(command.Replace("curl ", "printf '%s\\n' ", StringComparison.Ordinal));
        Assert.That(words, Is.EqualTo(new[] { "-i", "-X", "GET", url, "-H", "Origin: https://a.example'; touch /tmp/pwned; '", "-H", "X-Q: $(id)", "--data-raw", "it's" }));
    }

    private static string[] ShellWords(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var shell = Process.Start(start)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
