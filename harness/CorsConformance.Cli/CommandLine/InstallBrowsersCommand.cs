using System.CommandLine;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance install-browsers`: installs what is missing, or says what to run.</summary>
internal static class InstallBrowsersCommand
{
    public static Command Create()
    {
        var engines = SharedOptions.Engines("The engines to install: all (the default: at least one must be there), or a comma list of "
            + string.Join(", ", Harness.Browsers.Engines.All.Select(e => e.Id())) + " (each must be there).");
        var command = new DocumentedCommand("install-browsers", "Installs what is missing (Debian packages as root, else Playwright's download), or says what to run.",
            (0, "every engine asked for is there (under the default: at least one)"),
            (1, "a named engine is still missing, or (default) none is there"),
            (2, "bad usage"))
        {
            engines,
        };
        command.SetAction(parse => RunAsync((parse.GetValue(engines) ?? EngineSelection.Default), parse.InvocationConfiguration.Output));
        return command;
    }

    private static async Task<int> RunAsync(EngineSelection selection, TextWriter output)
    {
        // The launch rule's: a named engine left missing fails, and under the default only none at all.
        var settings = EngineRun.SettingsFrom(null);
        SharedOptions.CheckEngineSettings(selection.Engines, settings);
        var outcomes = await BrowserInstaller.EnsureAsync(selection.Engines, settings, output);
        var failures = LaunchRule.Failures(outcomes, selection.Named, judged: null);
        foreach (var failure in failures) output.WriteLine($"✗ {failure}");
        return failures.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }
}
