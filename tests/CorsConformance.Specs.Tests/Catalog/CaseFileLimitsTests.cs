using System.Diagnostics;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary>Case files that hold nothing, or far too much (issue 15, items 12 and 13).</summary>
public sealed class CaseFileLimitsTests
{
    private const string File = "mine.yaml";

    private static CaseFileException Refused(string yaml) =>
        Assert.Throws<CaseFileException>(() => CaseFileReader.Read(yaml, File))!;

    /// <summary>A 500-byte template of 8 variables of 10 values each: 10⁸ cases, which used to run until killed.</summary>
    private static string Huge(int variables, int values) =>
        "templates:\n  - id: huge/" + string.Join("/", Enumerable.Range(0, variables).Select(v => $"{{v{v}}}")) + "\n"
        + "    anchor: concept-cors-check\n    description: d\n    matrix:\n"
        + string.Concat(Enumerable.Range(0, variables).Select(v => $"      v{v}: [{string.Join(", ", Enumerable.Range(0, values))}]\n"));

    [Test]
    public void A_template_whose_expansion_exceeds_the_cap_is_refused_at_once_naming_it_and_its_size()
    {
        var clock = Stopwatch.StartNew();
        var e = Refused(Huge(8, 10));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(e.CaseId, Is.EqualTo("huge/{v0}/{v1}/{v2}/{v3}/{v4}/{v5}/{v6}/{v7}"));
            Assert.That(e.Field, Is.EqualTo("matrix"));
            Assert.That(e.Message, Does.Contain("100,000,000 cases (v0 10 × v1 10 × ").And.Contain($"{CaseFileReader.MaxCasesPerFile:N0}"));
        }
    }

    [Test]
    public void The_cap_counts_the_whole_file_not_each_template_alone()
    {
        // 2 × 8,100: each template fits under the cap, the two together do not.
        var template = Huge(2, 90);
        var second = template.Replace("templates:\n", "").Replace("huge/", "more/");
        var e = Refused(template + second);
        Assert.That(e.CaseId, Does.StartWith("more/"));
        Assert.That(e.Message, Does.Contain("8,100 already before this template"));
        Assert.That(CaseFileReader.Read(template, File), Has.Count.EqualTo(8_100));
    }

    [TestCase("", TestName = "an empty file")]
    [TestCase("# only a comment\n", TestName = "a file of comments")]
    [TestCase("cases: []\n", TestName = "an empty list of cases")]
    [TestCase("cases: []\ntemplates: []\n", TestName = "empty lists of cases and templates")]
    public void A_file_without_a_case_is_refused(string yaml)
    {
        var e = Refused(yaml);
        Assert.That(e.Message, Does.StartWith(File).And.Contain("holds no case"));
    }

    private const string Case = "cases:\n  - id: mine/one\n    anchor: concept-cors-check\n    description: d\n";

    /// <summary>100,000 nested `[`: YamlDotNet builds its tree recursively, so this overflowed the stack and killed the
    /// process (exit 134, no catch can stop it) before the reader saw a field.</summary>
    [Test]
    public void Nesting_past_the_limit_is_refused_before_the_tree_is_built_not_a_stack_overflow()
    {
        var e = Refused(Case + "    description: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        Assert.That(e.Message, Does.StartWith(File).And.Contain($"deeper than {YamlLimits.MaxDepth} levels (line 5, column "));
    }

    /// <summary>A "billion laughs": nine lines whose aliases expand to 10⁹ values, which the template walk ran until killed.</summary>
    [Test]
    public void Aliases_that_expand_past_the_limit_are_refused_at_once()
    {
        var laughs = "    z0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"    z{i}: &x{i} [{string.Join(", ", Enumerable.Repeat($"*x{i - 1}", 10))}]\n"));
        var clock = Stopwatch.StartNew();
        var e = Refused("templates:\n  - id: mine/{v}\n    anchor: concept-cors-check\n    description: d\n    matrix: { v: [a, b] }\n" + laughs);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(e.Message, Does.StartWith(File).And.Contain($"more than {YamlLimits.MaxNodes:N0} nodes through its aliases"));
    }

    [Test]
    public void A_chain_of_aliases_is_as_deep_as_it_expands()
    {
        var chain = "    z0: &x0 a\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"    z{i}: &x{i} [*x{i - 1}]\n"));
        Assert.That(Refused(Case + chain).Message, Does.Contain("levels (aliases expanded)"));
    }

    /// <summary>A second document (`---`) used to be dropped without a word: its cases never ran.</summary>
    [Test]
    public void A_second_document_is_refused_not_ignored()
    {
        var one = Case + "    request: { method: GET }\n";
        var e = Refused(one + "---\n" + one.Replace("mine/one", "mine/two"));
        Assert.That(e.Message, Does.StartWith(File).And.Contain("more than one YAML document").And.Contain("(line 6, column 1)"));
    }

    /// <summary>A tag was dropped without a word: `!!binary aGVsbG8=` was read as the text "aGVsbG8=", `!custom 204` as 204,
    /// `!!int` on an id as the id; the file meant what its reader did not. Each is refused at its line.</summary>
    [TestCase("    description: !!binary aGVsbG8=\n", "!!binary", "(line 4, column 18)")]
    [TestCase("    description: !!timestamp 2001-12-14\n", "!!timestamp", "(line 4, column 18)")]
    [TestCase("    request: !custom { method: PUT }\n", "!custom", "(line 5, column 14)")]
    [TestCase("    request: { method: !!str PUT }\n", "!!str", "(line 5, column 24)")]
    public void A_YAML_tag_is_refused_not_ignored(string line, string tag, string where)
    {
        var yaml = Case.Replace("    description: d\n", "", StringComparison.Ordinal) + line;
        if (!line.StartsWith("    description", StringComparison.Ordinal)) yaml = Case + line;
        var e = Refused(yaml);
        Assert.That(e.Message, Does.StartWith(File).And.Contain($"holds the YAML tag '{tag}'").And.Contain(where));
    }

    /// <summary>YamlDotNet read a NUL as nothing: `X-A\0: b` was the header X-A and `headers\0:` the field headers, so a
    /// file with a NUL byte ran as another file (found by the fuzz campaign, a NUL inserted into simple.yaml and
    /// redirects.yaml: exit 0, the same expectations). YAML allows no control character but tab and line breaks in a file,
    /// nor a lone surrogate; each is refused at its line and column.</summary>
    [TestCase("    request: { headers: { X-A{c}: b } }\n", 0x00, "(line 5, column 30)")]
    [TestCase("    request:\n      method: PUT{c}\n", 0x00, "(line 6, column 18)")]
    [TestCase("    request: { headers: { X-A: \"b{c}c\" } }\n", 0x01, "(line 5, column 34)")]
    [TestCase("    request: { headers: { X-A: b{c} } }\n", 0x7F, "(line 5, column 33)")]
    [TestCase("    request: { headers: { X-A: \"b{c}c\" } }\n", 0x9B, "(line 5, column 34)")]
    [TestCase("    request: { headers: { X-A: \"b{c}\" } }\n", 0xD800, "(line 5, column 34)")]
    public void A_character_YAML_does_not_allow_is_refused_not_dropped(string line, int character, string where)
    {
        // The character is put in here: an attribute's string cannot carry a lone surrogate (its metadata is UTF-8), and
        // a test name holding a control character is not selected by --filter.
        var e = Refused(Case + line.Replace("{c}", ((char)character).ToString(), StringComparison.Ordinal));
        Assert.That(e.Message, Does.StartWith(File).And.Contain($"(U+{character:X4}), which a YAML file may not hold").And.Contain(where));
    }

    [Test]
    public void Tabs_line_breaks_and_escaped_controls_are_still_read()
    {
        var cases = CaseFileReader.Read(Case.Replace("\n", "\r\n") + "    request: { headers: { X-A: \"b\\u0001\tc\" } }\r\n", File);
        Assert.That(cases.Single().Request.Headers.Single().Value, Is.EqualTo("b\u0001\tc"));
    }

    /// <summary>Each case is a copy of the template's body: 15,000 header lines under a 100 × 100 matrix were 1.5 × 10⁸
    /// values to build, which ran for minutes; the size of the copies is refused like the number of cases.</summary>
    [Test]
    public void A_template_whose_copies_hold_too_many_values_is_refused_at_once()
    {
        var values = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"v{i}"));
        var yaml = "templates:\n  - id: mine/{a}/{b}\n    anchor: concept-cors-check\n    description: d\n"
            + $"    matrix: {{ a: [{values}], b: [{values}] }}\n    server:\n      actual: {{ headers: {{ X: [{string.Join(", ", Enumerable.Repeat("\"{a}\"", 15_000))}] }} }}\n";
        var clock = Stopwatch.StartNew();
        var e = Refused(yaml);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(e.Field, Is.EqualTo("matrix"));
        Assert.That(e.Message, Does.Contain($"10,000 cases of 15,0").And.Contain($"{CaseFileReader.MaxTemplateValues:N0} values a template may expand to"));
    }

    /// <summary>The catalog is read by the same reader: it keeps every limit.</summary>
    [Test]
    public void The_catalog_keeps_the_limits() => Assert.That(CaseCatalog.All, Is.Not.Empty);
}
