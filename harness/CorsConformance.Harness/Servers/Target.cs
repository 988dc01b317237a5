using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// <c>/target/{token}?plan=…[&amp;hop=n]</c>, any method: answers as the case's <see cref="ServerPlan"/> says, a pure function of
/// the request, and records every request in the <see cref="Journal"/> before answering it.
/// </summary>
/// <param name="originOf">The serialized origin of a place over a scheme, with the servers' port.</param>
internal sealed class Target(Journal journal, Func<Place, Scheme, string> originOf)
{
    public const string Body = "ok";

    private const string SecFetchMode = "Sec-Fetch-Mode";
    private const string SecFetchSite = "Sec-Fetch-Site";
    private const string SecFetchDest = "Sec-Fetch-Dest";

    /// <summary>The path and query of a target URL. Hop 0 is left out, as a page's first request leaves it out.</summary>
    public static string PathAndQuery(string token, string encodedPlan, int hop) =>
        $"/target/{Uri.EscapeDataString(token)}?plan={encodedPlan}" + (hop > 0 ? $"&hop={hop}" : string.Empty);

    public Task HandleAsync(HttpContext http)
    {
        var request = TargetRequest.From(http.Request);
        var answer = Answer(request);
        journal.Record(request.Token, Observe(http.Request, request, answer.Status));
        return answer.WriteToAsync(http.Response);
    }

    // A case's plan arrives with its preflight, its actual request and every redirect hop: decode it once. Bounded, so a
    // long-running server does not keep every plan it has seen.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServerPlan> _plans = new(StringComparer.Ordinal);

    private ServerPlan DecodeOnce(string text)
    {
        if (_plans.TryGetValue(text, out var plan)) return plan;
        if (_plans.Count > 4096) _plans.Clear();
        return _plans[text] = PlanCodec.Decode(text);
    }

    /// <summary>Decides the answer; writes nothing.</summary>
    public TargetAnswer Answer(TargetRequest request)
    {
        if (request.Hop is not { } hop) return TargetAnswer.BadRequest("hop is not a whole number");
        if (request.Plan is not { } text) return TargetAnswer.BadRequest("exactly one plan query parameter is needed");
        ServerPlan plan;
        try
        {
            plan = DecodeOnce(text);
        }
        catch (FormatException e)
        {
            return TargetAnswer.BadRequest(e.Message);
        }

        var pageOrigin = originOf(Place.Page, request.Scheme);
        var values = new PlaceholderValues(pageOrigin, request.Origin, new Uri(pageOrigin).Authority,
            request.OwnOrigin, pageOrigin + PageAssets.RunnerPage, request.OwnOrigin + request.PathAndQuery);
        IReadOnlyList<Header> Filled(IReadOnlyList<Header> headers) => [.. headers.Select(h => h with { Value = Placeholders.Fill(h.Value, values) })];

        if (request.IsPreflight) return new(plan.Preflight.Status, Filled(plan.Preflight.Headers), Body);
        if (plan.Redirect is { } redirect && hop < redirect.Hops)
        {
            var headers = Filled(redirect.Headers);
            // A plan that sets Location itself (to test a bad one) is taken at its word.
            var origin = originOf(redirect.Destination(hop), request.Scheme);
            if (redirect.Userinfo) origin = origin.Replace("://", "://" + RedirectPlan.UserinfoPart, StringComparison.Ordinal);
            var location = origin + PathAndQuery(request.Token, text, hop + 1);
            return new(redirect.Status, headers.Contains(HeaderNames.Location) ? headers : [.. headers, new(HeaderNames.Location, location)], string.Empty);
        }

        return new(plan.Actual.Status, Filled(plan.Actual.Headers), Body, plan.Content);
    }

    private static SeenRequest Observe(HttpRequest http, TargetRequest request, int status) => new(
        Method: request.Method,
        Scheme: request.Scheme,
        Host: http.Host.Value ?? string.Empty,
        PathAndQuery: http.HttpContext.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
        Hop: request.Hop ?? 0,
        IsPreflight: request.IsPreflight,
        Origin: request.Origin,
        AccessControlRequestMethod: TargetRequest.HeaderOf(http, HeaderNames.AccessControlRequestMethod),
        AccessControlRequestHeaders: TargetRequest.HeaderOf(http, HeaderNames.AccessControlRequestHeaders),
        HasCookie: CarriesCookie(http.Headers.Cookie, ServerContract.CookieName),
        HasAuthorization: http.Headers.ContainsKey(HeaderNames.Authorization),
        SecFetchMode: TargetRequest.HeaderOf(http, SecFetchMode),
        SecFetchSite: TargetRequest.HeaderOf(http, SecFetchSite),
        SecFetchDest: TargetRequest.HeaderOf(http, SecFetchDest),
        ResponseStatus: status);

    /// <summary>Whether any Cookie line has a <c>name=value</c> pair named <paramref name="name"/>.</summary>
    private static bool CarriesCookie(IEnumerable<string?> cookieLines, string name) =>
        cookieLines.SelectMany(line => (line ?? string.Empty).Split(';'))
                   .Any(pair => pair.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0
                                && pair[..equals].Trim() == name);
}
