using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// What the page was handed at the end of a case's last request, as the oracle models it: the outcome, and for a response
/// the page got, the filtered response's type and its URL list's size. A field the page measures
/// (<see cref="ExtraField{T}.Measure"/>) is predicted from this, as a field read from the wire is from a <see cref="Wire"/>.
/// </summary>
/// <param name="ResponseType">The filtered response's type: "basic", "cors", "opaque" (main fetch's filter by response
/// tainting), "opaqueredirect" (HTTP fetch, redirect mode manual); null where the page got a network error.</param>
/// <param name="UrlListSize">The size of the (internal) response's URL list: 1, and one more for each redirect followed.</param>
/// <param name="Status">The status the page reads (0 for an opaque or opaque-redirect response); null where it reads none.</param>
public sealed record PageView(Outcome Outcome, string? ResponseType, int UrlListSize, int? Status);

/// <summary>How the page measures a field: on a request whose initiator lets the page observe <paramref name="On"/>, it
/// applies <paramref name="Function"/> (a JavaScript function expression, as fixtures/pages/matrix.js evaluates it) to what
/// the request gave it — a fetch Response (<see cref="Observes.Response"/>), the XMLHttpRequest
/// (<see cref="Observes.ResponseWithErrorStatusZero"/>) — once the request succeeded, and reports the value under the
/// field's name. The value must be JSON of the field's type.</summary>
public sealed record PageMeasure(Observes On, string Function);
