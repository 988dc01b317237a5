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
    /// <summary>Whether the page could read the content itself where only an initiator's side effect tells (an img's pixels
    /// through a canvas, a script's error details); null where that is not observed (fetch, XHR, preload, EventSource).</summary>
    public bool? ContentReadable { get; init; }

    /// <summary>Whether the last non-preflight request the target saw carried an `Authorization` header; observed only for an
    /// XMLHttpRequest opened with a user or password (null otherwise).</summary>
    public bool? AuthorizationSent { get; init; }

    /// <summary>Whether the last non-preflight request the target saw carried the cookie an earlier answer of the case set
    /// (<c>Set-Cookie: {case-cookie}=…</c>); observed only for a case that sets one (null otherwise).</summary>
    public bool? CaseCookieSent { get; init; }

    /// <summary>The browser's own words for a failure (console or page error), scrubbed; not part of the verdict or the snapshot.</summary>
    public string? BrowserReason { get; init; }

    /// <summary>The error the page caught (e.g. "TypeError: Failed to fetch"), if any.</summary>
    public string? PageError { get; init; }
}
