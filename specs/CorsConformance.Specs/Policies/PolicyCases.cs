using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// One generated check of a server under test: a request a browser page at <see cref="PageOrigin"/> makes to
/// <see cref="Resource"/>, and, in <see cref="Model"/>, the same request against a server that keeps the policy — so the
/// oracle says what the policy promises.
/// </summary>
/// <param name="PageOrigin">The serialized origin the page must have, or "null" for an opaque origin.</param>
/// <param name="Title">The test's name: a sentence, e.g. "PUT from https://app.example.com is allowed".</param>
/// <param name="Route">The policy's route the case belongs to (`resources`), as the policy names it; null for a lone URL.</param>
/// <param name="MustRead">A response header the policy exposes that this case checks the page can read (lowercase): the
/// server must send it for the check to be made, so a case whose answer lacks it is not judged rather than passed.</param>
public sealed record PolicyCase(string Id, string Title, string PageOrigin, Uri Resource, CorsCase Model, string? Route = null, string? MustRead = null)
{
    public RequestSpec Request => Model.Request;

    /// <summary>For a forged origin's refusal, the allowed origin (a pattern's example host) it was forged from; else null.</summary>
    public string? ForgedFrom { get; init; }
}

/// <summary>Generates the checks a policy implies: what its allowed origins may do, and what others may not.</summary>
public static class PolicyCases
{
    /// <summary>A header no policy allows, for the negative header case.</summary>
    public const string UnlistedHeader = "X-Cors-Conformance-Unlisted";

