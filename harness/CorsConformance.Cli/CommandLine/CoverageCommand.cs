using System.CommandLine;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance coverage`: the map of the standard (logic in StandardCoverage and CoverageText).</summary>
internal static class CoverageCommand
{
    public static Command Create()
    {
        var cases = SharedOptions.Cases();
        var command = new DocumentedCommand("coverage", "The map of the standard: every step of fetch.bs's CORS algorithms (specs/catalog/standard-map.yaml) with the oracle method that implements it and the catalog cases (or the given files' cases) that exercise it, as the oracle's trace of each case shows.",
            (0, "the map was printed and every step has a case or a reasoned exemption"),
            (1, "a step has no case and no exemption, or the map names a method that does not exist or does not take the step"),
            (2, "bad usage; a bad case file or map"))
        {
            cases,
        };
        command.SetAction(parse =>
        {
            var loaded = CaseFiles.Load(parse.GetValue(cases)!);
            var coverage = StandardCoverage.Of(StandardMap.Steps, loaded);
            var problems = coverage.Problems(CaseCatalog.Anchors);
            parse.InvocationConfiguration.Output.Write(Harness.Reports.CoverageText.Render(coverage, loaded.Count, problems));
            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
