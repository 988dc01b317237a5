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
        // null, "" or a NUL byte threw .NET's own words ("Value cannot be null. (Parameter 'path2')"), a folder was said not
        // to exist, and bytes that are not UTF-8 became U+FFFD in a field name: as the command line reads its input files.
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("CorsPolicies.FromFile needs the path of the policy file (JSON); it was given none.", nameof(path));
        if (path.IndexOfAny([.. Path.GetInvalidPathChars()]) >= 0) throw new ArgumentException($"The policy file path '{path}' holds a character no path may hold (a NUL byte?).", nameof(path));
        var found = Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : Path.Combine(AppContext.BaseDirectory, path);
        if (Directory.Exists(found)) throw new FileNotFoundException($"The policy file '{path}' is a folder ({found}), not a file.", found);
        if (!File.Exists(found)) throw new FileNotFoundException($"The policy file '{path}' does not exist (looked for {Path.GetFullPath(path)} and {found}).", found);
        return PolicyReader.Read(Harness.InputText.Read(found), found);
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
        ArgumentNullException.ThrowIfNull(origins, "origins (the origins your front end uses, e.g. [\"https://app.example.com\"])");
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