    /// <param name="elsewhere">Methods the API allows on other routes: each one this route does not allow is tried here
    /// and must be refused (a route with its own methods).</param>
    public static IReadOnlyList<PolicyCase> Generate(CorsPolicy policy, Uri resource, IEnumerable<string>? elsewhere = null)
    {
        var cases = new List<PolicyCase>();
        var origins = policy.AnyOrigin && policy.AllowedOrigins.Count == 0
            ? [new OriginRule("https://app.example.com")]
            : policy.AllowedOrigins;
        foreach (var origin in origins.Select(o => o.Example).Distinct())
        {
            void Add(string slug, string title, RequestSpec request, string? mustRead = null) =>
                cases.Add(Case($"{Slug(origin)}/{slug}", title, origin, resource, request, policy) with { MustRead = mustRead });

            // A simple GET or POST is never preflighted, so a policy cannot refuse one; it is promised allowed only where
            // the route takes the method (a route listing only GET may well answer a POST 405 without CORS headers).
            var simplePost = Request("POST", body: "ping", headers: [new Header("Content-Type", "text/plain")]);
            if (TakesSimple(policy, "GET")) Add("simple-get", $"a simple GET from {origin} is allowed", Request("GET"));
            if (TakesSimple(policy, "POST")) Add("simple-post", $"a simple POST (text/plain) from {origin} is allowed", simplePost);
            // Each allowed method and header is tried without credentials and, where the policy allows credentials, with
            // them: a server that leaves Access-Control-Allow-Credentials off its preflight, or answers `*` (which a
            // credentialed request reads literally), breaks only the credentialed calls.
            void Allowed(string slug, string title, string credentialedTitle, RequestSpec request)
            {
                Add(slug, title, request);
                if (policy.AllowCredentials) Add(slug + "/credentialed", credentialedTitle, request with { Credentials = CredentialsMode.Include });
            }
            foreach (var (method, why) in MethodsToTry(policy))
            {
                Allowed($"method-{method.ToLowerInvariant()}",
                    $"{method} from {origin} is allowed after a preflight{why}",
                    $"a credentialed {method} from {origin} is allowed after a preflight{why}",
                    Request(method, body: method is "POST" or "PUT" or "PATCH" ? "ping" : null));
            }
            foreach (var (header, why) in HeadersToTry(policy))
            {
                var contentType = header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
                var value = contentType ? "application/json" : "1";
                var method = contentType ? ContentTypeMethod(policy) : "GET";
                Allowed($"header-{header.ToLowerInvariant()}",
                    $"a request with {header}: {value} from {origin} is allowed{why}",
                    $"a credentialed request with {header}: {value} from {origin} is allowed{why}",
                    Request(method, body: method is "GET" or "HEAD" ? null : "{}", headers: [new Header(header, value)]));
            }
            // Each header the policy exposes by name, read by a page on a simple request (with credentials where the policy
            // allows them, as a signed-in front end reads it): every allowed case checks it too, but only where the server
            // sends it, and a case of its own makes a header the server never sends show as not checked.
            var readingMethod = TakesSimple(policy, "GET") ? "GET" : TakesSimple(policy, "POST") ? "POST" : null;
            // (Set-Cookie and Set-Cookie2 are forbidden response-header names: no exposure lets a page read them.)
            foreach (var exposed in readingMethod is null ? [] : policy.ExposedHeaders.Where(h => h != "*" && !Fetch.ResponseHeaders.IsForbidden(h)).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var credentials = policy.AllowCredentials ? CredentialsMode.Include : CredentialsMode.SameOrigin;
                var reading = readingMethod == "GET" ? Request("GET", credentials) : simplePost with { Credentials = credentials };
                Add($"exposed-{exposed.ToLowerInvariant()}",
                    $"a {(policy.AllowCredentials ? "credentialed" : "simple")} {readingMethod} from {origin} is allowed and its {exposed} readable (exposedHeaders)",
                    reading, exposed.ToLowerInvariant());
            }
            if (policy.AllowCredentials)
            {
                if (TakesSimple(policy, "GET")) Add("credentialed-get", $"a credentialed GET from {origin} is allowed", Request("GET", CredentialsMode.Include));
            }
            else
            {
                Add("credentialed-get", $"a credentialed GET from {origin} is refused (the policy does not allow credentials)", Request("GET", CredentialsMode.Include));
            }
            var unlistedMethods = (elsewhere ?? []).Where(m => m != "*" && !Fetch.Methods.IsCorsSafelisted(m) && !policy.IsMethodAllowed(m))
                // Every one of the methods APIs take that the policy leaves out, not only the first: a server answering a
                // GET, POST policy that allowed DELETE too was held only to refusing PATCH, and read as keeping its policy.
                .Concat(Unlisted(policy, ["PATCH", "PUT", "DELETE"]) is { Count: > 0 } common ? common : Unlisted(policy, ["PURGE"]))
                .Distinct(StringComparer.Ordinal);
            foreach (var unlistedMethod in policy.AllowedMethods.Contains("*") ? [] : unlistedMethods)
            {
                var slug = $"unlisted-method-{unlistedMethod.ToLowerInvariant()}";
                Add(slug, $"{unlistedMethod} from {origin} is refused (not in allowedMethods)", Request(unlistedMethod));
                Add(slug + "/credentialed", $"a credentialed {unlistedMethod} from {origin} is refused (not in allowedMethods)", Request(unlistedMethod, CredentialsMode.Include));
            }
            if (!policy.AllowedHeaders.Contains("*"))
            {
                Add("unlisted-header", $"a request with {UnlistedHeader} from {origin} is refused (not in allowedHeaders)",
                    Request("GET", headers: [new Header(UnlistedHeader, "1")]));
                Add("unlisted-header/credentialed", $"a credentialed request with {UnlistedHeader} from {origin} is refused (not in allowedHeaders)",
                    Request("GET", CredentialsMode.Include, headers: [new Header(UnlistedHeader, "1")]));
            }
        }
        if (!policy.AnyOrigin)
        {
            void Refused(string slug, string origin, string title, string? forgedFrom = null)
            {
                cases.Add(Case($"{slug}/simple-get", $"a simple GET from {title} is refused", origin, resource, Request("GET"), policy) with { ForgedFrom = forgedFrom });
                cases.Add(Case($"{slug}/credentialed-get", $"a credentialed GET from {title} is refused", origin, resource, Request("GET", CredentialsMode.Include), policy) with { ForgedFrom = forgedFrom });
            }
            Refused(Slug(policy.DisallowedOrigin), policy.DisallowedOrigin, $"{policy.DisallowedOrigin} (not an allowed origin)");
            Refused("null", "null", "an opaque (null) origin");
            foreach (var (trusted, forged) in Forgeries(policy))
            {
                Refused($"{Slug(trusted)}/{forged.Slug}", forged.Origin,
                    $"{forged.Origin}, forged from {trusted} ({forged.Kind}: {Explain(forged.Kind)})", trusted);
            }
        }
        return cases;
    }

