using System.Text;
using System.Text.Json;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>
/// One generated case of a server under test in one engine: what the browser did, what the policy promises (the policy run
/// through the oracle), what the Fetch Standard says a browser must do with what the server actually answered, and the raw
/// answers as evidence.
/// </summary>
public sealed record PolicyVerdict(
    PolicyCase Case,
    Outcome Browser,
    IReadOnlyList<string>? ReadableHeaders,
    Expectation Promised,
    Expectation? SpecOnAnswers,
    RawResponse? Preflight,
    RawResponse Actual,
    string? BrowserReason,
    IReadOnlyList<string> ExposedButUnreadable,
    IReadOnlyList<string> ReadableButNotExposed,
    string? NotJudged = null)
{
    public bool IsHarnessError => NotJudged is null && Browser == Outcome.Unreached;

    /// <summary>Why the Fetch Standard's reading of the server's answers (<see cref="SpecOnAnswers"/>) is left out though
    /// they came: the browser got to another answer than the replay (PolicyRunner.Unread); null when they were read.</summary>
    public string? AnswersUnread { get; init; }

    /// <summary>Why the browser's call got no answer where the replay's did (the page gave up at its timeout), in a sentence;
    /// null otherwise. Set by the runner.</summary>
    public string? BrowserUnanswered { get; init; }

    /// <summary>Whether the browser failed below CORS on an answer the replay could not read either (not HTTP, say): the
    /// server was reached, but no CORS check ran. Set by the runner with <see cref="BrowserUnanswered"/>.</summary>
    public bool AnswerUnreadable { get; init; }

    /// <summary>Why a harness error is one: the replay's failure, else the browser's (<see cref="BrowserUnanswered"/>). A
    /// browser that timed out where the replay was answered had no reason at all ("could not reach …: .").</summary>
    public string? UnreachedWhy => BrowserUnanswered ?? RawResponse.FailureOf(Preflight, Actual);

    /// <summary>Why the replay's answers do not stand for every answer the server gives: sent again, the case's requests were
    /// answered so that the Fetch Standard reads them to another outcome (PolicyRunner.WithAnswersAskedAgainAsync); null
    /// when not asked again or answered alike. The browser may have got either answer, so it is not said to depart.</summary>
    public string? AnswersVary { get; init; }

    /// <summary>How many times the case's requests were sent again and answered alike (PolicyRunner.WithAnswersAskedAgainAsync):
    /// the ground a departure of the browser stands on, said with it, since the browser's own answers are not seen.</summary>
    public int AnsweredAlikeAgain { get; init; }

    /// <summary>How the server answered the replay without a browser's headers, when only its answers to a browser's were
    /// the browser's to get and are the ones read (<see cref="Preflight"/>, <see cref="Actual"/>, <see cref="SpecOnAnswers"/>;
    /// PolicyRunner.WithAnswersAskedAgainAsync); null otherwise.</summary>
    public string? AnsweredAsBrowser { get; init; }

    /// <summary>The answers that differed when asked again (<see cref="AnswersVary"/>), as evidence.</summary>
    public (RawResponse? Preflight, RawResponse Actual)? AnswersAgain { get; init; }

    /// <summary>Neither passed nor failed: the engine ran but something outside CORS stopped the call (see <see cref="NotJudged"/>).</summary>
    public bool Passed => NotJudged is null && !IsHarnessError && Browser == Promised.Outcome && !AnswersBreakThePromise && !SentThoughRefused
        && ExposedButUnreadable.Count == 0 && ReadableButNotExposed.Count == 0;

    /// <summary>The policy refuses the request at its preflight (a method or header it does not allow), so a browser never
    /// sends it; but the server's real preflight answer admits it, so by the Fetch Standard a browser sends the request
    /// itself — the server acts on it — and blocks only its response. The page sees the same block either way; the server
    /// does not keep the promise.</summary>
    public bool SentThoughRefused =>
        SpecOnAnswers is not null && Promised.Allowed.All(e => e.Outcome == Outcome.Blocked && !e.ActualSent)
        && SpecOnAnswers.Allowed.All(e => e.ActualSent);

    /// <summary>The server's real answers, read by the Fetch Standard, lead elsewhere than the policy promises: the browser
    /// did what the policy promises only by departing from the standard, or for a reason that is not CORS (a connection
    /// reset gives the page the same TypeError as a CORS block), so the promise is not shown kept.</summary>
    public bool AnswersBreakThePromise => SpecOnAnswers is not null && SpecOnAnswers.Allowed.All(e => e.Outcome != Promised.Outcome);

    /// <summary>Whether the browser did something other than what the standard says for the server's real answers.</summary>
    public bool BrowserDepartsFromStandard => SpecOnAnswers is not null && SpecOnAnswers.Allowed.All(e => e.Outcome != Browser);

    /// <summary>The browser's own words when they name a failure below CORS — the connection closed without an answer,
    /// reset, refused, timed out, or Firefox's "CORS request did not succeed" (its words for a request that got no HTTP
    /// answer) — else null. Chromium's CORS blocks say net::ERR_FAILED, which is not one of them.</summary>
    public string? NetworkFailure => Running.NetworkFailures.In(BrowserReason);

    /// <summary>Why <see cref="SentThoughRefused"/>, in a sentence without the engine's name.</summary>
    public string SentThoughRefusedWhy =>
        $"the server's preflight answer admits {Methods.Normalize(Case.Request.Method)}"
        + (RequestHeaders.UnsafeNames(Case.Request.Headers) is { Count: > 0 } names ? $" with {string.Join(", ", names)}" : "")
        + ", so by the Fetch Standard a browser sends the request itself and the server acts on it; only the response is then blocked. "
        + "The policy refuses it at the preflight, before anything is sent";

    /// <summary>Why a page reads what it reads from the server's real answer: its Access-Control-Expose-Headers as the CORS
    /// filter takes it, next to what the policy exposes.</summary>
    public string ExposureWhy()
    {
        var sent = Actual.Headers.Where(h => h.Name.Equals(HeaderNames.AccessControlExposeHeaders, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        var policy = Case.Model.Server.Actual.Headers.FirstOrDefault(h => h.Name == HeaderNames.AccessControlExposeHeaders)?.Value;
        var credentialed = Case.Request.Credentials == CredentialsMode.Include;
        return "Why, by the Fetch Standard's CORS filter: a page reads the CORS-safelisted response headers and those Access-Control-Expose-Headers names"
            + (credentialed ? " (for a credentialed request `*` there is the name `*`, not every header)" : " (`*` there names every header, for a request without credentials)")
            + "; the server's answer "
            + (sent.Count == 0 ? "carries no Access-Control-Expose-Headers" : $"carries Access-Control-Expose-Headers: {string.Join(", ", sent)}")
            + $", the policy exposes {(policy is null ? "nothing" : policy)}.";
    }

    public string Describe(string engine)
    {
        var text = new StringBuilder();
        var did = Browser switch { Outcome.Allowed => "allowed", Outcome.Blocked => "blocked", _ => "could not reach the server for" };
        if (NotJudged is not null)
        {
            text.AppendLine($"{engine} did not judge '{Case.Title}': {NotJudged}.");
            return BoundedText.Of(text.ToString());
        }
        if (IsHarnessError)
        {
            text.AppendLine($"{engine} {(AnswerUnreadable ? "got no answer it could read from" : "could not reach")} the server under test for '{Case.Title}': {(UnreachedWhy ?? "the server was not reached").TrimEnd('.')}. This is not a CORS verdict.");
        }
        else if (Passed)
        {
            text.AppendLine($"{engine} {did} '{Case.Title}', as the policy promises.");
        }
        else if (Browser == Promised.Outcome && AnswersBreakThePromise && Actual.SignedIn)
        {
            text.AppendLine($"{engine} {did} '{Case.Title}', as the policy promises, but only for a visitor without cookies: the replay's request, carrying a cookie "
                + $"({Replay.SignedInCookie}) as a signed-in user's request does, got an answer that by the Fetch Standard makes it {SpecOnAnswers!.Outcome.ToString().ToLowerInvariant()}. "
                + "The server decides its CORS answer on the cookie, so a page at that origin can read your signed-in users' responses.");
        }
        else if (Browser == Promised.Outcome && AnswersBreakThePromise && AnswersVary is not null)
        {
            text.AppendLine($"{engine} {did} '{Case.Title}', as the policy promises, but the server answers the same requests differently from one time to the next, "
                + $"and some of its answers make the request {SpecOnAnswers!.Outcome.ToString().ToLowerInvariant()} by the Fetch Standard: the promise is not shown kept.");
        }
        else if (Browser == Promised.Outcome && AnswersBreakThePromise)
        {
            text.AppendLine($"{engine} {did} '{Case.Title}', as the policy promises, but the server's real answers do not keep that promise: by the Fetch Standard "
                + $"they make the request {SpecOnAnswers!.Outcome.ToString().ToLowerInvariant()}. What the browser did came from a departure from the standard or from something "
                + "that is not CORS (a connection reset is the same TypeError to the page as a CORS block; its words are below), so a browser that follows the standard would not do it.");
        }
        else if (Browser != Promised.Outcome)
        {
            text.AppendLine($"{engine} {did} the request, but the policy promises it is {Promised.Outcome.ToString().ToLowerInvariant()}: '{Case.Title}'.");
        }
        else if (SentThoughRefused)
        {
            text.AppendLine($"{engine} blocked '{Case.Title}', as the policy promises, but only after sending it: {SentThoughRefusedWhy}.");
        }
        else if (ExposedButUnreadable.Count > 0)
        {
            text.AppendLine($"{engine} allowed the request, but could not read the exposed header(s) {string.Join(", ", ExposedButUnreadable)}: '{Case.Title}'.");
            text.AppendLine(ExposureWhy());
        }
        else
        {
            text.AppendLine($"{engine} allowed the request, and the page could read {string.Join(", ", ReadableButNotExposed)}, which the policy does not expose: '{Case.Title}'.");
            text.AppendLine(ExposureWhy());
        }
        if (AnsweredAsBrowser is not null) text.AppendLine($"The server answers browsers otherwise than other clients: {AnsweredAsBrowser}.");
        if (AnswersVary is not null)
        {
            // A server answering a browser's headers otherwise (PolicyRunner.WithAnswersAskedAgainAsync's last ask) says so itself.
            var browsersOtherwise = AnswersVary.Contains("otherwise than other clients", StringComparison.Ordinal);
            text.AppendLine($"The Fetch Standard, given the server's first answers, says {SpecOnAnswers!.Outcome.ToString().ToLowerInvariant()} ({InPageWords(SpecOnAnswers.Reason)}); but {AnswersVary}"
                + (browsersOtherwise
                    ? ", so the browser most likely got that answer (its own words are below). This is not shown to be a departure of the browser from the standard; "
                        + "your users' browsers get the answer that fails."
                    : ": the server answers the same request differently from one time to the next, so the browser may have got either answer (its own words are below). "
                        + "This is not shown to be a departure of the browser from the standard; your users meet it as intermittent failures."));
        }
        else if (SpecOnAnswers is { } spec)
        {
            // A blocked call whose browser request failed below CORS (the server closed or reset that connection; the
            // replay's own request was answered) is not the browser departing from the standard: say what it was.
            text.AppendLine(IsHarnessError
                ? $"The Fetch Standard, given the replay's answers, says {spec.Outcome.ToString().ToLowerInvariant()} ({InPageWords(spec.Reason)}); the browser's own request got no answer, so nothing of it is judged."
                : !BrowserDepartsFromStandard
                ? $"Why, by the Fetch Standard, given the server's real answers: {WhyOnAnswers(spec)}."
                : Browser == Outcome.Blocked && NetworkFailure is { } failure
                ? $"The Fetch Standard, given the server's real answers, says {spec.Outcome.ToString().ToLowerInvariant()} ({InPageWords(spec.Reason)}), but the browser's own request failed below CORS ({failure}): "
                    + "a network error — the connection closed, reset or refused without an answer, or an answer the browser does not take (a head too big for it, "
                    + "one it cannot parse) — which the page sees as the same TypeError as a CORS block. "
                    + "The browser did not depart from the standard; the server did not give its request an answer it takes (the replay's was answered: rerun to see whether it is intermittent)."
                : $"The Fetch Standard, given the server's real answers, says {spec.Outcome.ToString().ToLowerInvariant()} ({InPageWords(spec.Reason)}): the browser departs from the standard here"
                    // A browser that blocked without a word (WebKitGTK says nothing of a CORS block or of a network error) may have
                    // failed below CORS: a head too big for it (WebKitGTK fails a 300 KB one) reads the same to the page.
                    + (Browser == Outcome.Blocked && string.IsNullOrWhiteSpace(BrowserReason)
                        ? ", or its request failed below CORS without a word (this browser gave no reason for the block: a network error — a head too big for it, an answer it cannot parse — reads the same to the page)"
                        : "")
                    + (AnsweredAlikeAgain > 0
                        ? $" (the server gave the same answers {AnsweredAlikeAgain + 1} times; the browser's own are not seen, so a server whose answers differ "
                            + "from one request to the next — backends behind one name configured apart — may still have answered the browser otherwise)."
                        : "."));
        }
        else if (AnswersUnread is not null)
        {
            text.AppendLine($"The Fetch Standard's reading of the server's answers is left out: {AnswersUnread}.");
        }
        if (!Passed && Browser == Outcome.Blocked && Promised.Outcome == Outcome.Allowed && (SpacedNameHint() ?? SeveralAllowOriginsHint() ?? RefusedWhatItAsksHint() ?? OriginRefusedHint() ?? MethodRefusedHint() ?? AuthenticationHint() ?? PreflightHint() ?? WildcardWithCredentialsHint() ?? ErrorAnswerHint() ?? NoCorsHeadersHint()) is { } hint) text.AppendLine(hint);
        if (!Passed && AdmitsOnlySignedIn is { } signedIn)
        {
            text.AppendLine($"With a cookie, as a signed-in user's request carries one ({Replay.SignedInCookie}), the server answers "
                + $"Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(signedIn.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")} with Access-Control-Allow-Credentials: true, which the CORS check passes: "
                + "the call works for users with a session and is blocked for visitors without cookies (the server decides its CORS answer on the cookie). "
                + "Give the run a CookieJar to judge the signed-in call alone.");
        }
        if (!Passed && AdmitsAnyOrigin is var (stranger, strangerAnswer) && ForgeryKind(Case) is { } kind)
        {
            var acao = strangerAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            text.AppendLine($"A GET from {stranger}, an origin with nothing of the policy's in it, is answered Access-Control-Allow-Origin: {acao}"
                + (strangerAnswer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true" ? " with Access-Control-Allow-Credentials: true" : "")
                + $": the server admits any origin ({(acao == "*" ? "it answers `*`" : "it reflects the Origin")}), so no {kind} match of its own is the cause — "
                + "its origin check as a whole is. Allow only the policy's origins"
                + (acao == "*"
                    ? " (ASP.NET Core: WithOrigins(…) in place of AllowAnyOrigin(); @fastify/cors, Express's cors, @koa/cors and hono/cors answer `*` unless given an origin list or function, "
                        + "as do gin-contrib/cors's cors.Default() and AllowAllOrigins, echo's middleware.CORS() and @tinyhttp/cors without an origin, "
                        + "and go-chi/cors's and rs/cors's AllowedOrigins \"*\" (or none), which keep `*` even with AllowCredentials)."
                    : " (ASP.NET Core: WithOrigins(…) in place of SetIsOriginAllowed(_ => true); @fastify/cors and Express's cors: a list in place of origin: true; "
                        + "@koa/cors: an origin function, since credentials: true without one reflects every Origin; "
                        + "go-chi/cors and rs/cors: exact origins in place of a pattern such as \"https://*\" in AllowedOrigins, which reflects every https origin; "
                        + "`*` with credentials is answered by reflecting the Origin in echo's AllowOrigins \"*\" with AllowCredentials, hapi's cors with credentials: true and no origin "
                        + "(its default is ['*']), Plack::Middleware::CrossOrigin's origins => '*' with credentials and falcon's CORSMiddleware with allow_credentials='*': "
                        + "name the origins there; by hand — Apache's `SetEnvIf Origin \"(.+)\"` or `Header set Access-Control-Allow-Origin expr=%{req:Origin}`, "
                        + "PHP's header(\"Access-Control-Allow-Origin: {$_SERVER['HTTP_ORIGIN']}\"), a before filter setting request.env['HTTP_ORIGIN'] — send the Origin back "
                        + "only when it equals an entry of the list)."));
        }
        if (!Passed && AdmitsAnyOrigin is null && AdmitsSuffix is var (suffixOrigin, suffixAnswer) && ForgeryKind(Case) is { } forgedKind)
        {
            var trustedUri = new Uri(Case.ForgedFrom ?? Case.PageOrigin);
            var labels = trustedUri.Host.Split('.');
            var registrable = labels.Length >= 2 ? string.Join('.', labels[^2..]) : trustedUri.Host;
            var escaped = registrable.Replace(".", "\\.", StringComparison.Ordinal);
            text.AppendLine(ForgedAnswered(suffixOrigin, $"suffix-match: a name that merely ends in {registrable}", suffixAnswer)
                + $": the server admits any host that ends in those letters — a suffix without the dot before it (`{escaped}$`, endsWith(\"{registrable}\")) "
                + $"or an unescaped dot before it (`[a-z0-9-]+.{escaped}$`) —, which admits {Case.PageOrigin} too, so "
                + (forgedKind == OriginForgeries.UnescapedDot ? "the cause may be that suffix match rather than an unescaped dot. " : "it is not only that every subdomain is trusted. ")
                + $"Match the whole origin, scheme included, against the list; for subdomains, anchor the pattern at the scheme and an escaped dot (`^{trustedUri.Scheme}://[a-z0-9-]+\\.{escaped}$`).");
        }
        if (!Passed && AdmitsAnyOrigin is null && AdmitsPrefix is var (prefixOrigin, prefixAnswer) && ForgeryKind(Case) is { } prefixedKind)
        {
            var allowedOrigin = Case.ForgedFrom ?? Case.PageOrigin;
            text.AppendLine(ForgedAnswered(prefixOrigin, "prefix-match: the allowed origin followed by other letters", prefixAnswer)
                + $": the server admits any origin that starts with {allowedOrigin} — a prefix or \"contains\" test (startsWith, strpos(…) !== false, "
                + $"an unanchored pattern) —, which admits {Case.PageOrigin} too, so "
                + (prefixedKind == OriginForgeries.OtherPort ? "the port is not the cause. " : "the special character is not the cause. ")
                + "Compare the whole Origin with each allowed origin for equality (or anchor the pattern at both ends: `^…$`).");
        }
        if (!Passed && Actual.Redirects.FirstOrDefault(r => r.NextOrigin == "null" && r.Origin != "null") is { } tainting)
        {
            // The common surprise: an http:// API redirecting to https://, or to another host, makes every later request's
            // Origin `null` (HTTP-redirect fetch's tainted origin flag), which a server allowing the page's origin refuses.
            text.AppendLine($"After the redirect from {tainting.Url} to {tainting.To}, a hop to another origin, the browser sends Origin: null "
                + "(the Fetch Standard's tainted origin, https://fetch.spec.whatwg.org/#concept-request-tainted-origin): the answer there must allow `null`, "
                + "or the page must call the final URL directly.");
        }
        text.AppendLine($"What the policy promises: {PromiseWhy()}.");
        text.AppendLine($"Spec: {Case.Model.AnchorUrl}");
        if (Preflight is not null) text.AppendLine($"Preflight answer: {Preflight}");
        text.AppendLine($"Actual answer: {Actual}");
        if (AnswersAgain is { } again)
        {
            if (again.Preflight is not null) text.AppendLine($"Preflight answer, asked again: {again.Preflight}");
            text.AppendLine($"Actual answer, asked again: {again.Actual}");
        }
        if (BrowserReason is not null) text.AppendLine($"Browser's reason: {BrowserReason}");
        text.AppendLine("Reproduce:");
        foreach (var line in Curl()) text.AppendLine("  " + line);
        text.AppendLine(Case.PageOrigin == "null"
            ? "  // from a page whose origin is opaque (it sends Origin: null): a sandboxed frame, <iframe sandbox=\"allow-scripts\" srcdoc=\"…\">:"
            : $"  // from a page at {Case.PageOrigin}:");
        text.AppendLine("  " + FetchSnippet());
        return BoundedText.Of(text.ToString());
    }

    /// <summary>The origin with nothing of the policy's in it and the server's answer to a GET from it, where that answer
    /// admits it and this case is a forged origin's refusal the browser allowed (PolicyRunner.WithAnyOriginAnswerAsync); null
    /// otherwise.</summary>
    public (string Origin, RawResponse Answer)? AdmitsAnyOrigin { get; init; }

    /// <summary>The suffix-match forgery of the same allowed origin and the server's answer to a GET from it, where that answer
    /// admits it and this case is an unescaped-dot or any-subdomain forgery the browser allowed
    /// (PolicyRunner.WithAnyOriginAnswerAsync): the host is matched as a suffix without its dot, which explains this admission
    /// too; null otherwise.</summary>
    public (string Origin, RawResponse Answer)? AdmitsSuffix { get; init; }

    /// <summary>The prefix-match forgery of the same allowed origin and the server's answer to a GET from it, where that answer
    /// admits it and this case is an other-port or special-characters forgery the browser allowed
    /// (PolicyRunner.WithAnyOriginAnswerAsync): the origin is matched as a prefix, which explains this admission too; null
    /// otherwise.</summary>
    public (string Origin, RawResponse Answer)? AdmitsPrefix { get; init; }

    /// <summary>The forgery kind of a forged origin's case (`prefix-match`…, from its id `…/forged-prefix-match/…`), else null.</summary>
    public static string? ForgeryKind(PolicyCase @case) =>
        System.Text.RegularExpressions.Regex.Match(@case.Id, "/forged-(?<kind>[a-z]+(?:-[a-z]+)*?)(?:-[0-9]+)?/") is { Success: true } m ? m.Groups["kind"].Value : null;

    /// <summary>The answer to this call sent again with a signed-in user's cookie, where it passes the CORS check though the
    /// call without one was blocked (see PolicyRunner.WithSignedInAnswerAsync); null otherwise.</summary>
    public RawResponse? AdmitsOnlySignedIn { get; init; }

    /// <summary>The answer to the least preflight from the same origin (GET, no headers), when the case's preflight was
    /// answered outside 200–299 and this one is answered ok and passes the CORS check (PolicyRunner.WithPlainPreflightAsync);
    /// null otherwise.</summary>
    public RawResponse? PlainPreflight { get; init; }

    /// <summary>Why a preflight answered outside 200–299 was refused when the least preflight from the same origin passes
    /// (<see cref="PlainPreflight"/>): the CORS layer answers preflights and admits the origin, and refuses the method or
    /// headers this one asks for — not an authentication layer (which refuses every preflight) nor a router without an
    /// OPTIONS route. Null otherwise.</summary>
    public string? RefusedWhatItAsksHint()
    {
        if (PlainPreflight is not { Status: { } plainStatus } plain || Preflight is not { Status: { } status }) return null;
        var method = Methods.Normalize(Case.Request.Method);
        var names = RequestHeaders.UnsafeNames(Case.Request.Headers);
        var asked = $"{HeaderNames.AccessControlRequestMethod}: {method}" + (names.Count > 0 ? $"; {HeaderNames.AccessControlRequestHeaders}: {string.Join(",", names)}" : "");
        var without = Oracle.IsOkStatus(status) ? $" without {HeaderNames.AccessControlAllowOrigin}" : "";
        return $"The preflight was answered {status}{without}, but one from {Case.PageOrigin} asking only for GET, without headers, is answered {plainStatus} with "
            + $"{HeaderNames.AccessControlAllowOrigin}: {plain.Headers.Get(HeaderNames.AccessControlAllowOrigin)}: the CORS layer answers preflights from {Case.PageOrigin} "
            + $"and refuses what this one asks for ({asked}), which the policy allows. Configure the middleware with the policy's methods and headers "
            + "(gorilla's handlers.CORS answers 403 to a header and 405 to a method it is not configured with, and its default headers leave out Content-Type; "
            + "aiohttp-cors and Tomcat's CorsFilter answer 403 to either; go-chi/cors and rs/cors answer 200 with Vary alone to a method not in AllowedMethods "
            + "(default GET, POST, HEAD) or a header not in AllowedHeaders (default Origin, Accept, Content-Type, and X-Requested-With in rs/cors); "
            + "Jetty's CrossOriginFilter adds none of its headers and passes the preflight on to the application, which answers it as it would any OPTIONS).";
    }

    /// <summary>The answers to a GET of the URL from the case's origin (401 or 403, without Access-Control-Allow-Origin) and to
    /// one without Origin (ok), when this call was refused 401 or 403 — its preflight, where the least preflight did not
    /// pass, or the request itself without Access-Control-Allow-Origin (PolicyRunner.WithoutOriginAnswerAsync); null otherwise.</summary>
    public (RawResponse FromOrigin, RawResponse WithoutOrigin)? OriginRefused { get; init; }

    /// <summary>Why a call was refused 401 or 403 when the URL refuses a GET from the case's origin alike and answers one
    /// without Origin ok (<see cref="OriginRefused"/>): the server refuses the origin itself, as a CORS layer does an origin
    /// it does not allow — not an authentication layer, which refuses a request without a session whatever its Origin. Null
    /// otherwise.</summary>
    public string? OriginRefusedHint()
    {
        if (OriginRefused is not var (fromOrigin, withoutOrigin)) return null;
        return $"A GET from {Case.PageOrigin} is answered {fromOrigin.Status} without {HeaderNames.AccessControlAllowOrigin}, but a GET of the same URL without Origin "
            + $"(and without credentials) is answered {withoutOrigin.Status}: the server refuses the origin {Case.PageOrigin} itself, not a request without a session — "
            + "a CORS layer that answers 403 to an origin it does not allow, as Tomcat's CorsFilter (cors.allowed.origins, whose default allows none) and "
            + $"Spring's CORS support (\"Invalid CORS request\") do. "
            + (LiteralPatternHint() is { Length: > 0 } literal ? literal : $"Add {Case.PageOrigin} to the server's allowed origins, exactly as the browser sends it.");
    }

    /// <summary>Where the page's origin is the example host the suite made for a pattern of the policy, why a server listing
    /// that pattern refuses it: a middleware that compares `*` in an allowed origin as written (gin-contrib/cors without
    /// AllowWildcard answered every subdomain 403, and the failure said only to add the made-up host). Empty otherwise.</summary>
    private string LiteralPatternHint() =>
        Case.ForgedFrom is null && OriginRule.PatternOf(Case.PageOrigin) is { } pattern
            ? $"{Case.PageOrigin} stands for the policy's {pattern} (a host the suite made for it): add that pattern to the server's allowed origins; where the server "
                + "lists it already, its CORS layer reads the `*` literally and refuses every subdomain — turn patterns on (gin-contrib/cors: AllowWildcard: true; "
                + "ASP.NET Core: SetIsOriginAllowedToAllowWildcardSubdomains()) or give the pattern in the form it takes (Express's cors: a RegExp, since a string "
                + "with `*` matches only itself)."
            : "";

    /// <summary>The answers to a GET from the case's origin (ok, admitting it) and to the case's own request without Origin
    /// (ok), when that request from the origin — one no preflight asks about, a simple POST — was refused 401 or 403 without
    /// Access-Control-Allow-Origin (PolicyRunner.WithoutOriginAnswerAsync); null otherwise.</summary>
    public (RawResponse Get, RawResponse WithoutOrigin)? MethodRefused { get; init; }

    /// <summary>Why a request no preflight asks about was refused 401 or 403 when the origin is admitted to a GET and the same
    /// request without Origin is answered ok (<see cref="MethodRefused"/>): the CORS layer refuses the method for that origin
    /// (Tomcat's CorsFilter checks the method of a simple request against cors.allowed.methods) — not an authentication layer.
    /// Null otherwise.</summary>
    public string? MethodRefusedHint()
    {
        if (MethodRefused is not var (get, withoutOrigin)) return null;
        var method = Methods.Normalize(Case.Request.Method);
        return $"A GET from {Case.PageOrigin} is answered {get.Status} with {HeaderNames.AccessControlAllowOrigin}: {get.Headers.Get(HeaderNames.AccessControlAllowOrigin)}, and this {method} "
            + $"without Origin (and without credentials) is answered {withoutOrigin.Status}: the server refuses {method} from {Case.PageOrigin} itself, not a request without a session — "
            + $"a CORS layer that checks the method of a request no preflight asked about, as Tomcat's CorsFilter answers 403 to a simple request whose method is not in "
            + $"cors.allowed.methods (its default is GET, POST, HEAD, OPTIONS). Add {method} to the server's allowed methods.";
    }

    /// <summary>Whether this call carried the credentials the run was given (AuthHeaders, CookieJar): set by the runner.</summary>
    public bool CarriedUserCredentials { get; init; }

    /// <summary>
    /// The most common cause of an allowed call blocked, when the answers show it: an authentication layer in front of the
    /// CORS layer. A preflight answered 401/403/407 (a CORS-preflight request never carries cookies or Authorization: its
    /// credentials mode is "same-origin", fetch.bs "CORS protocol and credentials"), or an answer 401/403 without
    /// Access-Control-Allow-Origin (the page cannot read even that it must sign in). Null when neither shows.
    /// </summary>
    public string? AuthenticationHint()
    {
        if (Preflight is { Status: 401 or 403 or 407 } refusing)
        {
            return $"The preflight was answered {refusing.Status}: a CORS-preflight request never carries cookies or Authorization "
                + "(https://fetch.spec.whatwg.org/#cors-protocol-and-credentials), so an authentication check in front of OPTIONS refuses every preflighted call, "
                + "signed in or not. Let the CORS layer answer preflights before authentication runs (ASP.NET Core: app.UseCors(…) before app.UseAuthentication() "
                + "and app.UseAuthorization(); a fallback policy requiring an authenticated user otherwise refuses every OPTIONS).";
        }
        if (Actual is { Status: 401 or 403 } denied && denied.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null)
        {
            return $"The server answered {denied.Status} without Access-Control-Allow-Origin: a page at {Case.PageOrigin} cannot read even that it must sign in, "
                + "as an authentication layer in front of the CORS layer answers — CORS headers belong on error answers too (ASP.NET Core: app.UseCors(…) before "
                + "app.UseAuthentication() and app.UseAuthorization(), whose answers then carry them). "
                + (CarriedUserCredentials
                    ? "This call carried the credentials the run was given (AuthHeaders, CookieJar), and the server did not accept them."
                    : "This call carried no session of a signed-in user: to judge the call a signed-in user makes, give the run AuthHeaders or a CookieJar (docs/server-under-test.md).");
        }
        return null;
    }

    /// <summary>"A GET from {origin} ({kind}) is answered Access-Control-Allow-Origin: … [with Access-Control-Allow-Credentials:
    /// true]": the forged origin another kind of the server's match let through, as the suffix- and prefix-match causes say it.</summary>
    private static string ForgedAnswered(string origin, string kind, RawResponse answer) =>
        $"A GET from {origin} ({kind}) is answered Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")}"
        + (answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true" ? " with Access-Control-Allow-Credentials: true" : "");

    /// <summary>
    /// What answered a preflight that nothing answered as one, when the answer shows it (a 401/403/407 is
    /// <see cref="AuthenticationHint"/>'s): a 404, 405 or 501, as a router without an OPTIONS route for the URL answers (a CORS
    /// middleware mounted on the GET/PUT/… routes alone never sees the OPTIONS); another status outside 200–299 (fetch.bs,
    /// CORS-preflight fetch: a preflight passes only "if a CORS check for request and response returns success and
    /// response's status is an ok status"); or an ok status without a single Access-Control- header, as Apache's
    /// `Header set` leaves the answer of a `RewriteRule … [R=200]`. A redirect is the oracle's own words. Null otherwise.
    /// </summary>
    public string? PreflightHint()
    {
        if (Preflight is not { Status: { } status } answer || Oracle.IsRedirectStatus(status)) return null;
        const string Rule = "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0";
        if (status is 404 or 405 or 501)
        {
            return $"The preflight was answered {status}: nothing on the server answers OPTIONS at this URL as a preflight (a router without an OPTIONS route for it "
                + $"answers 404 or 405, and a CORS middleware mounted on the GET/PUT/… routes alone never sees the OPTIONS), and a preflight needs an ok status "
                + $"(200–299) whatever its headers ({Rule}). Let the CORS layer answer every OPTIONS request that carries Access-Control-Request-Method, before routing "
                + (ServerSigns.AspNetCore(answer, Actual) is { } sign
                    ? $"(the answer shows ASP.NET Core — {sign}: app.UseCors(…) must run before the endpoints do — called after app.UseEndpoints(…) it never runs for a "
                        + "mapped route, and routing answers the OPTIONS 405)."
                    : "(Express: app.use(cors(…)) before the routes, not cors() on one route's GET; go-chi: r.Use(cors.Handler(…)) on the root router; "
                        + "ASP.NET Core: app.UseCors(…) before app.UseEndpoints(…)).");
        }
        if (!Oracle.IsOkStatus(status))
        {
            return $"The preflight was answered {status}, not an ok status (200–299), which fails it whatever its headers ({Rule}): the server failed on the OPTIONS "
                + "request itself (its log says why). Let the CORS layer answer every OPTIONS request that carries Access-Control-Request-Method with 200 or 204, before the application handles it."
                + (status == 500 ? " " + WithoutCorsMiddleware(answer, Actual) : "");
        }
        if (OtherCorsHeadersOnly(answer) is { Count: > 0 } others) return OriginMissingHint($"The preflight was answered {status}", others);
        if (!answer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)))
        {
            // Sent, but on a 103 before the answer: the CORS layer did run, and "something other than the CORS layer answered"
            // sent the reader the wrong way.
            if (answer.CorsOnlyOnInterim is { } early) return $"The preflight was answered {status} without any Access-Control- header: {early}.";
            if (OriginMissingHint($"The preflight was answered {status}") is { } missing) return missing;
            const string apacheSet = "Apache's `Header set` (or `add`) adds them only to an answer a handler made, not to one Apache makes itself, "
                + "as for `RewriteRule … [R=200]`: `Header always set` adds them to every answer";
            return $"The preflight was answered {status} without any Access-Control- header: something other than the CORS layer answered the OPTIONS, or the "
                + "CORS headers are not added to this answer ("
                + (ServerSigns.Apache(answer, Actual) is { } apache
                    ? $"the answer shows Apache — {apache}: {apacheSet}; or its `Header` directives do not apply to this answer (inside an <If> on the request "
                        + "method, a <Location> of another path, an env= variable the SetEnvIf Origin pattern did not set); an application behind it that answers "
                        + "OPTIONS itself answers so too)."
                    : ServerSigns.HandWrittenHeadersSkipped(answer, Actual)
                        + (ServerSigns.AspNetCore(answer, Actual) is null ? $"a route that answers OPTIONS before the CORS middleware runs — {ServerSigns.MountedAfterRoutes}; " : "")
                        + apacheSet + "; ASP.NET Core answers so a preflight for an endpoint marked "
                        + "[DisableCors] or .DisableCors(), and one from an origin its WithOrigins(…) lacks).");
        }
        return null;
    }

    /// <summary>Why a credentialed call was refused by a preflight that answered `*` in Access-Control-Allow-Methods or
    /// -Allow-Headers: fetch.bs (CORS-preflight fetch) counts `*` as a wildcard only when the request's credentials mode is
    /// not "include", so a browser reads it as a method or header named `*`. The failure said "method 'PUT' is not allowed
    /// by Access-Control-Allow-Methods [*]" alone, which reads as a contradiction. Null otherwise.</summary>
    public string? WildcardWithCredentialsHint()
    {
        if (Case.Request.Credentials != CredentialsMode.Include || Preflight is not { Status: { } status } answer || !Oracle.IsOkStatus(status)) return null;
        static List<string> Values(string? value) =>
            value is null ? [] : [.. value.Split(',').Select(v => v.Trim(' ', '\t')).Where(v => v.Length > 0)];
        var methods = Values(answer.Headers.Get(HeaderNames.AccessControlAllowMethods));
        var headers = Values(answer.Headers.Get(HeaderNames.AccessControlAllowHeaders));
        var method = Methods.Normalize(Case.Request.Method);
        var names = RequestHeaders.UnsafeNames(Case.Request.Headers);
        var literal = new List<string>();
        if (methods.Contains("*") && !Methods.IsCorsSafelisted(method) && !methods.Contains(method)) literal.Add(HeaderNames.AccessControlAllowMethods);
        if (headers.Contains("*") && names.Any(n => !headers.Contains(n, StringComparer.OrdinalIgnoreCase))) literal.Add(HeaderNames.AccessControlAllowHeaders);
        if (literal.Count == 0) return null;
        return string.Join(" and ", literal.Select(h => $"{h}: *")) + " is no wildcard for a request with credentials: the standard counts `*` as any method or "
            + "header only for a request without credentials (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0), so the browser reads it as one named `*`. "
            + "Name the policy's methods and headers there, or answer each preflight with its own Access-Control-Request-Method and -Headers, as CORS middlewares "
            + "that allow any do when credentials are on.";
    }

    /// <summary>
    /// Why an allowed call whose answer is an error (400–599: a 500 from an exception, a 400 ProblemDetails) and carries no
    /// Access-Control-Allow-Origin is blocked: the page is refused the whole answer, status and body, and sees only a CORS
    /// failure, so the team looks at the CORS configuration while the cause is the error, or an error path that drops the
    /// CORS layer's headers (ASP.NET Core in Production without an exception handler: Kestrel answers an unhandled exception
    /// 500 without the headers the CORS middleware adds as the response starts). Where the preflight admitted the origin, that
    /// is shown: the CORS layer allows it. 401/403 are <see cref="AuthenticationHint"/>'s. Null otherwise.
    /// </summary>
    public string? ErrorAnswerHint()
    {
        if (Actual is not { Status: { } status and >= 400 and <= 599 } answer || answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null) return null;
        var admitted = Preflight is { Status: { } preflightStatus } preflight && Oracle.IsOkStatus(preflightStatus)
            && preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } allowed && (allowed == Case.PageOrigin || allowed == "*")
            ? $"The preflight admitted {Case.PageOrigin} (Access-Control-Allow-Origin: {preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin)}), so the CORS layer allows this origin: it is the error answer that lacks the headers. "
            : "";
        return $"The server answered {status} without Access-Control-Allow-Origin: the page at {Case.PageOrigin} cannot read this error, neither its status nor its body, "
            + "only a CORS failure (the browser's console blames CORS; the cause is the error). " + admitted
            + "CORS headers belong on error answers too: an error page or exception handler that replaces the response, or an error the server answers itself, "
            + "drops those the CORS layer adds (ASP.NET Core: an exception no handler catches is answered 500 by Kestrel without them; app.UseExceptionHandler() keeps them; "
            + ProxyErrorHeaders + "). "
            + $"Why the server answered {status} is in its own log or in the curl line below."
            // A preflight the CORS layer admitted shows it runs: then not ASP.NET Core's 500 for a CORS middleware missing.
            + (status == 500 && admitted.Length == 0 ? " " + WithoutCorsMiddleware(answer, Preflight) : "");
    }

    /// <summary>Where a proxy in front adds the CORS headers, why an error answer lacks them: nginx's add_header without
    /// `always` adds nothing to a 4xx or 5xx, the application's own included (a proxied 500 came without
    /// Access-Control-Allow-Origin, nginx 1.22); Apache's `Header set` without `always` skips the errors Apache makes itself
    /// (a proxied 500 keeps them, Apache 2.4.71).</summary>
    public const string ProxyErrorHeaders = "nginx: add_header without `always` adds nothing to a 4xx or 5xx, the application's own included; "
        + "Apache: `Header set` without `always` skips the errors Apache answers itself";

    /// <summary>Why an allowed call whose preflight or answer carries several Access-Control-Allow-Origin lines (or a list in
    /// one) is blocked: a browser reads them as one value joined by ", ", which is no origin. The failure said only
    /// "Access-Control-Allow-Origin '*, https://app.example.com' is not the request's origin" (PHP's header(…, false) after a
    /// `*`; Apache's `Header always add` in front of an application setting it too), where the protocol check multiple-acao
    /// named the cause. Null otherwise.</summary>
    public string? SeveralAllowOriginsHint()
    {
        foreach (var (which, answer) in new[] { ("preflight's answer", Preflight), ("answer", Actual) })
        {
            if (answer is null || DefectSigns.SeveralAllowOriginsCause(answer.Headers) is not { } cause) continue;
            var lines = DefectSigns.AllowOriginLines(answer.Headers);
            return $"The {which} carries {(lines.Count > 1 ? $"{lines.Count} {HeaderNames.AccessControlAllowOrigin} lines" : $"one {HeaderNames.AccessControlAllowOrigin} line holding a list")} "
                + $"({string.Join(" | ", lines.Select(Specs.Fetch.Http.Shown))}), which a browser reads as one value, '{Specs.Fetch.Http.Shown(answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")}', "
                + $"that is no origin (https://fetch.spec.whatwg.org/#concept-cors-check): {cause}"
                + (lines.Count > 1 ? " (Apache: `Header always set`, which replaces, in place of `Header add`; PHP: header(…) without false as its second argument, which replaces too)." : ".");
        }
        return null;
    }

    /// <summary>Why an allowed call whose answer is ok but carries not a single Access-Control- header is blocked: the CORS
    /// layer refused the origin, or never ran for this URL (ASP.NET Core: an endpoint marked [DisableCors], app.UseCors(…)
    /// called after app.UseEndpoints(…) or not at all). The failure said only "the response has no
    /// Access-Control-Allow-Origin". Null otherwise.</summary>
    /// <summary>A CORS line of the preflight or the answer written with white space before its colon, which Firefox and
    /// WebKitGTK do not read as that header (Chromium does): the failure said only "the response has no
    /// Access-Control-Allow-Origin" above a line that reads as one.</summary>
    public string? SpacedNameHint() =>
        (Preflight?.CorsNameWithWhiteSpace is { } preflight ? $"The preflight's answer: {preflight}."
            : Actual.CorsNameWithWhiteSpace is { } actual ? $"The answer: {actual}." : null);

    public string? NoCorsHeadersHint()
    {
        if (Actual is not { Status: { } status and >= 200 and <= 299 } answer
            || Preflight is { Status: { } preflightStatus } && !Oracle.IsOkStatus(preflightStatus)) return null;
        if (OtherCorsHeadersOnly(answer) is { Count: > 0 } others) return OriginMissingHint($"The server answered {status}", others);
        if (answer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))) return null;
        if (answer.CorsOnlyOnInterim is { } early) return $"The server answered {status} without a single Access-Control- header: {early}.";
        // The call's own preflight admitted the origin: the CORS layer neither refused it nor failed to run for the URL —
        // the headers are written on the preflight's answer alone (a Tornado handler setting them in options() read
        // "its CORS layer refused https://app.example.com").
        if (Preflight?.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } admitted && (admitted == Case.PageOrigin || admitted == "*"))
            return $"The preflight admitted {Case.PageOrigin} ({HeaderNames.AccessControlAllowOrigin}: {admitted}), but the answer to the {Methods.Normalize(Case.Request.Method)} "
                + $"itself ({status}) carries no Access-Control- header: the CORS headers are sent only on the preflight's answer — an OPTIONS handler that writes them, "
                + "or a layer that answers preflights while the request goes to a route it does not cover. The request's own answer needs "
                + $"{HeaderNames.AccessControlAllowOrigin} too (and {HeaderNames.AccessControlAllowCredentials}: true for a request with credentials).";
        if (OriginMissingHint($"The server answered {status}") is { } missing) return missing;
        return $"The server answered {status} without a single Access-Control- header: its CORS layer refused {Case.PageOrigin}, or never ran for this URL "
            + "(" + ServerSigns.HandWrittenHeadersSkipped(answer, Preflight)
            + (ServerSigns.AspNetCore(answer, Preflight) is null ? $"{ServerSigns.MountedAfterRoutes}; " : "")
            + "ASP.NET Core: an endpoint marked [DisableCors]; app.UseCors(…) called after app.UseEndpoints(…), or not at all; a policy given to other endpoints "
            + "with RequireCors(…) only). The curl line below shows the answer.";
    }

    /// <summary>Where the run saw the same URL admit another allowed origin (<see cref="AdmittedElsewhere"/>): the CORS layer
    /// runs there and refuses this origin, which the server's list lacks. With <paramref name="others"/> (the answer's
    /// Access-Control- headers, none of them Access-Control-Allow-Origin: @tinyhttp/cors sends its methods, headers and
    /// max-age to every origin) the layer shows it ran even without another origin seen admitted. Null otherwise. ASP.NET
    /// Core's WithOrigins is named only where the answers show ASP.NET Core (echo and hapi answered so too and read it).</summary>
    private string? OriginMissingHint(string answered, IReadOnlyList<string>? others = null)
    {
        var without = others is { Count: > 0 }
            ? $"without {HeaderNames.AccessControlAllowOrigin} (only {string.Join(", ", others)})"
            : "without a single Access-Control- header";
        var add = LiteralPatternHint() is { Length: > 0 } literal ? literal
            : $"Add {Case.PageOrigin} to the server's allowed origins exactly as the browser sends it ("
            + (ServerSigns.AspNetCore(Actual, Preflight) is { } sign
                ? $"the answer shows ASP.NET Core — {sign}: WithOrigins(…), which answers a preflight from an origin it lacks 204 without a CORS header; "
                : "")
            + "an entry with a trailing slash or a path never matches).";
        if (AdmittedElsewhere is var (same, sameTitle) && same == Case.PageOrigin)
            return $"{answered} {without}, but admitted {same} itself on the same URL in another call of this run ('{sameTitle}'): the server answers the same origin "
                + "differently from one request to the next — a rate limit or quota that drops the CORS headers after some requests, an instance failing mid-run, "
                + "backends behind one name configured apart —, not a CORS layer that refuses the origin or never runs; rerun to see whether it is intermittent, "
                + "and its log says which answer is the odd one.";
        if (AdmittedElsewhere is var (other, title))
            return $"{answered} {without}, but admitted {other} on the same URL ('{title}'): its CORS layer runs here and refuses {Case.PageOrigin}. " + add;
        return others is { Count: > 0 }
            ? $"{answered} {without}: its CORS layer runs for this URL and does not admit {Case.PageOrigin} (a middleware that sends its other headers to every "
                + $"origin and {HeaderNames.AccessControlAllowOrigin} only to those in its list, as @tinyhttp/cors does, answers so). " + add
            : null;
    }

    /// <summary>The names of an answer's Access-Control- headers where it carries some but no Access-Control-Allow-Origin (in
    /// the order sent, each once); empty otherwise.</summary>
    private static IReadOnlyList<string> OtherCorsHeadersOnly(RawResponse answer) =>
        answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null
            ? []
            : answer.Headers.Where(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).Select(h => h.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Whether the preflight was answered ok without Access-Control-Allow-Origin but with other Access-Control-
    /// headers (<see cref="OtherCorsHeadersOnly"/>).</summary>
    internal bool PreflightWithOtherCorsHeadersOnly => Preflight is { Status: { } status } answer && Oracle.IsOkStatus(status) && OtherCorsHeadersOnly(answer).Count > 0;

    /// <summary>Whether the preflight was answered ok without a single Access-Control- header.</summary>
    internal bool PreflightWithoutCorsHeaders => Preflight is { Status: { } status } answer && Oracle.IsOkStatus(status)
        && !answer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));

    /// <summary>Another allowed origin the run saw admitted on the same URL, and its case's title, where this call's answer
    /// carried no CORS header at all (PolicyRunner.WithOriginAdmittedElsewhere); null otherwise.</summary>
    public (string Origin, string Title)? AdmittedElsewhere { get; init; }

    /// <summary>ASP.NET Core's own 500 to every request of an endpoint given a CORS policy when no CORS middleware ran after
    /// routing (its log: "Endpoint … contains CORS metadata, but a middleware was not found that supports CORS").</summary>
    /// <summary><see cref="AspNetCoreWithoutCorsMiddleware"/> where the answers show ASP.NET Core (<see cref="ServerSigns.AspNetCore"/>),
    /// naming the line that does; else advice that names no framework (where to look for the cause, the server's log, is said
    /// by the sentence before it: it read "(The server's its log says why …)" after "… is in its own log").</summary>
    private static string WithoutCorsMiddleware(params RawResponse?[] answers) =>
        ServerSigns.AspNetCore(answers) is { } sign
            ? $"(The answer shows ASP.NET Core — {sign}.) " + AspNetCoreWithoutCorsMiddleware
            : "(A framework that rejects its own CORS configuration at request time answers every request of the route 500 so.)";

    private const string AspNetCoreWithoutCorsMiddleware =
        "(ASP.NET Core answers 500 to every request, OPTIONS included, of an endpoint given a CORS policy — RequireCors(…), [EnableCors] — when app.UseCors() "
        + "is missing or runs before app.UseRouting(): call it after UseRouting and before UseAuthorization and the endpoints.)";

    /// <summary>The standard's reason on the server's answers; where the policy refuses the request at the preflight and the
    /// server's preflight answer lets it through (a middleware echoing Access-Control-Request-Headers), the reason ends with
    /// the last check passed ("the CORS check passes: …"), so the preflight lines that admitted it go first.</summary>
    private string WhyOnAnswers(Expectation spec)
    {
        var reason = InPageWords(spec.Reason);
        var refusedAtPreflight = Promised.Allowed.All(e => e.Outcome == Outcome.Blocked && !e.ActualSent);
        if (spec.Outcome != Outcome.Allowed || !refusedAtPreflight || Preflight is not { Answered: true } answer) return reason;
        var method = Methods.Normalize(Case.Request.Method);
        var names = RequestHeaders.UnsafeNames(Case.Request.Headers);
        var lines = new[] { Methods.IsCorsSafelisted(method) ? null : HeaderNames.AccessControlAllowMethods, names.Count > 0 ? HeaderNames.AccessControlAllowHeaders : null }
            .Where(n => n is not null && answer.Headers.Contains(n)).Select(n => $"{n}: {answer.Headers.Get(n!)}").ToList();
        return $"the server's preflight answer admits {method}" + (names.Count > 0 ? $" with {string.Join(", ", names)}" : "")
            + (lines.Count > 0 ? $" ({string.Join("; ", lines)})" : "") + ", which the policy refuses; then " + reason;
    }

    /// <summary>The oracle's words about this case with the page's origin where the oracle writes its token: the replay hands
    /// it the server's answers so written ("Access-Control-Allow-Origin '{origin}, *' is not the request's origin '{origin}'"
    /// hid the values to compare).</summary>
    /// The oracle compared the server's value with its token, so it could say how the two differ only where the value held
    /// the token too (`{origin}/`): with the page's origin in place, a value naming it in another form (capitals, :443) is
    /// said so here.
    private string InPageWords(string reason) =>
        System.Text.RegularExpressions.Regex.Replace(reason.Replace(Oracle.PageOriginToken, Case.PageOrigin, StringComparison.Ordinal),
            "Access-Control-Allow-Origin '(.*?)' is not the request's origin '([^']*)'(?! \\()",
            m => OriginSyntax.Difference(m.Groups[1].Value, m.Groups[2].Value) is { } how ? $"{m.Value} ({how})" : m.Value);

    /// <summary>The policy's promise in the standard's words; for a preflighted request, with the preflight answer the policy
    /// implies (what a server keeping it sends), so a failure shows what the preflight should have carried.</summary>
    public string PromiseWhy()
    {
        // A refusal is kept by any answer that blocks the request, not only by the one a server keeping the policy sends:
        // "the response has no Access-Control-Allow-Origin" read stricter than the check (an answer naming another origin keeps it too).
        if (Promised.Outcome == Outcome.Blocked)
        {
            var how = Promised.Reason.StartsWith("preflight: ", StringComparison.Ordinal) ? $"the preflight fails ({Promised.Reason["preflight: ".Length..]})" : Promised.Reason;
            return $"the request is blocked — a server keeping the policy answers so that {how}; any answer that blocks it keeps the promise";
        }
        if (Promised.Preflights == 0 || Promised.Reason.StartsWith("preflight:", StringComparison.Ordinal)) return Promised.Reason;
        var answer = Case.Model.Server.Preflight;
        var headers = answer.Headers.Select(h => $"{h.Name}: {h.Value.Replace(Oracle.PageOriginToken, Case.PageOrigin, StringComparison.Ordinal).Replace(Placeholders.Echo, Case.PageOrigin, StringComparison.Ordinal)}");
        return $"a preflight answered as the policy implies ({answer.Status}, {string.Join(", ", headers)}) lets the browser send the "
            + $"{Methods.Normalize(Case.Request.Method)}; then {Promised.Reason}";
    }

    /// <summary>curl commands that send what the browser sends: the preflight (when there is one) and the request.</summary>
    public IReadOnlyList<string> Curl()
    {
        var request = Case.Request;
        var method = Methods.Normalize(request.Method);
        var url = Case.Resource.AbsoluteUri;
        var lines = new List<string>();
        var unsafeNames = RequestHeaders.UnsafeNames(request.Headers);
        if (Preflight is not null)
        {
            List<Header> preflight = [new(HeaderNames.Origin, Case.PageOrigin), new(HeaderNames.AccessControlRequestMethod, method)];
            if (unsafeNames.Count > 0) preflight.Add(new(HeaderNames.AccessControlRequestHeaders, string.Join(",", unsafeNames)));
            lines.Add(CurlCommand.For("OPTIONS", url, preflight));
        }
        lines.Add(CurlCommand.For(method, url, [new(HeaderNames.Origin, Case.PageOrigin), .. request.Headers, .. Actual.SignedIn ? [new Header("Cookie", Replay.SignedInCookie)] : Array.Empty<Header>()], request.Body));
        // Each redirect the browser followed, as it follows it (the Origin `null` after a hop to another origin).
        foreach (var redirect in Actual.Redirects)
        {
            if (redirect.NextPreflight is not null)
            {
                List<Header> again = [new(HeaderNames.Origin, redirect.NextOrigin), new(HeaderNames.AccessControlRequestMethod, redirect.NextMethod)];
                if (unsafeNames.Count > 0) again.Add(new(HeaderNames.AccessControlRequestHeaders, string.Join(",", unsafeNames)));
                lines.Add(CurlCommand.For("OPTIONS", redirect.To.AbsoluteUri, again));
            }
            // Not the request a refusing preflight there kept the browser from sending.
            if (redirect == Actual.Redirects[^1] && Actual.Withheld is not null) break;
            lines.Add(CurlCommand.For(redirect.NextMethod, redirect.To.AbsoluteUri, [new(HeaderNames.Origin, redirect.NextOrigin)]));
        }
        return lines;
    }

    public string FetchSnippet()
    {
        var request = Case.Request;
        var init = new Dictionary<string, object> { ["method"] = request.Method };
        if (request.Headers.Count > 0) init["headers"] = request.Headers.ToDictionary(h => h.Name, h => h.Value);
        if (request.Credentials == CredentialsMode.Include) init["credentials"] = "include";
        if (request.Body is not null) init["body"] = request.Body;
        return $"await fetch({JsonSerializer.Serialize(Case.Resource.ToString())}, {JsonSerializer.Serialize(init)})";
    }

}
