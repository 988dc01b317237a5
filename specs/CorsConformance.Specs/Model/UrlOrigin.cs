namespace CorsConformance.Specs.Model;

/// <summary>
/// The origin of a URL of the run: a place of the topology over a scheme. Each place is one host and port per scheme
/// (<see cref="Place.SameHost"/> is the page's host at another port), so two of them are the same origin exactly when
/// place and scheme are. Opaque origins are not <see cref="UrlOrigin"/>s: the page's opacity is the topology's.
/// </summary>
public readonly record struct UrlOrigin(Place Place, Scheme Scheme)
{
    /// <summary>HTML, "same origin": "If A and B are both tuple origins and their schemes, hosts, and port are identical,
    /// then return true." (https://html.spec.whatwg.org/multipage/browsers.html#same-origin)</summary>
    public bool IsSameOrigin(UrlOrigin other) => Place == other.Place && Scheme == other.Scheme;

    /// <summary>HTML, "schemelessly same site": for tuple origins, "If hostA's registrable domain equals hostB's registrable
    /// domain and is non-null, then return true." Ports and schemes play no part: every place but the cross-site one is
    /// under the page's registrable domain. (https://html.spec.whatwg.org/multipage/browsers.html#schemelessly-same-site)</summary>
    public bool IsSchemelesslySameSite(UrlOrigin other) => (Place == Place.CrossSite) == (other.Place == Place.CrossSite);

    /// <summary>HTML, "same site": "If A's and B's scheme values are different, then return false. If A and B are schemelessly
    /// same site, then return true." So an http page and an https URL on its own host are not same site.
    /// (https://html.spec.whatwg.org/multipage/browsers.html#same-site)</summary>
    public bool IsSameSite(UrlOrigin other) => Scheme == other.Scheme && IsSchemelesslySameSite(other);

    /// <summary>Whether cookies of one are cookies of the other: a cookie is keyed by host (and path), not by port or scheme
    /// (RFC 6265bis, "domain-match"), so the page's host at another port shares the page's cookies.</summary>
    public bool SharesCookiesWith(UrlOrigin other) => CookieHost(Place) == CookieHost(other.Place);

    private static Place CookieHost(Place place) => place == Place.SameHost ? Place.Page : place;

    /// <summary>For people: "SameSite over https".</summary>
    public override string ToString() => $"{Place} over {Scheme.ToString().ToLowerInvariant()}";
}
