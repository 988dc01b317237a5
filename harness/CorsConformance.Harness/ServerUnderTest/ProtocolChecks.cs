using CorsConformance.Specs;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.ServerUnderTest;

public enum FindingOutcome
{
    Pass,
    Fail,
    NotApplicable,
}

/// <summary>One protocol check of a server under test, without a browser: a stable id, the rule's source, and the evidence.</summary>
public sealed record ProtocolFinding(string CheckId, string Title, FindingOutcome Outcome, string Source, string Message, string Curl)
{
    public override string ToString() => $"[{Outcome.ToString().ToLowerInvariant()}] {CheckId}: {Message}";
}

/// <summary>
/// Checks a server's CORS answers with plain HTTP requests (no browser), each check naming its source. Server-side defects
/// are reported even where today's browsers let the request through (a missing Vary: Origin breaks shared caches).
/// Every request has a timeout; a hang, a reset or garbage is a failed finding, never an exception and never a hang.
/// </summary>
public static class ProtocolChecks
{
    public static readonly IReadOnlyDictionary<string, (string Title, string Source)> Checks = new Dictionary<string, (string, string)>
    {
        ["preflight-ok-status"] = ("a preflight for an allowed origin and method is answered with an ok status (2xx), not a redirect", FetchSpec.Url("cors-preflight-fetch-0")),
        ["acao-single-value"] = ("Access-Control-Allow-Origin is one value on one line", FetchSpec.Url("http-access-control-allow-origin")),
        ["acao-not-star-with-credentials"] = ("Access-Control-Allow-Origin is never * when Access-Control-Allow-Credentials is true", FetchSpec.Url("concept-cors-check")),
        ["acac-exactly-true"] = ("Access-Control-Allow-Credentials, when present, is exactly `true`", FetchSpec.Url("http-access-control-allow-credentials")),
        ["disallowed-origin-refused"] = ("an origin the policy does not allow gets no Access-Control-Allow-Origin that admits it", FetchSpec.Url("concept-cors-check")),
        ["vary-origin"] = ("a response whose Access-Control-Allow-Origin depends on the request's Origin says Vary: Origin", FetchSpec.Url("cors-protocol-and-http-caches")),
        ["options-without-acrm-not-preflight"] = ("an OPTIONS request without Access-Control-Request-Method is not answered as a preflight", FetchSpec.Url("cors-preflight-request")),
        ["max-age-parses"] = ("Access-Control-Max-Age, when present, is delta-seconds", FetchSpec.Url("http-access-control-max-age")),
        ["max-age-matches-policy"] = ("the preflight's Access-Control-Max-Age is the policy's maxAge", FetchSpec.Url("http-access-control-max-age")),
    };

    public static async Task<IReadOnlyList<ProtocolFinding>> RunAsync(Uri resource, CorsPolicy policy, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var origin = policy.AnyOrigin && policy.AllowedOrigins.Count == 0 ? "https://app.example.com" : policy.AllowedOrigins[0].Example;
        var method = policy.AllowedMethods.FirstOrDefault(m => m != "*" && !Methods.IsCorsSafelisted(m)) ?? "GET";
        var header = method == "GET" ? policy.AllowedHeaders.FirstOrDefault(h => h != "*") : null;
        var probe = new Probe(client, timeout, resource);

        var preflightRequest = new List<Header> { new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, method) };
        if (header is not null) preflightRequest.Add(new Header(HeaderNames.AccessControlRequestHeaders, header.ToLowerInvariant()));
        // The four probes are independent: sent together, a hanging server costs one timeout, not four.
        var sent = await Task.WhenAll(
            probe.SendAsync("OPTIONS", preflightRequest, cancellationToken),
            probe.SendAsync("GET", [new(HeaderNames.Origin, origin)], cancellationToken),
            probe.SendAsync("GET", [new(HeaderNames.Origin, policy.DisallowedOrigin)], cancellationToken),
            probe.SendAsync("OPTIONS", [new(HeaderNames.Origin, origin)], cancellationToken));
        var (preflight, actual, disallowed, bareOptions) = (sent[0], sent[1], sent[2], sent[3]);

