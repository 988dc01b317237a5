using System.Reflection;
using System.Text.RegularExpressions;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary>The catalog's closed vocabularies and shape, linted so a typo fails fast (test262's habit).</summary>
public sealed partial class CatalogLintTests
{
    private static IReadOnlyList<CorsCase> Cases => CaseCatalog.All;

    private static IEnumerable<string> Categories() => Cases.Select(c => c.Category).Distinct();

    // The catalog's files run together, sharing one cookie jar: their cookies add up (see CaseFileReader.MaxCookiesPerFile).
    [Test]
    public void The_catalog_sets_no_more_cookies_than_one_file_may()
    {
        var names = CaseFileReader.CookiesSet(Cases).Select(c => c.Cookie).Distinct().Count();
        Assert.That(names, Is.LessThanOrEqualTo(CaseFileReader.MaxCookiesPerFile));
    }

    [Test]
    public void The_catalog_holds_at_least_250_cases()
    {
        Assert.That(Cases, Has.Count.GreaterThanOrEqualTo(250));
    }

    // A field declared in ObservedFields but never predicted would never be judged (a field carried by name is judged only
    // where the oracle predicts it): every declared field must have a value in some catalog case's expectation.
    [Test]
    public void Every_declared_observed_field_is_predicted_for_some_case()
    {
        var expectations = Cases.SelectMany(c => Oracle.Expect(c).Allowed).ToList();
        Assert.That(ObservedFields.All.Where(f => expectations.All(e => f.Expected(e) is null)).Select(f => f.Name), Is.Empty,
            "declared in ObservedFields.cs, but the oracle predicts it for no case of the catalog");
    }

    [Test]
    public void Every_id_is_unique()
    {
        var duplicates = Cases.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void Every_id_starts_with_the_category_its_file_is_named_after()
    {
        var misplaced = Cases.Where(c => Path.GetFileNameWithoutExtension(c.Source) != c.Category).Select(c => $"{c.Id} in {c.Source}").ToList();
        Assert.That(misplaced, Is.Empty);
    }

    [Test]
    public void Every_anchor_is_in_the_vocabulary()
    {
        var unknown = Cases.Where(c => !CaseCatalog.Anchors.ContainsKey(c.Anchor)).Select(c => $"{c.Id}: {c.Anchor}").ToList();
        Assert.That(unknown, Is.Empty, "add real fetch.bs anchors to specs/catalog/anchors.yaml, never typos");
    }

    [Test]
    public void Every_vocabulary_anchor_is_named_by_a_case_an_oracle_rule_or_a_server_defect()
    {
        var usedByCases = Cases.Select(c => c.Anchor).Concat(ServerDefects.All.Select(d => d.Anchor)).ToHashSet();
        var usedByOracle = typeof(Oracle).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MemberInfo>().Append(t))
            .SelectMany(m => m.GetCustomAttributes<FetchAnchorAttribute>())
            .Select(a => a.Anchor)
            .ToHashSet();
        usedByOracle.UnionWith(Cases.SelectMany(c => Oracle.Expect(c).Allowed.SelectMany(e => e.Steps)).Select(step => StepAnchor().Match(step).Groups[1].Value));
        var unused = CaseCatalog.Anchors.Keys.Where(a => !usedByCases.Contains(a) && !usedByOracle.Contains(a)).ToList();
        Assert.That(unused, Is.Empty);
    }

