using System.CommandLine;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance help [COMMAND]`: the same as `--help` (kept: the README has long said `cors-conformance help`).</summary>
internal static class HelpCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("COMMAND") { Description = "The command to describe.", Arity = ArgumentArity.ZeroOrOne };
        var command = new DocumentedCommand("help", "Lists the commands, or describes one (the same as COMMAND --help).",
            (0, "the help was printed"),
            (2, "no such command"))
        {
            name,
        };
        command.SetAction(async parse =>
        {
            var configuration = parse.InvocationConfiguration;
            return await Commands.RunAsync(parse.GetValue(name) is { } command ? [command, "--help"] : ["--help"], configuration.Output, configuration.Error);
        });
        return command;
    }
}
