using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.Cli;

/// <summary>`COMMAND --help` answers with that command's usage and exit 0, before any option is parsed (it used to be
/// "unknown option '--help'").</summary>
public sealed class CommandHelpTests
{
    [TestCase("run")]
    [TestCase("report")]
    [TestCase("report merge")]
    [TestCase("render")]
    [TestCase("bench")]
    [TestCase("audit")]
    [TestCase("oracle")]
    [TestCase("install-browsers")]
    public async Task Every_command_answers_help_with_its_own_usage(string command)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync([.. command.Split(' '), "--help"], output, error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error.ToString());
            Assert.That(output.ToString(), Does.StartWith($"cors-conformance {command}"));
            Assert.That(output.ToString().Split('\n').Count(l => l.StartsWith("cors-conformance ", StringComparison.Ordinal)), Is.EqualTo(1), "only this command's usage");
        }
    }

    [Test]
    public async Task Help_for_a_command_that_does_not_exist_is_bad_usage()
    {
        var code = await Commands.RunAsync(["bogus", "--help"], new StringWriter(), new StringWriter());
        Assert.That(code, Is.EqualTo(2));
    }
}
