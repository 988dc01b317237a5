using System.Collections;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// One thing the harness observes of a case and the oracle predicts: its name (as verdicts, known deviations, reports and
/// snapshots spell it), how to read it from an <see cref="Observation"/> and from an <see cref="Expectation"/>, when it is
/// judged, and how to say a value in words.
/// </summary>
/// <param name="Name">camelCase, as in report.json and known-deviations.yaml; snapshots use it PascalCase.</param>
/// <param name="Judged">Whether the field is compared for this expectation and observation (a status only when both allowed).</param>
/// <param name="OnlyWhenObserved">Left out of a snapshot where the value is null (the initiator does not show it).</param>
/// <remarks>The fields every case has are properties of the records (Observation, Expectation, the report's records); every
/// other field is carried by name (<see cref="ExtraType"/> set; <see cref="ObservedValues"/>), so declaring it in
/// <see cref="ObservedFields"/> is all the records, reports, verdicts, snapshots and the `oracle` command need.</remarks>
public sealed record ObservedField(
    string Name,
    Func<Observation, object?> Observed,
    Func<Expectation, object?> Expected,
    Func<object?, string> Show,
    Func<Expectation, Observation, bool> Judged,
    bool OnlyWhenObserved = false)
{
    /// <summary>The property name of the records that carry the field (Observation, Expectation, the report's records).</summary>
    public string PropertyName => char.ToUpperInvariant(Name[0]) + Name[1..];

    /// <summary>For a field carried by name (<see cref="Observation.Extra"/>, <see cref="Expectation.Extra"/>), the nullable
    /// type of its value (how a report or the page's JSON reads it back); null for a field the records have as a property.</summary>
    public Type? ExtraType { get; init; }

    /// <summary>For a field read from what reached the target (<see cref="ExtraField{T}.Read"/>): its value for a case, or
    /// null where the case does not observe it; null for every other field.</summary>
    public Func<CorsCase, Wire, object?>? FromWire { get; init; }

    /// <summary>For a field the page measures (<see cref="ExtraField{T}.Measure"/>): the JavaScript function the page applies,
    /// where the case observes the field; null for every other field.</summary>
    public Func<CorsCase, string?>? PageFunction { get; init; }

    /// <summary>For a field the page measures: its predicted value for a case, or null where the case does not observe it.</summary>
    public Func<CorsCase, PageView, object?>? FromPage { get; init; }

    /// <summary>Whether two values of this field are the same (a list by its items, in order; no list is an empty one).</summary>
    public static bool Same(object? a, object? b) => a is IEnumerable and not string || b is IEnumerable and not string
        ? Items(a).SequenceEqual(Items(b))
        : Equals(a, b);

    private static IEnumerable<object?> Items(object? value) => value is IEnumerable list ? list.Cast<object?>() : [];
}

/// <summary>
/// Every observed field, once, in the order reports and snapshots list them. Verdicts compare these, known deviations may
/// name only these, the report's records and change list, the snapshots and the `oracle` command walk these. A new field is
/// declared here (an <see cref="ExtraField{T}"/> and its entry in <see cref="All"/>); nothing else names it. A field read
/// from what reached the target (<see cref="ExtraField{T}.Read"/>) is measured and predicted by its declaration alone: the
/// Observer reads the journal with it, the oracle the requests it models. So is a field the page measures from what a
/// request gave it (<see cref="ExtraField{T}.Measure"/>, <see cref="ExtraField{T}.Predict"/>): the runner sends its
/// function with the case's requests, matrix.js applies it, the oracle predicts from what it says the page was handed.
/// ObservedFieldsTests holds every carrier to this list.
/// </summary>
public static class ObservedFields
{
    private static bool Always(Expectation e, Observation o) => true;

    private static bool BothAllowed(Expectation e, Observation o) => e.Outcome == Outcome.Allowed && o.Outcome == Outcome.Allowed;

    /// <summary>For an img, a script or a stylesheet: whether the page could read the content itself (an img's pixels through
    /// a canvas, a script's error details, a stylesheet's rules); null where that is not observed (fetch, XHR, preload, EventSource).</summary>
    public static readonly ExtraField<bool?> ContentReadable = new("contentReadable");

