using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CorsConformance.Cli;

/// <summary>The exit codes every command shares; a command's own are declared with it (<see cref="DocumentedCommand"/>).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>What ran fails: a case, a harness error, an engine that cannot launch under the launch rule.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage, or a bad input file (named with its entry and field).</summary>
    public const int BadUsage = 2;

    /// <summary>Every command's help ends with its exit codes, as README.md's table has them.</summary>
    public static void AddToHelp(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
    }

    /// <summary>Whether the parse ends in the help (<c>--help</c>, <c>-h</c>, <c>-?</c>).</summary>
    public static bool IsHelp(CommandLineAction? action) => action is HelpWithExitCodes;

    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.CommandResult.Command is DocumentedCommand { ExitCodes: var codes })
            {
                output.WriteLine("Exit codes (README.md, \"Exit codes\"):");
                foreach (var (exit, when) in codes) output.WriteLine($"  {exit}  {when}");
            }
            else
            {
                output.WriteLine("Exit codes: each command's own are in its help (COMMAND --help) and in README.md, section \"Exit codes\"; bad usage is 2.");
            }
            output.WriteLine();
            return code;
        }
    }
}

/// <summary>A command whose help lists its exit codes: what each means, in the words of README.md's table.</summary>
internal sealed class DocumentedCommand(string name, string description, params (int Code, string When)[] exitCodes) : Command(name, description)
{
    public IReadOnlyList<(int Code, string When)> ExitCodes { get; } = exitCodes;
}

/// <summary>A usage error found after parsing (a value the parser cannot judge): exit 2 with the message.</summary>
internal sealed class UsageException(string message) : Exception(message);
