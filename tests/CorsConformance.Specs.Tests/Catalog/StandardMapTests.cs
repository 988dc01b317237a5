using CorsConformance.Specs.Catalog;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary>The map of the standard (specs/catalog/standard-map.yaml) against the catalog, through the oracle's trace of each
/// case: every step has a case or a reasoned exemption, and names an oracle method that exists and takes it.</summary>
public sealed class StandardMapTests
{
    private static readonly Lazy<StandardCoverage> Coverage = new(() => StandardCoverage.Of(StandardMap.Steps, CaseCatalog.All));

    private static IEnumerable<string> StepIds() => StandardMap.Steps.Select(s => s.Id);

    [Test]
    public void The_map_holds_with_the_catalog()
    {
        Assert.That(Coverage.Value.Problems(CaseCatalog.Anchors), Is.Empty);
    }

    [TestCaseSource(nameof(StepIds))]
    public void Every_step_has_a_case_or_a_reasoned_exemption(string stepId)
    {
        var step = Coverage.Value.Steps.Single(s => s.Step.Id == stepId);
        if (step.Step.Exemption is { } reason)
        {
            Assert.That(step.Cases, Is.Empty, $"{stepId} is exempt ('{reason}') but cases exercise it: the exemption is stale");
            Assert.That(reason, Has.Length.GreaterThan(20), $"{stepId}: an exemption gives its reason");
        }
        else
        {
            Assert.That(step.Cases, Is.Not.Empty, $"{stepId} ({step.Step.Name}): no catalog case exercises it and it has no exemption");
        }
    }

    [TestCaseSource(nameof(StepIds))]
    public void Every_step_names_oracle_methods_that_exist(string stepId)
    {
        var step = StandardMap.Steps.Single(s => s.Id == stepId);
        Assert.That(step.Oracle.Where(m => !StandardMap.MethodExists(m)), Is.Empty, $"{stepId}: the oracle methods it names must exist");
    }

    [Test]
    public void Every_step_the_oracle_takes_is_in_the_map()
    {
        Assert.That(Coverage.Value.Unmapped.Select(u => $"{u.StepId} ({u.Method}, on {u.CaseId})"), Is.Empty);
    }