    /// <summary>For an XMLHttpRequest opened with a user or password: whether the last non-preflight request the target saw
    /// of the case's last request (a sequence's last follow-up) carried an `Authorization` header; null otherwise.</summary>
    public static readonly ExtraField<bool?> AuthorizationSent = new("authorizationSent")
    {
        ObservedIn = c => c.Request.Sequence().Any(r => r.Request.OpensWithUserinfo),
        Read = (_, wire) => wire.LastActual?.Header(HeaderNames.Authorization) is not null,
    };

    /// <summary>For fetch(): the type of the Response the page gets ("basic", "cors", "opaque", "opaqueredirect"); null where
    /// fetch() rejected and for every other initiator.</summary>
    public static readonly ExtraField<string?> ResponseType = new("responseType")
    {
        Measure = new(Observes.Response, "response => response.type"),
        Predict = (_, page) => page.Outcome == Outcome.Allowed ? page.ResponseType : null,
    };

    /// <summary>For a case whose answers set the case's own cookie (<c>Set-Cookie: {case-cookie}=…</c>): whether the last
    /// non-preflight request the target saw of the case's last request (a sequence's last follow-up) carried it back; null
    /// otherwise.</summary>
    public static readonly ExtraField<bool?> CaseCookieSent = new("caseCookieSent")
    {
        ObservedIn = c => c.SetsCaseCookie,
        Read = (_, wire) => wire.LastActual?.CarriesCaseCookie ?? false,
    };

    /// <summary>For a case that asks to observe its preflight's headers (<c>observe: [preflight-headers]</c>): the header lines
    /// of the first preflight of the case's last request among those <see cref="Fetch.PreflightRequestHeaders.Names"/> lists
    /// (`accept: */*`, `access-control-request-method: PUT`, `origin: {origin}`, `user-agent: {user-agent}`, and any header of
    /// the page's own that reached the preflight), sorted; null otherwise, and where no preflight was sent.</summary>
    public static readonly ExtraField<IReadOnlyList<string>?> PreflightHeaders = new("preflightHeaders")
    {
        ObservedIn = c => c.ObservesPreflightHeaders,
        Read = (c, wire) => wire.FirstPreflight is { } preflight ? Fetch.PreflightRequestHeaders.Lines(preflight, c) : null,
    };

    /// <summary>For a case that gives fetch() a <c>referrer</c>: the Referer header of the last non-preflight request the target
    /// saw of the case's last request, the page's origin written <c>{origin}</c>, and the empty string when it carried none;
    /// null where no such request reached the target, and for every other case.</summary>
    public static readonly ExtraField<string?> Referer = new("referer")
    {
        ObservedIn = c => c.Request.Referrer is not null,
        Read = (_, wire) => wire.LastActual is { } actual ? actual.Header(HeaderNames.Referer) ?? "" : null,
    };

    /// <summary>For a case that gives fetch() a <c>referrer</c>: the Referer header of the last CORS-preflight request the
    /// target saw of the case's last request (written as <see cref="Referer"/>); null where it saw none, and for every other case.</summary>
    public static readonly ExtraField<string?> PreflightReferer = new("preflightReferer")
    {
        ObservedIn = c => c.Request.Referrer is not null,
        Read = (_, wire) => wire.LastPreflight is { } preflight ? preflight.Header(HeaderNames.Referer) ?? "" : null,
    };

