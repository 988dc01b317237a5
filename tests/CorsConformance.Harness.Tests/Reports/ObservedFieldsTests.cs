using System.Text.Json;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The observed fields are declared once (<see cref="ObservedFields.All"/>); every record that carries them must
/// carry exactly those (as a property, or by name in <c>Extra</c>), and every place that walks them — the report's records
/// and their JSON, the change list, the verdict's comparison, the oracle's alternatives — must see each one, so a field
/// declared and forgotten somewhere fails here.</summary>
public sealed class ObservedFieldsTests
{
    private static IEnumerable<string> Properties(Type type) => type.GetProperties().Select(p => p.Name);

    /// <summary>The fields the records have as properties (the others travel in <c>Extra</c>).</summary>
    private static IEnumerable<string> AsProperties(params string[] except) =>
        ObservedFields.All.Where(f => f.ExtraType is null).Select(f => f.PropertyName).Except(except);

    [Test]
    public void The_observation_carries_every_field_and_only_the_browser_s_words_besides()
    {
        Assert.That(Properties(typeof(Observation)), Is.EquivalentTo(AsProperties()
            .Concat([nameof(Observation.Extra), nameof(Observation.BrowserReason), nameof(Observation.PageError)])));
    }

    [Test]
    public void The_expectation_carries_every_field_the_oracle_predicts()
    {
        // preflightCarriedCredentials is never predicted: the standard sends no credentials with a preflight. Reason, Steps and
        // Trace are the reasoning (Trace: the map of the standard's steps the oracle took), not an observable field.
        Assert.That(Properties(typeof(Expectation)), Is.EquivalentTo(AsProperties("PreflightCarriedCredentials")
            .Concat([nameof(Expectation.Extra), nameof(Expectation.Reason), nameof(Expectation.Steps), nameof(Expectation.Trace),
                nameof(Expectation.Choice), nameof(Expectation.Alternatives), nameof(Expectation.Allowed)])));
    }

