using System.Text.Json;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>The page's half of a field measured by the page (<see cref="ExtraField{T}.Measure"/>): the request carries the
/// declaration's function, and matrix.js applies it — in the page, its workers and frames — to what each kind of request
/// gives it.</summary>
public sealed class PageMeasuresTests
{
    [Test]
    public void A_fetch_case_s_request_carries_the_declared_measurements_as_matrix_js_reads_them()
    {
        var @case = CaseCatalog.All.First(c => c.Request.Initiator.Observes == Observes.Response);
        var request = PageRequest.For(@case.Id, @case.Origins.Page, @case.Request, "http://api.cors.test/x").Measuring(@case);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(request, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var measures = json.RootElement.GetProperty("measures").EnumerateArray().Select(m => (m[0].GetString(), m[1].GetString())).ToList();
        Assert.That(measures, Does.Contain((ObservedFields.ResponseType.Name, ObservedFields.ResponseType.Measure!.Function)));
    }

    [Test]
    public void Matrix_js_applies_the_measurements_to_a_fetch_response_and_a_loaded_xhr_in_every_place_it_runs()
    {
        var script = MatrixScript.Text;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(script, Does.Contain("extra: measured(req, response)"), "doFetch");
            Assert.That(script, Does.Contain("extra: measured(req, xhr)"), "doXhr");
            // The data: workers and frames run the same code from its source text.
            Assert.That(script, Does.Contain("measured.toString()"), "runnerSource");
        }
    }
}
