using System.Text;
using System.Text.Json.Nodes;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Policies;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// A bounded, deterministic slice of the fuzz campaign's byte mutations, held as a test: each reader of an input file (case
/// file, known deviations, report.json, policy) is given its seed cut at many points and with a NUL, a byte that is not
/// UTF-8, a lone UTF-16 surrogate, a line twice or a line dropped, at fixed places. Each mutant must be read, or refused
/// with the reader's own error naming the file — never another exception (a stack trace at the command line) — each
/// reader's slice (100 mutants) runs in a second or two.
/// </summary>
public sealed class MutatedInputTests
{
    private const int Cuts = 40;
    private const int Insertions = 12;

    private static string Seed(params string[] path) =>
        File.ReadAllText(Path.Combine([RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone"), .. path]));

    /// <summary>The mutants of a text, each named for the failure message: cut at <see cref="Cuts"/> points, and at
    /// <see cref="Insertions"/> fixed places a NUL, U+FFFD (what a byte that is not UTF-8 became), a lone surrogate, a
    /// line repeated and a line dropped.</summary>
    private static IEnumerable<(string Name, string Text)> Mutants(string text)
    {
        for (var i = 0; i < Cuts; i++)
        {
            var at = text.Length * i / Cuts;
            yield return ($"cut at {at}", text[..at]);
        }
        var random = new Random(20261206);
        var lines = text.Split('\n');
        for (var i = 0; i < Insertions; i++)
        {
            var at = random.Next(text.Length);
            yield return ($"NUL at {at}", text.Insert(at, "\0"));
            yield return ($"U+FFFD at {at}", text.Insert(at, "\uFFFD"));
            yield return ($"lone surrogate at {at}", text.Insert(at, "\uD800"));
            var line = random.Next(lines.Length);
            yield return ($"line {line + 1} twice", string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))));
            yield return ($"line {line + 1} dropped", string.Join('\n', lines.Take(line).Concat(lines.Skip(line + 1))));
        }
    }

    private static void EachMutantIsReadOrRefused(string seed, string file, Action<string> read, Func<Exception, bool> refusal) =>
        EachIsReadOrRefused(Mutants(seed), file, read, refusal, moreThan: 99);

