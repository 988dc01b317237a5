using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// <c>/target/{token}?plan=…[&amp;hop=n]</c>, any method: answers as the case's <see cref="ServerPlan"/> says, a pure function of
/// the request (and, for a plan whose follow-ups meet answers of their own, of the step the page last marked), and records
/// every request in the <see cref="Journal"/> before answering it.
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

    /// <summary>Decides the answer, journals the request with exactly what is about to be sent, then sends it: through
    /// Kestrel, or, for an answer Kestrel cannot write, through the <see cref="RawPath"/> of the same HTTP/1.1 connection.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        var request = TargetRequest.From(http.Request);
        var answer = Answer(request);
        var now = DateTimeOffset.UtcNow;
        if (answer.IsRaw)
        {
            if (http.Features.Get<IRawResponder>() is { } raw && http.Request.Protocol == "HTTP/1.1")
            {
                // Read the request to its end first: a connection closed with unread bytes is reset, and the reset can
                // destroy the response before the browser reads it.
                await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
                var (bytes, sent) = answer.RawBytes(HttpMethods.IsHead(http.Request.Method), now);
                journal.Record(request.Token, Observe(http.Request, request, sent));
                await raw.SendAsync(bytes, http.RequestAborted);
                // Kestrel's own answer goes nowhere; Connection: close makes it end the connection after it.
                http.Response.Headers.Connection = "close";
                http.Response.ContentLength = 0;
                return;
            }
            // The journal then shows a 500 where the plan asked for something else: a harness error, never a verdict.
            answer = TargetAnswer.ServerError($"a raw answer needs an HTTP/1.1 connection, and this request came over {http.Request.Protocol}");
        }

        SentResponse prepared;
        try
        {
            prepared = answer.Prepare(http.Response, now);
        }
        catch (InvalidOperationException e)
        {
            http.Response.Clear();
            answer = TargetAnswer.ServerError("Kestrel refused the answer: " + e.Message);
            prepared = answer.Prepare(http.Response, now);
        }
        journal.Record(request.Token, Observe(http.Request, request, prepared));
        await answer.WriteBodyAsync(http.Response);
    }

    /// <summary>Which of a plan's answers a request gets: the preflight's, a redirect's (for hops before the last), or the
    /// actual response's. The one place this is decided (the target answers by it; <see cref="WireCheck"/> checks by it).</summary>
    /// <remarks>The plan is the one of the request's step of a sequence (<see cref="ServerPlan.ForStep"/>).</remarks>
    /// <param name="conditional">The request carries If-None-Match or If-Modified-Since (<see cref="ServerPlan.IsConditional"/>):
    /// a plan with <see cref="ServerPlan.NotModified"/> answers it 304.</param>
    public static (ResponsePlan Response, bool IsRedirect) PlanFor(ServerPlan plan, bool isPreflight, int hop, bool conditional = false) =>
        isPreflight ? (plan.PreflightAt(hop), false)
        : plan.Redirect is { } redirect && hop < redirect.Hops ? (new ResponsePlan(redirect.Status, redirect.Headers), true)
        : conditional && plan.NotModified is { } notModified ? (notModified, false)
        : (plan.Actual, false);

    /// <summary>What each placeholder stands for in an answer to a request at <paramref name="ownOrigin"/>.</summary>
    public static PlaceholderValues PlaceholdersFor(string pageOrigin, string? echoedOrigin, string ownOrigin, string pathAndQuery) =>
        new(pageOrigin, echoedOrigin, new Uri(pageOrigin).Authority, ownOrigin, pageOrigin + PageAssets.RunnerPage, ownOrigin + pathAndQuery)
        {
            CaseCookie = ServerContract.CaseCookieName(TokenOf(pathAndQuery)),
        };

    /// <summary>The case's token in a target URL's path and query (<c>/target/{token}?plan=…</c>).</summary>
    private static string TokenOf(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0];
        return Uri.UnescapeDataString(path.StartsWith("/target/", StringComparison.Ordinal) ? path["/target/".Length..] : path.TrimStart('/'));
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

        // A sequence whose follow-ups meet answers of their own: the request belongs to the step the page marked last (the
        // page's mark before a follow-up arrives before the follow-up's first request; the URL stays the case's, so the
        // preflight cache and the cookies carry over).
        if (plan.Then is not null) plan = plan.ForStep(StepOf(journal.MarksFor(request.Token), long.MaxValue));
        // The page is over the scheme the request arrived with, unless the plan says the target is over the other one.
        var pageScheme = plan.PageScheme ?? request.Scheme;
        var values = PlaceholdersFor(originOf(Place.Page, pageScheme), request.Origin, request.OwnOrigin, request.PathAndQuery);
        var (response, isRedirect) = PlanFor(plan, request.IsPreflight, hop, request.IsConditional);
        var headers = WireCheck.Filled(response.Headers, values);
        if (request.IsPreflight) return new(response.Status, headers, Body, Reason: response.Reason);
        if (isRedirect)
        {
            // A plan that sets Location itself (to test a bad one) is taken at its word.
            var redirect = plan.Redirect!;
            var origin = originOf(redirect.Destination(hop), pageScheme);
            if (redirect.Userinfo is { } userinfo) origin = origin.Replace("://", "://" + userinfo + "@", StringComparison.Ordinal);
            return new(response.Status, redirect.WithLocation(headers, origin + PathAndQuery(request.Token, text, hop + 1)), string.Empty);
        }

        return new(response.Status, headers, Body, plan.Content, response.Reason);
    }

    /// <summary>The step of a sequence a request that arrived at <paramref name="sequence"/> belongs to: the last step the page
    /// marked before it (0 before any mark: the case's own request and its repetitions).</summary>
    public static int StepOf(IReadOnlyList<StepMark> marks, long sequence) =>
        marks.Where(m => m.Sequence < sequence).Select(m => m.Step).DefaultIfEmpty(0).Max();

    private static SeenRequest Observe(HttpRequest http, TargetRequest request, SentResponse sent) => new(
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
        ResponseStatus: sent.Status)
    {
        Sent = sent,
        HeaderLines = SeenRequest.LinesOf(http.Headers.SelectMany(h => h.Value.Select(v => new Header(h.Key, v ?? string.Empty)))),
        HasCaseCookie = CarriesCookie(http.Headers.Cookie, ServerContract.CaseCookieName(request.Token)),
    };

    /// <summary>Whether any Cookie line has a <c>name=value</c> pair named <paramref name="name"/>.</summary>
    private static bool CarriesCookie(IEnumerable<string?> cookieLines, string name) =>
        cookieLines.SelectMany(line => (line ?? string.Empty).Split(';'))
                   .Any(pair => pair.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0
                                && pair[..equals].Trim() == name);
}
