using System.Diagnostics;
using Engines = CorsConformance.Harness.Browsers.Engines;
using System.Text.Json;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Cli;

/// <summary>The cors-conformance command line.</summary>
public static class Commands
{
    public const string Usage = """
        cors-conformance — CORS conformance of real browsers against the Fetch Standard

        cors-conformance run [--engines all|chromium,firefox,webkit,webkitgtk] [--cases FILE.yaml]... [--out artifacts/results.json] [--no-install] [--deviations FILE.yaml] [--shard K/N]
            The main job: makes sure the browsers are there, starts the embedded reference servers, runs the catalog (or
            the given case files) in every engine, prints a summary and writes the JSON results file. --deviations: a
            known-deviations file in place of fixtures/deviations/known-deviations.yaml. --shard K/N: only the K-th of N
            parts of the engine × case cells (engine by engine, cases in catalog order); the file says it is partial.
            Exit code 0 when every engine that ran matches the standard or its known deviations; 1 otherwise, or when an
            engine named with --engines cannot launch, none can, or no case was judged; 2 on bad usage or a bad input file.
        cors-conformance report [--out artifacts/report] [--baseline previous/report.json] [--history DIR] [--fail-on-regression] [--engines …] [--cases FILE.yaml]… [--shard K/N]
            The nightly report: runs every available engine and writes report.json (docs/report-schema.md), report.md and
            a self-contained report.html. With --baseline it marks new failures, fixes, behaviour and engine version
            changes; --history DIR (previous nights' report.json files) draws each engine's conformance over time;
            --fail-on-regression makes new failures exit with 3; --shard K/N writes a partial report (as run does). Exit 1
            when an engine named with --engines cannot launch, none can, or no case was judged; 2 on bad usage or a bad
            input file (nothing written).
        cors-conformance report merge A.json B.json… [--out artifacts/report] [--baseline OLD.json] [--history DIR] [--fail-on-regression]
            Joins partial reports (shards, or runs of different engines on different machines) of one catalog into one
            report.json, report.md and report.html. Reports of another catalog, one engine in two versions, or a case and
            engine in two files are refused with the file, case and engine named (exit 2, nothing written); exit 1 when
            the joined report still lacks cases (written, saying which); 3 as for report.
        cors-conformance render REPORT.json [--baseline OLD.json] [--history DIR] [--out DIR]
            Renders report.md and report.html again from a recorded report.json (schema 1 or 2). A bad report, baseline or
            history file: exit 2, the file and the field named, nothing written.
        cors-conformance bench [--engines …] [--rounds 3]
            Measures the runner: the catalog naive (one evaluate per case, one context) and as the runner issues it (batches,
            in as many contexts as the machine suits): verdicts per second, the ratio, launch time and the matrix's wall time.
        cors-conformance audit URL [--origin TRUSTED] [--out findings.json] [--sarif findings.sarif] [--fail-on info|low|medium|high] [--no-browser] [--insecure]
            Probes URL with forged origins for CORS misconfigurations, rated by what an attacker gains, and confirms each
            finding above informational in real browsers from a page at the attacker's origin (--no-browser: skip that);
            exits 4 when a finding is at or above --fail-on; 5 when no finding is, but a probe got no answer (after a
            retry), so its class was not checked; 1 when confirmation was needed and an engine named with --engines
            cannot launch, or none can. Without --origin the URL's own origin is assumed (and said). --insecure accepts
            a self-signed certificate.
        cors-conformance oracle FILE.yaml [--json]
            What the Fetch Standard expects for each case of a case file, without a browser. A bad or empty file: exit 2.
        cors-conformance install-browsers [--engines …]
            Installs what is missing (Debian packages as root, else Playwright's download), or says what to run. Exit 1 when
            a named engine is still missing (under the default: when none is there).

        Exit codes of every command: README.md, section "Exit codes".

        Engine settings: CORS_CHROMIUM_EXECUTABLE_PATH, CORS_FIREFOX_EXECUTABLE_PATH, CORS_FIREFOX_CHANNEL, CORS_<ENGINE>_ARGS,
        CORS_WEBKITGTK_EXECUTABLE_PATH (MiniBrowser), CORS_WEBKITGTK_DRIVER_PATH (WebKitWebDriver).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            // `COMMAND --help`: that command's part of the usage, before any option is parsed.
            if (args.Length > 1 && args.Skip(1).Any(a => a is "--help" or "-h")) return HelpFor(args[..2] is ["report", "merge"] ? "report merge" : args[0], output, error);
            var options = Options.Parse(args.Skip(1));
            return args.FirstOrDefault() switch
            {
                "run" => await RunMatrixAsync(options, output),
                "report" when args[1..] is ["merge", ..] => await MergeAsync(Options.Parse(args.Skip(2)), output),
                "report" => await ReportAsync(options, output),
                "render" => await RenderAsync(options, output),
                "bench" => await Benchmark.RunAsync(options.Engines, options.EnginesNamed, LoadCases(options), options.Rounds, output),
                "audit" => await AuditAsync(options, output),
                "oracle" => Oracle(options, output),
                "install-browsers" => await InstallAsync(options, output),
                "help" or "--help" or "-h" => Help(output),
                _ => Fail(error, args.Length == 0 ? "a command is required" : $"unknown command '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is CaseFileException or Harness.InputFileException)
        {
            // A bad input file: its name and the field, exit 2, nothing written.
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            return Fail(error, e.Message);
        }
    }

    private static int HelpFor(string command, TextWriter output, TextWriter error)
    {
        var lines = Usage.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith($"cors-conformance {command} ", StringComparison.Ordinal) || l.Trim() == $"cors-conformance {command}");
        if (start < 0) return Fail(error, $"unknown command '{command}'");
        var end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith("cors-conformance ", StringComparison.Ordinal) || l.Trim().Length == 0);
        foreach (var line in lines[start..(end < 0 ? lines.Length : end)]) output.WriteLine(line.TrimEnd());
        output.WriteLine();
        output.WriteLine("Exit codes: README.md, section \"Exit codes\".");
        return 0;
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
        // The launch rule's: a named engine left missing fails, and under the default only none at all.
        var outcomes = await BrowserInstaller.EnsureAsync(options.Engines, EngineRun.SettingsFrom(null), output);
        var failures = LaunchRule.Failures(outcomes, options.EnginesNamed, judged: null);
        foreach (var failure in failures) output.WriteLine($"✗ {failure}");
        return failures.Count > 0 ? 1 : 0;
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
            // The expectation, then (where the standard leaves a choice) every other behaviour it allows, in the same shape.
            static Dictionary<string, object?> Json(Expectation e) => new()
            {
                ["outcome"] = e.Outcome.ToString().ToLowerInvariant(),
                ["preflights"] = e.Preflights,
                ["actualSent"] = e.ActualSent,
                ["origin"] = e.Origin,
                ["requestHeaders"] = e.RequestHeaders,
                ["credentialsSent"] = e.CredentialsSent,
                ["status"] = e.Status,
                ["readableHeaders"] = e.ReadableHeaders,
                ["contentReadable"] = e.ContentReadable,
                ["choice"] = e.Choice,
                ["reason"] = e.Reason,
                ["steps"] = e.Steps,
            };
            output.WriteLine(JsonSerializer.Serialize(expectations.Select(x => new Dictionary<string, object?>
            {
                ["id"] = x.Case.Id,
                ["anchor"] = x.Case.AnchorUrl,
            }.Concat(Json(x.Expected)).Append(new("alternatives", x.Expected.Alternatives.Select(Json).ToList())).ToDictionary()
            ), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }
        foreach (var (c, e) in expectations)
        {
            output.WriteLine($"{c.Id}: {e.Outcome.ToString().ToLowerInvariant()} — {e.Reason}");
            foreach (var other in e.Alternatives)
                output.WriteLine($"    or, where {other.Choice}: {other.Outcome.ToString().ToLowerInvariant()}, preflights {other.Preflights}");
            output.WriteLine($"    preflights {e.Preflights}; Origin {e.Origin ?? "(none)"}; cookie {(e.CredentialsSent ? "sent" : "not sent")}"
                + (e.ReadableHeaders is { } r ? $"; readable [{string.Join(", ", r)}]" : "")
                + (e.ContentReadable is { } content ? $"; content {(content ? "readable" : "opaque to the page")}" : ""));
        }
        return 0;
    }

    private static async Task<int> RunMatrixAsync(Options options, TextWriter output)
    {
        var (runs, wall) = await RunEnginesAsync(options, output);
        var report = ReportBuilder.Build(runs, DateTimeOffset.UtcNow, LoadCases(options), options.Shard);
        var path = options.Out ?? Path.Combine("artifacts", "results.json");
        await ReportFile.WriteAsync(path, report);
        output.WriteLine($"Results: {Path.GetFullPath(path)} ({wall.TotalSeconds:F1} s in all).");
        if (ReportOutput.DescribePartial(report) is { } partial) output.WriteLine(partial);
        return ExitCode(runs, options.EnginesNamed, output) ?? (report.Engines.Where(e => e.Ran).All(e => e.Summary.Fails + e.Summary.HarnessErrors == 0) ? 0 : 1);
    }

    /// <summary>The nightly report: report.json, report.md and report.html, with the changes since a baseline.</summary>
    private static async Task<int> ReportAsync(Options options, TextWriter output)
    {
        // The baseline and the history are read before any browser runs: a bad file is exit 2 at once, nothing written.
        ReportOutput.CheckInputs(options.Baseline, options.History);
        var (runs, wall) = await RunEnginesAsync(options, output);
        var report = ReportOutput.Complete(ReportBuilder.Build(runs, DateTimeOffset.UtcNow, LoadCases(options), options.Shard), options.Baseline, options.History);
        var folder = options.Out ?? Path.Combine("artifacts", "report");
        await ReportOutput.WriteAsync(folder, report);
        output.WriteLine($"Report: {Path.GetFullPath(folder)}/report.{{json,md,html}} ({wall.TotalSeconds:F1} s in all).");
        if (ReportOutput.DescribePartial(report) is { } partial) output.WriteLine(partial);
        if (report.Changes is { } changes)
        {
            output.WriteLine($"Since {options.Baseline}: {changes.NewFailures.Count} new failure(s), {changes.Fixes.Count} fix(es), "
                + $"{changes.BehaviourChanges.Count} behaviour change(s), {changes.EngineVersions.Count} engine version change(s).");
            foreach (var c in changes.NewFailures) output.WriteLine($"  ✗ {c.Engine} {c.Case}: {c.From} → {c.To}");
        }
        return ExitCode(runs, options.EnginesNamed, output)
            ?? (options.FailOnRegression && report.Changes is { HasRegressions: true } ? 3 : 0);
    }

    /// <summary>`report merge`: partial reports joined into one (<see cref="ReportMerge"/>); 1 when it still lacks cases.</summary>
    private static async Task<int> MergeAsync(Options options, TextWriter output)
    {
        if (options.CaseFiles.Count == 0) throw new UsageException("report merge needs the reports to join: cors-conformance report merge A.json B.json… --out DIR");
        var report = ReportOutput.Complete(ReportOutput.Merge(options.CaseFiles, DateTimeOffset.UtcNow), options.Baseline, options.History);
        var folder = options.Out ?? Path.Combine("artifacts", "report");
        await ReportOutput.WriteAsync(folder, report);
        output.WriteLine($"Merged {options.CaseFiles.Count} report(s): {Path.GetFullPath(folder)}/report.{{json,md,html}}.");
        if (ReportOutput.DescribePartial(report) is { } partial) output.WriteLine("✗ " + partial);
        return report.Partial is not null ? 1 : options.FailOnRegression && report.Changes is { HasRegressions: true } ? 3 : 0;
    }

    /// <summary>Renders report.md and report.html from a recorded report.json (and marks changes against a baseline).</summary>
    private static async Task<int> RenderAsync(Options options, TextWriter output)
    {
        if (options.CaseFiles.Count != 1) throw new UsageException("render needs one report.json: cors-conformance render REPORT.json [--baseline OLD.json] [--out DIR]");
        var source = options.CaseFiles[0];
        if (!File.Exists(source)) throw new UsageException($"report '{source}' does not exist");
        var report = ReportOutput.Complete(ReportFile.Load(source) with { SchemaVersion = Report.CurrentSchemaVersion }, options.Baseline, options.History,
            options.Baseline is { } baseline ? Path.GetFileName(baseline) : null);
        var folder = options.Out ?? Path.Combine("artifacts", "report");
        await ReportOutput.WriteAsync(folder, report);
        output.WriteLine($"Rendered: {Path.GetFullPath(folder)}/report.{{json,md,html}}");
        return 0;
    }

    /// <summary>The misconfiguration audit of one URL: findings on the console, as JSON and SARIF when asked.</summary>
    private static async Task<int> AuditAsync(Options options, TextWriter output)
    {
        if (options.CaseFiles.Count != 1 || !Uri.TryCreate(options.CaseFiles[0], UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new UsageException("audit needs one http(s) URL: cors-conformance audit https://api.example.com/resource [--origin https://app.example.com]");
        }
        // --insecure: a staging server with a self-signed certificate; without it a TLS failure is "not checked", said so.
        using var client = Harness.ServerUnderTest.Replay.CreateClient(acceptAnyCertificate: options.Insecure);
        IReadOnlyList<string> launchFailures = [];
        var result = await Harness.Audit.Auditor.RunAsync(target, options.Origin, client, TimeSpan.FromSeconds(10));
        if (options.Install && result.Findings.Any(f => f.Severity > Harness.Audit.Severity.Info))
        {
            // Browser confirmation: a page at each probe origin tries the credentialed read (--no-install skips it).
            await using var servers = await ReferenceServers.StartAsync();
            var engines = options.Engines.Where(e => e != Engine.Webkit).ToList();
            var launches = new List<(Engine, string?)>();
            result = await Harness.Audit.BrowserConfirmation.ConfirmAsync(result, servers, engines, EngineRun.SettingsFrom(null), TimeSpan.FromSeconds(10),
                (engine, unavailable) => launches.Add((engine, unavailable)));
            launchFailures = LaunchRule.Failures(launches, options.EnginesNamed, judged: null);
        }
        var notCheckedClasses = result.NotChecked.Select(n => n.Class.Id).Distinct().ToList();
        output.WriteLine($"Audit of {result.Target} (trusted origin {result.TrustedOrigin}{(options.Origin is null ? ", assumed: the URL's own origin — give --origin to find prefix, suffix and subdomain defects of the origin your front end really uses" : "")}): "
            + $"{result.Findings.Count} finding(s)" + (notCheckedClasses.Count > 0 ? $"; {notCheckedClasses.Count} class(es) NOT CHECKED: {string.Join(", ", notCheckedClasses)}." : "."));
        foreach (var f in result.Findings)
        {
            output.WriteLine($"  [{f.Severity.ToString().ToLowerInvariant()}] {f.Class.Id}: {f.Message}");
            if (f.BrowserConfirmation is { } confirmation) output.WriteLine($"      {confirmation}");
            output.WriteLine($"      {f.Curl}");
        }
        foreach (var n in result.NotChecked) output.WriteLine($"  [not checked] {n.Class.Id} (probe from {n.ProbeOrigin}): {n.Why}");
        if (options.Json) output.WriteLine(Harness.Audit.AuditOutput.Json(result));
        if (options.Out is { } json) await File.WriteAllTextAsync(json, Harness.Audit.AuditOutput.Json(result));
        if (options.Sarif is { } sarif) await File.WriteAllTextAsync(sarif, Harness.Audit.AuditOutput.Sarif(result));
        // The findings stand without a browser; a confirmation that was asked for and could not run fails the audit.
        foreach (var failure in launchFailures) output.WriteLine($"✗ {failure}");
        if (launchFailures.Count > 0) return 1;
        if (options.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold)) return 4;
        // Whatever was found, a class no answer decided is not clean: an exit code of its own.
        return result.NotChecked.Count > 0 ? 5 : 0;
    }

    /// <summary>1 when what could not run fails the run (<see cref="LaunchRule"/>), each reason printed; null otherwise.</summary>
    private static int? ExitCode(IReadOnlyList<EngineRun> runs, bool named, TextWriter output)
    {
        var failures = LaunchRule.Failures(runs.Select(r => (r.Engine, r.Unavailable)).ToList(), named, runs.Sum(r => r.Verdicts.Count));
        foreach (var failure in failures) output.WriteLine($"✗ {failure}");
        return failures.Count > 0 ? 1 : null;
    }

    private static async Task<(IReadOnlyList<EngineRun> Runs, TimeSpan Wall)> RunEnginesAsync(Options options, TextWriter output)
    {
        var cases = LoadCases(options);
        // Read before anything is installed or started: a broken file is exit 2 with its entry and line, nothing else done.
        var deviations = options.Deviations is { } file
            ? KnownDeviations.Load(file, CaseCatalog.All.Concat(cases).Select(c => c.Id))
            : KnownDeviations.LoadDefault();
        var settings = EngineRun.SettingsFrom(null);
        if (options.Install) await BrowserInstaller.EnsureAsync(options.Engines, settings, output);
        var wall = Stopwatch.StartNew();
        await using var servers = await ReferenceServers.StartAsync();
        output.WriteLine($"Reference servers: http on {servers.HttpPort}, https on {servers.HttpsPort} (loopback only); {cases.Count} cases"
            + (options.Shard is { } shard ? $", shard {shard}." : "."));
        // Each engine's cases: all of them, or this shard's part.
        var plan = (options.Shard?.Select(options.Engines, cases) ?? options.Engines.Select(e => (e, cases)).ToList()).ToDictionary(p => p.Item1.Id(), p => p.Item2);
        var runs = new List<EngineRun>();
        await ProgressDisplay.RunAsync(output, plan.Keys.ToList(), e => plan[e].Count, async (engineName, progress) =>
        {
            var engine = Harness.Browsers.Engines.Parse(engineName);
            runs.Add(await EngineRun.RunAsync(engine, servers, plan[engineName], deviations, settings, progress));
        });
        foreach (var run in runs) Summarize(run, output);
        return (runs, wall.Elapsed);
    }

    private static void Summarize(EngineRun run, TextWriter output)
    {
        if (!run.Ran)
        {
            output.WriteLine($"{run.Engine.Id()}: skipped — {run.Unavailable}");
            return;
        }
        var summary = ReportBuilder.Summarize(run.Verdicts.Select(ReportBuilder.VerdictOf));
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

    private sealed class UsageException(string message) : Exception(message);

    private sealed record Options(IReadOnlyList<Engine> Engines, IReadOnlyList<string> CaseFiles, string? Out, bool Json, bool Install, string? Baseline, bool FailOnRegression, int Rounds)
    {
        /// <summary>Whether --engines named engines (not `all`): then one that cannot launch fails the run.</summary>
        public bool EnginesNamed { get; init; }

        public string? Origin { get; init; }

        public string? Sarif { get; init; }

        /// <summary>A known-deviations file in place of fixtures/deviations/known-deviations.yaml.</summary>
        public string? Deviations { get; init; }

        public Harness.Audit.Severity? FailOn { get; init; }

        /// <summary>audit --insecure: accept any certificate (a staging server's self-signed one).</summary>
        public bool Insecure { get; init; }

        /// <summary>--shard K/N: only that part of the engine × case cells.</summary>
        public Shard? Shard { get; init; }

        /// <summary>--history DIR: previous nights' reports.</summary>
        public string? History { get; init; }

        public static Options Parse(IEnumerable<string> args)
        {
            string? origin = null;
            string? sarif = null;
            string? deviations = null;
            Harness.Audit.Severity? failOn = null;
            var engines = Harness.Browsers.Engines.All;
            var named = false;
            var files = new List<string>();
            string? output = null;
            string? baseline = null;
            var failOnRegression = false;
            var rounds = 3;
            var json = false;
            var insecure = false;
            var install = true;
            Shard? shard = null;
            string? history = null;
            using var e = args.GetEnumerator();
            string Next(string flag) => e.MoveNext() ? e.Current : throw new UsageException($"{flag} needs a value");
            while (e.MoveNext())
            {
                switch (e.Current)
                {
                    case "--engines" or "--engine":
                        try
                        {
                            var list = Next(e.Current);
                            engines = Harness.Browsers.Engines.ParseList(list);
                            named = Harness.Browsers.Engines.AreNamed(list);
                        }
                        catch (ArgumentException x) { throw new UsageException(x.Message); }
                        break;
                    case "--cases": files.Add(Next("--cases")); break;
                    case "--out": output = Next("--out"); break;
                    case "--json": json = true; break;
                    case "--no-install" or "--no-browser": install = false; break;
                    case "--insecure": insecure = true; break;
                    case "--baseline": baseline = Next("--baseline"); break;
                    case "--fail-on-regression": failOnRegression = true; break;
                    case "--origin": origin = Next("--origin"); break;
                    case "--sarif": sarif = Next("--sarif"); break;
                    case "--deviations": deviations = Next("--deviations"); break;
                    case "--history": history = Next("--history"); break;
                    case "--shard":
                        try { shard = Harness.Reports.Shard.Parse(Next("--shard")); }
                        catch (ArgumentException x) { throw new UsageException(x.Message); }
                        break;
                    case "--fail-on":
                        failOn = Enum.TryParse<Harness.Audit.Severity>(Next("--fail-on"), ignoreCase: true, out var severity)
                            ? severity : throw new UsageException("--fail-on takes info, low, medium or high");
                        break;
                    case "--rounds":
                        rounds = int.TryParse(Next("--rounds"), out var r) && r is >= 1 and <= 20 ? r : throw new UsageException("--rounds takes a whole number from 1 to 20");
                        break;
                    case var flag when flag.StartsWith("--", StringComparison.Ordinal): throw new UsageException($"unknown option '{flag}'");
                    default: files.Add(e.Current); break;
                }
            }
            if (baseline is not null && !File.Exists(baseline)) throw new UsageException($"baseline '{baseline}' does not exist");
            return new Options(engines, files, output, json, install, baseline, failOnRegression, rounds) { Origin = origin, Sarif = sarif, FailOn = failOn, EnginesNamed = named, Deviations = deviations, Insecure = insecure, Shard = shard, History = history };
        }
    }
}
