using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// The host names of the topology. Browsers map them to loopback by their own host-resolver rules, never through
/// <c>/etc/hosts</c>; every host reaches the same reference servers.
/// </summary>
public static class HostNames
{
    public const string Page = PageAddress.HostName;
    public const string SameSite = "api.cors.test";
    public const string CrossSite = "api.cors-alt.test";

    public static IReadOnlyList<string> All { get; } = [Page, SameSite, CrossSite];

    public static string For(Place place) => place switch
    {
        Place.Page => Page,
        Place.SameSite => SameSite,
        Place.CrossSite => CrossSite,
        Place.SameHost => Page,
        _ => throw new ArgumentOutOfRangeException(nameof(place), place, "not a place of the topology"),
    };
}