    [Test]
    public void Case_file_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("specs", "catalog", "cases", "redirects.yaml"), "mine.yaml",
            text => CaseFileReader.Read(text, "mine.yaml"), e => e is CaseFileException);

    [Test]
    public void Known_deviations_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("fixtures", "deviations", "known-deviations.yaml"), "devs.yaml",
            text => KnownDeviations.Parse(text, "devs.yaml"), e => e is InputFileException);

    [Test]
    public void Report_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("docs", "sample-report", "report.json"), "report.json",
            text => ReportFile.Parse(text, "report.json"), e => e is ReportFileException);

    [Test]
    public void Policy_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("fixtures", "login", "policy.json"), "policy.json",
            text => PolicyReader.Read(text, "policy.json"), e => e is PolicyException);

    /// <summary>The structural slice of the mutation sweep: every value of the seed (each mapping value and list item, at
    /// every depth) replaced in turn by a value of another type or a hostile one — YAML's or JSON's null, an empty text,
    /// a negative, an overflowing and a non-finite number, a list, a mapping, a NUL, a RIGHT-TO-LEFT OVERRIDE, 100,000
    /// characters. Each mutant must be read or refused by the reader's own error naming the file.</summary>
    private static readonly string[] YamlValues = ["null", "~", "\"\"", "-1", "1e400", "99999999999999999999", "[a]", "{k: v}", "\"a\\0b\"", "\"\\u202Ex\"", new('x', 100_000)];

    private static readonly string[] JsonValues = ["null", "\"\"", "-1", "1e400", "99999999999999999999", "1.5", "true", "[\"a\"]", "{\"k\":\"v\"}", "\"a\\u0000b\"", "\"\\u202Ex\"", $"\"{new string('x', 100_000)}\""];

    private static IEnumerable<(string Name, string Text)> YamlMutants(string seed)
    {
        static YamlStream Load(string text)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream;
        }
        static IEnumerable<(string Path, Action<YamlNode> Set)> Places(YamlNode node, string path) => node switch
        {
            YamlMappingNode map => map.Children.ToList().SelectMany(kv =>
                new[] { (Path: $"{path}.{kv.Key}", Set: (Action<YamlNode>)(n => map.Children[kv.Key] = n)) }.Concat(Places(kv.Value, $"{path}.{kv.Key}"))),
            YamlSequenceNode seq => seq.Children.ToList().SelectMany((child, i) =>
                new[] { (Path: $"{path}[{i}]", Set: (Action<YamlNode>)(n => seq.Children[i] = n)) }.Concat(Places(child, $"{path}[{i}]"))),
            _ => [],
        };
        var count = Places(Load(seed).Documents[0].RootNode, "").Count();
        for (var i = 0; i < count; i++)
        {
            foreach (var value in YamlValues)
            {
                var stream = Load(seed);
                var (path, set) = Places(stream.Documents[0].RootNode, "").ElementAt(i);
                set(Load($"v: {value}\n").Documents[0].RootNode is YamlMappingNode m ? m.Children[new YamlScalarNode("v")] : throw new InvalidOperationException());
                var writer = new StringWriter();
                stream.Save(writer, assignAnchors: false);
                yield return ($"{path} := {value[..Math.Min(value.Length, 20)]}", writer.ToString());
            }
        }
    }

    private static IEnumerable<(string Name, string Text)> JsonMutants(string seed, int most)
    {
        var options = new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip };
        static IEnumerable<(string Path, Action<JsonNode?> Set)> Places(JsonNode? node, string path) => node switch
        {
            JsonObject o => o.ToList().SelectMany(kv => new[] { (Path: $"{path}.{kv.Key}", Set: (Action<JsonNode?>)(n => o[kv.Key] = n)) }.Concat(Places(kv.Value, $"{path}.{kv.Key}"))),
            JsonArray a => a.ToList().SelectMany((child, i) => new[] { (Path: $"{path}[{i}]", Set: (Action<JsonNode?>)(n => a[i] = n)) }.Concat(Places(child, $"{path}[{i}]"))),
            _ => [],
        };
        var count = Places(JsonNode.Parse(seed, documentOptions: options), "").Count();
        // Every place of a small seed; of a large one, an evenly spread sample.
        foreach (var i in Enumerable.Range(0, Math.Min(count, most)).Select(k => (int)((long)k * count / Math.Min(count, most))))
        {
            foreach (var value in JsonValues)
            {
                var root = JsonNode.Parse(seed, documentOptions: options);
                var (path, set) = Places(root, "").ElementAt(i);
                set(JsonValue.Create("\u0001mark"));
                yield return ($"{path} := {value[..Math.Min(value.Length, 20)]}", root!.ToJsonString().Replace("\"\\u0001mark\"", value, StringComparison.Ordinal));
            }
        }
    }

    private static void EachIsReadOrRefused(IEnumerable<(string Name, string Text)> mutants, string file, Action<string> read, Func<Exception, bool> refusal, int moreThan = 100)
    {
        var unexpected = new List<string>();
        var count = 0;
        foreach (var (name, text) in mutants)
        {
            count++;
            try
            {
                read(text);
            }
            catch (Exception e) when (refusal(e))
            {
                if (!e.Message.Contains(file, StringComparison.Ordinal)) unexpected.Add($"{name}: the error does not name {file}: {e.Message}");
            }
            catch (Exception e)
            {
                unexpected.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.That(count, Is.GreaterThan(moreThan));
        Assert.That(unexpected, Is.Empty, $"{count} mutants");
    }

    [Test]
    public void Case_file_values_of_every_type_are_read_or_refused() =>
        EachIsReadOrRefused(YamlMutants(string.Join("\n  - ", Seed("specs", "catalog", "cases", "redirects.yaml").Split("\n  - ")[..2])), "mine.yaml",
            text => CaseFileReader.Read(text, "mine.yaml"), e => e is CaseFileException);

    [Test]
    public void Known_deviation_values_of_every_type_are_read_or_refused() =>
        EachIsReadOrRefused(YamlMutants(string.Join('\n', Seed("fixtures", "deviations", "known-deviations.yaml").Split('\n').Take(40))), "devs.yaml",
            text => KnownDeviations.Parse(text, "devs.yaml", CaseCatalog.All.Select(c => c.Id)), e => e is InputFileException);

    [Test]
    public void Policy_values_of_every_type_are_read_or_refused() =>
        EachIsReadOrRefused(JsonMutants(Seed("fixtures", "login", "policy.json"), 200), "policy.json",
            text => PolicyReader.Read(text, "policy.json"), e => e is PolicyException);

    [Test]
    public void Report_values_of_every_type_are_read_or_refused() =>
        EachIsReadOrRefused(JsonMutants(Seed("docs", "sample-report", "report.json"), 100), "report.json",
            text => ReportFile.Parse(text, "report.json"), e => e is ReportFileException);

    /// <summary>The same bytes decoded as the readers get them: a file that is not UTF-8 is refused by InputText before a
    /// reader sees it, naming the file.</summary>
    [Test]
    public void Bytes_that_are_not_UTF8_are_refused_before_any_reader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mutant-{Guid.NewGuid():N}.yaml");
        try
        {
            var seed = Encoding.UTF8.GetBytes(Seed("specs", "catalog", "cases", "simple.yaml"));
            var random = new Random(20261206);
            for (var i = 0; i < Insertions; i++)
            {
                var at = random.Next(seed.Length);
                File.WriteAllBytes(path, [.. seed[..at], 0xFF, .. seed[at..]]);
                Assert.That(() => InputText.Read(path), Throws.InstanceOf<InputFileException>().With.Message.Contains(path).And.Message.Contains("is not UTF-8"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The third round's structural slice, as bytes on disk read the way the commands read them (InputText, then the
    /// reader): each seed cut after its structural characters, re-encoded (UTF-16 and UTF-32 with and without a mark, a
    /// mark twice or in the middle, bytes no UTF-8 encoder writes), its line breaks made CR, CR LF, NEL or U+2028, and a
    /// long line; and YAML's own devices in a case file (an alias of a whole case or of an id, a merge key, a complex key, a
    /// tag, a directive, a second document, a key twice or in another case, nesting at the limit, a matrix of 10⁸ cases).
    /// Each is read, or refused by the reader's own error naming the file.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> Structural(string text, string marks)
    {
        var points = Enumerable.Range(0, text.Length).Where(i => marks.Contains(text[i])).ToList();
        for (var k = 0; k < points.Count; k += Math.Max(1, points.Count / 60)) yield return ($"cut after {points[k]}", Encoding.UTF8.GetBytes(text[..(points[k] + 1)]));
        foreach (var (name, breaks) in new[] { ("CR", "\r"), ("CR LF", "\r\n"), ("NEL", "\u0085"), ("U+2028", "\u2028") }) yield return ($"{name} breaks", Encoding.UTF8.GetBytes(text.Replace("\n", breaks)));
        yield return ("UTF-16 LE", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]);
        yield return ("UTF-16 without a mark", Encoding.Unicode.GetBytes(text));
        yield return ("UTF-16 BE", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)]);
        yield return ("UTF-32", [0xFF, 0xFE, 0, 0, .. Encoding.UTF32.GetBytes(text)]);
        yield return ("mark twice", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]);
        yield return ("mark in the middle", Encoding.UTF8.GetBytes(text.Insert(text.Length / 2, "\uFEFF")));
        yield return ("overlong /", [.. Encoding.UTF8.GetBytes(text[..10]), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes(text[10..])]);
        yield return ("UTF-8 surrogate", [.. Encoding.UTF8.GetBytes(text[..10]), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes(text[10..])]);
        yield return ("1 MB line", Encoding.UTF8.GetBytes(text + "\n" + new string(' ', 1_000_000) + "\n"));
    }

    private static readonly string[] YamlDevices =
    [
        "cases:\n  - &a {id: x/y, anchor: cors-check, description: d}\n  - *a\n",
        "cases:\n  - id: &i x/y\n    anchor: cors-check\n    description: d\n  - id: *i\n    anchor: cors-check\n    description: e\n",
        "cases:\n  - <<: {id: x/y, anchor: cors-check}\n    description: d\n",
        "cases:\n  - ? [id]\n    : x\n",
        "cases:\n  - {id: x/y, anchor: cors-check, description: d, request: {method: !!binary R0VU}}\n",
        "%YAML 1.1\n---\ncases:\n  - {id: x/y, anchor: cors-check, description: d}\n...\n",
        "cases:\n  - {id: x/y, anchor: cors-check, description: d}\n---\ncases: []\n",
        "cases:\n  - {id: x/y, anchor: cors-check, description: d, Id: z/w}\n",
        "cases: " + new string('[', 63) + new string(']', 63) + "\n",
        "cases:\n" + string.Concat(Enumerable.Range(0, 70).Select(i => new string(' ', 2 * i + 2) + "- \n")),
        "templates:\n  - id: t/{v0}\n    anchor: cors-check\n    description: d\n    matrix:\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"      v{i}: [a,b,c,d,e,f,g,h,i,j]\n")),
    ];

    private static void EachFileIsReadOrRefused(IEnumerable<(string Name, byte[] Bytes)> mutants, string extension, Action<string, string> read, Func<Exception, bool> refusal)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mutant-{Guid.NewGuid():N}.{extension}");
        var unexpected = new List<string>();
        var count = 0;
        try
        {
            foreach (var (name, bytes) in mutants)
            {
                count++;
                File.WriteAllBytes(path, bytes);
                try
                {
                    read(InputText.Read(path), path);
                }
                catch (Exception e) when (e is InputFileException || refusal(e))
                {
                    if (!e.Message.Contains(path, StringComparison.Ordinal)) unexpected.Add($"{name}: the error does not name the file: {e.Message}");
                }
                catch (Exception e)
                {
                    unexpected.Add($"{name}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        Assert.That(count, Is.GreaterThan(50));
        Assert.That(unexpected, Is.Empty, $"{count} mutants");
    }

    [Test]
    public void Structural_case_file_mutants_on_disk_are_read_or_refused() =>
        EachFileIsReadOrRefused(
            Structural(string.Join("\n  - ", Seed("specs", "catalog", "cases", "redirects.yaml").Split("\n  - ")[..3]), ":\n{}[],\"-")
                .Concat(YamlDevices.Select((y, i) => ($"YAML device {i}", Encoding.UTF8.GetBytes(y)))),
            "yaml", (text, path) => CaseFileReader.Read(text, path), e => e is CaseFileException);

    [Test]
    public void Structural_deviation_mutants_on_disk_are_read_or_refused() =>
        EachFileIsReadOrRefused(Structural(string.Join('\n', Seed("fixtures", "deviations", "known-deviations.yaml").Split('\n').Take(40)), ":\n[],\"-"),
            "yaml", (text, path) => KnownDeviations.Parse(text, path, CaseCatalog.All.Select(c => c.Id)), _ => false);

    [Test]
    public void Structural_policy_mutants_on_disk_are_read_or_refused() =>
        EachFileIsReadOrRefused(Structural(Seed("fixtures", "login", "policy.json"), ":\n{}[],\""),
            "json", (text, path) => PolicyReader.Read(text, path), e => e is PolicyException);

    [Test]
    public void Structural_report_mutants_on_disk_are_read_or_refused() =>
        EachFileIsReadOrRefused(Structural(Seed("docs", "sample-report", "report.json"), "}],:"),
            "json", (text, path) => ReportFile.Parse(text, path), e => e is ReportFileException);
}
