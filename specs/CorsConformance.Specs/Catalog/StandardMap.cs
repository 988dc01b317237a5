using System.Reflection;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Specs.Catalog;

/// <summary>One numbered step of a CORS-related algorithm of the Fetch Standard, as specs/catalog/standard-map.yaml lists it.</summary>
/// <param name="Anchor">The algorithm's anchor (https://fetch.spec.whatwg.org/#anchor).</param>
/// <param name="Title">The algorithm's name: "CORS-preflight fetch".</param>
/// <param name="Step">The step as fetch.bs numbers it ("7.3"), a branch named after its condition ("12.no-cors.2"), or
/// <c>def</c> for a definition without steps.</param>
/// <param name="Quote">The standard's words, shortened.</param>
/// <param name="Oracle">The oracle methods that apply the step (<c>Type.Method</c>, a nested type as <c>Oracle.Run.Method</c>).</param>
/// <param name="Exemption">Why no case can exercise the step; null for a step the catalog must exercise.</param>
public sealed record StandardStep(string Anchor, string Title, string Step, string Quote, IReadOnlyList<string> Oracle, string? Exemption)
{
    /// <summary>The step's id: <c>anchor/step</c>, as the oracle's trace names it.</summary>
    public string Id => StepTrace.StepId(Anchor, Step);

    public string Url => FetchSpec.Url(Anchor);

    /// <summary>"CORS-preflight fetch, step 7.3"; a definition is its title alone.</summary>
    public string Name => Step == "def" ? Title : $"{Title}, step {Step}";
}

/// <summary>
/// The map of the standard (specs/catalog/standard-map.yaml, embedded): every numbered step of fetch.bs's CORS-related
/// algorithms with the oracle method that implements it. Which cases exercise a step is read from the oracle's trace of
/// each case (<see cref="StandardCoverage"/>), never kept by hand.
/// </summary>
public static class StandardMap
{
    public const string FileName = "standard-map.yaml";

    private static readonly Lazy<IReadOnlyList<StandardStep>> LazySteps = new(() => Read(CaseCatalog.Resource("catalog/" + FileName), FileName));

    private static readonly Lazy<SpecRevision> LazyRevision = new(() => ReadRevision(CaseCatalog.Resource("catalog/" + FileName), FileName));

    /// <summary>Every step of the catalog's map, in the map's order.</summary>
    public static IReadOnlyList<StandardStep> Steps => LazySteps.Value;

    /// <summary>The copy of fetch.bs the map's step numbers and quotes were checked against.</summary>
    public static SpecRevision Revision => LazyRevision.Value;

