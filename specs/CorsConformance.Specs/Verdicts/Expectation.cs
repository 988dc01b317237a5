namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// What the Fetch Standard says must happen for a case. Fields mirror <see cref="Observation"/> so the two compare field by field.
/// </summary>
/// <param name="Outcome">Allowed, Blocked or Refused (never Unreached).</param>
/// <param name="Preflights">How many CORS-preflight requests reach the target over all repetitions and follow-ups.</param>
/// <param name="ActualSent">Whether the actual request (the last repetition, or the last follow-up) reaches the target at all.</param>
/// <param name="Origin">The Origin header on the last non-preflight request the target sees: <c>{origin}</c>, <c>null</c>, or null when absent/unsent.</param>
/// <param name="RequestHeaders">The Access-Control-Request-Headers the first preflight of the last request carries (over its
/// repetitions; for a sequence, the last follow-up's own preflight), or null when none.</param>
/// <param name="CredentialsSent">Whether the last non-preflight request carries the harness's cookie.</param>
/// <param name="Status">The status the page reads when allowed.</param>
/// <param name="ReadableHeaders">The response header names (lowercase, sorted) the page can read when allowed.</param>
/// <param name="Reason">In the standard's words, why the outcome is what it is.</param>
/// <param name="Steps">The rules applied, in order, each with its anchor.</param>
public sealed record Expectation(
    Outcome Outcome,
    int Preflights,
    bool ActualSent,
    string? Origin,
    string? RequestHeaders,
    bool CredentialsSent,
    int? Status,
    IReadOnlyList<string>? ReadableHeaders,
    string Reason,
    IReadOnlyList<string> Steps)
{
    /// <summary>The predicted fields carried by name rather than as properties (those only some initiators or cases show:
    /// <see cref="ObservedFields.Extra"/>); read one with <see cref="Get{T}"/>.</summary>
    public ObservedValues Extra { get; init; } = ObservedValues.None;

    /// <summary>A field carried by name: null where the standard predicts nothing a page could observe.</summary>
    public T Get<T>(ExtraField<T> field) => field.Of(Extra);

    /// <summary>This expectation with a field carried by name set (null: nothing predicted).</summary>
    public Expectation With<T>(ExtraField<T> field, T value) => this with { Extra = Extra.With(field.Name, value) };


    /// <summary>
    /// Where the standard leaves the browser a choice (a "may": a preflight cache entry cleared early, a capped max-age), the
    /// choice this expectation follows, in the standard's words; null where the standard leaves nothing open.
    /// </summary>
    public string? Choice { get; init; }

    /// <summary>
    /// The other conforming behaviours: each a whole expectation that follows another choice the standard allows, with its
    /// <see cref="Choice"/>. An observation conforms when it matches this expectation or any alternative. Empty when the
    /// standard leaves nothing open.
    /// </summary>
    public IReadOnlyList<Expectation> Alternatives { get; init; } = [];

    /// <summary>
    /// The numbered steps of the standard this behaviour went through, in order (ids of specs/catalog/standard-map.yaml,
    /// each with the oracle method that applied it): what the map of the standard reads a case's steps from. Not part of the
    /// behaviour: two expectations that differ only here allow the same observations.
    /// </summary>
    public IReadOnlyList<Fetch.TracedStep> Trace { get; init; } = [];

    /// <summary>This expectation and its alternatives: every behaviour the standard allows.</summary>
    public IReadOnlyList<Expectation> Allowed => [this, .. Alternatives];
}
