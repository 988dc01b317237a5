using System.CommandLine;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance run`: the main job.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var engines = SharedOptions.Engines();
        var cases = SharedOptions.Cases();
        var output = SharedOptions.Out("The JSON results file (default artifacts/results.json).", "FILE.json");
        var noInstall = SharedOptions.NoInstall();
        var deviations = SharedOptions.Deviations();
        var shard = SharedOptions.Shard();
        var grid = SharedOptions.Grid();
        var oneAtATime = SharedOptions.OneEngineAtATime();
        var command = new DocumentedCommand("run", "The main job: makes sure the browsers are there, starts the embedded reference servers, runs the catalog (or the given case files) in every engine, prints a summary and writes the JSON results file (partial, and saying so, under --shard).",
            (0, "every engine that ran matches the standard or its listed deviations"),
            (1, "a case fails or is a harness error; an engine named with --engines cannot launch, none can, or no case was judged"),
            (2, "bad usage; a bad case file or known-deviations file"))
        {
            engines, cases, output, noInstall, deviations, shard, grid, oneAtATime,
        };
        command.SetAction(parse => RunAsync(
            new EngineRunRequest((parse.GetValue(engines) ?? EngineSelection.Default), parse.GetValue(cases)!, !parse.GetValue(noInstall), parse.GetValue(deviations), parse.GetValue(shard), parse.GetValue(grid), parse.GetValue(oneAtATime)),
            parse.GetValue(output) ?? Path.Combine("artifacts", "results.json"),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static async Task<int> RunAsync(EngineRunRequest request, string path, TextWriter output)
    {
        // Where the results go is checked before any browser runs: a folder there is exit 2 now, not after the run.
        Harness.OutputPath.CheckFile(path, "--out");
        var (runs, wall, cases) = await EngineRuns.RunAsync(request, output);
        var report = ReportBuilder.Build(runs, DateTimeOffset.UtcNow, cases, request.Shard);
        await ReportFile.WriteAsync(path, report);
        output.WriteLine($"Results: {Path.GetFullPath(path)} ({wall.TotalSeconds:F1} s in all).");
        if (ReportOutput.DescribePartial(report) is { } partial) output.WriteLine(partial);
        return EngineRuns.LaunchExitCode(runs, request.Engines.Named, output)
            ?? (report.Engines.Where(e => e.Ran).All(e => e.Summary.Fails + e.Summary.HarnessErrors == 0) ? ExitCodes.Success : ExitCodes.Failure);
    }
}