    [Test]
    public void The_oracle_method_a_step_names_is_the_one_that_takes_it()
    {
        var wrong = Coverage.Value.Steps
            .SelectMany(s => s.TracedBy.Where(m => !s.Step.Oracle.Select(StandardMap.TraceName).Contains(m)).Select(m => $"{s.Step.Id}: taken by {m}, map says {string.Join(", ", s.Step.Oracle)}"))
            .ToList();
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void A_missing_method_is_a_problem_named_with_its_step()
    {
        var map = StandardMap.Read("""
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                steps:
                  - { step: "2", quote: "If origin is null, then return failure.", oracle: Oracle.NoSuchCheck }
            """, "test-map.yaml");
        var problems = StandardCoverage.Of(map, CaseCatalog.All.Take(5)).Problems(CaseCatalog.Anchors);
        Assert.That(problems, Has.Some.Contains("concept-cors-check/2").And.Contains("Oracle.NoSuchCheck, which does not exist"));
    }

    [Test]
    public void A_method_of_the_same_name_in_another_type_is_not_the_one_that_takes_the_step()
    {
        var map = StandardMap.Read("""
            algorithms:
              - anchor: cors-safelisted-request-header
                title: CORS-safelisted request-header
                steps:
                  - { step: "3", quote: "Return true.", oracle: ResponseHeaders.IsSafelisted }
            """, "test-map.yaml");
        var withAccept = CaseCatalog.All.First(c => c.Request.Headers.Any(h => h.Name.Equals("Accept", StringComparison.OrdinalIgnoreCase) && h.Value == "text/html"));
        var problems = StandardCoverage.Of(map, [withAccept]).Problems(CaseCatalog.Anchors);
        Assert.That(problems, Has.Some.Contains("the oracle's method RequestHeaders.IsSafelisted takes it, but the map names ResponseHeaders.IsSafelisted"));
    }

    [Test]
    public void A_step_without_a_case_or_an_exemption_is_a_problem()
    {
        var map = StandardMap.Read("""
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                oracle: Oracle.CorsCheck
                steps:
                  - { step: "8", quote: "Return failure." }
            """, "test-map.yaml");
        // The first case of the catalog passes its CORS check: step 8 is not taken.
        var problems = StandardCoverage.Of(map, CaseCatalog.All.Take(1)).Problems(CaseCatalog.Anchors);
        Assert.That(problems, Has.Some.Contains("concept-cors-check/8").And.Contains("no case exercises it"));
    }

    [Test]
    public void A_map_with_an_unknown_field_is_refused_with_the_file_the_step_and_the_field()
    {
        var e = Assert.Throws<StandardMapException>(() => StandardMap.Read("""
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                steps:
                  - { step: "2", qoute: "typo", oracle: Oracle.CorsCheck }
            """, "bad-map.yaml"));
        Assert.That(e!.Message, Does.StartWith("bad-map.yaml: step 'concept-cors-check/2': field 'qoute' is not a known field"));
    }

    [Test]
    public void A_step_without_an_oracle_method_or_an_exemption_is_refused()
    {
        var e = Assert.Throws<StandardMapException>(() => StandardMap.Read("""
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                steps:
                  - { step: "2", quote: "If origin is null, then return failure." }
            """, "bad-map.yaml"));
        Assert.That(e!.Message, Does.Contain("step 'concept-cors-check/2': field 'oracle' is required"));
    }

    /// <summary>The map's step numbers came from a copy of fetch.bs nobody had checked; now the copy they were checked
    /// against is part of the map, so a reader can open the same text.</summary>
    [Test]
    public void The_map_names_the_fetch_bs_its_steps_were_checked_against()
    {
        var revision = StandardMap.Revision;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revision.Repo, Does.Match("^[^/]+/[^/]+$"));
            Assert.That(revision.Commit, Does.Match("^[0-9a-f]{40}$"));
            Assert.That(revision.Url, Does.EndWith($"/blob/{revision.Commit}/fetch.bs"));
        }
    }

    [Test]
    public void A_map_without_the_revision_it_was_checked_against_is_refused()
    {
        var e = Assert.Throws<StandardMapException>(() => StandardMap.ReadRevision("""
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                steps:
                  - { step: "2", quote: "If origin is null, then return failure.", oracle: Oracle.CorsCheck }
            """, "bad-map.yaml"));
        Assert.That(e!.Message, Does.StartWith("bad-map.yaml: field 'checked-against' is required"));
    }

    [Test]
    public void A_revision_whose_commit_is_not_40_hex_digits_is_refused()
    {
        var e = Assert.Throws<StandardMapException>(() => StandardMap.ReadRevision("""
            checked-against: { repo: whatwg/fetch, commit: main, date: "2026-12-04" }
            algorithms: []
            """, "bad-map.yaml"));
        Assert.That(e!.Message, Does.StartWith("bad-map.yaml: step 'checked-against': field 'commit' is required: the 40-hex-digit commit"));
    }

    [Test]
    public void A_map_with_an_unknown_top_level_field_is_refused()
    {
        var e = Assert.Throws<StandardMapException>(() => StandardMap.Read("""
            checked-agianst: { repo: whatwg/fetch }
            algorithms:
              - anchor: concept-cors-check
                title: CORS check
                steps:
                  - { step: "2", quote: "If origin is null, then return failure.", oracle: Oracle.CorsCheck }
            """, "bad-map.yaml"));
        Assert.That(e!.Message, Does.Contain("field 'checked-agianst' is not a known field"));
    }

    /// <summary>The map was loaded without the case reader's limits: 100,000 `[` overflowed the stack (the lint and
    /// `coverage` died, no error to read) and a second document was ignored. README.md: a bad map is refused like any input.</summary>
    [Test]
    public void A_map_nested_too_deep_or_of_two_documents_is_refused_not_a_stack_overflow()
    {
        var deep = Assert.Throws<StandardMapException>(() => StandardMap.Read("algorithms: " + new string('[', 100_000) + new string(']', 100_000), "map.yaml"));
        var twice = Assert.Throws<StandardMapException>(() => StandardMap.Read("algorithms: []\n---\nalgorithms: []\n", "map.yaml"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deep!.Message, Does.StartWith("map.yaml").And.Contain("deeper than 64 levels"));
            Assert.That(twice!.Message, Does.StartWith("map.yaml").And.Contain("more than one YAML document"));
        }
    }
}
