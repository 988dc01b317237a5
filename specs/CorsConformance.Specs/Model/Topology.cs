namespace CorsConformance.Specs.Model;

/// <summary>Where the page that issues the request lives.</summary>
public enum PageOrigin
{
    /// <summary>A document served from the page origin (a tuple origin).</summary>
    Origin,

    /// <summary>A sandboxed iframe without allow-same-origin inside that page: an opaque origin, serialized as <c>null</c>.</summary>
    Null,

    /// <summary>A dedicated worker the page starts from a <c>data:</c> URL: its origin is a new opaque origin (HTML, "set up a
    /// worker environment settings object"), so its requests carry <c>Origin: null</c> too.</summary>
    DataWorker,

    /// <summary>The same as a module worker (<c>new Worker(url, { type: "module" })</c>).</summary>
    DataModuleWorker,

    /// <summary>An iframe whose document is a <c>data:</c> URL: an opaque origin, without any sandbox.</summary>
    DataFrame,

    /// <summary>A shared worker the page starts from a <c>data:</c> URL (<c>new SharedWorker(url)</c>): a worker global scope
    /// like a dedicated worker's, whose settings object's origin is "a unique opaque origin if worker global scope's url's
    /// scheme is "data"" (HTML, "set up a worker environment settings object").</summary>
    DataSharedWorker,
}

public static class PageOrigins
{
    /// <summary>The name case files and the runner page use: origin, null, data-worker, data-module-worker, data-frame,
    /// data-shared-worker.</summary>
    public static string Id(this PageOrigin page) => page switch
    {
        PageOrigin.Origin => "origin",
        PageOrigin.Null => "null",
        PageOrigin.DataWorker => "data-worker",
        PageOrigin.DataModuleWorker => "data-module-worker",
        PageOrigin.DataFrame => "data-frame",
        PageOrigin.DataSharedWorker => "data-shared-worker",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, null),
    };

    /// <summary>Whether the page is a context made from a <c>data:</c> URL (a worker of any kind, or a frame), where the runner
    /// sends its own fetch() and XMLHttpRequest code as source text: no element initiator runs there.</summary>
    public static bool IsDataContext(this PageOrigin page) => page switch
    {
        PageOrigin.Origin or PageOrigin.Null => false,
        PageOrigin.DataWorker or PageOrigin.DataModuleWorker or PageOrigin.DataFrame or PageOrigin.DataSharedWorker => true,
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, null),
    };

    /// <summary>Where the request comes from, for people: page, null-origin frame, data: worker, data: module worker, data: frame.</summary>
    public static string Describe(this PageOrigin page) => page switch
    {
        PageOrigin.Origin => "page",
        PageOrigin.Null => "null-origin frame",
        _ => page.Id().Replace("data-", "data: ", StringComparison.Ordinal).Replace('-', ' '),
    };
}

/// <summary>Which origin a URL of the run points at, relative to the page origin.</summary>
public enum Place
{
    /// <summary>The page's own origin.</summary>
    Page,

    /// <summary>Another host under the page's registrable domain: cross-origin, same-site.</summary>
    SameSite,

    /// <summary>A host under another registrable domain: cross-origin, cross-site.</summary>
    CrossSite,

    /// <summary>The page's own host at another port: cross-origin (an origin is scheme, host and port), same-site (a site
    /// is a scheme and a registrable domain; ports play no part).</summary>
    SameHost,
}

public enum Scheme
{
    Http,
    Https,
}

/// <summary>A request's own URL of a scheme that scheme fetch answers without a server (<c>origins.target</c>
/// <c>about-blank</c>, <c>about-other</c>, <c>blob</c>, <c>blob-revoked</c>): main fetch decides by the URL's origin and
/// scheme, and no request reaches any server.</summary>
public enum LocalUrl
{
    /// <summary><c>about:blank</c>: its origin is opaque (same origin with nothing); scheme fetch answers it with an empty 200.</summary>
    AboutBlank,

