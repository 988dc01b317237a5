namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// What a browser did for one case: from the page (outcome, status, readable headers) and from the target's journal
/// (preflights, whether the actual request arrived, its Origin and cookie). Scrubbed: the page origin reads <c>{origin}</c>,
/// so an observation is stable from run to run and machine to machine.
/// </summary>
public sealed record Observation(
    Outcome Outcome,
    int Preflights,
    bool ActualSent,
    string? Origin,
    string? RequestHeaders,
    bool CredentialsSent,
    bool PreflightCarriedCredentials,
    int? Status,
    IReadOnlyList<string>? ReadableHeaders)
{
    /// <summary>The observed fields carried by name rather than as properties (those only some initiators or cases show:
    /// <see cref="ObservedFields.Extra"/>); read one with <see cref="Get{T}"/>.</summary>
    public ObservedValues Extra { get; init; } = ObservedValues.None;

    /// <summary>A field carried by name: null where it was not observed.</summary>
    public T Get<T>(ExtraField<T> field) => field.Of(Extra);

    /// <summary>This observation with a field carried by name set (null: not observed).</summary>
    public Observation With<T>(ExtraField<T> field, T value) => this with { Extra = Extra.With(field.Name, value) };


    /// <summary>The browser's own words for a failure (console or page error), scrubbed; not part of the verdict or the snapshot.</summary>
    public string? BrowserReason { get; init; }

    /// <summary>The error the page caught (e.g. "TypeError: Failed to fetch"), if any.</summary>
    public string? PageError { get; init; }
}
