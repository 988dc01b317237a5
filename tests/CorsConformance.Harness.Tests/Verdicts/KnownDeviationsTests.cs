using CorsConformance.Specs.Catalog;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Verdicts;

public sealed class KnownDeviationsTests
{
    private static readonly Difference Preflights = new("preflights", "1 preflight", "2 preflights");

    private static KnownDeviations Listed(string @case = "preflight-cache/x", params string[] fields) =>
        new([new KnownDeviation("firefox", @case, fields.Length == 0 ? ["preflights"] : fields, "no default max-age", "https://bugzilla.mozilla.org/0")]);

    [Test]
    public void An_unlisted_difference_fails()
    {
        var judgement = KnownDeviations.Empty.Judge("firefox", "preflight-cache/x", [Preflights]);
        Assert.That(judgement.Kind, Is.EqualTo(JudgementKind.Fails));
    }

    [Test]
    public void No_difference_and_no_entry_conforms()
    {
        Assert.That(KnownDeviations.Empty.Judge("firefox", "preflight-cache/x", []).Kind, Is.EqualTo(JudgementKind.Conforms));
    }

    [Test]
    public void A_listed_difference_in_exactly_its_fields_is_a_known_deviation()
    {
        var judgement = Listed().Judge("firefox", "preflight-cache/x", [Preflights]);
        Assert.That(judgement.Kind, Is.EqualTo(JudgementKind.KnownDeviation));
    }

