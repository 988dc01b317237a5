using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Cli;

/// <summary>The cases a command works on: the catalog, or the case files it was given.</summary>
internal static class CaseFiles
{
    public static IReadOnlyList<CorsCase> Load(IReadOnlyList<string> files) =>
        files.Count == 0 ? CaseCatalog.All : files.SelectMany(f => CaseFileReader.Read(Read(f), f)).ToList();

    private static string Read(string path) =>
        File.Exists(path) ? Harness.InputText.Read(path) : throw new UsageException(SharedOptions.NotAFile(path, "case file")!);
}
