using System.CommandLine;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance report`: the nightly report, report.json, report.md and report.html, with the changes since a baseline.</summary>
internal static class ReportCommand
{
    private const int Regression = 3;

    public static Command Create()
    {
        var output = SharedOptions.Out("The report folder (default artifacts/report).", "DIR");
        var baseline = SharedOptions.Baseline();
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = $"Exit {Regression} when something that conformed in --baseline now fails." };
        var engines = SharedOptions.Engines();
        var cases = SharedOptions.Cases();
        var noInstall = SharedOptions.NoInstall();
        var deviations = SharedOptions.Deviations();
        var command = new DocumentedCommand("report", "The nightly report: runs every available engine and writes report.json (docs/report-schema.md), report.md and a self-contained report.html. With --baseline it marks new failures, fixes, behaviour and engine version changes.",
            (0, "the report was written (failing cases are in it, not in the code)"),
            (1, "an engine named with --engines cannot launch, none can, or no case was judged (1 wins over 3)"),
            (2, "bad usage; a bad case file, known-deviations file or --baseline"),
            (Regression, "--fail-on-regression and something that conformed now fails"))
        {
            output, baseline, failOnRegression, engines, cases, noInstall, deviations,
        };
        command.SetAction(parse => RunAsync(
            new EngineRunRequest((parse.GetValue(engines) ?? EngineSelection.Default), parse.GetValue(cases)!, !parse.GetValue(noInstall), parse.GetValue(deviations)),
            parse.GetValue(output) ?? Path.Combine("artifacts", "report"),
            parse.GetValue(baseline),
            parse.GetValue(failOnRegression),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static async Task<int> RunAsync(EngineRunRequest request, string folder, string? baselinePath, bool failOnRegression, TextWriter output)
    {
        var baseline = baselinePath is null ? null : ReportFile.Load(baselinePath);
        var (runs, wall) = await EngineRuns.RunAsync(request, output);
        var report = ReportBuilder.Build(runs, DateTimeOffset.UtcNow);
        if (baseline is not null) report = report with { Changes = ReportComparer.Compare(baseline, report, baselinePath!) };
        await ReportFolder.WriteAsync(folder, report);
        output.WriteLine($"Report: {Path.GetFullPath(folder)}/report.{{json,md,html}} ({wall.TotalSeconds:F1} s in all).");
        if (report.Changes is { } changes)
        {
            output.WriteLine($"Since {baselinePath}: {changes.NewFailures.Count} new failure(s), {changes.Fixes.Count} fix(es), "
                + $"{changes.BehaviourChanges.Count} behaviour change(s), {changes.EngineVersions.Count} engine version change(s).");
            foreach (var c in changes.NewFailures) output.WriteLine($"  ✗ {c.Engine} {c.Case}: {c.From} → {c.To}");
        }
        return EngineRuns.LaunchExitCode(runs, request.Engines.Named, output)
            ?? (failOnRegression && report.Changes is { HasRegressions: true } ? Regression : ExitCodes.Success);
    }
}
