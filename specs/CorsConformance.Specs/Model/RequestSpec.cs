namespace CorsConformance.Specs.Model;

/// <summary>The API a page uses to make the request.</summary>
public enum Api
{
    Fetch,
    Xhr,
}

/// <summary>Fetch's request credentials mode. For XHR, <c>withCredentials = true</c> is Include and false is SameOrigin.</summary>
[FetchAnchor("concept-request-credentials-mode")]
public enum CredentialsMode
{
    Omit,
    SameOrigin,
    Include,
}

/// <summary>What the page asks for: the same record whether it is fetch() or XMLHttpRequest.</summary>
/// <param name="Method">Exactly as the page passes it; the browser normalizes it (or does not), the oracle models that.</param>
/// <param name="Headers">Author request headers, in order.</param>
/// <param name="Body">A string body, or null for none.</param>
/// <param name="Repeat">How many times the page issues the same request in sequence (for the preflight cache); at least 1.</param>
public sealed record RequestSpec(
    Api Api,
    string Method,
    IReadOnlyList<Header> Headers,
    CredentialsMode Credentials,
    string? Body = null,
    int Repeat = 1)
{
    public static RequestSpec Get { get; } = new(Api.Fetch, "GET", [], CredentialsMode.SameOrigin);
}
