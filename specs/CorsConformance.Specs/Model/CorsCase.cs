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

    public override string ToString() => Id;
}
