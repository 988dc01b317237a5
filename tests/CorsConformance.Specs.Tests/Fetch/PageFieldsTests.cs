using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>
/// A field the page measures from what a request gave it (<see cref="ExtraField{T}.Measure"/>) is measured by a function the
/// runner sends with the case's requests and predicted by another from the oracle's <see cref="PageView"/>: both must apply
/// to the same cases, to something matrix.js hands a measurement (a fetch Response, an XMLHttpRequest that loaded), and the
/// prediction must be what the oracle's expectation carries.
/// </summary>
public sealed class PageFieldsTests
{
    private static IEnumerable<ObservedField> PageFields => ObservedFields.Extra.Where(f => f.PageFunction is not null);

    [Test]
    public void There_is_a_page_measured_field_and_each_is_predicted()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PageFields, Is.Not.Empty);
            Assert.That(PageFields.Where(f => f.FromPage is null).Select(f => f.Name), Is.Empty, "a measurement without a prediction is never judged");
        }
    }

    [Test]
    public void Every_page_measured_field_is_observed_by_some_case_of_the_catalog()
    {
        var observing = PageFields.ToDictionary(f => f.Name, f => CaseCatalog.All.Count(c => f.PageFunction!(c) is not null));
        Assert.That(observing.Where(kv => kv.Value == 0).Select(kv => kv.Key), Is.Empty, "a field no case observes is never judged");
    }

    [Test]
    public void A_field_is_measured_exactly_where_it_is_predicted()
    {
        var handed = new PageView(Outcome.Allowed, "cors", 2, 200);
        using (Assert.EnterMultipleScope())
        {
            foreach (var field in PageFields)
            {
                foreach (var @case in CaseCatalog.All)
                {
                    var measured = field.PageFunction!(@case) is not null;
                    // A prediction may be null where the case observes the field (no Response): never a value where it does not.
                    if (!measured) Assert.That(field.FromPage!(@case, handed), Is.Null, $"{field.Name} predicted for {@case.Id}, which does not measure it");
                    if (measured) Assert.That(@case.Request.Initiator.Observes, Is.AnyOf(Observes.Response, Observes.ResponseWithErrorStatusZero),
                        $"{field.Name} measured for {@case.Id}, whose initiator gives matrix.js nothing to measure it on");
                }
            }
        }
    }

    [Test]
    public void The_oracle_s_expectation_carries_each_prediction_and_the_runner_sends_each_measurement()
    {
        var @case = CaseCatalog.All.First(c => c.Id == "cors-check/acao-exact/same-origin/fetch");
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("cors"));
            Assert.That(ObservedFields.PageMeasures(@case)?.Select(m => m[0]), Does.Contain(ObservedFields.ResponseType.Name));
            Assert.That(ObservedFields.PageMeasures(@case)!.Single(m => m[0] == ObservedFields.ResponseType.Name)[1], Is.EqualTo("response => response.type"));
        }
    }

    [Test]
    public void A_case_that_measures_nothing_sends_no_measurements()
    {
        var img = CaseCatalog.All.First(c => c.Request.Initiator.Observes == Observes.LoadAndContent);
        Assert.That(ObservedFields.PageMeasures(img), Is.Null);
    }
}