    /// <summary>For a case whose answers redirect and whose requests may be preflighted (a method or header that is not
    /// CORS-safelisted, or an upload listener): the Origin header of every CORS-preflight request the target saw of the
    /// case's last request, in order, each "hop N: value" (N the redirects followed before it; the page's origin written
    /// <c>{origin}</c>, "(none)" for no Origin). After a redirect the preflight's Origin is the request's serialized origin,
    /// `null` once the redirect-taint is not "same-origin"; the first preflight's alone (<c>origin</c>, preflightHeaders) did
    /// not show what a browser sends and checks after a redirect. Empty where no preflight arrived; null for every other case.</summary>
    public static readonly ExtraField<IReadOnlyList<string>?> PreflightOrigins = new("preflightOrigins")
    {
        ObservedIn = c => new[] { c.Server }.Concat(c.Server.Then ?? []).Any(plan => plan.Redirect is not null)
            && c.Request.Sequence().Any(r => r.Request.UploadListener || !Fetch.Methods.IsCorsSafelisted(Fetch.Methods.Normalize(r.Request.Method))
                || Fetch.RequestHeaders.UnsafeNames(r.Request.Headers).Count > 0),
        Read = (_, wire) => wire.Preflights.Select(p => $"hop {p.Hop}: {p.Header(HeaderNames.Origin) ?? "(none)"}").ToList(),
    };

    /// <summary>For a case whose follow-up answers a conditional request with a 304 (<see cref="Model.CorsCase.MayRevalidate"/>):
    /// whether the last non-preflight request the target saw of the case's last request carried If-None-Match or
    /// If-Modified-Since (the browser revalidated the response its HTTP cache stored); false when it was unconditional or
    /// none arrived (the stored response served without contacting the server); null for every other case.</summary>
    public static readonly ExtraField<bool?> Revalidated = new("revalidated")
    {
        ObservedIn = c => c.MayRevalidate,
        Read = (_, wire) => wire.LastActual?.IsConditional ?? false,
    };

    /// <summary>For a case whose request is redirected and has (at any step) a method other than GET or HEAD: the method of
    /// the last request itself that reached the target. HTTP-redirect fetch, step 12: "If one of the following is true:
    /// internalResponse's status is 301 or 302 and request's method is `POST`; internalResponse's status is 303 and
    /// request's method is not `GET` or `HEAD`, then: set request's method to `GET` and request's body to null"; any other
    /// redirect keeps the method. Null where no request itself reached the target, and for every other case.</summary>
    public static readonly ExtraField<string?> RedirectedMethod = new("redirectedMethod")
    {
        ObservedIn = c => c.Request.Sequence().Any(r => r.Request.Method is not ("GET" or "HEAD"))
            && new[] { c.Server }.Concat(c.Server.Then ?? []).Any(plan => plan.Redirect is not null),
        Read = (_, wire) => wire.LastActual?.Method,
    };

    /// <summary>For a case one of whose answers to a request itself is 421 (Misdirected Request): how many requests
    /// themselves (preflights left out; each redirect hop one) of the case's last request reached the target.
    /// HTTP-network-or-cache fetch, step 17: "If all of the following are true: response's status is 421; isNewConnectionFetch
    /// is false; request's body is null, or request's body is non-null and request's body's source is non-null, then: … Set
    /// response to the result of running HTTP-network-or-cache fetch given fetchParams, isAuthenticationFetch, and true" —
    /// a request answered 421 arrives twice. The count of preflights (<c>preflights</c>) already showed a preflight's retry;
    /// nothing showed the request's own. Null for every other case.</summary>
    public static readonly ExtraField<int?> RequestsSent = new("requestsSent")
    {
        ObservedIn = c => new[] { c.Server }.Concat(c.Server.Then ?? []).Any(plan => plan.Actual.Status == 421 || plan.Redirect?.Status == 421),
        Read = (_, wire) => wire.Actual.Count(),
    };

    /// <summary>For fetch() of a case whose answers redirect: the Response's <c>redirected</c>. Fetch: "The redirected getter
    /// steps are to return true if this's response's URL list's size is greater than 1; otherwise false" — the response being
    /// the filtered one, whose URL list is its internal response's for a basic or CORS filtered response (one URL more for
    /// each redirect followed) and the empty list for an opaque or opaque-redirect one. Null where fetch() rejected, and for
    /// every other case.</summary>
    public static readonly ExtraField<bool?> Redirected = new("redirected")
    {
        ObservedIn = c => new[] { c.Server }.Concat(c.Server.Then ?? []).Any(plan => plan.Redirect is not null),
        Measure = new(Observes.Response, "response => response.redirected"),
        Predict = (_, page) => page.Outcome == Outcome.Allowed ? page.ResponseType is "basic" or "cors" && page.UrlListSize > 1 : null,
    };