    /// <summary>The vocabulary is closed for the code too: every anchor a rule of the oracle names ([FetchAnchor]) and every
    /// anchor a step of its reasoning prints (on every catalog case, in every behaviour it allows) is in anchors.yaml.</summary>
    [Test]
    public void Every_anchor_the_oracle_names_or_prints_is_in_the_vocabulary()
    {
        var named = typeof(Oracle).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MemberInfo>().Append(t))
            .SelectMany(m => m.GetCustomAttributes<FetchAnchorAttribute>().Select(a => (Where: $"{m.DeclaringType?.Name}.{m.Name}", a.Anchor)));
        var printed = Cases.SelectMany(c => Oracle.Expect(c).Allowed.SelectMany(e => e.Steps)
            .Select(step => (Where: $"{c.Id}: {step}", Anchor: StepAnchor().Match(step).Groups[1].Value)));
        var unknown = named.Concat(printed).Where(x => !CaseCatalog.Anchors.ContainsKey(x.Anchor))
            .Select(x => $"{x.Anchor} ({x.Where})").Distinct().ToList();
        Assert.That(unknown, Is.Empty, "every anchor the code uses must be a fetch.bs dfn id listed in specs/catalog/anchors.yaml");
    }

    /// <summary>Every server defect the audit and the protocol checks report names a listed anchor (its rule's link in a
    /// finding, in SARIF and in a failed check's message).</summary>
    [Test]
    public void Every_server_defect_s_anchor_is_in_the_vocabulary()
    {
        var unknown = ServerDefects.All.Where(d => !CaseCatalog.Anchors.ContainsKey(d.Anchor)).Select(d => $"{d.Id}: {d.Anchor}").ToList();
        Assert.That(unknown, Is.Empty, "every anchor the code uses must be a fetch.bs dfn id listed in specs/catalog/anchors.yaml");
    }

    [GeneratedRegex(@"\[([^\[\]]*)\]$")]
    private static partial Regex StepAnchor();

    [TestCaseSource(nameof(Categories))]
    public void Every_category_has_at_least_ten_cases(string category)
    {
        Assert.That(Cases.Count(c => c.Category == category), Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void Descriptions_are_sentences_with_no_unexpanded_template_variable()
    {
        var bad = Cases.Where(c => string.IsNullOrWhiteSpace(c.Description)
                || Variable().Matches(c.Description).Any(m => !Placeholders.All.Contains(m.Value)))
            .Select(c => $"{c.Id}: {c.Description}").ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void No_header_value_holds_an_unexpanded_template_variable()
    {
        var bad = Cases.SelectMany(c => c.Request.Headers.Concat(c.Server.Preflight.Headers).Concat(c.Server.Actual.Headers)
                .Concat(c.Server.Redirect?.Headers ?? []).Select(h => (c.Id, h)))
            .Where(x => Variable().Matches(x.h.Value + x.h.Name).Any(m => !Placeholders.All.Contains(m.Value)))
            .Select(x => $"{x.Id}: {x.h}").ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void The_oracle_gives_every_case_a_verdict_with_reasons()
    {
        foreach (var @case in Cases)
        {
            var expected = Oracle.Expect(@case);
            // Refused only where the API throws before sending: a no-cors request with an unsafe method. A no-cors request is
            // blocked only by a network error no mode escapes: a redirect to a data: URL (HTTP-redirect fetch's scheme rule),
            // a redirect its redirect mode error refuses, or a redirect mode other than follow at another origin's URL (main
            // fetch refuses it before anything is sent); an about: or blob: URL is whatever scheme fetch answers; an answer
            // with Cross-Origin-Resource-Policy is whatever HTTP fetch's cross-origin resource policy check says (step 5), and
            // one with a Content-Type or X-Content-Type-Options of the case's own whatever main fetch's MIME checks say (step 19).
            var answersWithResourcePolicy = @case.Server.Responses().Any(response => response.Headers.Contains("Cross-Origin-Resource-Policy")
                || response.Headers.Contains(HeaderNames.ContentType) || response.Headers.Contains("X-Content-Type-Options"));
            // A beacon over the keepalive quota is refused in any mode: sendBeacon() returns false and queues nothing; so is a
            // fetch() with a forbidden method: new Request() throws.
            Assert.That(expected.Outcome, @case.Request.Api == Api.Beacon && @case.Request.OverKeepaliveQuota ? Is.EqualTo(Outcome.Refused)
                : @case.Request.Api == Api.Fetch && Methods.IsForbidden(@case.Request.Method) ? Is.EqualTo(Outcome.Refused)
                : @case.Request.Mode != RequestMode.NoCors ? Is.AnyOf(Outcome.Allowed, Outcome.Blocked)
                : @case.Server.Redirect?.SchemeLocation is not null || @case.Request.Redirect == RedirectMode.Error || @case.MayBeRefusedUnsent ? Is.EqualTo(Outcome.Blocked)
                : @case.Origins.Local is not null || answersWithResourcePolicy ? Is.AnyOf(Outcome.Allowed, Outcome.Blocked)
                : Is.AnyOf(Outcome.Allowed, Outcome.Refused), @case.Id);
            Assert.That(expected.Steps, Is.Not.Empty, @case.Id);
        }
    }

    /// <summary>Categories whose cases turn on the outcome (allowed or blocked), besides what was sent or read.</summary>
    private static readonly string[] OutcomeCategories = ["simple", "cors-check", "preflight", "redirects", "credentials", "null-origin", "initiators", "same-origin", "raw-responses", "statuses", "wpt-derived", "schemes", "resource-policy"];

    /// <summary>Categories whose cases turn on the journal (preflights) or on the readable headers: every answer allows,
    /// so a blocked case there would hide the very thing it observes.</summary>
    private static readonly string[] ObservationCategories = ["safelisted-headers", "preflight-triggers", "preflight-cache", "expose-headers", "header-values", "origin-header"];

    [Test]
    public void Every_category_is_classified_as_judged_by_outcome_or_by_observation()
    {
        Assert.That(Categories(), Is.EquivalentTo(OutcomeCategories.Concat(ObservationCategories)));
    }

    [TestCaseSource(nameof(OutcomeCategories))]
    public void An_outcome_category_has_both_allowed_and_blocked_cases(string category)
    {
        var outcomes = Cases.Where(c => c.Category == category).Select(c => Oracle.Expect(c).Outcome).Distinct().ToList();
        Assert.That(outcomes, Is.SupersetOf(new[] { Outcome.Allowed, Outcome.Blocked }));
    }

    [TestCaseSource(nameof(ObservationCategories))]
    public void An_observation_category_allows_every_case_so_the_journal_decides(string category)
    {
        var blocked = Cases.Where(c => c.Category == category)
            .Select(c => (c.Id, Expected: Oracle.Expect(c)))
            .Where(x => x.Expected.Outcome != Outcome.Allowed)
            .Select(x => $"{x.Id}: {x.Expected.Reason}").ToList();
        Assert.That(blocked, Is.Empty, "the target must allow the preflight and the response in this category");
    }

    [Test]
    public void Every_preflight_cache_case_repeats_its_request_and_is_preflighted()
    {
        var bad = Cases.Where(c => c.Category == "preflight-cache")
            .Where(c => c.Request.Sequence().Count() < 2 || Oracle.Expect(c).Preflights == 0)
            .Select(c => c.Id).ToList();
        Assert.That(bad, Is.Empty, "a preflight-cache case sends a preflighted request, then at least one more (a repetition or a follow-up)");
    }

    [Test]
    public void Every_redirects_case_is_answered_with_a_redirect()
    {
        var bad = Cases.Where(c => c.Category == "redirects" && c.Server.Redirect is null).Select(c => c.Id).ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void Every_null_origin_case_runs_in_an_opaque_origin_and_no_other_case_does()
    {
        var bad = Cases.Where(c => (c.Category == "null-origin") != c.Origins.OpaqueOrigin).Select(c => c.Id).ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void Every_vocabulary_anchor_has_a_title()
    {
        var untitled = CaseCatalog.Anchors.Where(a => string.IsNullOrWhiteSpace(a.Value)).Select(a => a.Key).ToList();
        Assert.That(untitled, Is.Empty);
    }

    [Test]
    public void The_preflight_categories_have_cases_with_and_without_a_preflight()
    {
        foreach (var category in new[] { "safelisted-headers", "preflight-triggers" })
        {
            var counts = Cases.Where(c => c.Category == category).Select(c => Oracle.Expect(c).Preflights > 0).Distinct().ToList();
            Assert.That(counts, Is.EquivalentTo(new[] { true, false }), category);
        }
    }

    [GeneratedRegex(@"\{[a-zA-Z][a-zA-Z0-9_-]*\}")]
    private static partial Regex Variable();
}
