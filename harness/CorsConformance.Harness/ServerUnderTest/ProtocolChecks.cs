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
        var first = policy.AnyOrigin && policy.AllowedOrigins.Count == 0 ? "https://app.example.com" : policy.AllowedOrigins[0].Example;
        var (findings, unseen) = await RunAsync(resource, policy, first, client, timeout, cancellationToken);
        // The policy's first origin answered without Access-Control-Allow-Origin, GET and preflight alike: the checks of an
        // admitted origin's answers are asked again as the first other origin of the policy the server admits (a GET from
        // it answered Access-Control-Allow-Origin naming it or `*`). @tinyhttp/cors listing only the second of a
        // credentialed policy's two left 9 of 11 checks not checked though the server admits the second. Asked only then,
        // so a server that answers nothing costs no more.
        if (!unseen || policy.AnyOrigin) return findings;
        foreach (var other in policy.AllowedOrigins.Select(o => o.Example).Distinct().Where(e => e != first))
        {
            var request = new HttpRequestMessage(HttpMethod.Get, resource);
            request.Headers.TryAddWithoutValidation(HeaderNames.Origin, other);
            foreach (var header in Audit.Auditor.BrowserHeadersFor(other, resource)) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            var answer = await Replay.SendAsync(client, request, timeout, cancellationToken);
            if (answer.Answered && answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao && (acao == other || acao == "*"))
                return (await RunAsync(resource, policy, other, client, timeout, cancellationToken)).Findings;
        }
        return findings;
    }

    /// <summary>The checks asked as <paramref name="origin"/>, and whether it got no Access-Control-Allow-Origin to its GET
    /// and its preflight (the checks of an admitted origin's answers then not checked).</summary>
    private static async Task<(IReadOnlyList<ProtocolFinding> Findings, bool Unseen)> RunAsync(Uri resource, CorsPolicy policy, string origin, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The preflight probe asks for what the policy allows that needs one, as its cases do: a method or header it
        // lists, or, for `*`, the sample its cases try (a policy allowing only `*` headers still allows preflighted calls).
        var method = policy.AllowedMethods.FirstOrDefault(m => m != "*" && !Methods.IsCorsSafelisted(m))
            ?? (policy.AllowedMethods.Contains("*") ? PolicyCases.AnyMethodSample : "GET");
        var header = method != "GET" ? null
            : policy.AllowedHeaders.FirstOrDefault(h => h != "*") ?? (policy.AllowedHeaders.Contains("*") ? PolicyCases.AnyHeaderSample : null);
        // A route that takes GET answers it with the resource: a 404 or 410 there is a route that is not there (a mistyped
        // path behind a framework whose CORS layer also dresses its 404), whose headers say nothing of the resource's own.
        var takesGet = policy.AllowedMethods.Count == 0 || policy.AllowedMethods.Contains("*") || policy.AllowedMethods.Contains("GET");
        var probe = new Probe(client, timeout, resource, takesGet);

        var preflightRequest = new List<Header> { new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, method) };
        if (header is not null) preflightRequest.Add(new Header(HeaderNames.AccessControlRequestHeaders, header.ToLowerInvariant()));
        // The policy's disallowed origin asks for what the policy allows behind a preflight (PUT with Content-Type where it
        // allows nothing so): an OPTIONS handler written apart from the resource's origin check (PHP's `if ($method ===
        // 'OPTIONS')` branch echoing the Origin, HAProxy's `http-request return … if METH_OPTIONS`) lets any site make
        // signed-in users' browsers send such requests, which no browser case shows (the page is refused the answer).
        var (attackMethod, attackHeader) = method == "GET" && header is null ? ("PUT", "content-type") : (method, header?.ToLowerInvariant());
        var attackRequest = new List<Header> { new(HeaderNames.Origin, policy.DisallowedOrigin), new(HeaderNames.AccessControlRequestMethod, attackMethod) };
        if (attackHeader is not null) attackRequest.Add(new Header(HeaderNames.AccessControlRequestHeaders, attackHeader));
        // The six probes are independent: sent together, a hanging server costs one timeout, not six.
        var sent = await Task.WhenAll(
            probe.SendAsync("OPTIONS", preflightRequest, cancellationToken, preflight: true),
            probe.SendAsync("GET", [new(HeaderNames.Origin, origin)], cancellationToken, resourceOnly: true, route: true),
            // With a cookie, as a signed-in user's request carries one (the credentialed refusals are replayed so too): a
            // server that trusts any origin only for a request with a cookie answered this probe "not admitted".
            probe.SendAsync("GET", [new(HeaderNames.Origin, policy.DisallowedOrigin), new("Cookie", Replay.SignedInCookie)], cancellationToken, resourceOnly: true),
            probe.SendAsync("OPTIONS", [new(HeaderNames.Origin, origin)], cancellationToken),
            probe.SendAsync("GET", [], cancellationToken, resourceOnly: true),
            probe.SendAsync("OPTIONS", attackRequest, cancellationToken, preflight: true));
        var (preflight, actual, disallowed, bareOptions, withoutOrigin, disallowedPreflight) = (sent[0], sent[1], sent[2], sent[3], sent[4], sent[5]);
        // Origins an allow-list keeps by mistake whatever the policy's own are — a development server's (localhost:3000), a
        // public code sandbox's — asked too, with the cookie, where the policy does not allow them: the browser cases forge
        // only origins made from the policy's, so `http://localhost:3000` left beside the production origin passed them all.
        var careless = OriginForgeries.From(origin)
            .Where(f => f.Kind is OriginForgeries.LocalhostTrusted or OriginForgeries.ThirdPartySandbox)
            .Select(f => f.Origin).Where(o => o != policy.DisallowedOrigin && !policy.IsOriginAllowed(o)).Distinct().ToList();
        var carelessAnswers = policy.AnyOrigin ? [] : await Task.WhenAll(careless.Select(o =>
            probe.SendAsync("GET", [new(HeaderNames.Origin, o), new("Cookie", Replay.SignedInCookie)], cancellationToken, resourceOnly: true)));

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
                : $"{lines.Count} Access-Control-Allow-Origin value(s) [{string.Join(" | ", lines)}]: combined, they match no origin, so browsers block the response ({DefectSigns.SeveralAllowOriginsCause(actual.Response.Headers)})");
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
        // Both answers are read where the policy allows preflighted calls: a pass on one of them while the other got none
        // (a server answering only its preflights) cleared an answer nobody saw. Where the policy needs no preflight, no
        // browser sends one, and the GET's answer must be read (the preflight's still is, when it came).
        var needed = method == "GET" && header is null ? new[] { actual } : new[] { preflight, actual };
        foreach (var check in headerChecks)
        {
            var exchanges = new[] { preflight, actual }.Where(e => e.Response.Answered).ToList();
            var bad = exchanges.FirstOrDefault(e => check.Has(e.Response.Headers));
            if (bad is not null)
            {
                Add(check.Defect, bad, FindingOutcome.Fail, check.Why(bad.Response.Headers));
            }
            else if (needed.FirstOrDefault(e => !e.Response.Answered) is { } unanswered)
            {
                Answered(check.Defect, unanswered);
            }
            else
            {
                Add(check.Defect, exchanges[0], FindingOutcome.Pass, "as required");
            }
        }

        if (policy.AnyOrigin)
        {
            // A `*` policy refuses no origin (it cannot name a disallowedOrigin): "https://evil.example is not admitted"
            // passed here even where the answer admitted it, a pass about nothing the policy promises.
            Add(ServerDefects.DisallowedOriginAdmitted, disallowed, FindingOutcome.NotApplicable, "the policy allows every origin (`*`): it refuses none");
        }
        else if (Answered(ServerDefects.DisallowedOriginAdmitted, disallowed))
        {
            static bool Admits(Exchange e, string asker) => e.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao && (acao == asker || acao == "*");
            var askers = careless.Zip(carelessAnswers).Where(x => x.Second.Response.Answered).ToList();
            var (admittedOrigin, evidence) = Admits(disallowed, policy.DisallowedOrigin) ? (policy.DisallowedOrigin, disallowed)
                : askers.FirstOrDefault(x => Admits(x.Second, x.First)) is { First: not null } left ? (left.First, left.Second) : (null, disallowed);
            if (admittedOrigin is not null)
            {
                var acao = evidence.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin);
                var credentialed = evidence.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
                Add(ServerDefects.DisallowedOriginAdmitted, evidence, FindingOutcome.Fail,
                    $"{admittedOrigin}, which the policy does not allow, gets Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(acao ?? "")}{(credentialed && acao != "*" ? " with credentials: any site can read your users' responses" : "")}"
                    + (admittedOrigin == policy.DisallowedOrigin ? ""
                        : admittedOrigin.StartsWith("http://", StringComparison.Ordinal) && !admittedOrigin.Contains('.', StringComparison.Ordinal) || admittedOrigin.StartsWith("http://127.", StringComparison.Ordinal)
                            ? " (a development origin left in the allow-list: any page a user opens on that port of their own machine — a dev server, a local tool, a malicious package's server — reads it)"
                            : " (a public code sandbox: anyone can publish a page there)"));
            }
            else
            {
                var unasked = careless.Count - askers.Count;
                Add(ServerDefects.DisallowedOriginAdmitted, disallowed, FindingOutcome.Pass,
                    $"{policy.DisallowedOrigin} is not admitted"
                    + (askers.Count > 0 ? $", nor are {askers.Count} origins allow-lists keep by mistake ({string.Join(", ", askers.Select(a => a.First))})" : "")
                    + (unasked > 0 ? $"; {unasked} of those got no answer, so whether they are admitted is not known" : ""));
            }
        }

        // The allowed origin named in a form the byte-for-byte CORS check rejects (a trailing slash, capitals, :443, a
        // Unicode host): no other check saw it, and without a browser the run read clean while every allowed call failed.
        if (Answered(ServerDefects.OriginNotSerialized, actual))
        {
            var misnamed = new[] { actual, preflight }.Where(e => e.Response.Answered)
                .Select(e => (Exchange: e, Acao: e.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin)))
                .Select(x => (x.Exchange, x.Acao, How: x.Acao is null ? null : OriginSyntax.Difference(x.Acao, origin)))
                .FirstOrDefault(x => x.How is not null);
            Add(ServerDefects.OriginNotSerialized, misnamed.Exchange ?? actual, misnamed.How is null ? FindingOutcome.Pass : FindingOutcome.Fail,
                misnamed.How is null ? $"Access-Control-Allow-Origin does not name {origin} in another form than browsers send it"
                : $"the answer to {(misnamed.Exchange == preflight ? "the preflight" : "a GET")} from {origin} has Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(misnamed.Acao ?? "")}: {misnamed.How}; browsers block every such call from {origin}");
        }

        if (policy.AnyOrigin)
        {
            Add(ServerDefects.PreflightAdmitsAnyOrigin, disallowedPreflight, FindingOutcome.NotApplicable, "the policy allows every origin (`*`): it refuses none");
        }
        else if (Answered(ServerDefects.PreflightAdmitsAnyOrigin, disallowedPreflight))
        {
            var answer = disallowedPreflight.Response;
            static IEnumerable<string> Names(string? list) => (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var methods = Names(answer.Headers.Get(HeaderNames.AccessControlAllowMethods)).Where(m => m != "*" && !Methods.IsCorsSafelisted(m)).ToList();
            var headers = Names(answer.Headers.Get(HeaderNames.AccessControlAllowHeaders)).Where(h => h != "*").ToList();
            var passes = Oracle.IsOkStatus(answer.Status!.Value) && answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == policy.DisallowedOrigin
                && answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            var getAdmitted = disallowed.Response.Answered && disallowed.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao
                && (acao == policy.DisallowedOrigin || acao == "*");
            if (passes && (methods.Count > 0 || headers.Count > 0) && !getAdmitted)
            {
                var allowing = string.Join(" and ", new[]
                {
                    methods.Count > 0 ? $"the method(s) {string.Join(", ", methods)}" : null,
                    headers.Count > 0 ? $"the header(s) {string.Join(", ", headers)}" : null,
                }.Where(x => x is not null));
                Add(ServerDefects.PreflightAdmitsAnyOrigin, disallowedPreflight, FindingOutcome.Fail,
                    $"a preflight from {policy.DisallowedOrigin}, which the policy does not allow, passes with credentials (Access-Control-Allow-Origin: {policy.DisallowedOrigin}, "
                    + $"Access-Control-Allow-Credentials: true), allowing {allowing}, though its GET is not admitted: any site can make your users' browsers send such "
                    + "requests with their cookies, and the server acts on them (only the answers stay unreadable; a CSRF defence that relies on a custom header or a "
                    + "JSON Content-Type is void). Check the origin before answering a preflight, as the resource does");
            }
            else
            {
                Add(ServerDefects.PreflightAdmitsAnyOrigin, disallowedPreflight, FindingOutcome.Pass,
                    passes && getAdmitted
                        ? $"the preflight from {policy.DisallowedOrigin} passes, and so does its GET: that is disallowed-origin-admitted"
                        : $"a preflight from {policy.DisallowedOrigin} asking for {attackMethod}{(attackHeader is null ? "" : $" with {attackHeader}")} does not pass with credentials");
            }
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
        else if (Answered(ServerDefects.MaxAgeNotPolicy, preflight) && !SendsMaxAge(preflight.Response, promisedAge) && PreflightFailure(preflight.Response, origin, method, header) is { } failure)
        {
            // CORS-preflight fetch reads max-age only for a preflight that passes the CORS check with an ok status: one that
            // fails (401 from authentication in front of CORS, 404/405 from a router, 200 without CORS headers) makes no
            // cache entry, whatever its Access-Control-Max-Age (one that carries the policy's shows the server sends it: a pass).
            // The least preflight from the same origin (GET, no headers) may pass where this one fails for what it asks (a CORS
            // layer not configured with the policy's methods: Jetty's CrossOriginFilter, whose default preflightMaxAge is 1800,
            // Tomcat's CorsFilter with cors.preflight.maxage -1): its Access-Control-Max-Age is what the server caches.
            var least = await probe.SendAsync("OPTIONS", [new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, "GET")], cancellationToken, preflight: true);
            if (least.Response.Answered && PreflightFailure(least.Response, origin) is null)
            {
                var sentAge = least.Response.Headers.Get(HeaderNames.AccessControlMaxAge);
                var (parses, seconds) = Http.ExtractMaxAge(sentAge);
                var which = $"a preflight that passes (for GET, without headers; the one for {method} fails in browsers: {failure})";
                Add(ServerDefects.MaxAgeNotPolicy, least, parses && seconds == promisedAge ? FindingOutcome.Pass : FindingOutcome.Fail,
                    parses && seconds == promisedAge ? $"Access-Control-Max-Age: {promisedAge} on {which}, as the policy says"
                    // A passing preflight caches one entry per method and header name it lists (CORS-preflight fetch steps
                    // 7.11–7.12): one listing none (nginx's add_header of Access-Control-Allow-Origin alone) caches nothing.
                    : sentAge is null ? $"the policy says preflights are cached for {promisedAge} s, but {which} carries no Access-Control-Max-Age: "
                        + (least.Response.Headers.Contains(HeaderNames.AccessControlAllowMethods) || least.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders)
                            ? "browsers cache it for 5 s"
                            : "it names no method or header either, so browsers cache nothing of the server's preflights")
                    : $"the policy says preflights are cached for {promisedAge} s, but {which} carries Access-Control-Max-Age: {sentAge}");
            }
            else
            {
                Add(ServerDefects.MaxAgeNotPolicy, preflight, FindingOutcome.NotChecked,
                    $"not checked: the preflight for {method} from {origin} fails in browsers ({failure}), so no browser caches it, nor one for GET without "
                    + "headers, which fails too: which Access-Control-Max-Age a preflight that passes carries is not known");
            }
        }
        else if (preflight.Response.Answered)
        {
            var sentAge = preflight.Response.Headers.Get(HeaderNames.AccessControlMaxAge);
            var (parses, seconds) = Http.ExtractMaxAge(sentAge);
            // CORS-preflight fetch reads Access-Control-Max-Age and caches the answer only in step 7, when the CORS check
            // passes and the status is ok; a refused answer is a network error (step 8) and nothing of it is kept. The
            // check without credentials is the weakest a request makes: an answer failing it is refused for every call.
            var status = preflight.Response.Status!.Value;
            var refused = !Oracle.IsOkStatus(status) ? $"its status {status} is not an ok status"
                : Oracle.CorsCheck(origin, CredentialsMode.Omit, preflight.Response.Headers) is { Ok: false } check ? check.Reason : null;
            var moot = refused is null ? ""
                : $"; browsers keep nothing of this answer: {refused}, so every {method} from {origin} is refused (CORS-preflight fetch caches only an answer that passes the CORS check with an ok status)";
            Add(ServerDefects.MaxAgeNotPolicy, preflight, parses && seconds == promisedAge ? FindingOutcome.Pass : FindingOutcome.Fail,
                parses && seconds == promisedAge ? $"Access-Control-Max-Age: {promisedAge}, as the policy says{moot}"
                : sentAge is null ? $"the policy says preflights are cached for {promisedAge} s, but the server sends no Access-Control-Max-Age" + (refused is null ? ": browsers cache them for 5 s" : moot)
                : $"the policy says preflights are cached for {promisedAge} s, but the server sends Access-Control-Max-Age: {sentAge}{moot}");
        }

        if (Answered(ServerDefects.OptionsAnsweredAsPreflight, bareOptions))
        {
            var answeredAsPreflight = bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowMethods)
                || bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders);
            // The answer's own lines, quoted: a middleware that ends the request there and one that passes it on to the
            // application (whose Allow line then shows) both fail, and the reader sees which it was.
            var quoted = string.Join("; ", new[] { HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowHeaders, "Allow" }
                .Where(name => bareOptions.Response.Headers.Contains(name)).Select(name => $"{name}: {bareOptions.Response.Headers.Get(name)}"));
            // The same lines on the GET's answer: the server sends them on every answer (rack-cors's actual-request headers,
            // a Sinatra before filter, Apache's `Header` for the whole host, PHP's header() calls at the top of the script), so
            // on the OPTIONS they show nothing of a preflight. rack-cors passes a plain OPTIONS on to the application (it
            // takes a preflight only with Access-Control-Request-Method) and Sinatra without an OPTIONS route answered it 404,
            // and both were said to answer it as a preflight. Where the preflight's own answer carries a line the plain
            // OPTIONS lacks (rack-cors's Access-Control-Allow-Headers), the OPTIONS was answered as the GET is: it passes; a
            // status no preflight passes with is the application's: it passes; else it does not show (not checked).
            string[] preflightNames = [HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowHeaders];
            var onEveryAnswer = answeredAsPreflight && actual.Response.Answered
                && preflightNames.All(n => bareOptions.Response.Headers.Get(n) is not { } value || actual.Response.Headers.Get(n) == value);
            var bareStatus = bareOptions.Response.Status!.Value;
            var preflightOnly = preflight.Response.Answered && Oracle.IsOkStatus(preflight.Response.Status!.Value)
                ? preflightNames.FirstOrDefault(n => preflight.Response.Headers.Contains(n) && !bareOptions.Response.Headers.Contains(n))
                : null;
            // rack-cors's preflight for PUT names no header, as its plain OPTIONS does not: a preflight asking for one of the
            // policy's headers tells (rack-cors echoes it in Access-Control-Allow-Headers; a branch answering every OPTIONS
            // alike sends the same lines to both).
            var askHeader = policy.AllowedHeaders.FirstOrDefault(h => h != "*") ?? (policy.AllowedHeaders.Contains("*") ? PolicyCases.AnyHeaderSample : null);
            if (onEveryAnswer && Oracle.IsOkStatus(bareStatus) && preflightOnly is null && askHeader is not null
                && !bareOptions.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders))
            {
                var asking = await probe.SendAsync("OPTIONS", [new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, method),
                    new(HeaderNames.AccessControlRequestHeaders, askHeader.ToLowerInvariant())], cancellationToken, preflight: true);
                if (asking.Response.Answered && Oracle.IsOkStatus(asking.Response.Status!.Value) && asking.Response.Headers.Contains(HeaderNames.AccessControlAllowHeaders))
                    preflightOnly = HeaderNames.AccessControlAllowHeaders + $" (a preflight asking for {askHeader.ToLowerInvariant()} gets {asking.Response.Headers.Get(HeaderNames.AccessControlAllowHeaders)})";
            }
            // Else the plain OPTIONS tells by its shape: answered with another status or other lines than the preflight's
            // answer (rack-cors's application adds X-Total-Count), it went where the GET goes; answered alike, the server
            // answers every OPTIONS as it answers a preflight (Apache's RewriteRule [R=204], a Sinatra options '*' route, PHP's
            // OPTIONS branch, @tinyhttp/cors), which is the defect.
            var shapeDiffers = ShapeDifference(bareOptions.Response, preflight.Response);
            if (onEveryAnswer && (!Oracle.IsOkStatus(bareStatus) || preflightOnly is not null || shapeDiffers is not null))
            {
                var lines = string.Join("; ", preflightNames.Where(bareOptions.Response.Headers.Contains).Select(n => $"{n}: {bareOptions.Response.Headers.Get(n)}"));
                var everywhere = $"the server sends {lines} on every answer, the GET's ({actual.Response.Status}) too";
                Add(ServerDefects.OptionsAnsweredAsPreflight, bareOptions, FindingOutcome.Pass,
                    !Oracle.IsOkStatus(bareStatus)
                        ? $"not answered as a preflight: an OPTIONS request without Access-Control-Request-Method got {bareStatus}, not an ok status — the application's "
                            + $"own answer, which no preflight passes with —, and {everywhere}"
                        : preflightOnly is not null
                        ? $"not answered as a preflight: an OPTIONS request without Access-Control-Request-Method got {bareStatus} without the {preflightOnly} the preflight's "
                            + $"answer carries, and {everywhere}: it was answered as the GET is"
                        : $"not answered as a preflight: an OPTIONS request without Access-Control-Request-Method got {bareStatus} {shapeDiffers}, and {everywhere}: "
                            + "it was answered as the GET is");
            }
            else if (onEveryAnswer)
            {
                Add(ServerDefects.OptionsAnsweredAsPreflight, bareOptions, FindingOutcome.Fail,
                    $"an OPTIONS request without Access-Control-Request-Method, which is not a CORS-preflight request, got {bareStatus} with {quoted}, answered as the "
                    + $"preflight for {method} is (the same status and lines): it was answered as a preflight (the server cannot tell a preflight from a plain OPTIONS call; "
                    + $"it sends those lines on every answer, the GET's too)");
            }
            else
            {
                Add(ServerDefects.OptionsAnsweredAsPreflight, bareOptions, answeredAsPreflight ? FindingOutcome.Fail : FindingOutcome.Pass,
                    answeredAsPreflight
                        ? $"an OPTIONS request without Access-Control-Request-Method, which is not a CORS-preflight request, got {bareStatus} with {quoted}: it was answered as a preflight (the server cannot tell a preflight from a plain OPTIONS call)"
                        : "not answered as a preflight");
            }
        }
        // An allowed origin the server never admits — neither its GET nor its preflight got Access-Control-Allow-Origin: an
        // authentication layer in front of the CORS layer answering 401 to both, ASP.NET Core's [DisableCors] or a UseCors
        // that never runs — shows nothing of how the server answers an origin it admits: "Access-Control-Allow-Origin is a
        // single value", "no star-with-credentials" and "no missing-vary" passed on 401s that carried no CORS header at all.
        // Those checks are not checked, as the audit leaves them when the server does not admit --origin; a check that
        // failed read a defect in the server's own answers, and the checks of other origins' answers still decide.
        var originUnseen = probe.NotThere is null && preflight.Response.Answered && actual.Response.Answered
            && preflight.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null && actual.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null;
        if (originUnseen)
        {
            var unseen = $"not checked: {origin}, which the policy allows, got no Access-Control-Allow-Origin, neither to a GET ({actual.Response.Status}) nor to "
                + $"a preflight ({preflight.Response.Status}): how the server answers an origin it admits, and whether it tells the origins it refuses apart, is not seen "
                + "(the browser cases say why its calls fail)"
                + ((actual.Response.CorsOnlyOnInterim ?? preflight.Response.CorsOnlyOnInterim ?? actual.Response.CorsNameWithWhiteSpace ?? preflight.Response.CorsNameWithWhiteSpace) is { } wire ? $"; {wire}" : "");
            for (var i = 0; i < findings.Count; i++)
            {
                if (findings[i].Outcome != FindingOutcome.Pass || !AdmittedAnswerChecks.Contains(findings[i].Defect)) continue;
                var message = findings[i].Message;
                findings[i] = findings[i] with { Outcome = FindingOutcome.NotChecked, Message = unseen + (message.IndexOf('\n') is var nl and >= 0 ? message[nl..] : "") };
            }
        }
        // Answers browsers discard before any CORS check reads them (Content-Length values that differ, a NUL in a value:
        // HeaderValues.NetworkError): a check that passed on them cleared nothing browsers read — every call they answer fails
        // in browsers, and a run without a browser read clean. A check that failed read a defect in the server's own bytes.
        if (new[] { (Exchange: actual, Which: "a GET"), (Exchange: preflight, Which: "the preflight") }
                .Select(x => (x.Which, Error: x.Exchange.Response is { Status: { } code } answer ? HeaderValues.NetworkError(code, answer.Headers) : null))
                .FirstOrDefault(x => x.Error is not null) is { Error: { } discarded } unread)
        {
            var why = $"not checked: browsers discard the answer to {unread.Which} from {origin} before any CORS check reads it ({discarded}), so a check that "
                + "passes on it clears nothing they read (the browser cases fail every call so answered)";
            for (var i = 0; i < findings.Count; i++)
            {
                if (findings[i].Outcome != FindingOutcome.Pass || !AllowedAnswerChecks.Contains(findings[i].Defect)) continue;
                var message = findings[i].Message;
                findings[i] = findings[i] with { Outcome = FindingOutcome.NotChecked, Message = why + (message.IndexOf('\n') is var nl and >= 0 ? message[nl..] : "") };
            }
        }
        // A route whose GET is answered 404 or 410 is not there: a check that passed read only answers of something else (the
        // router's 404 to the preflight or to a plain OPTIONS, an error page), so it cleared nothing of the resource — not
        // checked, never a pass (Tomcat with a CorsFilter that failed to start — `*` with credentials — answers 404 to
        // everything, and "no star-with-credentials" passed there). A check that failed read a defect in the server's own answers.
        if (probe.NotThere is { } notThere)
        {
            for (var i = 0; i < findings.Count; i++)
            {
                if (findings[i].Outcome != FindingOutcome.Pass) continue;
                var message = findings[i].Message;
                findings[i] = findings[i] with { Outcome = FindingOutcome.NotChecked, Message = $"not checked: {notThere}" + (message.IndexOf('\n') is var nl and >= 0 ? message[nl..] : "") };
            }
        }
        // A server that answered one request two ways, asked it twice: no pass stands (what passed on one answer may fail
        // on the next); a check that failed read a defect in one of the server's own answers, which browsers meet too.
        if (probe.Wavering is { } wavering)
        {
            for (var i = 0; i < findings.Count; i++)
            {
                if (findings[i].Outcome != FindingOutcome.Pass) continue;
                var message = findings[i].Message;
                findings[i] = findings[i] with { Outcome = FindingOutcome.NotChecked, Message = $"not checked: {wavering}" + (message.IndexOf('\n') is var nl and >= 0 ? message[nl..] : "") };
            }
        }
        return (findings, originUnseen);
    }

    /// <summary>The checks that read how the server answers the allowed origin once it admits it, or tell a refused origin's
    /// answer from an admitted one's: not checked where it admits the allowed origin nowhere (behind authentication, the
    /// disallowed origin's 401 shows no more of the CORS layer than the allowed origin's, and the browser cases of those
    /// refusals are not judged either: PolicyRunner.RefusalsBehindAuthentication). preflight-not-ok and max-age-not-policy
    /// say themselves what a refused preflight shows.</summary>
    private static readonly HashSet<ServerDefect> AdmittedAnswerChecks =
    [
        ServerDefects.MultipleAcao, ServerDefects.OriginNotSerialized, ServerDefects.StarWithCredentials, ServerDefects.AcacWrongSpelling,
        ServerDefects.MaxAgeNotDeltaSeconds, ServerDefects.MissingVary, ServerDefects.OptionsAnsweredAsPreflight,
        ServerDefects.DisallowedOriginAdmitted, ServerDefects.PreflightAdmitsAnyOrigin,
    ];

    /// <summary>The checks that read the allowed origin's own answers (its GET and its preflight): not checked where browsers
    /// discard those answers. The checks of other origins' answers still decide.</summary>
    private static readonly HashSet<ServerDefect> AllowedAnswerChecks =
    [
        ServerDefects.PreflightNotOk, ServerDefects.MultipleAcao, ServerDefects.OriginNotSerialized, ServerDefects.StarWithCredentials,
        ServerDefects.AcacWrongSpelling, ServerDefects.MaxAgeNotDeltaSeconds, ServerDefects.MissingVary, ServerDefects.MaxAgeNotPolicy,
    ];

    /// <summary>How a plain OPTIONS's answer differs from the preflight's, beyond the CORS lines and the lines every answer
    /// varies in (Date, Server, Connection, Keep-Alive, Content-Length, Transfer-Encoding, Vary): another status, or a line
    /// the other lacks, in words ("with X-Total-Count, which the preflight's answer lacks"); null where they are alike or the
    /// preflight got no answer.</summary>
    private static string? ShapeDifference(RawResponse plain, RawResponse preflight)
    {
        if (!preflight.Answered || preflight.Status is not { } preflightStatus) return null;
        if (plain.Status != preflightStatus) return $"where the preflight's answer is {preflightStatus}";
        static HashSet<string> Names(RawResponse answer) => answer.Headers.Select(h => h.Name.ToLowerInvariant())
            .Where(n => !n.StartsWith("access-control-", StringComparison.Ordinal)
                && n is not ("date" or "server" or "connection" or "keep-alive" or "content-length" or "transfer-encoding" or "vary"))
            .ToHashSet();
        var (plainNames, preflightNames) = (Names(plain), Names(preflight));
        var extra = plain.Headers.Select(h => h.Name).FirstOrDefault(n => plainNames.Contains(n.ToLowerInvariant()) && !preflightNames.Contains(n.ToLowerInvariant()));
        if (extra is not null) return $"with {extra}, which the preflight's answer lacks";
        var missing = preflight.Headers.Select(h => h.Name).FirstOrDefault(n => preflightNames.Contains(n.ToLowerInvariant()) && !plainNames.Contains(n.ToLowerInvariant()));
        return missing is not null ? $"without the {missing} the preflight's answer carries" : null;
    }

    private static bool SendsMaxAge(RawResponse answer, long seconds) =>
        Http.ExtractMaxAge(answer.Headers.Get(HeaderNames.AccessControlMaxAge)) is (true, { } sent) && sent == seconds;

    /// <summary>Why a browser fails the preflight for <paramref name="origin"/> on this answer before it reads the max-age
    /// (fetch.bs, CORS-preflight fetch steps 7–8, judged by the oracle's <see cref="Oracle.JudgePreflightAnswer"/>: a CORS
    /// check and an ok status, then the method and the header name asked for must be allowed, else a network error and
    /// nothing is cached), judged as for a request without credentials, the weaker of the two; null when it gets that far. A
    /// preflight for PUT answered Access-Control-Allow-Methods: GET, HEAD, POST (@fastify/cors's default) is cached for no
    /// method, so "browsers cache them for 5 s" was not true of it.</summary>
    private static string? PreflightFailure(RawResponse answer, string origin, string? method = null, string? header = null)
    {
        var status = answer.Status!.Value;
        if (Oracle.IsRedirectStatus(status)) return $"the preflight got the redirect {status}, which browsers do not follow";
        if (!Oracle.IsOkStatus(status)) return $"the preflight got {status}, not an ok status";
        var unsafeNames = header is null ? Array.Empty<string>() : [header.ToLowerInvariant()];
        return Oracle.JudgePreflightAnswer(status, answer.Headers, origin, CredentialsMode.SameOrigin, method ?? "GET", unsafeNames).Failure;
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

    private sealed class Probe(ReplayClient client, TimeSpan timeout, Uri resource, bool takesGet)
    {
        /// <summary>Why the route is not there, once a GET it allows was answered 404 or 410 (PolicyRunner.RouteNotThere).</summary>
        public string? NotThere { get; private set; }

        /// <summary>How the server answered one request two ways when asked it twice, or null while every answer came alike.</summary>
        public string? Wavering { get; private set; }

        private async Task<RawResponse> AskAsync(string method, IReadOnlyList<Header> headers, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), resource);
            foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            // With what a browser adds (User-Agent, Accept-Language, Sec-Fetch-*, Referer), as the audit's probes go: a bot
            // defence in front of the API refusing requests without them meets no browser, and bare requests made every check
            // of an admitted answer fail or go unchecked against a server that keeps its policy for browsers.
            var origin = headers.FirstOrDefault(h => h.Name.Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase))?.Value;
            foreach (var header in Audit.Auditor.BrowserHeadersFor(origin, resource)) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            return await Replay.SendAsync(client, request, timeout, cancellationToken);
        }

        private static string Summary(RawResponse answer)
        {
            var lines = answer.Headers.Where(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Vary", StringComparison.OrdinalIgnoreCase)).ToList();
            return $"{answer.Status} " + (lines.Count == 0 ? "without a CORS header" : $"with {string.Join("; ", lines.Select(h => $"{h.Name}: {Specs.Fetch.Http.Shown(h.Value)}"))}");
        }

        /// <param name="resourceOnly">The check reads the resource's own answer: a redirect or an unhandled status is none
        /// (RawResponse.NotTheResource). The bare OPTIONS is asked only how it is answered.</param>
        /// <param name="preflight">A preflight: its redirect is an answer that refuses, an unhandled status none.</param>
        /// <param name="route">The allowed origin's GET, which alone tells whether the route is there: a server may answer an
        /// origin it refuses 404 (hiding the resource from it), and that made every passing check "not checked".</param>
        public async Task<Exchange> SendAsync(string method, IReadOnlyList<Header> headers, CancellationToken cancellationToken, bool resourceOnly = false, bool preflight = false, bool route = false)
        {
            var answer = await AskAsync(method, headers, cancellationToken);
            // Asked once more, the same request: a server whose answers to it differ (a 500 every other time, a CORS header
            // that comes and goes) makes a pass on one answer luck — the flaky server's plain OPTIONS answered 500 passed
            // "not answered as a preflight" where its next answer was a preflight's.
            if (answer.Answered && Wavering is null)
            {
                var again = await AskAsync(method, headers, cancellationToken);
                // A rate limit or a gateway answering the second ask (429, 502, 503, 504) is not the server answering otherwise.
                if (answer.DiffersFrom(again))
                {
                    Wavering = $"the server answers the same request differently from one time to the next ({method} [{string.Join("; ", headers)}] was answered {Summary(answer)}, then {Summary(again)}): "
                        + "a check that passed on one answer says nothing of the next, and browsers meet either";
                }
            }
            if (resourceOnly && takesGet && method == "GET" && answer.Status is 404 or 410)
            {
                var notThere = route ? PolicyRunner.RouteNotThere(answer.Status!.Value)
                    : $"the URL answers {answer.Status} to this GET ({string.Join("; ", headers.Where(h => h.Name == HeaderNames.Origin))}), an error page whose headers say nothing of the resource's own";
                if (route) NotThere = notThere;
                answer = new RawResponse(null, [], notThere)
                {
                    Reached = true,
                    NotFromResource = true,
                };
            }
            return new Exchange(method, headers, resource, PolicyRunner.Clean(resourceOnly || preflight ? RawResponse.NotTheResource(answer, resource, preflight) : answer, Authentication.None));
        }
    }
}