        var findings = new List<ProtocolFinding>();
        void Add(string id, Exchange evidence, FindingOutcome outcome, string message) =>
            findings.Add(new ProtocolFinding(id, Checks[id].Title, outcome, Checks[id].Source, $"{message}\n{evidence}", evidence.Curl));

        // A request that got no answer fails every check that needs its answer, with the reason.
        bool Answered(string id, Exchange exchange)
        {
            if (exchange.Response.Answered) return true;
            Add(id, exchange, FindingOutcome.Fail, $"the server did not answer: {exchange.Response.Failure}");
            return false;
        }

        if (method == "GET" && header is null)
        {
            Add("preflight-ok-status", preflight, FindingOutcome.NotApplicable, "the policy allows nothing that needs a preflight");
        }
        else if (Answered("preflight-ok-status", preflight))
        {
            var status = preflight.Response.Status!.Value;
            Add("preflight-ok-status", preflight, Oracle.IsOkStatus(status) ? FindingOutcome.Pass : FindingOutcome.Fail,
                Oracle.IsOkStatus(status) ? $"the preflight got {status}"
                : Oracle.IsRedirectStatus(status) ? $"the preflight got the redirect {status}: browsers do not follow redirects of a preflight, so every {method} from {origin} fails"
                : $"the preflight got {status}, not an ok status: every {method} from {origin} fails in browsers");
        }

        if (Answered("acao-single-value", actual))
        {
            var lines = actual.Response.Headers.Where(h => Is(h, HeaderNames.AccessControlAllowOrigin)).ToList();
            var single = lines.Count <= 1 && !lines.Any(l => l.Value.Contains(','));
            Add("acao-single-value", actual, single ? FindingOutcome.Pass : FindingOutcome.Fail,
                single ? "Access-Control-Allow-Origin is a single value"
                : $"{lines.Count} Access-Control-Allow-Origin value(s) [{string.Join(" | ", lines.Select(l => l.Value))}]: combined, they match no origin, so browsers block the response");
        }