    /// <summary>Reads the map's <c>checked-against</c> record: the repository and commit of the fetch.bs its steps were
    /// checked against, and notes on where that copy's numbering is not the map's.</summary>
    /// <exception cref="StandardMapException">The record is missing or malformed: the file and the field named.</exception>
    public static SpecRevision ReadRevision(string text, string fileName)
    {
        var stream = Load(text, fileName);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("checked-against"), out var node) || node is not YamlMappingNode record)
        {
            throw new StandardMapException(fileName, null, "checked-against", "is required: the repo, commit and date of the fetch.bs the steps were checked against");
        }
        OnlyKeys(fileName, "checked-against", record, "repo", "commit", "date", "notes");
        var repo = Scalar(fileName, "checked-against", record, "repo");
        if (repo is null || repo.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            throw new StandardMapException(fileName, "checked-against", "repo", "is required: owner/name of the repository whose fetch.bs was read");
        }
        var commit = Scalar(fileName, "checked-against", record, "commit");
        if (commit is not { Length: 40 } || !commit.All(char.IsAsciiHexDigitLower))
        {
            throw new StandardMapException(fileName, "checked-against", "commit", "is required: the 40-hex-digit commit (lower case) of the fetch.bs that was read");
        }
        var date = Scalar(fileName, "checked-against", record, "date") ?? throw new StandardMapException(fileName, "checked-against", "date", "is required: when the steps were checked (YYYY-MM-DD)");
        var notes = record.Children.TryGetValue(new YamlScalarNode("notes"), out var notesNode)
            ? notesNode is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 })
                ? list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
                : throw new StandardMapException(fileName, "checked-against", "notes", $"must be a list of sentences (line {notesNode.Start.Line})")
            : [];
        return new SpecRevision(repo, commit, date, notes);
    }

    /// <exception cref="StandardMapException">The text is not YAML: the file, line and column named.</exception>
    private static YamlStream Load(string text, string fileName)
    {
        // As a case file is: a nesting 100,000 deep overflowed the stack (a crash no catch turns into an error), and a
        // second document was ignored.
        if (YamlLimits.Check(text) is { } limit)
        {
            throw new StandardMapException(fileName, null, null, $"{limit.Problem} (line {limit.At.Line}, column {limit.At.Column})");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new StandardMapException(fileName, null, null, $"is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        return stream;
    }

    /// <exception cref="StandardMapException">The text is not a map of this format: the file, the step and the field named.</exception>
    public static IReadOnlyList<StandardStep> Read(string text, string fileName)
    {
        var stream = Load(text, fileName);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("algorithms"), out var algorithmsNode) || algorithmsNode is not YamlSequenceNode algorithms)
        {
            throw new StandardMapException(fileName, null, "algorithms", "is required: a list of algorithms, each with anchor, title and steps");
        }
        OnlyKeys(fileName, "(top level)", root, "checked-against", "algorithms");
        var steps = new List<StandardStep>();
        var index = 0;
        foreach (var node in algorithms.Children)
        {
            var where = $"algorithms[{index++}]";
            if (node is not YamlMappingNode algorithm) throw new StandardMapException(fileName, where, null, "must be a mapping with anchor, title and steps");
            OnlyKeys(fileName, where, algorithm, "anchor", "title", "oracle", "steps");
            var anchor = Scalar(fileName, where, algorithm, "anchor") ?? throw new StandardMapException(fileName, where, "anchor", "is required");
            where = anchor;
            var title = Scalar(fileName, where, algorithm, "title") ?? throw new StandardMapException(fileName, where, "title", "is required");
            var defaultOracle = Methods(fileName, where, algorithm);
            if (!algorithm.Children.TryGetValue(new YamlScalarNode("steps"), out var stepsNode) || stepsNode is not YamlSequenceNode { Children.Count: > 0 } stepList)
            {
                throw new StandardMapException(fileName, where, "steps", "is required: a list of at least one step");
            }
            foreach (var stepNode in stepList.Children)
            {
                if (stepNode is not YamlMappingNode step) throw new StandardMapException(fileName, where, "steps", "must hold mappings with step and quote");
                var number = Scalar(fileName, where, step, "step") ?? throw new StandardMapException(fileName, where, "steps[].step", $"is required (line {step.Start.Line})");
                var id = StepTrace.StepId(anchor, number);
                OnlyKeys(fileName, id, step, "step", "quote", "oracle", "exempt");
                var quote = Scalar(fileName, id, step, "quote") ?? throw new StandardMapException(fileName, id, "quote", "is required: the standard's words for the step");
                var exemption = Scalar(fileName, id, step, "exempt");
                if (exemption is { Length: 0 }) throw new StandardMapException(fileName, id, "exempt", "must give the reason no case can exercise the step");
                var oracle = Methods(fileName, id, step) is { Count: > 0 } own ? own : defaultOracle;
                if (oracle.Count == 0 && exemption is null) throw new StandardMapException(fileName, id, "oracle", "is required: the oracle method that implements the step (or `exempt` with the reason)");
                steps.Add(new StandardStep(anchor, title, number, quote, oracle, exemption));
            }
        }
        var duplicate = steps.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new StandardMapException(fileName, duplicate.Key, "step", "is listed more than once");
        return steps;
    }

    /// <summary>Whether <paramref name="name"/> (<c>Type.Method</c>, a nested type as <c>Outer.Inner.Method</c>) is a method of
    /// the oracle's assembly.</summary>
    public static bool MethodExists(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0) return false;
        var typePath = name[..dot].Replace('.', '+');
        var method = name[(dot + 1)..];
        return typeof(Oracle).Assembly.GetTypes()
            .Where(t => t.FullName is { } full && (full == typePath || full.EndsWith("." + typePath, StringComparison.Ordinal)))
            .Any(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.Name == method));
    }

    /// <summary>What the oracle's trace records for a <c>Type.Method</c> name: the outermost type (the source file it is in)
    /// and the method — <c>Oracle.Run.Preflight</c> is <c>Oracle.Preflight</c>.</summary>
    public static string TraceName(string name) => name.Split('.')[0] + "." + name[(name.LastIndexOf('.') + 1)..];

    private static void OnlyKeys(string file, string where, YamlMappingNode node, params string[] allowed)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name)) throw new StandardMapException(file, where, name, $"is not a known field (line {key.Start.Line}); expected one of: {string.Join(", ", allowed)}");
        }
    }

    private static string? Scalar(string file, string where, YamlMappingNode node, string field)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(field), out var value)) return null;
        if (value is not YamlScalarNode scalar) throw new StandardMapException(file, where, field, $"must be a string (line {value.Start.Line})");
        return scalar.Value;
    }

    private static IReadOnlyList<string> Methods(string file, string where, YamlMappingNode node)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode("oracle"), out var value)) return [];
        return value switch
        {
            YamlScalarNode { Value: { Length: > 0 } one } => [one],
            YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }) => list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
            _ => throw new StandardMapException(file, where, "oracle", $"must be a method name (Type.Method) or a list of them (line {value.Start.Line})"),
        };
    }
}

