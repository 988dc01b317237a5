using System.CommandLine;
using System.CommandLine.Invocation;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Cli;

/// <summary>
/// The cors-conformance command line, on System.CommandLine 2.0.x (the stable line the .NET 10 SDK parses its own
/// command line with; 3.0.0 is a new major whose API has not settled in the ecosystem). Each command is declared in its
/// own file under CommandLine/ and listed once in <see cref="All"/>; this class only parses, runs, and maps what goes
/// wrong to the exit codes of README.md ("Exit codes").
/// </summary>
public static partial class Commands
{
    /// <summary>Every command, in the order of the help. A new command is one file and one line here.</summary>
    private static readonly Func<Command>[] All =
    [
        RunCommand.Create,
        ReportCommand.Create,
        RenderCommand.Create,
        BenchCommand.Create,
        AuditCommand.Create,
        MiddlewaresCommand.Create,
        OracleCommand.Create,
        CoverageCommand.Create,
        InstallBrowsersCommand.Create,
        HelpCommand.Create,
    ];

    /// <summary>The whole command line: the root and every command, fresh for each parse.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand(
            "cors-conformance — CORS conformance of real browsers against the Fetch Standard. Engine settings (environment): "
            + "CORS_CHROMIUM_EXECUTABLE_PATH, CORS_FIREFOX_EXECUTABLE_PATH, CORS_FIREFOX_CHANNEL, CORS_<ENGINE>_ARGS, "
            + "CORS_WEBKITGTK_EXECUTABLE_PATH (MiniBrowser), CORS_WEBKITGTK_DRIVER_PATH (WebKitWebDriver), CORS_GRID_URL (a Selenium Grid, as --grid). "
            + "Arguments can also come from a response file, one token a line: cors-conformance run @my-run.rsp");
        ExitCodes.AddToHelp(root);
        foreach (var create in All) root.Subcommands.Add(create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // A response file System.CommandLine would read until it died (/dev/zero: exit 134) or wait on for ever (a named
        // pipe nothing writes to): refused before the parse reads it.
        foreach (var arg in args.Where(a => a.Length > 1 && a[0] == '@' && File.Exists(a[1..])))
        {
            if (Harness.InputText.NotReadableWhole(arg[1..]) is { } problem)
            {
                error.WriteLine($"error: a response file cannot be read ({arg}): {Printable(problem)}");
                return ExitCodes.BadUsage;
            }
        }
        // A response file that names itself, or a chain of them that comes back (@a in a, @b in a and @a in b), was expanded
        // by System.CommandLine for ever: the command hung (found by the mutation sweep).
        if (ResponseFileLoop(args, [], 0) is { } loop)
        {
            error.WriteLine($"error: a response file cannot be read ({Printable(loop)}): it names itself, or a response file that names it back (or they nest deeper than {MaxResponseFileDepth})");
            return ExitCodes.BadUsage;
        }
        ParseResult parse;
        try
        {
            parse = Root().Parse(args);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A response file (@FILE) that is a folder or cannot be read: System.CommandLine reads it while parsing.
            error.WriteLine($"error: a response file cannot be read ({string.Join(" ", args.Where(a => a.StartsWith('@')))}): {e.Message}");
            return ExitCodes.BadUsage;
        }
        // No termination handler: a command's Ctrl+C ends the process as it always did (each browser has its watchdog).
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            // `bogus --help`: help wins over the parse error, but a word that matched nothing is still bad usage. (A directive
            // such as dotnet-suggest's [suggest] carries the words it completes as unmatched tokens: not bad usage.)
            // `--version extra` too: it printed the version, exit 0, the word read past.
            var version = parse.RootCommandResult.Command.Options.OfType<VersionOption>().FirstOrDefault()?.Action;
            var badHelp = (ExitCodes.IsHelp(parse.Action) || version is not null && ReferenceEquals(parse.Action, version)) && parse.UnmatchedTokens.Count > 0;
            if (badHelp)
            {
                foreach (var token in parse.UnmatchedTokens) error.WriteLine($"error: unknown command or argument '{token}'");
            }
            var code = await parse.InvokeAsync(invocation);
            // System.CommandLine answers a parse error with 1; bad usage is 2 here, as the README's table says. A missing
            // argument does not make `audit --help` bad usage.
            return parse.Action is ParseErrorAction || badHelp ? ExitCodes.BadUsage : code;
        }
        catch (Exception e) when (e is CaseFileException or StandardMapException or Harness.InputFileException)
        {
            // A bad input file: its name and the field, exit 2, nothing written.
            error.WriteLine($"error: {Printable(e.Message)}");
            return ExitCodes.BadUsage;
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {Printable(e.Message)}");
            error.WriteLine($"Usage: cors-conformance {parse.CommandResult.Command.Name} --help");
            return ExitCodes.BadUsage;
        }
    }

    private const int MaxResponseFileDepth = 16;

    /// <summary>The @FILE argument through which response files come back to one already being read (or nest past
    /// <see cref="MaxResponseFileDepth"/>), or null. A file that cannot be read is left to the parse, which says so.</summary>
    private static string? ResponseFileLoop(IEnumerable<string> args, IReadOnlyList<string> reading, int depth)
    {
        foreach (var arg in args.Where(a => a.Length > 1 && a[0] == '@'))
        {
            string path;
            List<string> lines;
            try
            {
                path = Path.GetFullPath(arg[1..]);
                if (!File.Exists(path) || Harness.InputText.NotReadableWhole(path) is not null) continue;
                if (reading.Contains(path) || depth >= MaxResponseFileDepth) return arg;
                lines = [.. File.ReadLines(path).Select(l => l.Trim())];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                continue;
            }
            if (ResponseFileLoop(lines, [.. reading, path], depth + 1) is { } inner) return inner;
        }
        return null;
    }

    /// <summary>A message quoting the file's own text (an id, a header name) with its control characters shown as \uXXXX:
    /// a NUL, a line break or an escape sequence in a hostile file must not cut, split or restyle the error line.
    /// A quoted value of a megabyte (a 1 MB header value or Location) is cut to its start and its length.</summary>
    private static string Printable(string message) => LongQuote().Replace(
        message.Any(Unprintable) ? string.Concat(message.Select(c => Unprintable(c) ? $"\\u{(int)c:X4}" : c.ToString())) : message,
        m => $"'{m.Groups[1].Value[..120]}…' ({m.Groups[1].Value.Length:N0} characters)");

    /// <summary>A control character, or a format character or separator that restyles the line it is printed on: a
    /// RIGHT-TO-LEFT OVERRIDE (U+202E) in a deviation's link reversed the rest of the error line in the terminal (found by
    /// the fuzz campaign), as it did in header values shown by the audit before Http.Shown escaped them.</summary>
    private static bool Unprintable(char c) => char.IsControl(c)
        || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    [System.Text.RegularExpressions.GeneratedRegex("'([^']{400,})'")]
    private static partial System.Text.RegularExpressions.Regex LongQuote();
}
