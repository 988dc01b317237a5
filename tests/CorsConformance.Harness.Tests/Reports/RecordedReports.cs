using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The two recorded report files in fixtures/reports, which differ in known ways (see its README).</summary>
internal static class RecordedReports
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "reports", name);

    public static Report Baseline => ReportFile.Load(PathOf("baseline.json"));

    public static Report Current => ReportFile.Load(PathOf("current.json"));

    public static Report CurrentWithChanges => Current with { Changes = ReportComparer.Compare(Baseline, Current, "baseline.json") };
}
