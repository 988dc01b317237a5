using System.CommandLine;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance bench`: measures the runner (<see cref="Benchmark"/>).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var engines = SharedOptions.Engines();
        var rounds = new Option<int>("--rounds") { Description = "Rounds of each way, 1 to 20 (default 3).", DefaultValueFactory = _ => 3 };
        rounds.Validators.Add(result =>
        {
            // The token, not GetValueOrDefault: on "abc" or 1e400 that throws (the parse already failed), an unhandled exception.
            // Digits only, as --shard reads its numbers: int.TryParse took " 3", "+3" and "03".
            if (result.Tokens.SingleOrDefault() is { } token && (!token.Value.All(char.IsAsciiDigit) || token.Value.StartsWith('0')
                || !int.TryParse(token.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rounds) || rounds is < 1 or > 20))
            {
                result.AddError($"--rounds takes a whole number from 1 to 20, not '{token.Value}'");
            }
        });
        var cases = SharedOptions.Cases();
        var command = new DocumentedCommand("bench", "Measures the runner: the catalog naive (one evaluate per case, one context) and as the runner issues it (batches, in as many contexts as the machine suits): verdicts per second, the ratio, launch time; and the whole matrix's wall time with the engines side by side, launches included, as `run` runs them.",
            (0, "the figures were printed"),
            (1, "an engine named with --engines cannot launch, or none can"),
            (2, "bad usage"))
        {
            engines, rounds, cases,
        };
        command.SetAction(parse =>
        {
            var selection = (parse.GetValue(engines) ?? EngineSelection.Default);
            SharedOptions.CheckEngineSettings(selection.Engines, Harness.Running.EngineRun.SettingsFrom(null));
            return Benchmark.RunAsync(selection.Engines, selection.Named, CaseFiles.Load(parse.GetValue(cases)!), parse.GetValue(rounds), parse.InvocationConfiguration.Output);
        });
        return command;
    }
}