    [Test]
    public void The_report_s_observation_and_expectation_carry_the_same_fields()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Properties(typeof(ReportObservation)), Is.EquivalentTo(AsProperties().Append(nameof(ReportObservation.Extra))));
            Assert.That(Properties(typeof(ReportExpectation)), Is.EquivalentTo(AsProperties("PreflightCarriedCredentials")
                .Concat([nameof(ReportExpectation.Extra), nameof(ReportExpectation.Reason), nameof(ReportExpectation.Choice), nameof(ReportExpectation.Alternatives)])));
        }
    }

    [Test]
    public void Every_field_has_one_camel_case_name_and_a_field_carried_by_name_can_be_absent()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ObservedFields.Names, Is.Unique);
            Assert.That(ObservedFields.Names, Has.All.Match("^[a-z][A-Za-z]*$"));
            // Null is "not observed": a field carried by name must be able to hold it.
            Assert.That(ObservedFields.Extra.Where(f => f.ExtraType!.IsValueType && Nullable.GetUnderlyingType(f.ExtraType) is null).Select(f => f.Name), Is.Empty);
        }
    }

    /// <summary>An observation with a value in every field (those carried by name too), and the same with one field changed:
    /// one variant per declared field, in declaration order.</summary>
    private static (Observation Before, IReadOnlyList<Observation> Changed) OneFieldAtATime()
    {
        var before = new Observation(Outcome.Allowed, 1, true, "{origin}", "x-a", false, false, 200, ["x-b"]);
        before = ObservedFields.Extra.Aggregate(before, (o, f) => o with { Extra = o.Extra.With(f.Name, Sample(f, other: false)) });
        var changed = ObservedFields.All.Select(f => f.ExtraType is not null
            ? before with { Extra = before.Extra.With(f.Name, Sample(f, other: true)) }
            : f.Name switch
            {
                "outcome" => before with { Outcome = Outcome.Blocked },
                "preflights" => before with { Preflights = 2 },
                "actualSent" => before with { ActualSent = false },
                "origin" => before with { Origin = null },
                "requestHeaders" => before with { RequestHeaders = null },
                "credentialsSent" => before with { CredentialsSent = true },
                "preflightCarriedCredentials" => before with { PreflightCarriedCredentials = true },
                "status" => before with { Status = 204 },
                "readableHeaders" => before with { ReadableHeaders = ["x-c"] },
                _ => throw new AssertionException($"a field the records have as a property, '{f.Name}', has no changed value in this test: add it"),
            }).ToList();
        return (before, changed);
    }

    private static object Sample(ObservedField field, bool other) => (Nullable.GetUnderlyingType(field.ExtraType!) ?? field.ExtraType!) switch
    {
        var t when t == typeof(bool) => other,
        var t when t == typeof(string) => other ? "b" : "a",
        var t when t == typeof(int) => other ? 2 : 1,
        var t when t == typeof(IReadOnlyList<string>) => other ? new List<string> { "b: 2" } : new List<string> { "a: 1" },
        var t => throw new AssertionException($"'{field.Name}' is carried as a {t.Name}, which this test has no sample of: add one"),
    };

    [Test]
    public void A_change_in_any_field_is_a_difference_of_that_field_in_the_verdict()
    {
        var (before, changed) = OneFieldAtATime();
        Assert.That(changed.Select(c => ObservedFields.All.Where(f => !ObservedField.Same(f.Observed(before), f.Observed(c))).Select(f => f.Name).Single()),
            Is.EqualTo(ObservedFields.Names));
    }

    [Test]
    public void A_change_in_any_field_is_reported_as_a_change_of_that_field_after_a_round_trip_through_report_json()
    {
        // The baseline is read back from JSON (as a --baseline file is); the current report is built in memory.
        var (before, changed) = OneFieldAtATime();
        var then = RoundTrip(ReportBuilder.Observation(before));
        Assert.That(changed.Select(c => ReportComparer.ChangedFields(then, ReportBuilder.Observation(c)).Single()), Is.EqualTo(ObservedFields.Names));
    }

    [Test]
    public void A_field_carried_by_name_is_written_beside_the_others_and_read_back_as_its_type()
    {
        var (before, _) = OneFieldAtATime();
        var json = ReportFile.Serialize(WithObservation(ReportBuilder.Observation(before)));
        using var document = JsonDocument.Parse(json);
        var observed = document.RootElement.GetProperty("cases")[0].GetProperty("results").EnumerateObject().First().Value.GetProperty("observed");
        var read = RoundTrip(ReportBuilder.Observation(before));
        using (Assert.EnterMultipleScope())
        {
            foreach (var field in ObservedFields.All) Assert.That(observed.TryGetProperty(field.Name, out _), Is.True, $"report.json's observation has no '{field.Name}'");
            foreach (var field in ObservedFields.Extra)
            {
                Assert.That(ReportExtra.Value(read, read.Extra, field), Is.EqualTo(field.Observed(before)), $"'{field.Name}' reads back as written");
            }
        }
    }

    [Test]
    public void A_field_carried_by_name_with_a_value_of_another_type_is_refused_naming_the_field()
    {
        foreach (var field in ObservedFields.Extra)
        {
            var json = ReportFile.Serialize(WithObservation(ReportBuilder.Observation(new Observation(Outcome.Allowed, 0, true, null, null, false, false, 200, []))))
                .Replace("\"preflightCarriedCredentials\": false", $"\"preflightCarriedCredentials\": false, \"{field.Name}\": {{ \"not\": \"a value\" }}");
            Assert.That(() => ReportFile.Parse(json, "r.json"), Throws.TypeOf<ReportFileException>().With.Message.Contains($"'{field.Name}'"));
        }
    }

    [Test]
    public void The_page_reports_a_field_carried_by_name_only_as_declared()
    {
        var undeclared = new PageAttempt(true, 200, [], null, false, Extra: new Dictionary<string, JsonElement> { ["noSuchField"] = JsonSerializer.SerializeToElement(true) });
        Assert.That(() => Observer.MeasuredByThePage(undeclared), Throws.InvalidOperationException.With.Message.Contains("noSuchField"));
        foreach (var field in ObservedFields.Extra)
        {
            var wrong = new PageAttempt(true, 200, [], null, false, Extra: new Dictionary<string, JsonElement> { [field.Name] = JsonSerializer.SerializeToElement(new[] { 1 }) });
            Assert.That(() => Observer.MeasuredByThePage(wrong), Throws.InvalidOperationException.With.Message.Contains(field.Name));
            var right = new PageAttempt(true, 200, [], null, false, Extra: new Dictionary<string, JsonElement> { [field.Name] = JsonSerializer.SerializeToElement(Sample(field, other: true)) });
            Assert.That(Observer.MeasuredByThePage(right)[field.Name], Is.EqualTo(Sample(field, other: true)));
        }
    }

    private static Report WithObservation(ReportObservation observation)
    {
        var sample = RecordedReports.Current;
        var first = sample.Cases[0];
        var (engine, result) = first.Results.First();
        // One case of one engine, and that engine's summary counting it: a reader refuses a summary its results contradict.
        return sample with
        {
            Engines = sample.Engines.Where(e => e.Engine == engine).Select(e => e with { Summary = ReportBuilder.Summarize([result.Verdict]) }).ToList(),
            Cases = [first with { Results = new Dictionary<string, ReportResult> { [engine] = result with { Observed = observation } } }],
        };
    }

    private static ReportObservation RoundTrip(ReportObservation observation) =>
        ReportFile.Parse(ReportFile.Serialize(WithObservation(observation)), "round-trip.json").Cases[0].Results.First().Value.Observed;
}
