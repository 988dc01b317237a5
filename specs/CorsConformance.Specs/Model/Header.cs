namespace CorsConformance.Specs.Model;

/// <summary>
/// One header line. A list of these is a Fetch "header list": order is kept, a name may repeat
/// (two lines of the same name are two entries, which Fetch's "get" combines with ", ").
/// </summary>
public sealed record Header(string Name, string Value)
{
    public override string ToString() => $"{Name}: {Value}";
}

public static class HeaderListExtensions
{
    /// <summary>Fetch "get": the values of every line named <paramref name="name"/> (case-insensitive), combined with ", "; null when absent.</summary>
    [FetchAnchor("concept-header-list-get")]
    public static string? Get(this IEnumerable<Header> headers, string name)
    {
        var values = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    public static bool Contains(this IEnumerable<Header> headers, string name) =>
        headers.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}
