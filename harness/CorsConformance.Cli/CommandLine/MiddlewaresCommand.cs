using System.CommandLine;
using CorsConformance.Harness.Middlewares;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance middlewares`: the middleware matrix (logic in Harness.Middlewares, fixtures in
/// Fixtures.Middlewares), written as a table into docs/.</summary>
internal static class MiddlewaresCommand
{
    public static Command Create()
    {
        var engines = SharedOptions.Engines();
        var output = SharedOptions.Out("Where the table goes (default docs/middlewares.md in the clone).", "FILE.md");
        var command = new DocumentedCommand("middlewares", "The middleware matrix: starts each real CORS middleware of fixtures/middlewares (ASP.NET Core, nginx's recipe, Express + cors, Flask + flask-cors, Django + django-cors-headers, Starlette, Rack + rack-cors, Go's rs/cors) once per policy of fixtures/middlewares/policies, runs the policy's cases in every engine and its protocol checks, and writes the table with every failure explained.",
            (0, "the table was written and every middleware ran"),
            (1, "a middleware could not be installed or started (the table says which), an engine named with --engines cannot launch, none can, or no case was judged"),
            (2, "bad usage"))
        {
            engines, output,
        };
        command.SetAction(async parse =>
        {
            var selection = parse.GetValue(engines) ?? EngineSelection.Default;
            var writer = parse.InvocationConfiguration.Output;
            var path = parse.GetValue(output) ?? Path.Combine(Harness.RepositoryLayout.Root() ?? ".", "docs", "middlewares.md");
            // Where the table goes is checked before any middleware starts: a folder there is exit 2 now, not after the matrix.
            Harness.OutputPath.CheckFile(path, "--out");
            SharedOptions.CheckEngineSettings(selection.Engines, EngineRun.SettingsFrom(null));
            await using var servers = await ReferenceServers.StartAsync();
            var result = await MiddlewareMatrix.RunAsync(Fixtures.Middlewares.Middlewares.All, Fixtures.Middlewares.Middlewares.Policies,
                selection.Engines, servers, EngineRun.SettingsFrom(null), TimeSpan.FromSeconds(5), writer);
            await Harness.OutputPath.WriteAllAsync([(path, MiddlewareTable.Render(result, DateOnly.FromDateTime(DateTime.UtcNow)))]);
            foreach (var line in MiddlewareTable.Summary(result).Append($"Table: {Path.GetFullPath(path)}")) writer.WriteLine(line);
            var failures = result.Failures(selection.Named);
            foreach (var failure in failures) writer.WriteLine($"✗ {failure}");
            return failures.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
