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

    /// <summary>The request the check needs got no answer (refused, reset, closed, hung, garbage): whether the server has
    /// the defect is unknown. Never a pass, and not the defect either.</summary>
    NotChecked,
}

/// <summary>One protocol check of a server under test, without a browser: the server defect it looks for (its id, rule
/// and anchor), whether the server has it (<see cref="FindingOutcome.Fail"/>), and the evidence.</summary>
public sealed record ProtocolFinding(ServerDefect Defect, FindingOutcome Outcome, string Message, string Curl)
{
    public override string ToString() => $"[{Outcome.ToString().ToLowerInvariant()}] {Defect.Id}: {Message}";
}

/// <summary>
/// Checks a server's CORS answers with plain HTTP requests (no browser) for the defects of <see cref="ServerDefects"/> it
/// detects, each naming its rule. Server-side defects are reported even where today's browsers let the request through
/// (a missing Vary: Origin breaks shared caches). Every request has a timeout; a hang, a reset or garbage is a failed
/// finding, never an exception and never a hang.
/// </summary>
public static class ProtocolChecks
{
    /// <summary>The defects these checks look for: one finding each on every run.</summary>
    public static IReadOnlyList<ServerDefect> Defects { get; } = ServerDefects.DetectedBy(DefectDetectors.ProtocolChecks);

    public static async Task<IReadOnlyList<ProtocolFinding>> RunAsync(Uri resource, CorsPolicy policy, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var origin = policy.AnyOrigin && policy.AllowedOrigins.Count == 0 ? "https://app.example.com" : policy.AllowedOrigins[0].Example;
        // The preflight probe asks for what the policy allows that needs one, as its cases do: a method or header it
        // lists, or, for `*`, the sample its cases try (a policy allowing only `*` headers still allows preflighted calls).
        var method = policy.AllowedMethods.FirstOrDefault(m => m != "*" && !Methods.IsCorsSafelisted(m))
            ?? (policy.AllowedMethods.Contains("*") ? PolicyCases.AnyMethodSample : "GET");
        var header = method != "GET" ? null
            : policy.AllowedHeaders.FirstOrDefault(h => h != "*") ?? (policy.AllowedHeaders.Contains("*") ? PolicyCases.AnyHeaderSample : null);
        var probe = new Probe(client, timeout, resource);

        var preflightRequest = new List<Header> { new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, method) };
        if (header is not null) preflightRequest.Add(new Header(HeaderNames.AccessControlRequestHeaders, header.ToLowerInvariant()));
        // The five probes are independent: sent together, a hanging server costs one timeout, not five.
        var sent = await Task.WhenAll(
            probe.SendAsync("OPTIONS", preflightRequest, cancellationToken, preflight: true),
            probe.SendAsync("GET", [new(HeaderNames.Origin, origin)], cancellationToken, resourceOnly: true),
            // With a cookie, as a signed-in user's request carries one (the credentialed refusals are replayed so too): a
            // server that trusts any origin only for a request with a cookie answered this probe "not admitted".
            probe.SendAsync("GET", [new(HeaderNames.Origin, policy.DisallowedOrigin), new("Cookie", Replay.SignedInCookie)], cancellationToken, resourceOnly: true),
            probe.SendAsync("OPTIONS", [new(HeaderNames.Origin, origin)], cancellationToken),
            probe.SendAsync("GET", [], cancellationToken, resourceOnly: true));
        var (preflight, actual, disallowed, bareOptions, withoutOrigin) = (sent[0], sent[1], sent[2], sent[3], sent[4]);

        var findings = new List<ProtocolFinding>();
        void Add(ServerDefect defect, Exchange evidence, FindingOutcome outcome, string message) =>
            findings.Add(new ProtocolFinding(defect, outcome, $"{message}\n{evidence}", evidence.Curl));

        // A request that got no answer leaves every check that needs its answer not checked, with the reason: never a
        // pass, and not a finding of the defect the check looks for either.
        bool Answered(ServerDefect defect, Exchange exchange)
        {
            if (exchange.Response.Answered) return true;
            // An answer that came and could not be read says so itself ("the server answered, but not with a response this
            // client can parse"); "the server did not answer" before it said both at once.
            Add(defect, exchange, FindingOutcome.NotChecked, exchange.Response.TlsFailed
                ? $"not checked: {exchange.Response.Failure} (your users' browsers refuse a certificate they do not trust before any CORS check; accept a staging server's on purpose with AcceptAnyCertificate)"
                : exchange.Response.NotFromResource || exchange.Response.Reached
                ? $"not checked: {exchange.Response.Failure}"
                : $"not checked: the server did not answer: {exchange.Response.Failure}");
            return false;
        }