    /// <summary>Whether the route takes a CORS-safelisted method: a policy that lists no methods, or lists `*`, takes them
    /// all; one that lists methods takes those it lists.</summary>
    private static bool TakesSimple(CorsPolicy policy, string method) =>
        policy.AllowedMethods.Count == 0 || policy.AllowedMethods.Contains("*") || policy.IsMethodAllowed(method);

    /// <summary>Those of <paramref name="methods"/> the policy does not allow.</summary>
    private static List<string> Unlisted(CorsPolicy policy, string[] methods) => [.. methods.Where(m => !policy.IsMethodAllowed(m))];

    /// <summary>The method an allowed Content-Type (application/json, which is preflighted) is sent with: a POST where the
    /// route takes POST; else a method it lists that carries a body (PUT, PATCH, DELETE…); else a GET carrying the header
    /// alone. A route listing GET and PUT may refuse a POST's preflight (gorilla's handlers.CORS answers it 405) and keep the
    /// policy: POST is safelisted, so the browser does not ask for it in Access-Control-Allow-Methods, but the server is free
    /// to refuse a method its policy does not list.</summary>
    private static string ContentTypeMethod(CorsPolicy policy) =>
        TakesSimple(policy, "POST") ? "POST"
        : policy.AllowedMethods.FirstOrDefault(m => m != "*" && m is not ("GET" or "HEAD" or "POST")) ?? "GET";

    /// <summary>A method a policy allowing every method (`*`) is tried with, when it lists no such method itself.</summary>
    public const string AnyMethodSample = "PUT";

    /// <summary>A header a policy allowing every header (`*`) is tried with.</summary>
    public const string AnyHeaderSample = "X-Cors-Conformance-Any";

    /// <summary>The non-safelisted methods a policy allows, each to be tried (with why, for `*`): its own, and for `*` one
    /// more it does not name.</summary>
    private static IEnumerable<(string Method, string Why)> MethodsToTry(CorsPolicy policy)
    {
        var listed = policy.AllowedMethods.Where(m => m != "*" && !Fetch.Methods.IsCorsSafelisted(m)).ToList();
        foreach (var method in listed) yield return (method, "");
        if (policy.AllowedMethods.Contains("*") && !listed.Contains(AnyMethodSample)) yield return (AnyMethodSample, " (allowedMethods: *)");
    }

    private static IEnumerable<(string Header, string Why)> HeadersToTry(CorsPolicy policy)
    {
        foreach (var header in policy.AllowedHeaders.Where(h => h != "*")) yield return (header, "");
        if (policy.AllowedHeaders.Contains("*")) yield return (AnyHeaderSample, " (allowedHeaders: *)");
    }

