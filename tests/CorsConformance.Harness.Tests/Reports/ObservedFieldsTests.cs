using CorsConformance.Harness.Reports;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>The observed fields are declared once (<see cref="ObservedFields.All"/>); every record that carries them must
/// carry exactly those, so a field added in one place and forgotten in another fails here.</summary>
public sealed class ObservedFieldsTests
{
    private static IEnumerable<string> Properties(Type type) => type.GetProperties().Select(p => p.Name);

    private static IEnumerable<string> Declared(params string[] except) =>
        ObservedFields.All.Select(f => f.PropertyName).Except(except);

    [Test]
    public void The_observation_carries_every_field_and_only_the_browser_s_words_besides()
    {
        Assert.That(Properties(typeof(Observation)), Is.EquivalentTo(Declared().Append(nameof(Observation.BrowserReason)).Append(nameof(Observation.PageError))));
    }

    [Test]
    public void The_expectation_carries_every_field_the_oracle_predicts()
    {
        // preflightCarriedCredentials is never predicted: the standard sends no credentials with a preflight. Reason, Steps and
        // Trace are the reasoning (Trace: the map of the standard's steps the oracle took), not an observable field.
        Assert.That(Properties(typeof(Expectation)), Is.EquivalentTo(Declared("PreflightCarriedCredentials")
            .Concat([nameof(Expectation.Reason), nameof(Expectation.Steps), nameof(Expectation.Trace), nameof(Expectation.Choice), nameof(Expectation.Alternatives), nameof(Expectation.Allowed)])));
    }

    [Test]
    public void The_report_s_observation_and_expectation_carry_the_same_fields()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Properties(typeof(ReportObservation)), Is.EquivalentTo(Declared()));
            Assert.That(Properties(typeof(ReportExpectation)), Is.EquivalentTo(Declared("PreflightCarriedCredentials")
                .Concat([nameof(ReportExpectation.Reason), nameof(ReportExpectation.Choice), nameof(ReportExpectation.Alternatives)])));
        }
    }

    [Test]
    public void A_change_in_any_field_is_reported_as_a_change_of_that_field()
    {
        var before = new ReportObservation("allowed", 1, true, "{origin}", "x-a", false, false, 200, ["x-b"], true);
        ReportObservation[] changed =
        [
            before with { Outcome = "blocked" }, before with { Preflights = 2 }, before with { ActualSent = false }, before with { Origin = null },
            before with { RequestHeaders = null }, before with { CredentialsSent = true }, before with { PreflightCarriedCredentials = true },
            before with { Status = 204 }, before with { ReadableHeaders = ["x-c"] }, before with { ContentReadable = false },
            before with { AuthorizationSent = true }, before with { CaseCookieSent = true },
        ];
        Assert.That(changed.Select(c => ReportComparer.ChangedFields(before, c).Single()), Is.EqualTo(ObservedFields.Names));
    }
}