        if (method == "GET" && header is null)
        {
            Add(ServerDefects.PreflightNotOk, preflight, FindingOutcome.NotApplicable, "the policy allows nothing that needs a preflight");
        }
        else if (Answered(ServerDefects.PreflightNotOk, preflight))
        {
            var status = preflight.Response.Status!.Value;
            Add(ServerDefects.PreflightNotOk, preflight, Oracle.IsOkStatus(status) ? FindingOutcome.Pass : FindingOutcome.Fail,
                Oracle.IsOkStatus(status) ? $"the preflight got {status}"
                : Oracle.IsRedirectStatus(status) ? $"the preflight got the redirect {status}: browsers do not follow redirects of a preflight, so every {method} from {origin} fails"
                : $"the preflight got {status}, not an ok status: every {method} from {origin} fails in browsers");
        }

        if (Answered(ServerDefects.MultipleAcao, actual))
        {
            var lines = DefectSigns.AllowOriginLines(actual.Response.Headers);
            var several = DefectSigns.HasSeveralAllowOrigins(actual.Response.Headers);
            Add(ServerDefects.MultipleAcao, actual, several ? FindingOutcome.Fail : FindingOutcome.Pass,
                !several ? "Access-Control-Allow-Origin is a single value"
                : $"{lines.Count} Access-Control-Allow-Origin value(s) [{string.Join(" | ", lines)}]: combined, they match no origin, so browsers block the response");
        }

        // Header defects any answer can have: the preflight's or the actual request's, whichever shows it first.
        HeaderCheck[] headerChecks =
        [
            new(ServerDefects.StarWithCredentials, DefectSigns.IsStarWithCredentials,
                _ => "Access-Control-Allow-Origin is * together with Access-Control-Allow-Credentials: true: browsers refuse every credentialed request, and the pairing suggests the server means to trust everyone"),
            new(ServerDefects.AcacWrongSpelling, DefectSigns.HasMisspelledCredentials,
                h => $"Access-Control-Allow-Credentials is '{h.Get(HeaderNames.AccessControlAllowCredentials)}': browsers accept only the exact bytes `true`, so credentialed requests fail"),
            new(ServerDefects.MaxAgeNotDeltaSeconds,
                h => !Http.ExtractMaxAge(h.Get(HeaderNames.AccessControlMaxAge)).Ok,
                h => $"Access-Control-Max-Age is '{h.Get(HeaderNames.AccessControlMaxAge)}', not a number of seconds: browsers fall back to their default"),
        ];
        foreach (var check in headerChecks)
        {
            var exchanges = new[] { preflight, actual }.Where(e => e.Response.Answered).ToList();
            if (exchanges.Count == 0)
            {
                Answered(check.Defect, actual);
                continue;
            }
            var bad = exchanges.FirstOrDefault(e => check.Has(e.Response.Headers));
            Add(check.Defect, bad ?? exchanges[0], bad is null ? FindingOutcome.Pass : FindingOutcome.Fail,
                bad is null ? "as required" : check.Why(bad.Response.Headers));
        }

        if (policy.AnyOrigin)
        {
            // A `*` policy refuses no origin (it cannot name a disallowedOrigin): "https://evil.example is not admitted"
            // passed here even where the answer admitted it, a pass about nothing the policy promises.
            Add(ServerDefects.DisallowedOriginAdmitted, disallowed, FindingOutcome.NotApplicable, "the policy allows every origin (`*`): it refuses none");
        }
        else if (Answered(ServerDefects.DisallowedOriginAdmitted, disallowed))
        {
            var acao = disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            var admits = acao == policy.DisallowedOrigin || acao == "*";
            var credentialed = disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            Add(ServerDefects.DisallowedOriginAdmitted, disallowed, admits ? FindingOutcome.Fail : FindingOutcome.Pass,
                !admits ? $"{policy.DisallowedOrigin} is not admitted"
                : $"{policy.DisallowedOrigin}, which the policy does not allow, gets Access-Control-Allow-Origin: {acao}{(credentialed && acao != "*" ? " with credentials: any site can read your users' responses" : "")}");
        }

        if (Answered(ServerDefects.MissingVary, actual))
        {
            // Every answer of the resource is read: the allowed origin's, the disallowed origin's (whether the value depends on
            // the Origin) and one without Origin (the standard's example: a cached answer to a navigation, handed to a later
            // CORS request). An answer missing leaves the check not checked unless another already shows the defect.
            ResourceAnswer? Read(Exchange e, string asker) => e.Response.Answered ? new ResourceAnswer(asker, e.Response.Status!.Value, e.Response.Headers) : null;
            var allowedAnswer = Read(actual, $"a GET from {origin}")!;
            var others = new[] { (Exchange: disallowed, Asker: $"a GET from {policy.DisallowedOrigin}"), (Exchange: withoutOrigin, Asker: ResourceAnswer.WithoutOrigin) }
                .Select(o => (o.Exchange, o.Asker, Answer: Read(o.Exchange, o.Asker))).ToArray();
            var gap = DefectSigns.MissingVary(origin, allowedAnswer, others[0].Answer, others[1].Answer);
            var unanswered = others.Where(o => o.Answer is null).ToList();
            if (gap is not null)
            {
                var evidence = gap.Answer == allowedAnswer ? actual : others.Single(o => o.Answer == gap.Answer).Exchange;
                Add(ServerDefects.MissingVary, evidence, FindingOutcome.Fail, gap.Message);
            }
            else if (unanswered.Count > 0)
            {
                Add(ServerDefects.MissingVary, unanswered[0].Exchange, FindingOutcome.NotChecked,
                    $"not checked: whether every answer carries the Vary: Origin it needs reads the answer to {unanswered[0].Asker}, and it got none: {unanswered[0].Exchange.Response.Failure}");
            }
            else
            {
                var acao = actual.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin);
                var same = others.All(o => o.Answer!.Headers.Get(HeaderNames.AccessControlAllowOrigin) == acao);
                Add(ServerDefects.MissingVary, actual, FindingOutcome.Pass,
                    acao is null ? "no Access-Control-Allow-Origin for the allowed origin: nothing a cache could hand on"
                    : same ? "Access-Control-Allow-Origin does not depend on the Origin"
                    : others.All(o => o.Answer!.Headers.Get(HeaderNames.AccessControlAllowOrigin) == acao || DefectSigns.VariesOnOrigin(o.Answer.Headers)) && (acao == "*" || actual.Response.VariesOnOrigin)
                        ? "Vary names Origin on every answer"
                        : "Vary names Origin where a cache could keep an answer (the answers without it are ones no cache may reuse without asking the server)");
            }
        }

