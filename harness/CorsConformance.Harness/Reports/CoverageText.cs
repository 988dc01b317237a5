using System.Text;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Harness.Reports;

/// <summary>`cors-conformance coverage`: the map of the standard as text — per algorithm, each step with its words, the
/// oracle method that implements it and the cases that exercise it (or why none can), then whatever the lint refuses.</summary>
public static class CoverageText
{
    /// <summary>How many case ids a step lists before "and N more".</summary>
    public const int CasesShown = 3;

    public static string Render(StandardCoverage coverage, int caseCount, IReadOnlyList<string> problems)
    {
        var text = new StringBuilder();
        var steps = coverage.Steps;
        text.AppendLine($"The Fetch Standard's CORS steps and the cases that exercise them: {steps.Count} steps, "
            + $"{steps.Count(s => s.Cases.Count > 0)} exercised by {caseCount} case(s), {steps.Count(s => s.Step.Exemption is not null)} exempt, "
            + $"{steps.Count(s => s.Cases.Count == 0 && s.Step.Exemption is null)} with no case.");
        foreach (var algorithm in steps.GroupBy(s => s.Step.Anchor))
        {
            var first = algorithm.First().Step;
            text.AppendLine().AppendLine($"{first.Title} — {first.Url}");
            foreach (var s in algorithm)
            {
                var what = s.Cases.Count > 0
                    ? $"{s.Cases.Count} case(s): {string.Join(", ", s.Cases.Take(CasesShown))}{(s.Cases.Count > CasesShown ? $", and {s.Cases.Count - CasesShown} more" : "")}"
                    : s.Step.Exemption is { } reason ? $"exempt: {reason}" : "NO CASE";
                text.AppendLine($"  {s.Step.Step,-16} {Shorten(s.Step.Quote, 100)}");
                text.AppendLine($"  {"",-16} oracle: {(s.Step.Oracle.Count > 0 ? string.Join(", ", s.Step.Oracle) : "none")}; {what}");
            }
        }
        if (problems.Count > 0)
        {
            text.AppendLine().AppendLine($"{problems.Count} problem(s):");
            foreach (var problem in problems) text.AppendLine("  ✗ " + problem);
        }
        return text.ToString();
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
