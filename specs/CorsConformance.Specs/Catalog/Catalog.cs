using System.Reflection;
using CorsConformance.Specs.Model;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Specs.Catalog;

/// <summary>
/// The case catalog: every case file under specs/catalog/cases, embedded in this assembly, plus the closed vocabulary of
/// Fetch Standard anchors a case may name (specs/catalog/anchors.yaml).
/// </summary>
public static class CaseCatalog
{
    private const string CasesPrefix = "catalog/cases/";
    private static readonly Lazy<IReadOnlyList<CorsCase>> LazyCases = new(Load);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> LazyAnchors = new(LoadAnchors);

    /// <summary>Every case, in file order then case order.</summary>
    public static IReadOnlyList<CorsCase> All => LazyCases.Value;

    /// <summary>The anchors a case may name, each with the title of the Fetch Standard concept it points at.</summary>
    public static IReadOnlyDictionary<string, string> Anchors => LazyAnchors.Value;

    /// <summary>The embedded case files by name, for lints that look at the files themselves.</summary>
    public static IEnumerable<(string Name, string Text)> Files()
    {
        var assembly = typeof(CaseCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(CasesPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return (name["catalog/".Length..], ReadResource(assembly, name));
        }
    }

    private static IReadOnlyList<CorsCase> Load() =>
        Files().SelectMany(f => CaseFileReader.Read(f.Text, f.Name)).ToList();

    private static IReadOnlyDictionary<string, string> LoadAnchors()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ReadResource(typeof(CaseCatalog).Assembly, "catalog/anchors.yaml")));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return root.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "");
    }

    /// <summary>An embedded file of specs/catalog by its resource name (<c>catalog/anchors.yaml</c>).</summary>
    internal static string Resource(string name) => ReadResource(typeof(CaseCatalog).Assembly, name);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