    public static readonly IReadOnlyList<ObservedField> All =
    [
        new("outcome", o => o.Outcome, e => e.Outcome, v => v?.ToString()?.ToLowerInvariant() ?? "", Always),
        new("preflights", o => o.Preflights, e => e.Preflights, v => v is 1 ? "1 preflight" : $"{v} preflights", Always),
        new("actualSent", o => o.ActualSent, e => e.ActualSent, v => v is true ? "the actual request reaches the server" : "no actual request", Always),
        new("origin", o => o.Origin, e => e.Origin, v => v is null ? "no Origin header" : $"Origin: {v}", Always),
        new("requestHeaders", o => o.RequestHeaders, e => e.RequestHeaders, v => v is null ? "no Access-Control-Request-Headers" : $"Access-Control-Request-Headers: {v}", Always),
        new("credentialsSent", o => o.CredentialsSent, e => e.CredentialsSent, v => v is true ? "the cookie travels" : "no cookie", Always),
        // The standard never sends credentials with a CORS-preflight request, whatever the case: the expectation is always false.
        new("preflightCarriedCredentials", o => o.PreflightCarriedCredentials, _ => false, v => v is true ? "a preflight carrying credentials" : "preflights without credentials", Always),
        new("status", o => o.Status, e => e.Status, v => v?.ToString() ?? "no status", BothAllowed),
        new("readableHeaders", o => o.ReadableHeaders, e => e.ReadableHeaders, v => $"readable [{string.Join(", ", v as IEnumerable<string> ?? [])}]", BothAllowed),
        Carried(ContentReadable,
            v => v switch { true => "the page reads the content", false => "the content is opaque to the page", _ => "nothing observed" },
            (e, o) => e.Get(ContentReadable) is not null && o.Outcome != Outcome.Unreached),
        Carried(AuthorizationSent,
            v => v switch { true => "an Authorization header on the request", false => "no Authorization header", _ => "nothing observed" },
            (e, o) => e.Get(AuthorizationSent) is not null && o.Get(AuthorizationSent) is not null && o.Outcome != Outcome.Unreached),
        Carried(ResponseType, v => v is null ? "no Response" : $"a Response of type \"{v}\"",
            (e, o) => e.Get(ResponseType) is not null && o.Outcome == Outcome.Allowed),
        Carried(CaseCookieSent,
            v => v switch { true => "the cookie an earlier response set travels back", false => "no cookie an earlier response set", _ => "nothing observed" },
            (e, o) => e.Get(CaseCookieSent) is not null && o.Get(CaseCookieSent) is not null && o.Outcome != Outcome.Unreached),
        Carried(PreflightHeaders, v => v is null ? "no preflight observed" : $"a preflight carrying [{string.Join("; ", v)}]",
            (e, o) => e.Get(PreflightHeaders) is not null && o.Get(PreflightHeaders) is not null && o.Outcome != Outcome.Unreached),
        Carried(Revalidated,
            v => v switch { true => "a conditional request (the stored response revalidated)", false => "no conditional request", _ => "nothing observed" },
            (e, o) => e.Get(Revalidated) is not null && o.Get(Revalidated) is not null && o.Outcome != Outcome.Unreached),
        Carried(RedirectedMethod, v => v is null ? "nothing observed" : $"the request arrives as {v}",
            (e, o) => e.Get(RedirectedMethod) is not null && o.Get(RedirectedMethod) is not null && o.Outcome != Outcome.Unreached),
        Carried(Redirected, v => v switch { true => "a Response whose redirected is true", false => "a Response whose redirected is false", _ => "no Response" },
            (e, o) => e.Get(Redirected) is not null && o.Outcome == Outcome.Allowed),
        Carried(RequestsSent, v => v switch { 1 => "the request reaches the server once", 2 => "the request reaches the server twice", _ => $"the request reaches the server {v} times" },
            (e, o) => e.Get(RequestsSent) is not null && o.Get(RequestsSent) is not null && o.Outcome != Outcome.Unreached),
        Carried(Referer, ShowReferer, (e, o) => e.Get(Referer) is not null && o.Get(Referer) is not null && o.Outcome != Outcome.Unreached),
        Carried(PreflightReferer, v => ShowReferer(v) + " on the preflight",
            (e, o) => e.Get(PreflightReferer) is not null && o.Get(PreflightReferer) is not null && o.Outcome != Outcome.Unreached),
        Carried(PreflightOrigins, v => v is null ? "nothing observed" : v.Count == 0 ? "no preflight" : $"preflights with Origin [{string.Join("; ", v)}]",
            (e, o) => e.Get(PreflightOrigins) is not null && o.Get(PreflightOrigins) is not null && o.Outcome != Outcome.Unreached),
    ];

