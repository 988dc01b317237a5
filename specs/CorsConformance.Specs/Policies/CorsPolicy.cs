namespace CorsConformance.Specs.Policies;

/// <summary>
/// What a server under test intends its CORS behaviour to be: the policy a team writes down (policy.json) and the suite
/// holds real browsers and the server to. Allowed origins are exact serialized origins or subdomain patterns
/// (<c>https://*.example.com</c>); a literal <c>*</c> means any origin, which is not the same thing as a list once
/// credentials are involved (Fetch treats a <c>*</c> response header literally for credentialed requests).
/// </summary>
/// <param name="Routes">The API's routes the policy covers (`resources`), each with its own methods where they differ; empty:
/// the one resource the settings name.</param>
public sealed record CorsPolicy(
    IReadOnlyList<PolicyRoute> Routes,
    IReadOnlyList<OriginRule> AllowedOrigins,
    bool AnyOrigin,
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<string> AllowedHeaders,
    IReadOnlyList<string> ExposedHeaders,
    bool AllowCredentials,
    long? MaxAge,
    string DisallowedOrigin)
{
    public const string DefaultDisallowedOrigin = "https://evil.example";

    /// <summary>Whether the policy allows <paramref name="origin"/> (a serialized origin, or "null").</summary>
    public bool IsOriginAllowed(string origin) => AnyOrigin || AllowedOrigins.Any(rule => rule.Matches(origin));

    public bool IsMethodAllowed(string method) => AllowedMethods.Contains(method, StringComparer.Ordinal);

    /// <summary>The policy as it applies to one route: the route's own methods where it names them.</summary>
    public CorsPolicy ForRoute(PolicyRoute route) => route.AllowedMethods is { } methods ? this with { AllowedMethods = methods } : this;
}

/// <summary>
/// One route of the API a policy covers: a path (<c>/api/items</c>, resolved against the server's URL in the settings) or
/// an absolute http(s) URL, and the methods it allows when they differ from the policy's.
/// </summary>
public sealed record PolicyRoute(string Path, IReadOnlyList<string>? AllowedMethods = null)
{
    public bool IsAbsolute => Uri.TryCreate(Path, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>The route's URL: an absolute one as it is, a path against <paramref name="server"/> (its query kept).</summary>
    public Uri Resolve(Uri server) => IsAbsolute ? new Uri(Path) : new Uri(server, Path);

    public override string ToString() => Path;
}

/// <summary>An allowed-origin rule: an exact origin, or <c>scheme://*.domain[:port]</c> for any subdomain of domain.</summary>
public sealed record OriginRule(string Text)
{
    public bool IsPattern => Text.Contains("://*.", StringComparison.Ordinal);

    public bool Matches(string origin)
    {
        if (!IsPattern) return string.Equals(Text, origin, StringComparison.Ordinal);
        var schemeEnd = Text.IndexOf("://*.", StringComparison.Ordinal);
        var scheme = Text[..schemeEnd];
        var suffix = Text[(schemeEnd + "://*".Length)..]; // ".example.com[:port]"
        if (!origin.StartsWith(scheme + "://", StringComparison.Ordinal)) return false;
        var hostAndPort = origin[(scheme.Length + 3)..];
        return hostAndPort.EndsWith(suffix, StringComparison.Ordinal)
            && hostAndPort.Length > suffix.Length
            && !hostAndPort[..^suffix.Length].Contains(':');
    }

    /// <summary>A concrete origin this rule allows (for a pattern, the subdomain <c>app</c>), to impersonate in a browser.</summary>
    public string Example => IsPattern ? Text.Replace("://*.", "://cors-conformance.", StringComparison.Ordinal) : Text;

    /// <summary>The pattern whose <see cref="Example"/> <paramref name="origin"/> is (<c>https://*.example.org</c> for
    /// <c>https://cors-conformance.example.org</c>), or null for an origin no pattern's example is.</summary>
    public static string? PatternOf(string origin) =>
        origin.Contains("://cors-conformance.", StringComparison.Ordinal) ? origin.Replace("://cors-conformance.", "://*.", StringComparison.Ordinal) : null;

    public override string ToString() => Text;
}
