using System.Globalization;
using CorsConformance.Specs;
using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;

namespace CorsConformance.Harness.Servers;

/// <summary>The facts of a request to <c>/target/{token}</c> that its answer depends on, read once from the wire.</summary>
/// <param name="Plan">The <c>plan</c> query parameter, still encoded; null when absent or given more than once.</param>
/// <param name="Hop">The <c>hop</c> query parameter (0 when absent); null when it is not a whole number ≥ 0.</param>
/// <param name="OwnOrigin">The origin of the URL being answered: its scheme and the Host it arrived with.</param>
/// <param name="PathAndQuery">The request target as it arrived.</param>
internal sealed record TargetRequest(
    string Token,
    string Method,
    Scheme Scheme,
    string? Origin,
    bool HasAccessControlRequestMethod,
    string? Plan,
    int? Hop,
    string OwnOrigin = "",
    string PathAndQuery = "",
    bool IsConditional = false)
{
    /// <summary>Fetch's CORS-preflight request: <c>OPTIONS</c> that includes <c>Access-Control-Request-Method</c>.</summary>
    [FetchAnchor("cors-preflight-request")]
    public bool IsPreflight => HttpMethods.IsOptions(Method) && HasAccessControlRequestMethod;

    public static TargetRequest From(HttpRequest request) => new(
        Token: request.RouteValues["token"] as string ?? string.Empty,
        Method: request.Method,
        Scheme: request.IsHttps ? Scheme.Https : Scheme.Http,
        Origin: HeaderOf(request, HeaderNames.Origin),
        HasAccessControlRequestMethod: request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod),
        Plan: request.Query.TryGetValue("plan", out var plan) && plan.Count == 1 ? plan[0] : null,
        Hop: !request.Query.TryGetValue("hop", out var hop) ? 0
            : hop.Count == 1 && int.TryParse(hop[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
            : null,
        OwnOrigin: $"{request.Scheme}://{request.Host.Value}",
        PathAndQuery: request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString,
        IsConditional: ServerPlan.IsConditional(request.Headers.Keys));

    /// <summary>Fetch "get": every line of the header combined with ", "; null when absent.</summary>
    [FetchAnchor("concept-header-list-get")]
    public static string? HeaderOf(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? string.Join(", ", values.ToArray()) : null;
}
