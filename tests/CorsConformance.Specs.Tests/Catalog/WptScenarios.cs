using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary>How one web-platform-tests scenario stands with the case format.</summary>
public enum Expressibility
{
    /// <summary>Catalog cases express it.</summary>
    Cases,
    /// <summary>The format lacks a feature (one of the file's <c>gaps</c>).</summary>
    Gap,
    /// <summary>No CORS behaviour: listed, not counted.</summary>
    OutOfScope,
}

/// <summary>One scenario of specs/catalog/wpt-scenarios.yaml: a request shape, a server behaviour and an expected outcome
/// as a web-platform-tests file exercises it.</summary>
public sealed record WptScenario(string File, string Scenario, int Tests, Expressibility Kind, IReadOnlyList<string> Cases, string? Gap, string? Reason, string? Note, int Line);

/// <summary>A feature the format lacks, with what adding it would take.</summary>
public sealed record WptGap(string Id, string Title, string Needs);

/// <summary>specs/catalog/wpt-scenarios.yaml read, and docs/expressibility.md rendered from it.</summary>
public sealed record WptScenarios(IReadOnlyList<WptGap> Gaps, IReadOnlyList<WptScenario> Scenarios)
{
    public const string DataPath = "specs/catalog/wpt-scenarios.yaml";
    public const string DocPath = "docs/expressibility.md";