/// <summary>The copy of fetch.bs a map was checked against.</summary>
/// <param name="Repo">owner/name of the repository (a fork of whatwg/fetch when its stored copy is newer).</param>
/// <param name="Commit">The commit whose fetch.bs was read.</param>
/// <param name="Date">When the steps were checked.</param>
/// <param name="Notes">Where that copy's numbering differs from the map's, and why.</param>
public sealed record SpecRevision(string Repo, string Commit, string Date, IReadOnlyList<string> Notes)
{
    public string Url => $"https://github.com/{Repo}/blob/{Commit}/fetch.bs";
}

/// <summary>The map of the standard with the catalog laid over it: each step with the cases whose oracle evaluation took it.</summary>
/// <param name="Steps">Every step of the map, in the map's order, with its cases.</param>
/// <param name="Unmapped">Steps the oracle took that the map does not list: (step id, a case that took it, the method).</param>
public sealed record StandardCoverage(IReadOnlyList<StepCoverage> Steps, IReadOnlyList<(string StepId, string CaseId, string Method)> Unmapped)
{
    /// <summary>The steps one expectation went through, in every behaviour it allows (a step of any allowed path counts).</summary>
    public static IReadOnlyList<string> StepsOf(Expectation expected) =>
        expected.Allowed.SelectMany(e => e.Trace).Select(t => t.Id).Distinct().ToList();

    /// <summary>Lays <paramref name="cases"/> over <paramref name="map"/> through the oracle's trace of each case.</summary>
    public static StandardCoverage Of(IReadOnlyList<StandardStep> map, IEnumerable<CorsCase> cases)
    {
        var byStep = map.ToDictionary(s => s.Id, _ => (Cases: new List<string>(), Methods: new HashSet<string>()));
        var unmapped = new List<(string, string, string)>();
        foreach (var @case in cases)
        {
            var traced = Oracle.Expect(@case).Allowed.SelectMany(e => e.Trace).Distinct();
            foreach (var step in traced)
            {
                if (byStep.TryGetValue(step.Id, out var entry))
                {
                    if (entry.Cases.LastOrDefault() != @case.Id) entry.Cases.Add(@case.Id);
                    entry.Methods.Add(step.Method);
                }
                else if (!unmapped.Any(u => u.Item1 == step.Id))
                {
                    unmapped.Add((step.Id, @case.Id, step.Method));
                }
            }
        }
        return new StandardCoverage(map.Select(s => new StepCoverage(s, byStep[s.Id].Cases, byStep[s.Id].Methods.Order(StringComparer.Ordinal).ToList())).ToList(), unmapped);
    }

    /// <summary>What the catalog lint holds the map to, each problem a sentence naming the step: a step with no case and no
    /// exemption; an exemption a case has made stale; an oracle method that does not exist, or that is not the one the
    /// oracle's trace shows taking the step; an algorithm whose anchor is not in anchors.yaml; a step the oracle takes that
    /// the map does not list. Empty when the map holds.</summary>
    public IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> anchors)
    {
        var problems = new List<string>();
        foreach (var anchor in Steps.Select(s => s.Step.Anchor).Distinct().Where(a => !anchors.ContainsKey(a)))
        {
            problems.Add($"{anchor}: the algorithm's anchor is not in anchors.yaml");
        }
        foreach (var s in Steps)
        {
            var step = s.Step;
            if (s.Cases.Count == 0 && step.Exemption is null)
            {
                problems.Add($"{step.Id} ({step.Name}): no case exercises it; add one, or an `exempt` with the reason none can");
            }
            if (s.Cases.Count > 0 && step.Exemption is not null)
            {
                problems.Add($"{step.Id} ({step.Name}): exempt ('{step.Exemption}'), but {s.Cases.Count} case(s) exercise it, e.g. {s.Cases[0]}: remove the exemption");
            }
            foreach (var method in step.Oracle.Where(m => !StandardMap.MethodExists(m)))
            {
                problems.Add($"{step.Id} ({step.Name}): names the oracle method {method}, which does not exist");
            }
            var named = step.Oracle.Select(StandardMap.TraceName).ToHashSet();
            foreach (var method in s.TracedBy.Where(m => !named.Contains(m)))
            {
                problems.Add($"{step.Id} ({step.Name}): the oracle's method {method} takes it, but the map names {string.Join(", ", step.Oracle)}");
            }
        }
        foreach (var (stepId, caseId, method) in Unmapped)
        {
            problems.Add($"{stepId}: the oracle ({method}) takes this step on {caseId}, but the map does not list it");
        }
        return problems;
    }
}

/// <summary>One step of the map and the catalog cases whose evaluation took it.</summary>
/// <param name="TracedBy">The oracle methods the trace shows applying the step.</param>
public sealed record StepCoverage(StandardStep Step, IReadOnlyList<string> Cases, IReadOnlyList<string> TracedBy);

/// <summary>A map of the standard that cannot be read: the file, the step (or algorithm) and the field named.</summary>
public sealed class StandardMapException(string file, string? entry, string? field, string problem)
    : Exception($"{file}{(entry is null ? "" : $": step '{entry}'")}{(field is null ? "" : $": field '{field}'")} {problem}")
{
    public string File { get; } = file;
}
