using System.Text.RegularExpressions;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>The runner page's script (fixtures/pages/matrix.js) as the tests read it: its lookup tables, word → value.</summary>
internal static partial class MatrixScript
{
    public static string Text => File.ReadAllText(Path.Join(AppContext.BaseDirectory, "fixtures", "pages", "matrix.js"));

    [GeneratedRegex(@"^\s*(?:""(?<word>[^""]+)""|(?<word>[A-Za-z_][\w-]*))\s*:\s*(?<value>.+?)\s*,?\s*$", RegexOptions.Multiline)]
    private static partial Regex TableEntry();

    /// <summary>The entries of <c>const {name} = { … };</c>, one a line; where the name stands more than once (the data:
    /// worker's initiators, written inside a string), the longest table, which is the page's own.</summary>
    public static Dictionary<string, string> Table(string name)
    {
        var body = Regex.Matches(Text, $@"const {Regex.Escape(name)} = \{{(?<body>[^}}]*)\}};").Select(m => m.Groups["body"].Value).OrderByDescending(b => b.Length).First();
        return TableEntry().Matches(body).ToDictionary(m => m.Groups["word"].Value, m => m.Groups["value"].Value);
    }
}
