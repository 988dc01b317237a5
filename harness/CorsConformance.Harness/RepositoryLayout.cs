namespace CorsConformance.Harness;

/// <summary>Where the repository is, seen from a built assembly: the folder holding CorsConformance.sln above it.</summary>
public static class RepositoryLayout
{
    public const string SolutionFile = "CorsConformance.sln";

    /// <summary>The repository root above <see cref="AppContext.BaseDirectory"/>, or null when run outside a clone.</summary>
    public static string? Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }
}
