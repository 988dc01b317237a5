using CorsConformance.Specs.Verdicts;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Harness.Verdicts;

/// <summary>
/// One listed way an engine departs from the standard: which case(s), which fields, why, and the bug or spec issue.
/// <paramref name="Case"/> is a case id, or an id prefix ending in <c>*</c>.
/// </summary>
public sealed record KnownDeviation(string Engine, string Case, IReadOnlyList<string> Fields, string Reason, string Link)
{
    public bool Covers(string engine, string caseId) =>
        Engine == engine && (Case.EndsWith('*') ? caseId.StartsWith(Case[..^1], StringComparison.Ordinal) : Case == caseId);
}

/// <summary>The known-deviations file (fixtures/deviations/known-deviations.yaml), read and checked on load.</summary>
public sealed class KnownDeviations(IReadOnlyList<KnownDeviation> entries)
{
    public const string DefaultFileName = "known-deviations.yaml";

    public IReadOnlyList<KnownDeviation> Entries { get; } = entries;

    public static KnownDeviations Empty { get; } = new([]);

    /// <summary>The deviations file shipped beside the harness (fixtures/deviations/known-deviations.yaml in the output).</summary>
    public static KnownDeviations LoadDefault() =>
        Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "deviations", DefaultFileName));

    public static KnownDeviations Load(string path) => Parse(File.ReadAllText(path), path);

    public static KnownDeviations Parse(string text, string fileName)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlSequenceNode list) return Empty;
        var entries = new List<KnownDeviation>();
        foreach (var node in list.Children)
        {
            if (node is not YamlMappingNode map) throw new FormatException($"{fileName}: line {node.Start.Line}: each deviation must be a mapping");
            string Field(string key) =>
                map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { Length: > 0 } s } ? s
                : throw new FormatException($"{fileName}: line {map.Start.Line}: field '{key}' is required");
            var fields = map.Children.TryGetValue(new YamlScalarNode("fields"), out var f) && f is YamlSequenceNode seq
                ? seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList()
                : throw new FormatException($"{fileName}: line {map.Start.Line}: field 'fields' must list the differing fields");
            var unknown = fields.FirstOrDefault(x => !Verdict.Fields.Contains(x));
            if (unknown is not null)
            {
                throw new FormatException($"{fileName}: line {map.Start.Line}: '{unknown}' is not a verdict field ({string.Join(", ", Verdict.Fields)})");
            }
            entries.Add(new KnownDeviation(Field("engine"), Field("case"), fields, Field("reason"), Field("link")));
        }
        return new KnownDeviations(entries);
    }

    public KnownDeviation? Find(string engine, string caseId) => Entries.FirstOrDefault(e => e.Covers(engine, caseId));

    /// <summary>
    /// Judges an engine's differences from the standard for a case. Unlisted differences fail; a listed deviation must still
    /// deviate in exactly its listed fields, so the list stays true (a fixed bug fails until its entry is removed).
    /// </summary>
    public Judgement Judge(string engine, string caseId, IReadOnlyList<Difference> differences)
    {
        var listed = Find(engine, caseId);
        var differing = differences.Select(d => d.Field).Order(StringComparer.Ordinal).ToList();
        if (listed is null)
        {
            return differences.Count == 0 ? Judgement.Conforms : Judgement.Fails(differences, null, "differs from the Fetch Standard");
        }
        if (differences.Count == 0)
        {
            return Judgement.Fails(differences, listed, $"is listed as a known deviation ({listed.Reason}) but now conforms: remove its entry from {DefaultFileName}");
        }
        if (!differing.SequenceEqual(listed.Fields.Order(StringComparer.Ordinal)))
        {
            return Judgement.Fails(differences, listed, $"deviates in [{string.Join(", ", differing)}], but the known deviation lists [{string.Join(", ", listed.Fields)}]");
        }
        return Judgement.Known(differences, listed);
    }
}

public enum JudgementKind
{
    Conforms,
    KnownDeviation,
    Fails,
}

/// <summary>The verdict on one case in one engine, with the evidence.</summary>
public sealed record Judgement(JudgementKind Kind, IReadOnlyList<Difference> Differences, KnownDeviation? Deviation, string Summary)
{
    public static Judgement Conforms { get; } = new(JudgementKind.Conforms, [], null, "conforms to the Fetch Standard");

    public static Judgement Known(IReadOnlyList<Difference> differences, KnownDeviation deviation) =>
        new(JudgementKind.KnownDeviation, differences, deviation, $"deviates as listed: {deviation.Reason} ({deviation.Link})");

    public static Judgement Fails(IReadOnlyList<Difference> differences, KnownDeviation? deviation, string summary) =>
        new(JudgementKind.Fails, differences, deviation, summary);

    public bool Passed => Kind != JudgementKind.Fails;
}
