using System.CommandLine;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance report`: the nightly report, report.json, report.md and report.html, with the changes since a
/// baseline and the history of previous nights; `report merge` joins partial reports (shards) into one.</summary>
internal static class ReportCommand
{
    private const int Regression = 3;

    public static Command Create()
    {
        var output = SharedOptions.Out("The report folder (default artifacts/report).", "DIR");
        var baseline = SharedOptions.Baseline();
        var history = SharedOptions.History();
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = $"Exit {Regression} when something that conformed in --baseline now fails or could not be judged (a harness error, its engine did not run, or no result in a report not saying it is partial)." };
        var engines = SharedOptions.Engines();
        var cases = SharedOptions.Cases();
        var noInstall = SharedOptions.NoInstall();
        var deviations = SharedOptions.Deviations();
        var shard = SharedOptions.Shard();
        var grid = SharedOptions.Grid();
        var oneAtATime = SharedOptions.OneEngineAtATime();
        var command = new DocumentedCommand("report", "The nightly report: runs every available engine and writes report.json (docs/report-schema.md), report.md and a self-contained report.html. With --baseline it marks new failures, fixes, behaviour and engine version changes; --history DIR draws each engine's conformance over previous nights; --shard K/N writes a partial report for `report merge`.",
            (0, "the report was written (failing cases are in it, not in the code)"),
            (1, "an engine named with --engines cannot launch, none can, or no case was judged (1 wins over 3)"),
            (2, "bad usage; a bad case file, known-deviations file, --baseline or --history file (nothing written)"),
            (Regression, "--fail-on-regression and something that conformed now fails, or is now a harness error or not checked (its engine did not run, or no result) (no regression can be ruled out)"))
        {
            output, baseline, history, failOnRegression, engines, cases, noInstall, deviations, shard, grid, oneAtATime,
        };
        command.SetAction(parse => RunAsync(
            new EngineRunRequest((parse.GetValue(engines) ?? EngineSelection.Default), parse.GetValue(cases)!, !parse.GetValue(noInstall), parse.GetValue(deviations), parse.GetValue(shard), parse.GetValue(grid), parse.GetValue(oneAtATime)),
            parse.GetValue(output) ?? Path.Combine("artifacts", "report"),
            parse.GetValue(baseline),
            parse.GetValue(history),
            parse.GetValue(failOnRegression),
            parse.InvocationConfiguration.Output));
        command.Subcommands.Add(Merge());
        return command;
    }

    private static async Task<int> RunAsync(EngineRunRequest request, string folder, string? baselinePath, string? history, bool failOnRegression, TextWriter output)
    {
        // The baseline and the history are read before any browser runs: a bad file is exit 2 at once, nothing written.
        ReportOutput.CheckInputs(baselinePath, history);
        ReportOutput.CheckFolder(folder);
        var (runs, wall, cases) = await EngineRuns.RunAsync(request, output);
        var report = ReportOutput.Complete(ReportBuilder.Build(runs, DateTimeOffset.UtcNow, cases, request.Shard), baselinePath, history);
        await ReportOutput.WriteAsync(folder, report);
        output.WriteLine($"Report: {Path.GetFullPath(folder)}/report.{{json,md,html}} ({wall.TotalSeconds:F1} s in all).");
        if (ReportOutput.DescribePartial(report) is { } partial) output.WriteLine(partial);
        if (report.Changes is { } changes)
        {
            output.WriteLine($"Since {baselinePath}: {changes.Counts()}.");
            foreach (var b in changes.EngineBuilds) output.WriteLine($"  ~ {b.Engine}: another build ran — {b.From} → {b.To}; what changed in {b.Engine} may be the build's doing");
            foreach (var c in changes.NewFailures) output.WriteLine($"  ✗ {c.Engine} {c.Case}: {c.From} → {c.To}");
            foreach (var e in changes.EnginesNotRun)
                output.WriteLine($"  ? {e.Engine} ran in the baseline and did not run now ({e.Why}): {e.Judged} verdict(s) not checked (no regression can be ruled out)");
            foreach (var c in changes.HarnessErrors.Where(c => c.To == Verdicts.HarnessError))
                output.WriteLine($"  ? {c.Engine} {c.Case}: {c.From} → {c.To} (not judged now: no regression can be ruled out)");
        }
        return EngineRuns.LaunchExitCode(runs, request.Engines.Named, output)
            ?? (failOnRegression && report.Changes is { FailsRegressionGate: true } ? Regression : ExitCodes.Success);
    }

    /// <summary>`report merge`: partial reports joined into one (<see cref="ReportMerge"/>).</summary>
    private static Command Merge()
    {
        var parts = new Argument<string[]>("PART.json") { Description = "The partial reports to join (shards, or runs of different engines on different machines).", Arity = ArgumentArity.OneOrMore };
        parts.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !File.Exists(t.Value))) result.AddError(SharedOptions.NotAFile(token.Value, "report")!);
        });
        var output = SharedOptions.Out("The report folder (default artifacts/report).", "DIR");
        var baseline = SharedOptions.Baseline();
        var history = SharedOptions.History();
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = $"Exit {Regression} when something that conformed in --baseline now fails or could not be judged (a harness error, its engine did not run, or no result in a report not saying it is partial)." };
        var command = new DocumentedCommand("merge", "Joins partial reports of one catalog into one report.json, report.md and report.html. Reports of another catalog, one engine in two versions, or a case and engine in two files are refused with the file, case and engine named.",
            (0, "the joined report was written and is whole"),
            (1, "the joined report still lacks cases (written, saying which)"),
            (2, "bad usage; a bad part, --baseline or --history file, or parts that do not join (nothing written)"),
            (Regression, "as for report"))
        {
            parts, output, baseline, history, failOnRegression,
        };
        command.SetAction(async parse =>
        {
            var files = parse.GetValue(parts)!;
            var writer = parse.InvocationConfiguration.Output;
            var report = ReportOutput.Complete(ReportOutput.Merge(files, DateTimeOffset.UtcNow), parse.GetValue(baseline), parse.GetValue(history));
            var folder = parse.GetValue(output) ?? Path.Combine("artifacts", "report");
            await ReportOutput.WriteAsync(folder, report);
            writer.WriteLine($"Merged {files.Length} report(s): {Path.GetFullPath(folder)}/report.{{json,md,html}}.");
            if (ReportOutput.DescribePartial(report) is { } partial) writer.WriteLine("✗ " + partial);
            return report.Partial is not null ? ExitCodes.Failure
                : parse.GetValue(failOnRegression) && report.Changes is { FailsRegressionGate: true } ? Regression : ExitCodes.Success;
        });
        return command;
    }
}
