using System.Collections;

namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// One thing the harness observes of a case and the oracle predicts: its name (as verdicts, known deviations, reports and
/// snapshots spell it), how to read it from an <see cref="Observation"/> and from an <see cref="Expectation"/>, when it is
/// judged, and how to say a value in words.
/// </summary>
/// <param name="Name">camelCase, as in report.json and known-deviations.yaml; snapshots use it PascalCase.</param>
/// <param name="Judged">Whether the field is compared for this expectation and observation (a status only when both allowed).</param>
/// <param name="OnlyWhenObserved">Left out of a snapshot where the value is null (the initiator does not show it).</param>
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

    /// <summary>Whether two values of this field are the same (a list by its items, in order; no list is an empty one).</summary>
    public static bool Same(object? a, object? b) => a is IEnumerable and not string || b is IEnumerable and not string
        ? Items(a).SequenceEqual(Items(b))
        : Equals(a, b);

    private static IEnumerable<object?> Items(object? value) => value is IEnumerable list ? list.Cast<object?>() : [];
}

/// <summary>
/// Every observed field, once, in the order reports and snapshots list them. Verdicts compare these, known deviations may
/// name only these, the report's change list and the snapshots walk these; a test holds the records (Observation,
/// Expectation, the report's observation and expectation) to this list, so a new field is added here and where it is
/// measured (the Observer) and predicted (the oracle).
/// </summary>
public static class ObservedFields
{
    private static bool Always(Expectation e, Observation o) => true;

    private static bool BothAllowed(Expectation e, Observation o) => e.Outcome == Outcome.Allowed && o.Outcome == Outcome.Allowed;

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
        new("contentReadable", o => o.ContentReadable, e => e.ContentReadable,
            v => v switch { true => "the page reads the content", false => "the content is opaque to the page", _ => "nothing observed" },
            (e, o) => e.ContentReadable is not null && o.Outcome != Outcome.Unreached, OnlyWhenObserved: true),
        new("authorizationSent", o => o.AuthorizationSent, e => e.AuthorizationSent,
            v => v switch { true => "an Authorization header on the request", false => "no Authorization header", _ => "nothing observed" },
            (e, o) => e.AuthorizationSent is not null && o.AuthorizationSent is not null && o.Outcome != Outcome.Unreached, OnlyWhenObserved: true),
        new("caseCookieSent", o => o.CaseCookieSent, e => e.CaseCookieSent,
            v => v switch { true => "the cookie an earlier response set travels back", false => "no cookie an earlier response set", _ => "nothing observed" },
            (e, o) => e.CaseCookieSent is not null && o.CaseCookieSent is not null && o.Outcome != Outcome.Unreached, OnlyWhenObserved: true),
    ];

    /// <summary>The field names a difference (and a known deviation) can name.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToList();
}