    /// <summary>The browser fixed its bug: it conforms (a nightly report counted a new failure and exited 3 under
    /// --fail-on-regression), and the judgement says the list is stale so the suite's own matrix tests fail on it.</summary>
    [Test]
    public void A_listed_deviation_that_now_conforms_conforms_and_says_the_entry_is_stale()
    {
        var judgement = Listed().Judge("firefox", "preflight-cache/x", []);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judgement.Kind, Is.EqualTo(JudgementKind.Conforms));
            Assert.That(judgement.Passed && judgement.ListedButConforms, Is.True);
            Assert.That(judgement.Summary, Does.StartWith("conforms to the Fetch Standard, though listed as a known deviation"));
            Assert.That(KnownDeviations.Empty.Judge("firefox", "preflight-cache/x", []).ListedButConforms, Is.False);
        }
    }

    /// <summary>A run with its own deviations file was told to edit the shipped known-deviations.yaml.</summary>
    [Test]
    public void A_listed_deviation_that_now_conforms_names_the_file_it_came_from()
    {
        var mine = KnownDeviations.Parse("""
            - engine: firefox
              case: preflight-cache/x
              fields: [preflights]
              reason: no default max-age
              link: https://bugzilla.mozilla.org/0
            """, "ci/mine.yaml");
        Assert.That(mine.Judge("firefox", "preflight-cache/x", []).Summary, Does.EndWith("remove its entry from ci/mine.yaml"));
    }

    // A vendor's own list (2026-12-07) with an entry for an engine the run did not start said nothing of it.
    [Test]
    public void Entries_for_an_engine_that_did_not_run_are_said_not_checked()
    {
        var mine = KnownDeviations.Parse("""
            - engine: firefox
              case: preflight-cache/x
              fields: [preflights]
              reason: no default max-age
              link: https://bugzilla.mozilla.org/0
            - engine: firefox
              case: preflight-cache/y
              fields: [preflights]
              reason: no default max-age
              link: https://bugzilla.mozilla.org/0
            - engine: chromium
              case: preflight-cache/x
              fields: [preflights]
              reason: another
              link: https://crbug.com/0
            """, "mine.yaml");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mine.NotChecked(["chromium"]), Is.EqualTo(new[] { "2 entries of mine.yaml for firefox not checked: firefox did not run" }));
            Assert.That(mine.NotChecked(["chromium", "firefox"]), Is.Empty);
            Assert.That(mine.OnlyFor(["preflight-cache/y"]).NotChecked(["chromium"]), Is.EqualTo(new[] { "1 entry of mine.yaml for firefox not checked: firefox did not run" }));
        }
    }

    [Test]
    public void A_listed_deviation_that_differs_in_other_fields_fails()
    {
        var judgement = Listed().Judge("firefox", "preflight-cache/x", [Preflights, new Difference("outcome", "allowed", "blocked")]);
        Assert.That(judgement.Kind, Is.EqualTo(JudgementKind.Fails));
    }

    [Test]
    public void An_entry_covers_only_its_engine()
    {
        Assert.That(Listed().Judge("chromium", "preflight-cache/x", [Preflights]).Kind, Is.EqualTo(JudgementKind.Fails));
    }

    [Test]
    public void A_trailing_star_covers_every_case_under_the_prefix()
    {
        var deviations = Listed("preflight-cache/*");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deviations.Find("firefox", "preflight-cache/a/b"), Is.Not.Null);
            Assert.That(deviations.Find("firefox", "preflight/a"), Is.Null);
        }
    }

    [Test]
    public void The_file_names_an_unknown_field_when_it_lists_one()
    {
        const string text = "- { engine: firefox, case: a/b, fields: [preflght], reason: r, link: l }";
        Assert.That(() => KnownDeviations.Parse(text, "known-deviations.yaml"),
            Throws.TypeOf<InputFileException>().With.Message.Contains("preflght").And.Message.Contains("known-deviations.yaml"));
    }

    /// <summary>reason: " " passed as a deviation's reason (found by the fuzz campaign): white space alone is no text.</summary>
    [TestCase("reason: \" \"", "field 'reason': required (a non-empty text)")]
    [TestCase("reason: \"\\t\"", "field 'reason': required (a non-empty text)")]
    [TestCase("reason: \"\"", "field 'reason': required (a non-empty text)")]
    public void A_reason_of_white_space_alone_is_refused(string reason, string problem)
    {
        var text = $"- {{ engine: firefox, case: a/b, fields: [outcome], {reason}, link: https://bugzilla.mozilla.org/1 }}";
        Assert.That(() => KnownDeviations.Parse(text, "known-deviations.yaml"),
            Throws.TypeOf<InputFileException>().With.Message.Contains(problem).And.Message.Contains("known-deviations.yaml"));
    }

    [Test]
    public void The_shipped_deviations_file_parses_and_every_entry_names_a_catalog_case()
    {
        var deviations = KnownDeviations.LoadDefault();
        var ids = Specs.Catalog.CaseCatalog.All.Select(c => c.Id).ToList();
        foreach (var entry in deviations.Entries)
        {
            Assert.That(ids.Any(id => entry.Covers(entry.Engine, id)), Is.True, $"deviation '{entry.Case}' ({entry.Engine}) names no catalog case");
        }
    }

    private static string Bad(string name) => Path.Combine(AppContext.BaseDirectory, "BadInputs", "deviations", name);

    [TestCase("yaml-syntax.yaml", "line 10, column ", "not valid YAML")]
    [TestCase("misspelled-engine.yaml", "entry 2 (line 7), field 'engine'", "'chromuim' is not an engine (chromium, firefox, webkit, webkitgtk)")]
    [TestCase("no-such-case.yaml", "entry 2 (line 8), field 'case'", "'preflight/no-such-case/*' names no case of the catalog")]
    [TestCase("empty-fields.yaml", "entry 1 (line 4), field 'fields'", "must list at least one differing field")]
    [TestCase("same-case-twice.yaml", "entry 2 (line 8), field 'case'", "is listed already, by entry 1")]
    [TestCase("javascript-link.yaml", "entry 1 (line 6), field 'link'", "'javascript:alert(1)' is not an http(s) URL")]
    [TestCase("list-as-key.yaml", "entry 1 (line 6), field '(a list or mapping as a key)'", "not a deviation field")]
    // `*` listed every case of the engine as a known deviation; `pre*` three categories.
    [TestCase("star-for-every-case.yaml", "entry 1 (line 3), field 'case'", "'*' is a prefix of more than one category")]
    [TestCase("prefix-across-categories.yaml", "entry 1 (line 3), field 'case'", "'pre*' is a prefix of more than one category")]
    public void A_broken_deviations_file_is_refused_with_its_entry_field_and_line(string file, string where, string what)
    {
        Assert.That(() => KnownDeviations.Load(Bad(file), CaseCatalog.All.Select(c => c.Id)),
            Throws.TypeOf<InputFileException>().With.Message.StartsWith($"{Bad(file)}: {where}").And.Message.Contains(what));
    }

    /// <summary>`reason: ~` or `reason: null` (YAML's null) passed as the reason "~" or "null" (the mutation sweep): a
    /// deviation without its reason. Quoted, "null" is text.</summary>
    [TestCase("~")]
    [TestCase("null")]
    [TestCase("NULL")]
    public void YAML_null_is_no_reason(string reason)
    {
        var text = $"- {{ engine: chromium, case: preflight/authorization/acah-star/same-origin, fields: [outcome], reason: {reason}, link: https://example.com/b }}\n";
        Assert.That(() => KnownDeviations.Parse(text, "devs.yaml"),
            Throws.TypeOf<InputFileException>().With.Message.StartsWith("devs.yaml: entry 1 (line 1), field 'reason'").And.Message.Contains("required (a non-empty text"));
        Assert.That(KnownDeviations.Parse(text.Replace($"reason: {reason}", $"reason: \"{reason}\""), "devs.yaml").Entries[0].Reason, Is.EqualTo(reason));
    }

    [TestCase("yaml-syntax.yaml")]
    [TestCase("misspelled-engine.yaml")]
    [TestCase("no-such-case.yaml")]
    public async Task Run_refuses_a_broken_deviations_file_with_exit_2_before_starting_anything(string file)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CorsConformance.Cli.Commands.RunAsync(["run", "--no-install", "--engines", "chromium", "--deviations", Bad(file), "--out", Path.Combine(Path.GetTempPath(), "cors-never-written.json")], output, error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2), error.ToString());
            Assert.That(error.ToString(), Does.StartWith($"error: {Bad(file)}: ").And.Not.Contain("   at "));
            Assert.That(output.ToString(), Does.Not.Contain("Reference servers"));
        }
    }
}
