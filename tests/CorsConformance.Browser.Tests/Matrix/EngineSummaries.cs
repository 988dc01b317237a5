namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>One line per engine run, in artifacts/test-results/engines.txt beside the TRX files.</summary>
public static class EngineSummaries
{
    private static readonly Lock Gate = new();

    public static string Path { get; } = System.IO.Path.Combine(
        Harness.RepositoryLayout.Root() ?? Directory.GetCurrentDirectory(), "artifacts", "test-results", "engines.txt");

    public static void Append(string line)
    {
        lock (Gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.AppendAllText(Path, line + Environment.NewLine);
        }
    }
}
