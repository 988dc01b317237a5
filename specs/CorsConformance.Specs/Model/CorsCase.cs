namespace CorsConformance.Specs.Model;

/// <summary>
/// One case of the catalog: pure data. The id is stable once published (snapshots and deviations are keyed by it);
/// the anchor names the Fetch Standard rule the case exercises.
/// </summary>
public sealed record CorsCase(
    string Id,
    string Anchor,
    string Description,
    Topology Origins,
    RequestSpec Request,
    ServerPlan Server,
    string Source = "")
{
    /// <summary>The first segment of the id: the catalog's category (e.g. <c>cors-check</c>).</summary>
    public string Category => Id.Split('/')[0];

    public string AnchorUrl => FetchSpec.Url(Anchor);

    /// <summary>Whether an answer of the case sets the case's own cookie (a <c>Set-Cookie</c> naming
    /// <see cref="Placeholders.CaseCookie"/>): then whether the last request carried it back is observed and judged.</summary>
    public bool SetsCaseCookie =>
        Server.Responses().Any(response => response.Headers.Any(IsCaseCookie));

    /// <summary>A <c>Set-Cookie</c> line that sets the case's own cookie.</summary>
    public static bool IsCaseCookie(Header header) =>
        header.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase) && header.Value.Contains(Placeholders.CaseCookie, StringComparison.Ordinal);

    public override string ToString() => Id;
}
