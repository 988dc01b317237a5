using System.Diagnostics;
using Engines = CorsConformance.Harness.Browsers.Engines;
using System.Text.Json;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Results;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;

namespace CorsConformance.Cli;

/// <summary>The cors-conformance command line.</summary>
public static class Commands
{
    public const string Usage = """
        cors-conformance — CORS conformance of real browsers against the Fetch Standard

        cors-conformance run [--engines all|chromium,firefox,webkit] [--cases FILE.yaml]... [--out artifacts/results.json] [--no-install]
            The main job: makes sure the browsers are there, starts the embedded reference servers, runs the catalog (or
            the given case files) in every engine, prints a summary and writes the JSON results file.
            Exit code 0 when every engine that ran matches the standard or its known deviations; 1 otherwise; 2 on bad usage.
        cors-conformance oracle FILE.yaml [--json]
            What the Fetch Standard expects for each case of a case file, without a browser.
        cors-conformance install-browsers [--engines …]
            Installs what is missing (Debian packages as root, else Playwright's download), or says what to run.

        Engine settings: CORS_CHROMIUM_EXECUTABLE_PATH, CORS_FIREFOX_EXECUTABLE_PATH, CORS_FIREFOX_CHANNEL, CORS_<ENGINE>_ARGS.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var options = Options.Parse(args.Skip(1));
            return args.FirstOrDefault() switch
            {
                "run" => await RunMatrixAsync(options, output),
                "oracle" => Oracle(options, output),
                "install-browsers" => await InstallAsync(options, output),
                "help" or "--help" or "-h" => Help(output),
                _ => Fail(error, args.Length == 0 ? "a command is required" : $"unknown command '{args[0]}'"),
            };
        }
        catch (CaseFileException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            return Fail(error, e.Message);
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine(Usage);
        return 2;
    }

    private static async Task<int> InstallAsync(Options options, TextWriter output)
    {
        await BrowserInstaller.EnsureAsync(options.Engines, EngineRun.SettingsFrom(null), output);
        return 0;
    }

    private static IReadOnlyList<CorsCase> LoadCases(Options options) =>
        options.CaseFiles.Count == 0
            ? CaseCatalog.All
            : options.CaseFiles.SelectMany(f => CaseFileReader.Read(ReadCaseFile(f), f)).ToList();

    private static string ReadCaseFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"case file '{path}' does not exist");

    private static int Oracle(Options options, TextWriter output)
    {
        if (options.CaseFiles.Count == 0) throw new UsageException("oracle needs a case file: cors-conformance oracle FILE.yaml");
        var cases = LoadCases(options);
        var expectations = cases.Select(c => (Case: c, Expected: Specs.Fetch.Oracle.Expect(c))).ToList();
        if (options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(expectations.Select(x => new
            {
                x.Case.Id,
                Anchor = x.Case.AnchorUrl,
                Outcome = x.Expected.Outcome.ToString().ToLowerInvariant(),
                x.Expected.Preflights,
                x.Expected.ActualSent,
                x.Expected.Origin,
                x.Expected.RequestHeaders,
                x.Expected.CredentialsSent,
                x.Expected.Status,
                x.Expected.ReadableHeaders,
                x.Expected.Reason,
                x.Expected.Steps,
            }), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }
        foreach (var (c, e) in expectations)
        {
            output.WriteLine($"{c.Id}: {e.Outcome.ToString().ToLowerInvariant()} — {e.Reason}");
            output.WriteLine($"    preflights {e.Preflights}; Origin {e.Origin ?? "(none)"}; cookie {(e.CredentialsSent ? "sent" : "not sent")}"
                + (e.ReadableHeaders is { } r ? $"; readable [{string.Join(", ", r)}]" : ""));
        }
        return 0;
    }

    private static async Task<int> RunMatrixAsync(Options options, TextWriter output)
    {
        var cases = LoadCases(options);
        var settings = EngineRun.SettingsFrom(null);
        if (options.Install) await BrowserInstaller.EnsureAsync(options.Engines, settings, output);
        var deviations = KnownDeviations.LoadDefault();
        var wall = Stopwatch.StartNew();
        await using var servers = await ReferenceServers.StartAsync();
        output.WriteLine($"Reference servers: http on {servers.HttpPort}, https on {servers.HttpsPort} (loopback only); {cases.Count} cases.");
        var runs = new List<EngineRun>();
        foreach (var engine in options.Engines)
        {
            var progress = new Progress<int>(done => output.WriteLine($"  {engine.Id()}: {done}/{cases.Count}"));
            var run = await EngineRun.RunAsync(engine, servers, cases, deviations, settings, progress);
            runs.Add(run);
            if (!run.Ran)
            {
                output.WriteLine($"{engine.Id()}: skipped — {run.Unavailable}");
                continue;
            }
            var summary = Summary.Of(run);
            output.WriteLine($"{run.Description}: {summary.Cases} cases in {run.WallTime.TotalSeconds:F1} s — {summary.Conforms} conform, "
                + $"{summary.KnownDeviations} known deviations, {summary.Fails} fail, {summary.HarnessErrors} harness errors.");
            foreach (var verdict in run.Verdicts.Where(v => v.Judgement.Kind == JudgementKind.KnownDeviation))
            {
                output.WriteLine($"  ~ {verdict.Case.Id}: {verdict.Judgement.Deviation!.Reason}");
            }
            foreach (var verdict in run.Verdicts.Where(v => !v.Judgement.Passed || v.IsHarnessError))
            {
                output.WriteLine("  ✗ " + verdict.Describe(run.Description!).Replace("\n", "\n    ").TrimEnd());
            }
        }
        await ResultsFile.WriteAsync(options.Out, runs, cases.Count);
        output.WriteLine($"Results: {Path.GetFullPath(options.Out)} ({wall.Elapsed.TotalSeconds:F1} s in all).");
        var ran = runs.Where(r => r.Ran).ToList();
        if (ran.Count == 0)
        {
            output.WriteLine("No engine could run: nothing was tested.");
            return 1;
        }
        return ran.All(r => Summary.Of(r).Clean) ? 0 : 1;
    }

    private sealed class UsageException(string message) : Exception(message);

    private sealed record Options(IReadOnlyList<Engine> Engines, IReadOnlyList<string> CaseFiles, string Out, bool Json, bool Install)
    {
        public static Options Parse(IEnumerable<string> args)
        {
            var engines = Harness.Browsers.Engines.All;
            var files = new List<string>();
            var output = Path.Combine("artifacts", "results.json");
            var json = false;
            var install = true;
            using var e = args.GetEnumerator();
            string Next(string flag) => e.MoveNext() ? e.Current : throw new UsageException($"{flag} needs a value");
            while (e.MoveNext())
            {
                switch (e.Current)
                {
                    case "--engines" or "--engine":
                        try { engines = Harness.Browsers.Engines.ParseList(Next(e.Current)); }
                        catch (ArgumentException x) { throw new UsageException(x.Message); }
                        break;
                    case "--cases": files.Add(Next("--cases")); break;
                    case "--out": output = Next("--out"); break;
                    case "--json": json = true; break;
                    case "--no-install": install = false; break;
                    case var flag when flag.StartsWith("--", StringComparison.Ordinal): throw new UsageException($"unknown option '{flag}'");
                    default: files.Add(e.Current); break;
                }
            }
            return new Options(engines, files, output, json, install);
        }
    }
}
