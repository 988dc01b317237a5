using System.Text.Json;
using CorsConformance.Specs.Policies;

namespace CorsConformance.NUnit;

/// <summary>A policy from the policy file, or written in code; both go through the one reader, so both are checked alike
/// (a bad field is refused with its name).</summary>
public static class CorsPolicies
{
    /// <summary>The policy file (JSON, the schema of README.md "Server under test"); a relative path is looked for in the
    /// current directory, then beside the test assembly.</summary>
    public static CorsPolicy FromFile(string path)
    {
        var found = Path.IsPathRooted(path) || File.Exists(path) ? Path.GetFullPath(path) : Path.Combine(AppContext.BaseDirectory, path);
        if (!File.Exists(found)) throw new FileNotFoundException($"The policy file '{path}' does not exist (looked for {Path.GetFullPath(path)} and {found}).", found);
        return PolicyReader.Read(File.ReadAllText(found), found);
    }

    /// <summary>A policy written in code: the same fields as the policy file.</summary>
    public static CorsPolicy Allow(
        IEnumerable<string> origins,
        IEnumerable<string>? methods = null,
        IEnumerable<string>? headers = null,
        IEnumerable<string>? exposedHeaders = null,
        bool credentials = false,
        long? maxAge = null)
    {
        var fields = new Dictionary<string, object>
        {
            ["allowedOrigins"] = origins.ToList(),
            ["allowedMethods"] = (methods ?? []).ToList(),
            ["allowedHeaders"] = (headers ?? []).ToList(),
            ["exposedHeaders"] = (exposedHeaders ?? []).ToList(),
            ["allowCredentials"] = credentials,
        };
        if (maxAge is { } seconds) fields["maxAge"] = seconds;
        return PolicyReader.Read(JsonSerializer.Serialize(fields), "the policy in code");
    }
}