        foreach (var id in new[] { "acao-not-star-with-credentials", "acac-exactly-true", "max-age-parses" })
        {
            var exchanges = new[] { preflight, actual }.Where(e => e.Response.Answered).ToList();
            if (exchanges.Count == 0)
            {
                Answered(id, actual);
                continue;
            }
            var bad = exchanges.FirstOrDefault(e => id switch
            {
                "acao-not-star-with-credentials" => e.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*"
                    && e.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true",
                "acac-exactly-true" => e.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) is { } acac && acac != "true",
                _ => !Http.ExtractMaxAge(e.Response.Headers.Get(HeaderNames.AccessControlMaxAge)).Ok,
            });
            Add(id, bad ?? exchanges[0], bad is null ? FindingOutcome.Pass : FindingOutcome.Fail, (id, bad is null) switch
            {
                (_, true) => "as required",
                ("acao-not-star-with-credentials", _) => "Access-Control-Allow-Origin is * together with Access-Control-Allow-Credentials: true: browsers refuse every credentialed request, and the pairing suggests the server means to trust everyone",
                ("acac-exactly-true", _) => $"Access-Control-Allow-Credentials is '{bad!.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials)}': browsers accept only the exact bytes `true`, so credentialed requests fail",
                _ => $"Access-Control-Max-Age is '{bad!.Response.Headers.Get(HeaderNames.AccessControlMaxAge)}', not a number of seconds: browsers fall back to their default",
            });
        }

        if (Answered("disallowed-origin-refused", disallowed))
        {
            var acao = disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            var admits = !policy.AnyOrigin && (acao == policy.DisallowedOrigin || acao == "*");
            var credentialed = disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            Add("disallowed-origin-refused", disallowed, admits ? FindingOutcome.Fail : FindingOutcome.Pass,
                !admits ? $"{policy.DisallowedOrigin} is not admitted"
                : $"{policy.DisallowedOrigin}, which the policy does not allow, gets Access-Control-Allow-Origin: {acao}{(credentialed && acao != "*" ? " with credentials: any site can read your users' responses" : "")}");
        }

        if (Answered("vary-origin", actual))
        {
            var acao = actual.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            // It depends on the Origin when another origin gets another answer (a server that always names one fixed
            // origin needs no Vary); without that second answer, a value other than `*` is taken to depend on it.
            var dynamic = acao is not null && acao != "*"
                && (!disallowed.Response.Answered || disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) != acao);
            var vary = actual.Response.VariesOnOrigin;
            Add("vary-origin", actual, !dynamic || vary ? FindingOutcome.Pass : FindingOutcome.Fail,
                !dynamic ? "Access-Control-Allow-Origin does not depend on the Origin"
                : vary ? "Vary names Origin"
                : $"Access-Control-Allow-Origin reflects the request's Origin ({acao}) but Vary does not name Origin: a shared cache can serve one origin's answer to another (browsers still allow this request)");
        }

        if (policy.MaxAge is not { } promisedAge || (method == "GET" && header is null))
        {
            Add("max-age-matches-policy", preflight, FindingOutcome.NotApplicable, policy.MaxAge is null ? "the policy names no maxAge" : "the policy allows nothing that needs a preflight");
        }
        else if (Answered("max-age-matches-policy", preflight))
        {
            var sentAge = preflight.Response.Headers.Get(HeaderNames.AccessControlMaxAge);
            var (parses, seconds) = Http.ExtractMaxAge(sentAge);
            Add("max-age-matches-policy", preflight, parses && seconds == promisedAge ? FindingOutcome.Pass : FindingOutcome.Fail,
                parses && seconds == promisedAge ? $"Access-Control-Max-Age: {promisedAge}, as the policy says"
                : sentAge is null ? $"the policy says preflights are cached for {promisedAge} s, but the server sends no Access-Control-Max-Age: browsers cache them for 5 s"
                : $"the policy says preflights are cached for {promisedAge} s, but the server sends Access-Control-Max-Age: {sentAge}");
        }

        if (Answered("options-without-acrm-not-preflight", bareOptions))
        {
            var answeredAsPreflight = bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowMethods)
                || bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders);
            Add("options-without-acrm-not-preflight", bareOptions, answeredAsPreflight ? FindingOutcome.Fail : FindingOutcome.Pass,
                answeredAsPreflight
                    ? "an OPTIONS request without Access-Control-Request-Method got Access-Control-Allow-Methods/-Headers: it was answered as a preflight, which a CORS-preflight request is not (the server cannot tell a preflight from a plain OPTIONS call)"
                    : "not answered as a preflight");
        }
        return findings;
    }

    private static bool Is(Header header, string name) => header.Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>One request and its answer, with a curl reproduction.</summary>
    private sealed record Exchange(string Method, IReadOnlyList<Header> RequestHeaders, Uri Resource, RawResponse Response)
    {
        public string Curl => CurlCommand.For(Method, Resource.AbsoluteUri, RequestHeaders);

        public override string ToString() =>
            $"  request: {Method} {Resource} [{string.Join("; ", RequestHeaders)}]\n  answer: {Response}\n  reproduce: {Curl}";
    }

    private sealed class Probe(ReplayClient client, TimeSpan timeout, Uri resource)
    {
        public async Task<Exchange> SendAsync(string method, IReadOnlyList<Header> headers, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), resource);
            foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            return new Exchange(method, headers, resource, PolicyRunner.Clean(await Replay.SendAsync(client, request, timeout, cancellationToken), Authentication.None));
        }
    }
}
