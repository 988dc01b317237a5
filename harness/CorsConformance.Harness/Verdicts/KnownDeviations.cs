using CorsConformance.Harness.Browsers;
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

    /// <summary>The file the entries came from, as its reader named it: where a judgement tells the user to edit (a run
    /// with <c>--deviations mine.yaml</c> was told to edit the shipped known-deviations.yaml).</summary>
    public string FileName { get; init; } = DefaultFileName;

    public static KnownDeviations Empty { get; } = new([]);

    /// <summary>The deviations file shipped beside the harness (fixtures/deviations/known-deviations.yaml in the output),
    /// checked against the catalog: every entry must name one of its cases.</summary>
    public static KnownDeviations LoadDefault() =>
        Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "deviations", DefaultFileName)),
            "fixtures/deviations/" + DefaultFileName, Specs.Catalog.CaseCatalog.All.Select(c => c.Id));

    /// <param name="caseIds">The cases the entries must name (null: not checked).</param>
    public static KnownDeviations Load(string path, IEnumerable<string>? caseIds = null) =>
        Parse(InputText.Read(path), path, caseIds);

    /// <summary>Reads and checks a deviations file as strictly as a case file: a YAML error, an unknown engine or field,
    /// a missing field or (given <paramref name="caseIds"/>) an entry that names no case is an
    /// <see cref="InputFileException"/> naming the file, the entry, the field and the line.</summary>
    public static KnownDeviations Parse(string text, string fileName, IEnumerable<string>? caseIds = null)
    {
        // Before the tree is built: a nesting that would overflow the stack, an alias bomb, a second document.
        if (Specs.Catalog.YamlLimits.Check(text) is { } limit)
        {
            throw new InputFileException($"{fileName}: line {limit.At.Line}, column {limit.At.Column}: {limit.Problem}");
        }
        var stream = new YamlStream();
        var scanner = new YamlDotNet.Core.Scanner(new StringReader(text));
        try
        {
            stream.Load(new YamlDotNet.Core.Parser(scanner));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InputFileException($"{fileName}: line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up this way on some broken flow collections; where it stopped is the place.
            throw new InputFileException($"{fileName}: line {scanner.CurrentPosition.Line}, column {scanner.CurrentPosition.Column}: not valid YAML (an unclosed [ ], {{ }} or quote?)", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return Empty;
        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw new InputFileException($"{fileName}: line {stream.Documents[0].RootNode.Start.Line}: the file must be a list of deviations");
        }
        var ids = caseIds?.ToList();
        var entries = new List<KnownDeviation>();
        foreach (var (node, index) in list.Children.Select((n, i) => (n, i + 1)))
        {
            if (node is not YamlMappingNode map) throw new InputFileException($"{fileName}: entry {index} (line {node.Start.Line}): each deviation must be a mapping");
            string Where(string key, YamlNode at) => $"{fileName}: entry {index} (line {at.Start.Line}), field '{key}'";
            var known = new[] { "engine", "case", "fields", "reason", "link" };
            foreach (var key in map.Children.Keys.Where(k => k is not YamlScalarNode { Value: var name } || !known.Contains(name)))
            {
                // A list or a mapping as a key (`? [a]`) used to pass unseen: only text keys were checked.
                throw new InputFileException($"{Where((key as YamlScalarNode)?.Value ?? "(a list or mapping as a key)", key)}: not a deviation field ({string.Join(", ", known)})");
            }
            string Field(string key) =>
                // White space alone is no text: reason: " " passed as the reason for a deviation (found by the fuzz campaign).
                // Nor is YAML's null written plain: `reason: ~` passed as the reason "~" (found by the mutation sweep).
                map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { } s } scalar && !string.IsNullOrWhiteSpace(s)
                    && !(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && s is "~" or "null" or "Null" or "NULL") ? s
                : throw new InputFileException($"{Where(key, v ?? map)}: required (a non-empty text)");
            var engine = Field("engine");
            if (!Engines.All.Any(e => e.Id() == engine))
            {
                throw new InputFileException($"{Where("engine", map.Children[new YamlScalarNode("engine")])}: '{engine}' is not an engine ({string.Join(", ", Engines.All.Select(e => e.Id()))})");
            }
            var fieldsNode = map.Children.TryGetValue(new YamlScalarNode("fields"), out var f) ? f : null;
            var fields = fieldsNode is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode)
                ? seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList()
                : throw new InputFileException($"{Where("fields", fieldsNode ?? map)}: must list the differing fields");
            // No field, or one twice, is an entry that can never match: Judge compares the differing fields with the list.
            if (fields.Count == 0) throw new InputFileException($"{Where("fields", fieldsNode!)}: must list at least one differing field");
            if (fields.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new InputFileException($"{Where("fields", fieldsNode!)}: '{twice.Key}' is listed twice");
            }
            var unknown = fields.FirstOrDefault(x => !Verdict.Fields.Contains(x));
            if (unknown is not null)
            {
                throw new InputFileException($"{Where("fields", fieldsNode!)}: '{unknown}' is not a verdict field ({string.Join(", ", Verdict.Fields)})");
            }
            var entry = new KnownDeviation(engine, Field("case"), fields, Field("reason"), Field("link"));
            if (!Uri.TryCreate(entry.Link, UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https"))
            {
                throw new InputFileException($"{Where("link", map.Children[new YamlScalarNode("link")])}: '{entry.Link}' is not an http(s) URL (the bug or the spec issue)");
            }
            // `*` (or `pre*`) was taken as a prefix of every case (or of three categories): one entry listed the engine's
            // every outcome difference as known, across the catalog. A prefix names at least its category and a `/`.
            if (entry.Case.EndsWith('*') && !entry.Case[..^1].Contains('/'))
            {
                throw new InputFileException($"{Where("case", map.Children[new YamlScalarNode("case")])}: '{entry.Case}' is a prefix of more than one category; "
                    + "a prefix ending in * starts with a category and a / (`null-origin/credentialed*`)");
            }
            // The same engine and case twice: Find took the first, and the second entry's fields and reason were never read.
            if (entries.FindIndex(e => e.Engine == entry.Engine && e.Case == entry.Case) is var first and >= 0)
            {
                throw new InputFileException($"{Where("case", map.Children[new YamlScalarNode("case")])}: '{entry.Case}' in {engine} is listed already, by entry {first + 1}");
            }
            if (ids is not null && !ids.Any(id => entry.Covers(engine, id)))
            {
                throw new InputFileException($"{Where("case", map.Children[new YamlScalarNode("case")])}: '{entry.Case}' names no case of the catalog");
            }
            entries.Add(entry);
        }
        return new KnownDeviations(entries) { FileName = fileName };
    }

    public KnownDeviation? Find(string engine, string caseId) =>
        _only is not null && !_only.Contains(caseId) ? null : Entries.FirstOrDefault(e => e.Covers(engine, caseId));

    /// <summary>The cases the entries may apply to; null: every case they name.</summary>
    private IReadOnlySet<string>? _only;

    /// <summary>These entries, applied only to <paramref name="caseIds"/>: the catalog's deviations judge a case of a user's
    /// file only where it is the catalog's case itself, never another case that happens to reuse its id.</summary>
    public KnownDeviations OnlyFor(IEnumerable<string> caseIds) => new(Entries) { _only = caseIds.ToHashSet(StringComparer.Ordinal), FileName = FileName };

    /// <summary>The ids of <paramref name="cases"/> that are the catalog's own cases: same id, same origins, request, answers
    /// and observations (the file they were read from, the description and the anchor aside).</summary>
    public static IEnumerable<string> CatalogCasesAmong(IEnumerable<Specs.Model.CorsCase> cases)
    {
        static string Shape(Specs.Model.CorsCase c) => System.Text.Json.JsonSerializer.Serialize(new { c.Origins, c.Request, c.Server, c.ObservesPreflightHeaders });
        var catalog = Specs.Catalog.CaseCatalog.All.ToDictionary(c => c.Id, Shape, StringComparer.Ordinal);
        return cases.Where(c => catalog.TryGetValue(c.Id, out var shape) && shape == Shape(c)).Select(c => c.Id);
    }

    /// <summary>What the run could not check of this list: per engine listed that did not run (not asked for, or skipped), how
    /// many of its entries, as one line each ("3 entries of mine.yaml for firefox not checked: firefox did not run"). A
    /// vendor's own list with entries for an engine it did not run said nothing of them (2026-12-07), as if they held.</summary>
    public IReadOnlyList<string> NotChecked(IEnumerable<string> ranEngines)
    {
        var ran = ranEngines.ToHashSet(StringComparer.Ordinal);
        return [.. Entries.Where(e => !ran.Contains(e.Engine) && (_only is null || _only.Any(id => e.Covers(e.Engine, id))))
            .GroupBy(e => e.Engine).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {(g.Count() == 1 ? "entry" : "entries")} of {FileName} for {g.Key} not checked: {g.Key} did not run")];
    }

    /// <summary>
    /// Judges an engine's differences from the standard for a case. Unlisted differences fail; a listed deviation must still
    /// deviate in exactly its listed fields. An engine that no longer deviates conforms — the browser is right, the list is
    /// stale (<see cref="Judgement.ListedButConforms"/>: `run` and `report` say to remove the entry, and the suite's own matrix
    /// tests fail on it, so its list stays true). It had been judged a failure, so a browser fixing a listed bug made a
    /// nightly report count a new failure and `--fail-on-regression` exit 3.
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
            return new Judgement(JudgementKind.Conforms, [], listed,
                $"conforms to the Fetch Standard, though listed as a known deviation ({listed.Reason}): remove its entry from {FileName}");
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

    /// <summary>The engine conforms, and a known deviation still lists the case: the list, not the browser, is out of date.</summary>
    public bool ListedButConforms => Kind == JudgementKind.Conforms && Deviation is not null;
}
