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
}