    /// <summary>Another <c>about:</c> URL (<c>about:cors-conformance</c>): scheme fetch has no answer for it, a network error.</summary>
    AboutOther,

    /// <summary>A <c>blob:</c> URL the page makes from a Blob of its own just before the request (and revokes after): its
    /// origin is the page's, so main fetch's same-origin branch takes it to scheme fetch's blob URL store lookup.</summary>
    Blob,

    /// <summary>The same, revoked before the request: the URL's blob URL entry is null, a network error.</summary>
    RevokedBlob,
}

/// <summary>The origin pair a case runs between.</summary>
public sealed record Topology(PageOrigin Page = PageOrigin.Origin, Place Target = Place.SameSite, Scheme Scheme = Scheme.Http)
{
    public static Topology Default { get; } = new();

    /// <summary>The request's own URL is a <c>data:</c> URL holding a body the initiator accepts, not a URL of the reference
    /// servers (<c>origins.target: data</c>): main fetch's "request's current URL's scheme is "data"" branch, so nothing
    /// reaches any server. <see cref="Target"/> is then unused.</summary>
    public bool DataUrl { get; init; }

    /// <summary>The scheme of the request's own URL when it is not the page's (<c>origins.target-scheme</c>); null when it is
    /// (the default). Redirect hops always lead over the page's scheme.</summary>
    public Scheme? TargetSchemeOverride { get; init; }

    /// <summary>The scheme of the request's own URL: <see cref="TargetSchemeOverride"/>, else the page's.</summary>
    public Scheme TargetScheme => TargetSchemeOverride ?? Scheme;

    /// <summary>Whether the request's own URL is over the other scheme than the page's (an http page to an https target).</summary>
    public bool CrossScheme => TargetScheme != Scheme;

    /// <summary>The request's own URL is an about: or blob: URL (<see cref="LocalUrl"/>); null for a URL of the reference
    /// servers or a data: URL. <see cref="Target"/> is then unused.</summary>
    public LocalUrl? Local { get; init; }

    /// <summary>No server takes part: the request's own URL is a data:, about: or blob: URL.</summary>
    public bool Serverless => DataUrl || Local is not null;

    public override string ToString() => $"{Page.Describe()} → {(Local is { } local ? LocalUrls.Describe(local) : DataUrl ? "a data: URL" : (Target == Place.Page ? "the page origin's" : Target.ToString()) + " target")} over {Scheme}"
        + (CrossScheme && !Serverless ? $" (the target over {TargetScheme})" : "");

    /// <summary>Whether the requests come from an opaque origin (serialized <c>null</c>).</summary>
    public bool OpaqueOrigin => Page != PageOrigin.Origin;
}

public static class LocalUrls
{
    /// <summary>The case file's word for each: about-blank, about-other, blob, blob-revoked.</summary>
    public static string Id(this LocalUrl url) => url switch
    {
        LocalUrl.AboutBlank => "about-blank",
        LocalUrl.AboutOther => "about-other",
        LocalUrl.Blob => "blob",
        LocalUrl.RevokedBlob => "blob-revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(url), url, null),
    };

    /// <summary>The URL the page fetches; for a blob: URL the page makes its own (null here).</summary>
    public static string? Fixed(this LocalUrl url) => url switch
    {
        LocalUrl.AboutBlank => "about:blank",
        LocalUrl.AboutOther => "about:cors-conformance",
        LocalUrl.Blob or LocalUrl.RevokedBlob => null,
        _ => throw new ArgumentOutOfRangeException(nameof(url), url, null),
    };

    public static string Describe(LocalUrl url) => url switch
    {
        LocalUrl.AboutBlank => "about:blank",
        LocalUrl.AboutOther => "about:cors-conformance",
        LocalUrl.Blob => "a blob: URL of the page's",
        LocalUrl.RevokedBlob => "a revoked blob: URL of the page's",
        _ => throw new ArgumentOutOfRangeException(nameof(url), url, null),
    };
}
