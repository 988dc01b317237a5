using CorsConformance.Harness.Reports;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The two recorded report files in fixtures/reports, which differ in known ways (see its README), and the
/// earlier nights in fixtures/reports/history.</summary>
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

    public static string HistoryFolder => PathOf("history");

    /// <summary>current.json against the baseline, with the history folder's nights: what docs/sample-report renders.</summary>
    public static Report Sample => ReportOutput.Complete(Current, PathOf("baseline.json"), HistoryFolder, "baseline.json");

    /// <summary>current.json as this version writes it: schema 2, with its cases as the catalog.</summary>
    public static Report CurrentWithCatalog
    {
        get
        {
            var report = Current;
            return report with
            {
                SchemaVersion = Report.CurrentSchemaVersion,
                Catalog = new ReportCatalog(ReportBuilder.CatalogDigest(report.Cases.Select(ReportBuilder.Definition)), report.Cases.Select(c => c.Id).ToList()),
            };
        }
    }

    /// <summary>The part of a whole report that `--shard` would have written: the shard's cells only, each engine's summary
    /// over them, and the partial notice.</summary>
    public static Report Split(Report whole, Shard shard)
    {
        var engines = whole.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();
        var cells = shard.Select(engines, whole.Cases);
        var cases = whole.Cases
            .Select(c => c with { Results = c.Results.Where(r => cells.Any(x => x.Engine == r.Key && x.Cases.Contains(c))).ToDictionary() })
            .Where(c => c.Results.Count > 0)
            .ToList();
        var part = whole with
        {
            Cases = cases,
            Engines = whole.Engines.Where(e => cells.Any(x => x.Engine == e.Engine))
                .Select(e => e with { Summary = ReportBuilder.Summarize(cases.Where(c => c.Results.ContainsKey(e.Engine)).Select(c => c.Results[e.Engine].Verdict)) })
                .ToList(),
        };
        return part with { Partial = ReportPartiality.Of(part, [shard.ToString()]) };
    }
}
