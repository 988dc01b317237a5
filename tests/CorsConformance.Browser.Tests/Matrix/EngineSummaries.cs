namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>One line per engine run, in artifacts/test-results/engines.txt beside the TRX files.</summary>
public static class EngineSummaries
{
    private static readonly Lock Gate = new();

    public static string Path { get; } = System.IO.Path.Combine(RepositoryRoot(), "artifacts", "test-results", "engines.txt");

    public static void Append(string line)
    {
        lock (Gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.AppendAllText(Path, line + Environment.NewLine);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CorsConformance.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
