using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Cli;

/// <summary>The cases a command works on: the catalog, or the case files it was given.</summary>
internal static class CaseFiles
{
    public static IReadOnlyList<CorsCase> Load(IReadOnlyList<string> files)
    {
        if (files.Count == 0) return CaseCatalog.All;
        // An id in two files (or one file given twice) is refused as one file's duplicate is: the results are keyed by
        // id, and the run used to end, after every browser had run, in an unhandled "same key" exception.
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        var cases = new List<CorsCase>();
        foreach (var file in files)
        {
            foreach (var c in CaseFileReader.Read(Read(file), file))
            {
                if (!where.TryAdd(c.Id, file))
                {
                    throw new CaseFileException(file, c.Id, "id", where[c.Id] == file ? "is read twice: the file is given twice" : $"is used by a case of {where[c.Id]} too");
                }
                cases.Add(c);
            }
        }
        // The files share the browser's cookie jar in one run, so their cookies add up as one file's do: two files of 60
        // each passed the reader, and the jar evicted the planted cookie as one file of 120 would have.
        if (CaseFileReader.PastCookieCap(cases) is { } past)
        {
            throw new CaseFileException(where[past.Case.Id], past.Case.Id, "server",
                $"sets the run's cookie number {past.Number} ('{past.Cookie}'), counting the {files.Distinct().Count()} case files given together: at most {CaseFileReader.MaxCookiesPerFile} cookies (distinct name, host or Domain, and Path) a run, since its cases share the browser's cookie jar and past 180 a site Chromium and Firefox evict the planted cookie; run the files apart");
        }
        return cases;
    }

    private static string Read(string path) =>
        File.Exists(path) ? Harness.InputText.Read(path) : throw new UsageException(SharedOptions.NotAFile(path, "case file")!);
}