    /// <summary>
    /// The hostile origins a policy implies: for each allowed origin (for a pattern, its example host), the forgeries of
    /// <see cref="OriginForgeries"/> made from it that the policy does not allow — one per kind (the special-character kind
    /// with `_`, which every engine opens a page at), both subdomain forgeries (a sibling, one level below), and never
    /// `null` or the fixed origins that do not depend on it (`null` is its own case).
    /// </summary>
    public static IEnumerable<(string Trusted, (string Kind, string Origin, string Slug) Forged)> Forgeries(CorsPolicy policy)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { "null", policy.DisallowedOrigin };
        foreach (var trusted in policy.AllowedOrigins.Select(o => o.Example).Distinct())
        {
            var kinds = new Dictionary<string, int>();
            foreach (var forged in OriginForgeries.From(trusted))
            {
                if (!OriginForgeries.DerivedKinds.Contains(forged.Kind) || forged.Kind == OriginForgeries.NullTrusted) continue;
                if (forged.Kind == OriginForgeries.SpecialCharacters && kinds.ContainsKey(forged.Kind)) continue;
                if (policy.IsOriginAllowed(forged.Origin) || !seen.Add(forged.Origin)) continue;
                var n = kinds[forged.Kind] = kinds.GetValueOrDefault(forged.Kind) + 1;
                yield return (trusted, (forged.Kind, forged.Origin, $"forged-{forged.Kind}{(n > 1 ? $"-{n}" : "")}"));
            }
        }
    }

    /// <summary>What a server that admits a forgery of this kind does wrong, in a few words.</summary>
    public static string Explain(string kind) => kind switch
    {
        OriginForgeries.PrefixMatch => "admitted by a server that matches the allowed origin as a prefix or with an unanchored pattern",
        OriginForgeries.SuffixMatch => "admitted by a server that matches the allowed host as a suffix without the dot",
        OriginForgeries.SubstringMatch => "admitted by a server that checks that the allowed origin contains the request's",
        OriginForgeries.UnescapedDot => "admitted by a regular expression whose dot is not escaped",
        OriginForgeries.AnySubdomain => "admitted by a server that trusts every subdomain",
        OriginForgeries.HttpOriginTrusted => "admitted by a server that ignores the scheme",
        OriginForgeries.OtherPort => "admitted by a server that ignores the port",
        OriginForgeries.SpecialCharacters => "admitted by a host check that stops at a special character",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of forgery the policy cases make"),
    };

    /// <summary>
    /// What a server that keeps the policy answers <paramref name="request"/> with: ACAO for allowed origins only, ACAC when
    /// credentials are allowed, the allowed methods and headers on the preflight, the exposed headers on the response, and
    /// Vary: Origin. A policy's `*` (any method, any header) is answered `*` to a request without credentials and, since a
    /// credentialed request reads `*` literally, with the request's own method and header names to one with them — what a
    /// middleware that allows any method or header with credentials does.
    /// </summary>
    public static ServerPlan ImpliedPlan(CorsPolicy policy, string pageOrigin, RequestSpec request)
    {
        if (!policy.IsOriginAllowed(pageOrigin)) return new ServerPlan(new ResponsePlan(204, []), new ResponsePlan(200, [new Header(HeaderNames.Vary, "Origin")]));
        var allowOrigin = policy.AnyOrigin && !policy.AllowCredentials ? "*" : Placeholders.Echo;
        var common = new List<Header> { new(HeaderNames.AccessControlAllowOrigin, allowOrigin) };
        if (policy.AllowCredentials) common.Add(new Header(HeaderNames.AccessControlAllowCredentials, "true"));
        var preflight = new List<Header>(common);
        var credentialed = request.Credentials == CredentialsMode.Include;
        IReadOnlyList<string> Answered(IReadOnlyList<string> allowed, IEnumerable<string> requested) =>
            credentialed && allowed.Contains("*")
                ? [.. allowed.Where(a => a != "*"), .. requested.Where(r => !allowed.Contains(r, StringComparer.OrdinalIgnoreCase))]
                : allowed;
        var methods = Answered(policy.AllowedMethods, [Fetch.Methods.Normalize(request.Method)]);
        var headers = Answered(policy.AllowedHeaders, Fetch.RequestHeaders.UnsafeNames(request.Headers));
        if (methods.Count > 0) preflight.Add(new Header(HeaderNames.AccessControlAllowMethods, string.Join(", ", methods)));
        if (headers.Count > 0) preflight.Add(new Header(HeaderNames.AccessControlAllowHeaders, string.Join(", ", headers)));
        if (policy.MaxAge is { } age) preflight.Add(new Header(HeaderNames.AccessControlMaxAge, age.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var actual = new List<Header>(common) { new(HeaderNames.Vary, "Origin") };
        if (policy.ExposedHeaders.Count > 0) actual.Add(new Header(HeaderNames.AccessControlExposeHeaders, string.Join(", ", policy.ExposedHeaders)));
        return new ServerPlan(new ResponsePlan(204, preflight), new ResponsePlan(200, actual));
    }

    private static PolicyCase Case(string id, string title, string origin, Uri resource, RequestSpec request, CorsPolicy policy)
    {
        var model = new CorsCase(
            "server-under-test/" + id,
            Fetch.Methods.IsCorsSafelisted(Fetch.Methods.Normalize(request.Method)) && Fetch.RequestHeaders.UnsafeNames(request.Headers).Count == 0
                ? "concept-cors-check"
                : "cors-preflight-fetch-0",
            title,
            new Topology(origin == "null" ? PageOrigin.Null : PageOrigin.Origin, Place.CrossSite, resource.Scheme == "https" ? Scheme.Https : Scheme.Http),
            request,
            ImpliedPlan(policy, origin, request),
            "policy");
        return new PolicyCase(id, title, origin, resource, model);
    }

    private static RequestSpec Request(string method, CredentialsMode credentials = CredentialsMode.SameOrigin, string? body = null, IReadOnlyList<Header>? headers = null) =>
        new(Api.Fetch, method, headers ?? [], credentials, body);

    private static string Slug(string origin) =>
        origin.Replace("://", "-", StringComparison.Ordinal).Replace(':', '-').Replace('.', '-');
}
