using CorsConformance.Specs.Catalog;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary>The expressibility survey (specs/catalog/wpt-scenarios.yaml) cannot rot: every case it names is in the
/// catalog, every gap it names is defined, and docs/expressibility.md is what the data renders.</summary>
public sealed class WptScenariosTests
{
    private static readonly Lazy<WptScenarios> Survey = new(() => WptScenarios.Read(File.ReadAllText(PathOf(WptScenarios.DataPath))));

    private static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CorsConformance.sln"))) return Path.Combine(dir.FullName, relative);
        }
        throw new InvalidOperationException("run from a clone: CorsConformance.sln not found above " + AppContext.BaseDirectory);
    }

    [Test]
    public void Every_case_a_scenario_names_is_in_the_catalog()
    {
        var ids = CaseCatalog.All.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var missing = Survey.Value.Scenarios.SelectMany(s => s.Cases.Where(c => !ids.Contains(c)).Select(c => $"{c} ({s.File}, line {s.Line})")).ToList();
        Assert.That(missing, Is.Empty, "a scenario names a case id the catalog does not have");
    }

    [Test]
    public void Every_gap_a_scenario_names_is_defined_and_every_defined_gap_is_used()
    {
        var survey = Survey.Value;
        var defined = survey.Gaps.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var used = survey.Scenarios.Where(s => s.Gap is not null).Select(s => s.Gap!).ToHashSet(StringComparer.Ordinal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(used.Except(defined), Is.Empty, "a scenario names a gap that `gaps` does not define");
            Assert.That(defined.Except(used), Is.Empty, "a gap no scenario needs");
        }
    }

    [Test]
    public void Every_scenario_counts_at_least_one_subtest_and_an_expressible_one_names_a_case()
    {
        var bad = Survey.Value.Scenarios.Where(s => s.Tests < 1 || (s.Kind == Expressibility.Cases && s.Cases.Count == 0)).Select(s => $"{s.File} line {s.Line}").ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void A_scenario_with_two_verdicts_is_refused_with_its_line()
    {
        var e = Assert.Throws<FormatException>(() => WptScenarios.Read("""
            gaps: {}
            scenarios:
              - { wpt: a.js, tests: 1, scenario: "x", cases: [simple/get/acao-star/fetch], gap: referer }
            """));
        Assert.That(e!.Message, Does.Contain("line 3: a scenario has exactly one of cases, gap, out-of-scope"));
    }

    /// <summary>The page is the data rendered. Set UPDATE_EXPRESSIBILITY=1 to rewrite it after changing the data.</summary>
    [Test]
    public void Docs_expressibility_md_is_what_the_survey_renders()
    {
        var rendered = Survey.Value.Render();
        var path = PathOf(WptScenarios.DocPath);
        if (Environment.GetEnvironmentVariable("UPDATE_EXPRESSIBILITY") == "1") File.WriteAllText(path, rendered);
        Assert.That(File.Exists(path) ? File.ReadAllText(path) : "", Is.EqualTo(rendered),
            $"{WptScenarios.DocPath} is out of date: run this test with UPDATE_EXPRESSIBILITY=1 and commit the page");
    }
}