    /// <exception cref="FormatException">The file is not of this format: the entry, the field and the line named.</exception>
    public static WptScenarios Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var gaps = ((YamlMappingNode)root.Children[new YamlScalarNode("gaps")]).Children
            .Select(g => new WptGap(((YamlScalarNode)g.Key).Value!, Field((YamlMappingNode)g.Value, "title")!, Field((YamlMappingNode)g.Value, "needs")!))
            .ToList();
        var scenarios = new List<WptScenario>();
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("scenarios")]).Children.Cast<YamlMappingNode>())
        {
            var line = (int)node.Start.Line;
            var known = new[] { "wpt", "scenario", "tests", "cases", "gap", "out-of-scope", "note" };
            var unknown = node.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).FirstOrDefault(k => !known.Contains(k));
            if (unknown is not null) throw new FormatException($"{DataPath} line {line}: field '{unknown}' is not one of {string.Join(", ", known)}");
            var kinds = new[] { "cases", "gap", "out-of-scope" }.Where(k => node.Children.ContainsKey(new YamlScalarNode(k))).ToList();
            if (kinds.Count != 1) throw new FormatException($"{DataPath} line {line}: a scenario has exactly one of cases, gap, out-of-scope (it has {kinds.Count})");
            var cases = node.Children.TryGetValue(new YamlScalarNode("cases"), out var list)
                ? ((YamlSequenceNode)list).Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
                : [];
            var kind = kinds[0] switch
            {
                "cases" => Expressibility.Cases,
                "gap" => Expressibility.Gap,
                "out-of-scope" => Expressibility.OutOfScope,
                var other => throw new FormatException($"{DataPath} line {line}: unknown kind {other}"),
            };
            var tests = int.Parse(Field(node, "tests") ?? throw new FormatException($"{DataPath} line {line}: field 'tests' is required"), CultureInfo.InvariantCulture);
            scenarios.Add(new WptScenario(
                Field(node, "wpt") ?? throw new FormatException($"{DataPath} line {line}: field 'wpt' is required"),
                Field(node, "scenario") ?? throw new FormatException($"{DataPath} line {line}: field 'scenario' is required"),
                tests, kind, cases, Field(node, "gap"), Field(node, "out-of-scope"), Field(node, "note"), line));
        }
        return new WptScenarios(gaps, scenarios);
    }

    private static string? Field(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var value) ? ((YamlScalarNode)value).Value : null;

    private IEnumerable<WptScenario> InScope => Scenarios.Where(s => s.Kind != Expressibility.OutOfScope);

    /// <summary>(scenarios, subtests) of a kind, in scope.</summary>
    public (int Rows, int Tests) Count(Expressibility kind) =>
        (InScope.Count(s => s.Kind == kind), InScope.Where(s => s.Kind == kind).Sum(s => s.Tests));

    public (int Rows, int Tests) InScopeCount => (InScope.Count(), InScope.Sum(s => s.Tests));

    private static string Percent(int part, int whole) => (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>docs/expressibility.md, every figure computed from the data.</summary>
    public string Render()
    {
        var md = new StringBuilder();
        var all = InScopeCount;
        var cases = Count(Expressibility.Cases);
        var gap = Count(Expressibility.Gap);
        var outOfScope = (Scenarios.Count(s => s.Kind == Expressibility.OutOfScope), Scenarios.Where(s => s.Kind == Expressibility.OutOfScope).Sum(s => s.Tests));
        var sync = InScope.Count(s => s.Note?.Contains("synchronous XMLHttpRequest", StringComparison.Ordinal) == true);
        md.Append("""
            # What web-platform-tests exercises, and what the case format can express

            Generated from [`specs/catalog/wpt-scenarios.yaml`](../specs/catalog/wpt-scenarios.yaml) by
            `tests/CorsConformance.Specs.Tests/Catalog/WptScenariosTests.cs`, which fails when this page and the data differ
            (run it with `UPDATE_EXPRESSIBILITY=1` to rewrite the page) and when a case named here is not in the catalog.

            The scenarios come from reading web-platform-tests' CORS directories as stored (`fetch/api/cors/`, `cors/`, the
            `xhr/access-control-*` tests) and the CORS-relevant parts of `fetch/api/redirect/`, `fetch/api/credentials/`,
            `fetch/api/basic/` and `fetch/api/request/`. A scenario is one request shape, server behaviour and expected outcome;
            its "tests" are the subtests of the file it stands for. No test was copied: the cases behind each scenario were
            written from the Fetch Standard's rules (most of those added for this survey are in
            [`cases/wpt-derived.yaml`](../specs/catalog/cases/wpt-derived.yaml)), and the oracle judges them as it judges every
            case, in Chromium, Firefox and WebKitGTK.

            Where a test uses the page's host at another port only as "some other origin" (its redirect chains), a same-site
            target expresses it, since the CORS rules compare origins; where the test is about that origin relation itself
            ("same domain, different port", "different protocol"), the cases send the request to the page's own host at
            another port (`origins.target: same-host`) or from an http page to an https target (`origins.target-scheme`).

            ## Figures


            """);
        md.Append("| | scenarios | % | subtests | % |\n|---|---:|---:|---:|---:|\n");
        md.Append($"| in scope | {all.Rows} | | {all.Tests} | |\n");
        md.Append($"| **expressible today** (catalog cases) | **{cases.Rows}** | **{Percent(cases.Rows, all.Rows)}** | **{cases.Tests}** | **{Percent(cases.Tests, all.Tests)}** |\n");
        md.Append($"| not expressible: a gap below | {gap.Rows} | {Percent(gap.Rows, all.Rows)} | {gap.Tests} | {Percent(gap.Tests, all.Tests)} |\n");
        md.Append($"| out of scope (no CORS step; listed at the end, not counted) | {outOfScope.Item1} | | {outOfScope.Item2} | |\n\n");
        md.Append($"{sync} of the expressible scenarios use a synchronous XMLHttpRequest in the copy read; the format's XMLHttpRequest is\n");
        md.Append("asynchronous, which changes no step of fetch, so the asynchronous case stands in.\n\n");

        md.Append("## Gaps\n\nWhat the format lacks, by the subtests it would open, with what adding it would take.\n\n");
        if (Gaps.Count == 0) md.Append("None: every scenario in scope can be written as a case.\n");
        else md.Append("| gap | scenarios | subtests | what it would need |\n|---|---:|---:|---|\n");
        foreach (var g in Gaps.Select(g => (Gap: g, Rows: InScope.Where(s => s.Gap == g.Id).ToList())).OrderByDescending(x => x.Rows.Sum(s => s.Tests)).ThenBy(x => x.Gap.Id, StringComparer.Ordinal))
        {
            md.Append($"| `{g.Gap.Id}`: {Cell(g.Gap.Title)} | {g.Rows.Count} | {g.Rows.Sum(s => s.Tests)} | {Cell(g.Gap.Needs)} |\n");
        }

        md.Append("\n## Where the copy read and the standard part ways\n\nThe oracle follows the standard; these scenarios of the copy read expect what an older text said.\n\n");
        foreach (var s in InScope.Where(s => s.Note?.Contains("the copy read expects", StringComparison.Ordinal) == true))
        {
            md.Append($"- `{s.File}`, {s.Scenario}: {s.Note}\n");
        }

        md.Append("\n## Scenario by scenario\n\n| web-platform-tests file | scenario | subtests | expressed by, or the gap |\n|---|---|---:|---|\n");
        foreach (var s in InScope)
        {
            var how = s.Kind switch
            {
                Expressibility.Cases => string.Join(", ", s.Cases.Select(c => $"`{c}`")),
                Expressibility.Gap => $"gap `{s.Gap}`",
                Expressibility.OutOfScope => throw new InvalidOperationException("out of scope is listed apart"),
                _ => throw new InvalidOperationException($"unknown kind {s.Kind}"),
            };
            var note = s.Note is null ? "" : $" — {s.Note}";
            md.Append($"| `{s.File}` | {Cell(s.Scenario)} | {s.Tests} | {Cell(how + note)} |\n");
        }

        md.Append("\n## Out of scope\n\n| web-platform-tests file | scenario | subtests | why |\n|---|---|---:|---|\n");
        foreach (var s in Scenarios.Where(s => s.Kind == Expressibility.OutOfScope))
        {
            md.Append($"| `{s.File}` | {Cell(s.Scenario)} | {s.Tests} | {Cell(s.Reason!)} |\n");
        }
        return md.ToString();
    }
}
