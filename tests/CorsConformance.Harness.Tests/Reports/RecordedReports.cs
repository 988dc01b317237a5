using CorsConformance.Harness.Reports;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The two recorded report files in fixtures/reports, which differ in known ways (see its README).</summary>
internal static class RecordedReports
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "reports", name);

    public static Report Baseline => ReportFile.Load(PathOf("baseline.json"));

    public static Report Current => ReportFile.Load(PathOf("current.json"));

    public static Report CurrentWithChanges => Current with { Changes = ReportComparer.Compare(Baseline, Current, "baseline.json") };

    /// <summary>The current report as this version writes it: with the map of the standard and each case's steps, taken
    /// from the oracle as the report builder takes them (the recorded file predates the map).</summary>
    public static Report CurrentWithSteps
    {
        get
        {
            var report = CurrentWithChanges;
            return report with
            {
                StandardSteps = ReportBuilder.StandardSteps(),
                Cases = report.Cases.Select(c => c with { Steps = ReportBuilder.StepsOf(Oracle.Expect(CaseCatalog.All.Single(x => x.Id == c.Id))) }).ToList(),
            };
        }
    }
}
