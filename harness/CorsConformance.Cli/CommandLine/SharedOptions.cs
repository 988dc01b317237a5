using System.CommandLine;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>The engines a command runs, and whether they were named (then one that cannot launch fails the run).</summary>
internal sealed record EngineSelection(IReadOnlyList<Engine> Engines, bool Named)
{
    public static readonly EngineSelection Default = new(Harness.Browsers.Engines.All, Named: false);
}

/// <summary>The options several commands share, each made fresh for the command that adds it.</summary>
internal static class SharedOptions
{
    public static Option<EngineSelection?> Engines() => Engines("The engines to run: all (the default), or a comma list of "
        + string.Join(", ", Harness.Browsers.Engines.All.Select(e => e.Id())) + ". A named engine that cannot launch fails the command.");

    public static Option<EngineSelection?> Engines(string description)
    {
        var option = new Option<EngineSelection?>("--engines", "--engine")
        {
            Description = description,
            HelpName = "all|chromium,firefox,webkit,webkitgtk",
            CustomParser = result =>
            {
                var list = result.Tokens.Single().Value;
                // `--engines ""` was read as the default, every engine (an unset BROWSER is; a value given empty is not).
                if (string.IsNullOrWhiteSpace(list))
                {
                    result.AddError($"--engines '{list}' names no engine: expected all, or a comma list of {string.Join(", ", Harness.Browsers.Engines.All.Select(e => e.Id()))}.");
                    return EngineSelection.Default;
                }
                try
                {
                    return new EngineSelection(Harness.Browsers.Engines.ParseList(list), Harness.Browsers.Engines.AreNamed(list));
                }
                catch (ArgumentException x)
                {
                    result.AddError(x.Message);
                    return EngineSelection.Default;
                }
            },
        };
        option.CompletionSources.Add(["all", .. Harness.Browsers.Engines.All.Select(e => e.Id())]);
        return option;
    }

    /// <summary>A bad engine setting (grid.url, &lt;engine&gt;.driver) is bad usage, said before anything starts: `run` and
    /// `report` said so, but `bench`, `install-browsers`, `middlewares` and the audit's confirmation threw it out of the
    /// command (exit 134, a stack trace; `bench` after its table's header).</summary>
    public static void CheckEngineSettings(IEnumerable<Engine> engines, Func<string, string?> settings)
    {
        foreach (var engine in engines)
        {
            try
            {
                EngineSettings.Resolve(engine, settings, null);
            }
            catch (ArgumentException x)
            {
                throw new UsageException(x.Message);
            }
        }
    }

    /// <summary>--cases FILE, repeatable: case files in place of the catalog, each checked to exist before anything runs.</summary>
    public static Option<string[]> Cases()
    {
        var option = new Option<string[]>("--cases")
        {
            Description = "A case file (YAML, specs/catalog/README.md) to run in place of the catalog; repeat for more.",
            HelpName = "FILE.yaml",
            DefaultValueFactory = _ => [],
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !File.Exists(t.Value))) result.AddError(NotAFile(token.Value, "case file")!);
        });
        return option;
    }

    /// <summary>Why <paramref name="path"/> is no file to read (a folder, or nothing), in the words of its option; null when it is one.</summary>
    public static string? NotAFile(string path, string what) =>
        File.Exists(path) ? null : Directory.Exists(path) ? $"{what} '{path}' is a folder, not a file" : $"{what} '{path}' does not exist";

    public static Option<string?> Out(string description, string helpName) => new("--out") { Description = description, HelpName = helpName };

    public static Option<bool> OneEngineAtATime() => new("--one-engine-at-a-time")
    {
        Description = "Run the engines one after another instead of side by side (each engine's wall time then its own, not shared with the others).",
    };

    public static Option<bool> NoInstall() => new("--no-install") { Description = "Do not install missing browsers; run those that are there." };

    public static Option<string?> Deviations()
    {
        var option = new Option<string?>("--deviations")
        {
            Description = "A known-deviations file in place of fixtures/deviations/known-deviations.yaml.",
            HelpName = "FILE.yaml",
        };
        // An empty value was said to be ": the file does not exist", naming nothing.
        option.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is not { } path) return;
            if (path.Length == 0) result.AddError("--deviations is empty: give a file");
            else if (NotAFile(path, "known-deviations file") is { } error) result.AddError(error);
        });
        return option;
    }

    /// <summary>--baseline OLD.json: a recorded report the new one is compared with; checked to exist at parse time.</summary>
    public static Option<string?> Baseline()
    {
        var option = new Option<string?>("--baseline") { Description = "A previous report.json: new failures, fixes, behaviour and engine version changes are marked.", HelpName = "OLD.json" };
        option.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } path && NotAFile(path, "baseline") is { } error) result.AddError(error);
        });
        return option;
    }

    /// <summary>--shard K/N: only the K-th of N parts of the engine × case cells (engine by engine, cases in catalog order).</summary>
    public static Option<Shard?> Shard() => new("--shard")
    {
        Description = "Only the K-th of N parts of the engine × case cells (engine by engine, cases in catalog order); the output says it is partial.",
        HelpName = "K/N",
        CustomParser = result =>
        {
            try
            {
                return Harness.Reports.Shard.Parse(result.Tokens.Single().Value);
            }
            catch (ArgumentException x)
            {
                result.AddError(x.Message);
                return null;
            }
        },
    };

    /// <summary>Whether the path is a link whose chain ends at nothing (a loop of links, a missing target).</summary>
    private static bool LeadsNowhere(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return false;
        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true };
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>--history DIR: previous nights' report.json files, drawn as each engine's conformance over time.</summary>
    public static Option<string?> History()
    {
        var option = new Option<string?>("--history") { Description = "A folder of previous nights' report.json files: each engine's conformance over time, as a chart and a table.", HelpName = "DIR" };
        option.Validators.Add(result =>
        {
            // An empty value threw out of the check below (FileInfo("")): exit 134 with a stack trace.
            if (result.Tokens.SingleOrDefault()?.Value is { Length: 0 })
            {
                result.AddError("--history is empty: give a folder");
            }
            else if (result.Tokens.SingleOrDefault()?.Value is { } path && !Directory.Exists(path))
            {
                // A link that leads nowhere (a loop, a missing target) was said to be a file.
                result.AddError(LeadsNowhere(path)
                    ? $"history folder '{path}' is a link that leads to no folder (a loop of links, or a target that does not exist)"
                    : File.Exists(path) ? $"history folder '{path}' is a file, not a folder" : $"history folder '{path}' does not exist");
            }
        });
        return option;
    }

    /// <summary>--grid URL: the browsers a Selenium Grid serves (grid.url; docs/engines.md, "Browsers on a grid").</summary>
    public static Option<Uri?> Grid() => new("--grid")
    {
        Description = "A Selenium Grid 4 (or any W3C WebDriver remote end) to run the browsers on, in place of this machine's; over CORS_GRID_URL. Chromium only so far.",
        HelpName = "URL",
        CustomParser = result =>
        {
            var value = result.Tokens.Single().Value;
            if (Harness.Browsers.GridBrowser.UrlProblem(value, out var url) is not { } problem) return url;
            result.AddError($"--grid '{Harness.Browsers.GridBrowser.WithoutPassword(value)}' is not an http:// or https:// URL with a port from 1 to 65535: {problem}");
            return null;
        },
    };
}
