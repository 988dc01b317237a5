using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>
/// A field read from what reached the target (<see cref="ExtraField{T}.Read"/>) is measured from a browser's requests and
/// predicted from the oracle's by one function, so it must read only what the oracle models: a browser adds header lines
/// the standard leaves to it or to HTTP (Accept-Language, Accept-Encoding, Connection, Sec-Fetch-*, cookies as a Cookie
/// line), and a field that read one of them would judge the browser on something the oracle never predicted.
/// </summary>
public sealed class WireFieldsTests
{
    private static IEnumerable<ObservedField> WireFields => ObservedFields.Extra.Where(f => f.FromWire is not null);

    private static readonly Header[] BrowsersOwn =
    [
        new("Accept-Language", "en-US"), new("Accept-Encoding", "gzip, deflate"), new("Connection", "keep-alive"), new("Host", "api.cors.test:4242"),
        new("Sec-Fetch-Mode", "cors"), new("Sec-Fetch-Site", "same-site"), new("Sec-Fetch-Dest", "empty"), new("Cookie", "cc=1; case-t=1"),
        new("Priority", "u=4"), new("Pragma", "no-cache"), new("Cache-Control", "no-cache"),
    ];

    /// <summary>Wires of the shapes a case meets: nothing arrived, a preflighted request, a conditional follow-up, a redirect.</summary>
    private static IEnumerable<Wire> Wires()
    {
        yield return Wire.Empty;
        yield return new Wire(
        [
            new WireRequest(true, "OPTIONS", 0, [new("Accept", "*/*"), new("Access-Control-Request-Method", "PUT"), new("Origin", Placeholders.Origin), new("Referer", Placeholders.Origin + "/")]),
            new WireRequest(false, "PUT", 0, [new("Origin", Placeholders.Origin), new("Referer", Placeholders.Origin + "/"), new("Authorization", "Basic dTpw")]) { CarriesCookie = true, CarriesCaseCookie = true },
        ]);
        yield return new Wire([new WireRequest(false, "GET", 0, [new("Origin", Placeholders.Origin)]), new WireRequest(false, "GET", 0, [new("Origin", Placeholders.Origin), new("If-None-Match", "\"v1\"")])]);
        yield return new Wire([new WireRequest(false, "POST", 0, [new("Origin", Placeholders.Origin)]), new WireRequest(false, "GET", 1, [new("Origin", "null")])]);
    }

    private static Wire WithBrowsersOwnLines(Wire wire) =>
        new([.. wire.Requests.Select(r => r with { Headers = [.. r.Headers, .. BrowsersOwn] })]);

    [Test]
    public void Every_field_read_from_the_wire_is_observed_by_some_case_of_the_catalog()
    {
        var observing = WireFields.ToDictionary(f => f.Name, f => CaseCatalog.All.Count(c => Wires().Any(w => f.FromWire!(c, w) is not null)));
        Assert.That(observing.Where(kv => kv.Value == 0).Select(kv => kv.Key), Is.Empty, "a field no case observes is never judged");
    }

    [Test]
    public void No_field_read_from_the_wire_reads_a_line_the_oracle_does_not_model()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var field in WireFields)
            {
                var @case = CaseCatalog.All.First(c => Wires().Any(w => field.FromWire!(c, w) is not null));
                foreach (var wire in Wires())
                {
                    Assert.That(ObservedField.Same(field.FromWire!(@case, WithBrowsersOwnLines(wire)), field.FromWire!(@case, wire)), Is.True,
                        $"{field.Name} (read for {@case.Id}) changes when the browser adds lines of its own: {string.Join("; ", BrowsersOwn)}");
                }
            }
        }
    }

    [Test]
    public void A_field_is_null_for_a_case_that_does_not_observe_it()
    {
        var plain = CaseCatalog.All.First(c => c.Id == "cors-check/acao-exact/same-origin/fetch");
        var wire = Wires().ElementAt(1);
        Assert.That(WireFields.Where(f => f.FromWire!(plain, wire) is not null).Select(f => f.Name), Is.Empty);
    }
}
