using System.CommandLine;
using CorsConformance.Harness.Reports;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance render`: report.md and report.html again from a recorded report.json.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("REPORT.json") { Description = "A report.json written by `report`." };
        source.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } path && SharedOptions.NotAFile(path, "report") is { } error) result.AddError(error);
        });
        var baseline = SharedOptions.Baseline();
        var history = SharedOptions.History();
        var output = SharedOptions.Out("The report folder (default artifacts/report).", "DIR");
        var command = new DocumentedCommand("render", "Renders report.md and report.html again from a recorded report.json (and marks the changes since --baseline).",
            (0, "report.md and report.html written"),
            (2, "bad usage; the report, --baseline or a --history file is empty, truncated, of another schema version or missing a field (the file and the field named, nothing written)"))
        {
            source, baseline, history, output,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(source)!, parse.GetValue(baseline), parse.GetValue(history), parse.GetValue(output) ?? Path.Combine("artifacts", "report"), parse.InvocationConfiguration.Output));
        return command;
    }

    private static async Task<int> RunAsync(string source, string? baseline, string? history, string folder, TextWriter output)
    {
        // A schema 1 report is read, and written back in the current schema.
        var report = ReportOutput.Complete(ReportFile.Load(source) with { SchemaVersion = Report.CurrentSchemaVersion }, baseline, history,
            baseline is null ? null : Path.GetFileName(baseline));
        await ReportOutput.WriteAsync(folder, report);
        output.WriteLine($"Rendered: {Path.GetFullPath(folder)}/report.{{json,md,html}}");
        return ExitCodes.Success;
    }
}
