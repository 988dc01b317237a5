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
        return cases;
    }

    private static string Read(string path) =>
        File.Exists(path) ? Harness.InputText.Read(path) : throw new UsageException(SharedOptions.NotAFile(path, "case file")!);
}