        if (policy.MaxAge is not { } promisedAge || (method == "GET" && header is null))
        {
            Add(ServerDefects.MaxAgeNotPolicy, preflight, FindingOutcome.NotApplicable, policy.MaxAge is null ? "the policy names no maxAge" : "the policy allows nothing that needs a preflight");
        }
        else if (Answered(ServerDefects.MaxAgeNotPolicy, preflight))
        {
            var sentAge = preflight.Response.Headers.Get(HeaderNames.AccessControlMaxAge);
            var (parses, seconds) = Http.ExtractMaxAge(sentAge);
            Add(ServerDefects.MaxAgeNotPolicy, preflight, parses && seconds == promisedAge ? FindingOutcome.Pass : FindingOutcome.Fail,
                parses && seconds == promisedAge ? $"Access-Control-Max-Age: {promisedAge}, as the policy says"
                : sentAge is null ? $"the policy says preflights are cached for {promisedAge} s, but the server sends no Access-Control-Max-Age: browsers cache them for 5 s"
                : $"the policy says preflights are cached for {promisedAge} s, but the server sends Access-Control-Max-Age: {sentAge}");
        }

        if (Answered(ServerDefects.OptionsAnsweredAsPreflight, bareOptions))
        {
            var answeredAsPreflight = bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowMethods)
                || bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders);
            // The answer's own lines, quoted: a middleware that ends the request there and one that passes it on to the
            // application (whose Allow line then shows) both fail, and the reader sees which it was.
            var quoted = string.Join("; ", new[] { HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowHeaders, "Allow" }
                .Where(name => bareOptions.Response.Headers.Contains(name)).Select(name => $"{name}: {bareOptions.Response.Headers.Get(name)}"));
            Add(ServerDefects.OptionsAnsweredAsPreflight, bareOptions, answeredAsPreflight ? FindingOutcome.Fail : FindingOutcome.Pass,
                answeredAsPreflight
                    ? $"an OPTIONS request without Access-Control-Request-Method, which is not a CORS-preflight request, got {bareOptions.Response.Status} with {quoted}: it was answered as a preflight (the server cannot tell a preflight from a plain OPTIONS call)"
                    : "not answered as a preflight");
        }
        return findings;
    }

    /// <summary>A defect read from one answer's headers: whether it has it, and the sentence that says so.</summary>
    private sealed record HeaderCheck(ServerDefect Defect, Func<IReadOnlyList<Header>, bool> Has, Func<IReadOnlyList<Header>, string> Why);

    /// <summary>One request and its answer, with a curl reproduction.</summary>
    private sealed record Exchange(string Method, IReadOnlyList<Header> RequestHeaders, Uri Resource, RawResponse Response)
    {
        public string Curl => CurlCommand.For(Method, Resource.AbsoluteUri, RequestHeaders);

        public override string ToString() =>
            $"  request: {Method} {Resource} [{string.Join("; ", RequestHeaders)}]\n  answer: {Response}\n  reproduce: {Curl}";
    }

    private sealed class Probe(ReplayClient client, TimeSpan timeout, Uri resource)
    {
        /// <param name="resourceOnly">The check reads the resource's own answer: a redirect or an unhandled status is none
        /// (RawResponse.NotTheResource). The bare OPTIONS is asked only how it is answered.</param>
        /// <param name="preflight">A preflight: its redirect is an answer that refuses, an unhandled status none.</param>
        public async Task<Exchange> SendAsync(string method, IReadOnlyList<Header> headers, CancellationToken cancellationToken, bool resourceOnly = false, bool preflight = false)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), resource);
            foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            var answer = await Replay.SendAsync(client, request, timeout, cancellationToken);
            return new Exchange(method, headers, resource, PolicyRunner.Clean(resourceOnly || preflight ? RawResponse.NotTheResource(answer, resource, preflight) : answer, Authentication.None));
        }
    }
}