    private static string ShowReferer(string? value) => value switch
    {
        null => "nothing observed",
        "" => "no Referer header",
        _ => $"Referer: {value}",
    };

    /// <summary>The field names a difference (and a known deviation) can name.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToList();

    /// <summary>The fields carried by name (<see cref="ObservedValues"/>) rather than as properties of the records.</summary>
    public static IReadOnlyList<ObservedField> Extra { get; } = All.Where(f => f.ExtraType is not null).ToList();

    /// <summary>The declared field of this name, or null.</summary>
    public static ObservedField? Named(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>Whether two expectations allow the same observations: every predicted field the same (not the reasoning).</summary>
    public static bool SameBehaviour(Expectation a, Expectation b) => All.All(f => ObservedField.Same(f.Expected(a), f.Expected(b)));

    /// <summary>A field carried by name: only where its value is observed (a snapshot leaves out its null).</summary>
    private static ObservedField Carried<T>(ExtraField<T> field, Func<T, string> show, Func<Expectation, Observation, bool> judged) =>
        new(field.Name, o => o.Extra[field.Name], e => e.Extra[field.Name], v => show(v is T value ? value : default!), judged, OnlyWhenObserved: true)
        {
            ExtraType = typeof(T),
            FromWire = field is { ObservedIn: { } observedIn, Read: { } read } ? (c, wire) => observedIn(c) ? read(c, wire) : null : null,
            PageFunction = field.Measure is { } measure ? c => MeasuredIn(field, measure, c) ? measure.Function : null : null,
            FromPage = field is { Measure: { } measured, Predict: { } predict } ? (c, page) => MeasuredIn(field, measured, c) ? predict(c, page) : null : null,
        };

    /// <summary>Whether the page measures the field for this case: its requests let the page observe what the measure is
    /// applied to, and the case observes the field.</summary>
    private static bool MeasuredIn<T>(ExtraField<T> field, PageMeasure measure, CorsCase @case) =>
        @case.Request.Initiator.Observes == measure.On && (field.ObservedIn?.Invoke(@case) ?? true);

    /// <summary><paramref name="values"/> with every field read from the wire (<see cref="ObservedField.FromWire"/>) that the
    /// case observes: the harness gives what the target's journal recorded, the oracle what it says reaches the target.</summary>
    public static ObservedValues ReadFromWire(CorsCase @case, Wire wire, ObservedValues values) =>
        Extra.Where(f => f.FromWire is not null).Aggregate(values, (v, f) => v.With(f.Name, f.FromWire!(@case, wire)));

    /// <summary><paramref name="values"/> with every field the page measures (<see cref="ObservedField.FromPage"/>) that the
    /// case observes, predicted from what the oracle says the page was handed.</summary>
    public static ObservedValues PredictFromPage(CorsCase @case, PageView page, ObservedValues values) =>
        Extra.Where(f => f.FromPage is not null).Aggregate(values, (v, f) => v.With(f.Name, f.FromPage!(@case, page)));

    /// <summary>The page's measurements for a case's requests, as matrix.js takes them: [name, function] for each field the
    /// page measures that the case observes; null where there is none.</summary>
    public static string[][]? PageMeasures(CorsCase @case) =>
        Extra.Select(f => (f.Name, Function: f.PageFunction?.Invoke(@case))).Where(m => m.Function is not null)
            .Select(m => new[] { m.Name, m.Function! }).ToArray() is { Length: > 0 } measures ? measures : null;
}
