using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Audit;

/// <summary>One forged-origin request the audit sends, and the defect it probes.</summary>
public sealed record AuditProbe(ServerDefect Defect, string Origin);

/// <summary>A misconfiguration found, with its evidence: the probe, the raw answer, a curl and a browser reproduction.</summary>
public sealed record AuditFinding(ServerDefect Defect, Severity Severity, string ProbeOrigin, string Message, RawResponse Response, string Curl, string FetchSnippet)
{
    /// <summary>What real browsers did with it, when checked ("confirmed in Chromium 156 / Firefox 153", or not exploitable).</summary>
    public string? BrowserConfirmation { get; init; }

    /// <summary>The method of the request whose answer shows it: GET, or HEAD or POST for a trust shown on those only (a
    /// browser confirmation makes that request).</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The headers the request carried besides a browser's own (a POST's Content-Type, Accept: application/json),
    /// which a browser confirmation sends too.</summary>
    public IReadOnlyList<Header> RequestHeaders { get; init; } = [];
}

/// <summary>A defect the audit could not check: a probe it depends on got no answer (after one retry), and why.</summary>
public sealed record AuditNotChecked(ServerDefect Defect, string ProbeOrigin, string Why);

/// <summary>A defect the audit made no probe for, since no origin of its kind made from the trusted origin is one a browser
/// can send (a suffix or unescaped-dot forgery of an IPv6 or punycode origin), or the kind cannot apply (an http: origin has
/// no http: downgrade): said, so that "0 findings" is not read as those defects checked.</summary>
public sealed record AuditNotProbed(ServerDefect Defect, string Why);

/// <param name="NotChecked">Classes that no answer decided: never "clean", said per probe, and an exit code of its own.</param>
public sealed record AuditResult(Uri Target, string TrustedOrigin, IReadOnlyList<AuditFinding> Findings)
{
    public IReadOnlyList<AuditNotChecked> NotChecked { get; init; } = [];

    /// <summary>Classes made from the trusted origin that got no probe at all, with why (<see cref="AuditNotProbed"/>).</summary>
    public IReadOnlyList<AuditNotProbed> NotProbed { get; init; } = [];

    /// <summary>What the audit asked, in words: a clean audit states its scope ("0 findings" of what was asked).</summary>
    public string Asked { get; init; } = "";

    /// <summary>The requests a page can make that the audit did not (HEAD and POST from the forgeries made from the trusted
    /// origin; the requests a preflight guards): said with every result, so that a clean audit is not read as covering them.</summary>
    public string NotAsked { get; init; } = "";

    /// <summary>Why the server's answers to the same request differed between two asks (quoting both), or null: a browser's
    /// refused read there may have drawn the failing answer, and clears nothing.</summary>
    public string? Inconsistency { get; init; }
}

/// <summary>
/// Probes a resource with forged Origin headers (and one forged preflight) and classifies what it trusts. Unlike a
/// scanner it stops at the most general class that explains an answer (a server that reflects every origin is reported
/// once, as reflected-origin, not again for every narrower probe), and it rates each finding by what an attacker gains:
/// a credentialed read is high, a non-credentialed read low, a server defect that browsers refuse anyway low or info.
/// </summary>
public static class Auditor
{
    public const string AttackerDomain = OriginForgeries.AttackerDomain;
    private const string ProbeMethod = "CORSAUDIT";
    private const string ProbeHeader = "x-cors-audit-probe";

    /// <summary>The forged origins of <see cref="OriginForgeries"/>, each with the defect that would admit it.</summary>
    public static IReadOnlyList<AuditProbe> ProbesFor(string trustedOrigin) =>
        OriginForgeries.From(trustedOrigin).Select(f => new AuditProbe(ServerDefects.Of(f.Kind), f.Origin)).ToList();

    /// <summary>The URL as browsers read it: a host that ends in a number is an IPv4 address to the URL Standard, whose parser
    /// drops one trailing dot and reads `127.1` as 127.0.0.1 — .NET takes `127.0.0.1.` for a host name, and the audit of
    /// http://127.0.0.1.:8080/ asked DNS for it and said every defect not checked ("Name or service not known"). Any other
    /// URL is returned as it is (a host name with a trailing dot, `localhost.`, is another host to browsers, and kept).</summary>
    public static Uri AsBrowsersRead(Uri target) =>
        target.HostNameType == UriHostNameType.Dns && Uri.TryCreate(OriginSyntax.Of(target), UriKind.Absolute, out var origin)
            && origin.HostNameType == UriHostNameType.IPv4 && origin.Host != target.Host
            ? new UriBuilder(target) { Host = origin.Host }.Uri
            : target;

    /// <param name="post">Whether POSTs are sent (from the attacker's origin and `null`, an empty text/plain body, twice each):
    /// a POST may act on the server — create a record, send a mail — so `audit --no-post` leaves them out, and the scope says
    /// POST was not asked.</param>
    public static async Task<AuditResult> RunAsync(Uri target, string? trustedOrigin, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken = default, bool post = true)
    {
        target = AsBrowsersRead(target);
        // The URL's origin: scheme, host and port, never its user name and password (an Origin header does not carry them).
        var trusted = trustedOrigin ?? OriginSyntax.Of(target);
        var probes = ProbesFor(trusted);
        // At most a few probes at a time, each retried once when it gets no answer: a loaded server is not hammered, and a
        // slow answer is waited for again rather than counted as "not trusted".
        using var gate = new SemaphoreSlim(MaxConcurrentProbes);
        // Every request is asked twice (each ask retried once when it gets no answer): a server whose answers to the same
        // request differ (two backends behind a balancer, one failing; an instance that answers 500 now and then) made each
        // probe that drew the failing answer read "not admitted", and classes whose probes all did were called clean. The
        // two answers are compared below; an answer that finds a defect is kept whichever ask got it.
        Task<Asked> Ask(string what, Func<Task<RawResponse>> send) => TwiceAsync(gate, what, send);
        // The trusted origin's GET first: a server nothing reaches (refused, hung, a TLS handshake that fails) leaves every
        // defect not checked for that one reason, without 36 more probes that each wait out the timeout twice (a hung
        // server took two minutes to say so).
        var trustedAsked = await Ask($"a GET from {trusted}", () => GetAsync(client, target, trusted, timeout, cancellationToken));
        var trustedFirst = trustedAsked.First;
        if (!trustedFirst.Answered && !trustedFirst.Reached)
        {
            return new AuditResult(target, trusted, []) { NotChecked = Every(probes, trusted, Why(trustedFirst)).ToList(), NotProbed = NotProbedFor(probes, trusted), Asked = "nothing answered: " + Why(trustedFirst), NotAsked = NotAskedBy(probes, trusted, post) };
        }
        // The attacker's GET too, alone: the two asks of each of these two requests follow each other with nothing else in
        // flight, so a balancer that sends every other request to a failing backend shows in them (asked side by side, six
        // at a time, each pair's asks were six requests apart, and every pair drew the same backend twice).
        var attackerAsked = await Ask($"a GET from {probes[0].Origin}", () => GetAsync(client, target, probes[0].Origin, timeout, cancellationToken));
        var answersTask = Task.WhenAll(probes.Skip(1).Select(p => Ask($"a GET from {p.Origin}", () => GetAsync(client, target, p.Origin, timeout, cancellationToken))));
        // The attacker's GET without the signed-in cookie, as a browser that sends no third-party cookie goes: a server that
        // checks the Origin only for a request with a session, and reflects any origin to one without, read clean.
        var withoutCookieTask = Ask($"a GET from {probes[0].Origin} without a cookie", () => GetAsync(client, target, probes[0].Origin, timeout, cancellationToken, signedIn: false));
        // The trusted origin's GET without the cookie too: a shared cache keeps the answers to requests without one (a CDN
        // often passes those with a Cookie through), and a server sending Vary: Origin only to signed-in requests read clean.
        var trustedWithoutCookieTask = Ask($"a GET from {trusted} without a cookie", () => GetAsync(client, target, trusted, timeout, cancellationToken, signedIn: false));
        var preflightTask = Ask($"the preflight from {trusted} for {ProbeMethod} with {ProbeHeader}", () => PreflightAsync(client, target, PreflightHeaders(trusted, target), timeout, cancellationToken));
        // The attacker's own preflight, for a real method and header: a server whose GET checks the Origin may still answer
        // every preflight for whoever asks (an OPTIONS handler written apart, the nginx snippet that echoes $http_origin).
        var attackerPreflightTask = Ask($"the preflight from {probes[0].Origin} for PUT with content-type", () => PreflightAsync(client, target, AttackerPreflightHeaders(probes[0].Origin, target), timeout, cancellationToken));
        // A GET without Origin, as a navigation or an <img> without crossorigin sends: whether its answer, kept by a cache,
        // can be handed to a CORS request (missing-vary).
        var withoutOriginTask = Ask("a GET without Origin", () => GetAsync(client, target, origin: null, timeout, cancellationToken));
        // The other methods a page sends without a preflight, HEAD and POST (text/plain), from the attacker's origin and `null`:
        // a server that checks the Origin on GET and reflects it on POST (a handler that writes its own headers) read clean.
        // The forgeries made from the trusted origin go by GET only, as the scope says.
        var methodProbes = MethodProbesOf(probes, post);
        var methodTask = Task.WhenAll(methodProbes.Select(m => Ask($"a {m.What} from {m.Probe.Origin}", () => GetAsync(client, target, m.Probe.Origin, timeout, cancellationToken, method: m.Method, extra: m.Extra))));
        var answersAsked = new[] { attackerAsked }.Concat(await answersTask).ToArray();
        var preflightAsked = await preflightTask;
        var attackerPreflightAsked = await attackerPreflightTask;
        var withoutOriginAsked = await withoutOriginTask;
        var withoutCookieAsked = await withoutCookieTask;
        var trustedWithoutCookieAsked = await trustedWithoutCookieTask;
        var methodAsked = await methodTask;
        var methodAnswers = methodProbes.Zip(methodAsked).Select(x => (Variant: x.First, x.First.Probe,
            Answer: x.Second.Pick(a => Admits(a, x.First.Probe.Origin) || a.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*", target))).ToList();
        // A redirect is not the resource: its answer neither finds nor clears a defect of the resource (RawResponse.NotTheResource);
        // a preflight's redirect is an answer that refuses (browsers never follow one), and stays one. Of two answers, the
        // one that shows the defect looked for stands (a reflection seen once is one an attacker's page can wait for).
        var answers = probes.Zip(answersAsked).Select(x => x.Second.Pick(a => Admits(a, x.First.Origin) || a.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*", target)).ToArray();
        var trustedAnswer = trustedAsked.Pick(a => a.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } v && (v == trusted || v == "*"), target);
        var preflight = preflightAsked.Pick(a => a.Status is >= 200 and <= 299 && a.Headers.Get(HeaderNames.AccessControlAllowMethods) is not null, target, preflight: true);
        var attackerPreflight = attackerPreflightAsked.Pick(a => a.Status is >= 200 and <= 299 && Admits(a, probes[0].Origin), target, preflight: true);
        var withoutOrigin = withoutOriginAsked.Pick(_ => false, target);
        var differing = new[] { trustedAsked }.Concat(answersAsked).Concat([preflightAsked, attackerPreflightAsked, withoutOriginAsked, withoutCookieAsked, trustedWithoutCookieAsked]).Where(a => a.Differs)
            // A POST acts: its second ask may well be answered another status (201, then 409 for the same record), which is the
            // server doing its work, not answering one request two ways; only its CORS headers are compared.
            .Concat(methodProbes.Zip(methodAsked).Where(x => x.First.Method == "POST" ? x.Second.CorsDiffers : x.Second.Differs).Select(x => x.Second)).ToList();

        // A probe without an answer checked nothing: its class is "not checked", never clean.
        var notChecked = probes.Zip(answers).Where(x => !x.Second.Answered)
            .Select(x => new AuditNotChecked(x.First.Defect, x.First.Origin, Why(x.Second))).ToList();
        if (!answers[0].Answered)
        {
            // `*` (with or without credentials) is read from the first probe's answer too.
            notChecked.AddRange(new[] { ServerDefects.StarWithCredentials, ServerDefects.PublicStar }
                .Select(c => new AuditNotChecked(c, probes[0].Origin, Why(answers[0]))));
        }
        if (!trustedAnswer.Answered)
        {
            notChecked.AddRange(new[] { ServerDefects.MultipleAcao, ServerDefects.AcacWrongSpelling, ServerDefects.MissingVary }
                .Select(c => new AuditNotChecked(c, trusted, Why(trustedAnswer))));
        }
        else if (!answers[0].Answered)
        {
            notChecked.Add(new AuditNotChecked(ServerDefects.MissingVary, probes[0].Origin, "whether Access-Control-Allow-Origin depends on the request's Origin needs a second answer: " + Why(answers[0])));
        }
        else if (!withoutOrigin.Answered)
        {
            notChecked.Add(new AuditNotChecked(ServerDefects.MissingVary, NoOrigin, "whether an answer a cache keeps can reach a CORS request without Access-Control-Allow-Origin needs the answer to a GET without Origin: " + Why(withoutOrigin)));
        }
        // A HEAD or POST without an answer leaves its class not checked unless a GET finds it (a finding clears the class below).
        notChecked.AddRange(methodAnswers.Where(m => !m.Answer.Answered && !notChecked.Any(n => n.Defect == m.Probe.Defect))
            .Select(m => new AuditNotChecked(m.Probe.Defect, m.Probe.Origin, $"the {m.Variant.What} from {m.Probe.Origin} (a request a page sends without a preflight): " + Why(m.Answer))));
        if (!preflight.Answered) notChecked.Add(new AuditNotChecked(ServerDefects.PreflightReflectsAnything, trusted, Why(preflight)));
        if (!attackerPreflight.Answered) notChecked.Add(new AuditNotChecked(ServerDefects.PreflightAdmitsAnyOrigin, probes[0].Origin, Why(attackerPreflight)));
        // An origin the server does not admit is the wrong base: the forgeries made from it probe a trust the server never
        // gave, and its answers show nothing of how the server answers the origin it does trust (several values, ACAC's
        // spelling, Vary, a preflight that echoes). Those are not checked — never clean — and the reason says what to do.
        // (A 404 or 410 says more: the resource is not there, below.)
        if (trustedAnswer is { Answered: true, Status: not (404 or 410) } && NotAdmitted(trustedAnswer, trusted, withoutOrigin, preflight) is { } notAdmitted)
        {
            // Asked as a browser's request; a server that admits the origin to other clients only (a bot defence answering
            // browsers 403) read "an authentication layer answered before CORS".
            var bare = RawResponse.NotTheResource(await GetAsync(client, target, trusted, timeout, cancellationToken, signedIn: true, asBrowser: false), target);
            var refusal = bare.Answered && Summary(bare) != Summary(trustedAnswer) && NotAdmitted(bare, trusted) is null
                ? $"the server does not admit {trusted} in a browser's request — its answer to one (with a browser's User-Agent and Sec-Fetch-* headers) is "
                    + $"{Summary(trustedAnswer)}, while the same request without those headers is answered {Summary(bare)}: the server answers browsers otherwise "
                    + "than other clients (a bot defence, a check of User-Agent or Sec-Fetch-*), so every call from the front end fails in browsers, and the probes "
                    + "made from that origin and the checks of a trusted origin's answer test nothing"
                : notAdmitted;
            var dependent = probes.Where(p => TrustedDerived.Contains(p.Defect)).Select(p => (p.Defect, p.Origin))
                .Concat(new[] { ServerDefects.MultipleAcao, ServerDefects.AcacWrongSpelling, ServerDefects.MissingVary, ServerDefects.PreflightReflectsAnything }.Select(d => (Defect: d, Origin: trusted)));
            notChecked.AddRange(dependent.Where(d => !notChecked.Any(n => n.Defect == d.Defect))
                .Select(d => new AuditNotChecked(d.Defect, d.Origin, refusal)));
        }

        var findings = new List<AuditFinding>();
        var conditionalAsked = false;
        var admitted = probes.Zip(answers).Where(x => Admits(x.Second, x.First.Origin)).ToList();
        var classes = admitted.Select(x => x.First.Defect).ToHashSet();
        // The most general class explains the narrower ones.
        if (classes.Contains(ServerDefects.ReflectedOrigin)) classes.IntersectWith([ServerDefects.ReflectedOrigin]);
        if (classes.Contains(ServerDefects.SuffixMatch)) classes.ExceptWith([ServerDefects.AnySubdomain, ServerDefects.UnescapedDot]);
        if (classes.Contains(ServerDefects.PrefixMatch)) classes.ExceptWith([ServerDefects.SpecialCharacters, ServerDefects.OtherPort]);
        foreach (var (probe, answer) in admitted.Where(x => classes.Contains(x.First.Defect)).DistinctBy(x => x.First.Defect))
        {
            var credentialed = answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            findings.Add(Finding(probe.Defect, Rate(credentialed ? probe.Defect.Severity : Severity.Low, answer), probe.Origin, target, answer,
                $"{probe.Origin} is trusted: Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")}"
                + (credentialed ? " with Access-Control-Allow-Credentials: true — " : " without credentials — ")
                + (probe.Origin == "null" ? "any site can make a sandboxed frame that sends Origin: null, and it" : "a page there")
                + (credentialed ? " can read your users' authenticated responses" : " can read what the resource returns to anyone")
                + ErrorNote(answer)));
        }

        // Reflected only to a request without a cookie: what the resource returns to anyone is readable from any site (a
        // browser that sends no third-party cookie sends none), low as a read without the user's session.
        var withoutCookie = withoutCookieAsked.Pick(a => Admits(a, probes[0].Origin), target);
        if (!classes.Contains(ServerDefects.ReflectedOrigin) && Admits(withoutCookie, probes[0].Origin))
        {
            findings.Add(Finding(ServerDefects.ReflectedOrigin, Rate(Severity.Low, withoutCookie), probes[0].Origin, target, withoutCookie,
                $"{probes[0].Origin} is trusted when the request carries no cookie: Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(withoutCookie.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")} "
                + $"(with the signed-in cookie it is answered {Summary(answers[0])}) — a page there can read what the resource returns to a request without the user's cookies, "
                + "as any browser that sends no third-party cookie makes it; the server checks the Origin only for requests with a session" + ErrorNote(withoutCookie),
                headers: ProbeHeaders(probes[0].Origin, signedIn: false, target)));
        }

        // Trusted on POST or HEAD only: the GET's check is not the only one a page meets. A POST's answer is what a credentialed
        // read takes (the request is simple, so it goes — and acts — whatever the answer); a HEAD's shows only its status and
        // CORS-safelisted headers, low.
        foreach (var (variant, probe, answer) in methodAnswers.Where(m => Admits(m.Answer, m.Probe.Origin)))
        {
            if (findings.Any(f => f.Defect == probe.Defect || f.Defect == ServerDefects.ReflectedOrigin)) continue;
            var method = variant.Method;
            var credentialed = answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            var get = answers[probes.ToList().IndexOf(probe)];
            findings.Add(Finding(probe.Defect, Rate(method != "HEAD" && credentialed ? probe.Defect.Severity : Severity.Low, answer), probe.Origin, target, answer,
                $"{probe.Origin} is trusted {variant.When}: a {variant.What}{(method == "POST" ? " (text/plain, a simple request: no preflight)" : method == "GET" ? " (a CORS-safelisted header: no preflight)" : "")} from it is answered "
                + $"Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")}"
                + (credentialed ? " with Access-Control-Allow-Credentials: true" : " without credentials")
                + $", while its GET{(method == "GET" ? " with Accept: */*" : "")} is answered {Summary(get)} — "
                + (probe.Origin == "null" ? "any site can make a sandboxed frame that sends Origin: null, and it" : "a page there")
                + (method == "HEAD" ? " can read the status and CORS-safelisted headers of a HEAD" + (credentialed ? " made with your users' cookies" : "")
                    : $" can read the answers to {(method == "POST" ? "POSTs" : "such GETs")} it makes " + (credentialed ? "with your users' cookies" : "without credentials"))
                + ErrorNote(answer),
                method, [.. ProbeHeaders(probe.Origin, signedIn: true, target).Where(h => variant.Extra.All(e => !e.Name.Equals(h.Name, StringComparison.OrdinalIgnoreCase))), .. variant.Extra])
                with { Method = method, RequestHeaders = variant.Extra });
            if (method == "GET")
            {
                findings[^1] = findings[^1] with
                {
                    FetchSnippet = $"// from a page at {probe.Origin} (Accept is CORS-safelisted: no preflight):\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ credentials: \"include\", headers: {{ "
                        + string.Join(", ", variant.Extra.Select(h => $"{System.Text.Json.JsonSerializer.Serialize(h.Name)}: {System.Text.Json.JsonSerializer.Serialize(h.Value)}")) + " } }).then(r => r.text())",
                };
            }
        }

        var attacker = answers[0];
        if (attacker.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*")
        {
            findings.Add(DefectSigns.IsStarWithCredentials(attacker.Headers)
                ? Finding(ServerDefects.StarWithCredentials, Rate(ServerDefects.StarWithCredentials.Severity, attacker), probes[0].Origin, target, attacker,
                    "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: browsers refuse every credentialed read (`*` fails the CORS check of a request with cookies, and of its preflight), "
                    + WithoutCredentials(attackerPreflight, probes[0].Origin, "the preflight from " + probes[0].Origin + " for PUT with content-type", "any site can still read")
                    + ", and the pairing suggests the server means to trust everyone" + ErrorNote(attacker))
                : Finding(ServerDefects.PublicStar, ServerDefects.PublicStar.Severity, probes[0].Origin, target, attacker,
                    "Access-Control-Allow-Origin: * without credentials: any site can read this resource as anyone could fetch it; informational for public data"));
        }
        // `*` on a POST, HEAD or JSON GET only (the GET refusing the origin): what a page reads without credentials there is
        // the same public read, said of the request that shows it (it read "0 finding(s)").
        else if (!findings.Any(f => f.Defect == ServerDefects.ReflectedOrigin) && methodAnswers.FirstOrDefault(m => m.Probe == probes[0] && m.Answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*") is { Variant: { } starred, Answer: { } star })
        {
            var credentials = DefectSigns.IsStarWithCredentials(star.Headers);
            findings.Add(Finding(credentials ? ServerDefects.StarWithCredentials : ServerDefects.PublicStar,
                credentials ? Rate(ServerDefects.StarWithCredentials.Severity, star) : ServerDefects.PublicStar.Severity, probes[0].Origin, target, star,
                $"a {starred.What} from {probes[0].Origin} is answered Access-Control-Allow-Origin: *{(credentials ? " with Access-Control-Allow-Credentials: true" : " without credentials")} "
                + $"(its GET{(starred.Method == "GET" ? " with Accept: */*" : "")} is answered {Summary(answers[0])}): any site can read what such a request returns without credentials"
                + (credentials ? "; browsers refuse every credentialed read (`*` fails the CORS check of a request with cookies)" : "; informational for public data"),
                starred.Method, [.. ProbeHeaders(probes[0].Origin, signedIn: true, target).Where(h => starred.Extra.All(e => !e.Name.Equals(h.Name, StringComparison.OrdinalIgnoreCase))), .. starred.Extra])
                with { Method = starred.Method, RequestHeaders = starred.Extra });
        }
        if (trustedAnswer.Answered)
        {
            // `*` with credentials to the trusted origin itself, where the attacker's probe got none (an allow-list whose entry
            // for the front end was written `*`): the defect is on this answer, and every credentialed call of the front end
            // fails. It was read from the attacker's answer alone, and the audit said 0 findings, every defect checked.
            if (!findings.Any(f => f.Defect == ServerDefects.StarWithCredentials) && DefectSigns.IsStarWithCredentials(trustedAnswer.Headers))
            {
                findings.Add(Finding(ServerDefects.StarWithCredentials, Rate(ServerDefects.StarWithCredentials.Severity, trustedAnswer), trusted, target, trustedAnswer,
                    $"the answer to {trusted} itself is Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: browsers refuse every "
                    + $"credentialed read from {trusted} (credentials: \"include\", the cookies with it), though "
                    + WithoutCredentials(preflight, trusted, "the preflight from " + trusted, "a page there can read") + $"; answer Access-Control-Allow-Origin: {trusted}"
                    + ErrorNote(trustedAnswer)));
            }
            if (DefectSigns.HasSeveralAllowOrigins(trustedAnswer.Headers))
            {
                var lines = DefectSigns.AllowOriginLines(trustedAnswer.Headers);
                findings.Add(Finding(ServerDefects.MultipleAcao, ServerDefects.MultipleAcao.Severity, trusted, target, trustedAnswer,
                    $"{lines.Count} Access-Control-Allow-Origin value(s) [{string.Join(" | ", lines)}]: browsers block every response (a defect, not an exposure; {DefectSigns.SeveralAllowOriginsCause(trustedAnswer.Headers)})"));
            }
            if (DefectSigns.HasMisspelledCredentials(trustedAnswer.Headers))
            {
                var acac = trustedAnswer.Headers.Get(HeaderNames.AccessControlAllowCredentials);
                findings.Add(Finding(ServerDefects.AcacWrongSpelling, ServerDefects.AcacWrongSpelling.Severity, trusted, target, trustedAnswer,
                    $"Access-Control-Allow-Credentials: {acac}: browsers treat it as absent, so credentialed calls fail (a defect, not an exposure)"));
            }
            // Vary: Origin is needed when the value depends on the request's Origin, on every answer a cache may keep: the
            // attacker's probe and the GET without Origin, answered, tell (without them the class is not checked, said above).
            if (answers[0].Answered)
            {
                var trustedRead = new ResourceAnswer($"a GET from {trusted}", trustedAnswer.Status!.Value, trustedAnswer.Headers);
                var attackerRead = new ResourceAnswer($"a GET from {probes[0].Origin}", answers[0].Status!.Value, answers[0].Headers);
                var withoutOriginRead = withoutOrigin.Answered ? new ResourceAnswer(ResourceAnswer.WithoutOrigin, withoutOrigin.Status!.Value, withoutOrigin.Headers) : null;
                if (DefectSigns.MissingVary(trusted, trustedRead, attackerRead, withoutOriginRead) is { } gap)
                {
                    var (origin, answer) = gap.Answer == trustedRead ? (trusted, trustedAnswer) : gap.Answer == attackerRead ? (probes[0].Origin, answers[0]) : (NoOrigin, withoutOrigin);
                    // On an error page (a mistyped path whose 404 the CORS layer dresses too) informational, as a reflection there.
                    findings.Add(Finding(ServerDefects.MissingVary, Rate(ServerDefects.MissingVary.Severity, trustedAnswer), origin, target, answer, gap.Message + ErrorNote(trustedAnswer)));
                }
                // The same of the answers to requests without a cookie, which shared caches keep first: Vary: Origin sent to
                // signed-in requests only read clean.
                else if (trustedWithoutCookieAsked.Pick(_ => false, target) is { Answered: true } trustedBare && withoutCookieAsked.Pick(_ => false, target) is { Answered: true } attackerBare
                    && DefectSigns.MissingVary(trusted, new ResourceAnswer($"a GET from {trusted} without a cookie", trustedBare.Status!.Value, trustedBare.Headers),
                        new ResourceAnswer($"a GET from {probes[0].Origin} without a cookie", attackerBare.Status!.Value, attackerBare.Headers), null) is { } bareGap)
                {
                    var (origin, answer) = bareGap.Answer.Asker.Contains(probes[0].Origin, StringComparison.Ordinal) ? (probes[0].Origin, attackerBare) : (trusted, trustedBare);
                    findings.Add(Finding(ServerDefects.MissingVary, Rate(ServerDefects.MissingVary.Severity, trustedAnswer), origin, target, answer,
                        bareGap.Message + " — on the answers to requests without a cookie, which a shared cache keeps (those to signed-in requests showed no such gap)" + ErrorNote(trustedAnswer),
                        headers: ProbeHeaders(origin, signedIn: false, target)));
                }
                // An answer without Access-Control-Allow-Origin and without Vary: Origin that no cache keeps fresh may still be
                // kept and revalidated (a validator, ETag or Last-Modified, lets it): the cache asks the server with a later
                // request's headers and that validator, and where the server's 304 carries no Access-Control-Allow-Origin the
                // kept answer is handed to the trusted origin without one — blocked. It read clean, fresh-less answers being
                // taken to reach no CORS request; the conditional GET is asked now, as a cache asks it.
                else if (RevalidatedWithoutVary(trusted, trustedAnswer, [(probes[0].Origin, answers[0]), (NoOrigin, withoutOrigin)]) is { } kept)
                {
                    conditionalAsked = true;
                    var validators = Validators(kept.Answer.Headers);
                    var revalidation = (await Ask($"a conditional GET from {trusted}", () => GetAsync(client, target, trusted, timeout, cancellationToken, extra: validators)))
                        .Pick(a => a.Status == 304, target);
                    if (revalidation is { Answered: true, Status: 304 } && !Admits(revalidation, trusted))
                    {
                        var asker = kept.Origin == NoOrigin ? ResourceAnswer.WithoutOrigin : $"a GET from {kept.Origin}";
                        findings.Add(Finding(ServerDefects.MissingVary, Rate(ServerDefects.MissingVary.Severity, trustedAnswer), kept.Origin, target, kept.Answer,
                            $"the answer to {asker} has {(kept.Answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } theirs ? $"Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(theirs)}" : "no Access-Control-Allow-Origin")} "
                            + $"and no Vary: Origin, and its {string.Join(" and ", validators.Select(v => v.Name == "If-None-Match" ? "ETag" : "Last-Modified"))} lets a cache keep it and revalidate it "
                            + $"for a later request from {trusted}: the server answers that conditional GET ({string.Join(", ", validators.Select(v => $"{v.Name}: {v.Value}"))}) "
                            + $"304 {(revalidation.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } on304 ? $"with Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(on304)}" : "without Access-Control-Allow-Origin")}, "
                            + $"so the cache hands the kept answer to {trusted} without its Access-Control-Allow-Origin and the browser blocks the call, though the server answers "
                            + $"{trusted} with Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(trustedAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin) ?? "")} "
                            + "(send Vary: Origin on every answer of the resource, or Access-Control-Allow-Origin on its 304s too)" + ErrorNote(trustedAnswer)));
                    }
                }
            }
        }
        if (preflight.Answered)
        {
            var methods = preflight.Headers.Get(HeaderNames.AccessControlAllowMethods) ?? "";
            var headers = preflight.Headers.Get(HeaderNames.AccessControlAllowHeaders) ?? "";
            // An echo counts by the CORS check the preflight passes (fetch.bs "CORS-preflight fetch": an ok status and a CORS
            // check that succeeds): naming the trusted origin with credentials, a credentialed request with any method and
            // header goes; `*` fails every credentialed check (h3's handleCors with origin '*' and credentials), leaving
            // what any site may send without credentials; no Access-Control-Allow-Origin (h3 with origin 'null'), another
            // origin or a status outside 200-299 allows nothing.
            var ok = preflight.Status is >= 200 and <= 299;
            var allowOrigin = preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            if (ok && methods.Contains(ProbeMethod, StringComparison.Ordinal) && headers.Contains(ProbeHeader, StringComparison.OrdinalIgnoreCase)
                && preflight.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true" && (allowOrigin == trusted || allowOrigin == "*"))
            {
                findings.Add(allowOrigin == trusted
                    ? Finding(ServerDefects.PreflightReflectsAnything, ServerDefects.PreflightReflectsAnything.Severity, trusted, target, preflight,
                        $"the preflight allows the invented method {ProbeMethod} and header {ProbeHeader} with credentials: it echoes whatever is asked",
                        HttpMethod.Options.Method, PreflightHeaders(trusted, target))
                    : Finding(ServerDefects.PreflightReflectsAnything, Severity.Info, trusted, target, preflight,
                        $"the preflight echoes the invented method {ProbeMethod} and header {ProbeHeader} with Access-Control-Allow-Credentials: true, but with "
                        + "Access-Control-Allow-Origin: *, which fails every credentialed preflight in browsers: any site may send any method and header "
                        + "only without credentials (as `Access-Control-Allow-Methods: *` allows)",
                        HttpMethod.Options.Method, PreflightHeaders(trusted, target)));
            }
        }
        // A preflight that lets the attacker's origin through with credentials while its GET is refused: the answers stay
        // unreadable, but the requests go, with the user's cookies (a GET that admits it is reflected-origin, above, which
        // says more). What it lets through is what a simple request cannot send: a method that is not CORS-safelisted, or a
        // header (fetch.bs "CORS-preflight fetch", steps 7–8; with credentials `*` is a literal name, not a wildcard).
        if (attackerPreflight.Answered && !Admits(answers[0], probes[0].Origin)
            && attackerPreflight.Status is >= 200 and <= 299 && Admits(attackerPreflight, probes[0].Origin)
            && attackerPreflight.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true")
        {
            var methods = Names(attackerPreflight.Headers.Get(HeaderNames.AccessControlAllowMethods))
                .Where(m => m != "*" && !Specs.Fetch.Methods.IsCorsSafelisted(m)).ToList();
            var headers = Names(attackerPreflight.Headers.Get(HeaderNames.AccessControlAllowHeaders)).Where(h => h != "*").ToList();
            if (methods.Count > 0 || headers.Count > 0)
            {
                findings.Add(Finding(ServerDefects.PreflightAdmitsAnyOrigin, Rate(ServerDefects.PreflightAdmitsAnyOrigin.Severity, trustedAnswer), probes[0].Origin, target, attackerPreflight,
                    $"a preflight from {probes[0].Origin} passes with credentials (Access-Control-Allow-Origin: {probes[0].Origin}, Access-Control-Allow-Credentials: true), "
                    + $"allowing {Listed("method", methods)}{(methods.Count > 0 && headers.Count > 0 ? " and " : "")}{Listed("header", headers)}, though its GET is not admitted: "
                    + "any site can make your users' browsers send such requests with their cookies, and the server acts on them (only the answers stay unreadable; a CSRF defence that relies on a custom header or a JSON Content-Type is void)"
                    + ErrorNote(trustedAnswer),
                    HttpMethod.Options.Method, AttackerPreflightHeaders(probes[0].Origin, target)));
            }
        }
        // A URL that answers the trusted origin 404 or 410 is not the resource (a mistyped path, behind a framework whose CORS
        // layer dresses its 404 too): an error page's answers are informational at most (Rate), and show nothing of the
        // resource's own, so no defect is cleared on them.
        if (trustedAnswer is { Status: 404 or 410 } missing)
        {
            var why = $"the URL answers {missing.Status} to {trusted}: the resource is not there (a mistyped URL?), and an error page's answers show nothing of "
                + "the resource's own; audit the URL of real data";
            notChecked.AddRange(Every(probes, trusted, why).Where(d => !notChecked.Any(n => n.Defect == d.Defect)));
        }
        // Every probe went with a browser's headers (a bot defence or a CSRF guard may answer other clients otherwise): a
        // finding read on a GET is asked once more as a bare HTTP client's request, and where the server answers that
        // otherwise, the finding says so — the browser's answer is the one that counts, and its curl line carries the headers.
        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            if (f.ProbeOrigin == NoOrigin || !f.Curl.Contains("-X 'GET'", StringComparison.Ordinal)) continue;
            var bare = await GetAsync(client, target, f.ProbeOrigin, timeout, cancellationToken, signedIn: true, asBrowser: false);
            // A 429, 502, 503 or 504 says the request was not handled (a rate limit starting mid-audit): no other answer.
            if (bare.Answered && !RawResponse.IsUnhandledStatus(bare.Status!.Value) && Summary(bare) != Summary(f.Response))
            {
                // Asked again as a browser, after the bare ask: where that answer differs from the finding's too, the server's
                // answers changed during the audit (a server dropping its CORS headers after N requests read "answers browsers
                // otherwise than other clients"), and nothing shows the headers decide.
                var again = await GetAsync(client, target, f.ProbeOrigin, timeout, cancellationToken, signedIn: true, asBrowser: true);
                findings[i] = f with
                {
                    Message = f.Message + (again.Answered && Summary(again) != Summary(f.Response)
                        ? $" (asked again after the probes, the same request is now answered {Summary(again)}, with a browser's headers or without: the server's answers "
                            + "changed during the audit — a quota, an instance failing, a rate limit —, so the finding stands on the answer that showed it)"
                        : $" (the server answers browsers otherwise than other clients: without a browser's User-Agent and Sec-Fetch-* headers the same request is answered {Summary(bare)}; the audit asks as a browser does, and the curl line carries those headers)"),
                };
            }
        }
        // A server whose answers to the same request differ decides nothing by one answer: every defect not found (nor
        // explained by one found) is not checked, the reason showing the two answers; a finding whose probe was answered
        // otherwise the second time says so.
        var inconsistent = differing.Count > 0 ? Inconsistency(differing) : null;
        if (inconsistent is not null)
        {
            for (var i = 0; i < findings.Count; i++)
            {
                if (differing.FirstOrDefault(d => ReferenceEquals(d.First, findings[i].Response) || ReferenceEquals(d.Second, findings[i].Response)) is { } pair)
                {
                    findings[i] = findings[i] with { Message = findings[i].Message + $" (asked again, the same request was answered {Summary(pair.Other(findings[i].Response))}: the server's answers differ)" };
                }
            }
            var explained = Explained(findings.Select(f => f.Defect).ToHashSet(), probes);
            notChecked.AddRange(Every(probes, trusted, inconsistent).Where(d => !explained.Contains(d.Defect) && !notChecked.Any(n => n.Defect == d.Defect)));
        }
        // A redirect that leads back to the audited URL (A → B → A) is a loop, which browsers give up after 20 hops: "point it
        // at B itself" sent the user to a URL that redirects back. The trusted origin's chain is followed, as a browser would,
        // and the reason says so wherever the redirect's was given.
        if (trustedAnswer is { NotFromResource: true, Failure: { } redirectWhy } && trustedFirst.Status is { } first && Specs.Fetch.Oracle.IsRedirectStatus(first)
            && await RedirectLoopAsync(client, target, trusted, trustedFirst, timeout, cancellationToken) is { } loop)
        {
            notChecked = notChecked.Select(n => n.Why.Contains(redirectWhy, StringComparison.Ordinal) ? n with { Why = n.Why.Replace(redirectWhy, loop, StringComparison.Ordinal) } : n).ToList();
        }
        // A class found through one probe is checked, whatever its other probes got.
        var found = findings.Select(f => f.Defect).ToHashSet();
        // A hostile server's bytes quoted in a message or a reason are kept to a size a reader can take in (BoundedText).
        return new AuditResult(target, trusted, findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Defect.Id, StringComparer.Ordinal)
            .Select(f => f with { Message = BoundedText.Of(f.Message) }).ToList())
        {
            NotChecked = notChecked.Where(n => !found.Contains(n.Defect)).Select(n => n with { Why = BoundedText.Of(n.Why) }).ToList(),
            NotProbed = NotProbedFor(probes, trusted),
            Inconsistency = inconsistent,
            Asked = AskedBy(probes, trusted, conditionalAsked, post),
            NotAsked = NotAskedBy(probes, trusted, post),
        };
    }

    /// <summary>The classes made from the trusted origin that have no probe among <paramref name="probes"/>, with why.</summary>
    internal static IReadOnlyList<AuditNotProbed> NotProbedFor(IReadOnlyList<AuditProbe> probes, string trusted) =>
        OriginForgeries.DerivedKinds.Select(ServerDefects.Of).Distinct().Where(d => probes.All(p => p.Defect != d))
            .Select(d => new AuditNotProbed(d, d == ServerDefects.Of(OriginForgeries.HttpOriginTrusted) && trusted.StartsWith("http:", StringComparison.Ordinal)
                ? $"{trusted} is http: already, so there is no http: downgrade of it to forge"
                // A host without a dot (http://localhost:3000) has none for a careless regular expression to let any character
                // stand for: "its host is an IP address or an internationalized name" was said of localhost.
                : d == ServerDefects.Of(OriginForgeries.UnescapedDot) && Uri.TryCreate(trusted, UriKind.Absolute, out var uri) && uri.HostNameType == UriHostNameType.Dns && !uri.Host.Contains('.')
                ? $"the host of {trusted} has no dot for a careless pattern to let any character stand for, so there is nothing to forge"
                : $"no origin of this kind made from {trusted} is one a browser can send (its host is an IP address or an internationalized name), so no probe was made"))
            .ToList();

    /// <summary>The answer a cache may keep without Vary: Origin and revalidate for the trusted origin: a 200 with a validator
    /// (ETag, Last-Modified) and without no-store or private, whose Access-Control-Allow-Origin is not the one the trusted origin
    /// gets, while the trusted origin's answer names it (not `*`, which every answer may share). Null when there is none.</summary>
    internal static (string Origin, RawResponse Answer)? RevalidatedWithoutVary(string trusted, RawResponse trustedAnswer, IEnumerable<(string Origin, RawResponse Answer)> others)
    {
        if (trustedAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not { } acao || acao != trusted) return null;
        foreach (var (origin, answer) in others)
        {
            if (answer is not { Answered: true, Status: 200 } || DefectSigns.VariesOnOrigin(answer.Headers) || Validators(answer.Headers).Count == 0) continue;
            if (answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == acao) continue;
            var directives = answer.Headers.Where(h => h.Name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase))
                .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries)).Select(d => d.ToLowerInvariant());
            if (directives.Any(d => d is "no-store" or "private")) continue;
            return (origin, answer);
        }
        return null;
    }

    /// <summary>The conditional headers a cache sends to revalidate an answer: If-None-Match for its ETag, If-Modified-Since for
    /// its Last-Modified.</summary>
    private static IReadOnlyList<Header> Validators(IReadOnlyList<Header> answer) =>
        [.. answer.Get("ETag") is { } etag ? [new Header("If-None-Match", etag)] : Array.Empty<Header>(),
         .. answer.Get("Last-Modified") is { } modified ? [new Header("If-Modified-Since", modified)] : Array.Empty<Header>()];

    /// <summary>Where the trusted origin's GET goes when its redirects are followed, as a browser follows them (GET, the same
    /// headers, at most <see cref="Replay.RedirectLimit"/> hops), when "point it at the Location itself" would send the user to
    /// a URL that is not the resource either: "the URL redirects in a loop: A → B → A …" when a Location leads back to a URL of
    /// the chain; "more than 20 redirects" when the chain goes on past the limit with a new URL each time (a loop by a changing
    /// query, which no URL comparison catches); a hop that gets no answer (a Location at a closed port), said with its
    /// failure; a chain of two redirects or more that ends in an answer, with the URL it ends at. Null when the first Location
    /// answers itself (the advice to point at it stands), or the chain cannot be followed (no Location, another scheme).</summary>
    internal static async Task<string?> RedirectLoopAsync(ReplayClient client, Uri target, string trusted, RawResponse answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var chain = new List<Uri> { target };
        string Shown() => string.Join(" → ", chain.Count <= 6 ? chain.Select(u => u.AbsoluteUri) : [.. chain.Take(3).Select(u => u.AbsoluteUri), "…", .. chain.TakeLast(2).Select(u => u.AbsoluteUri)]);
        const string NotTheResource = "not with the resource: nothing of the resource's own answer was read";
        for (var hop = 0; hop < Replay.RedirectLimit; hop++)
        {
            if (answer is not { Status: { } status } || !Specs.Fetch.Oracle.IsRedirectStatus(status)
                || answer.Headers.LastOrDefault(h => h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase))?.Value is not { } location
                || !Uri.TryCreate(chain[^1], location, out var next) || next.Scheme is not ("http" or "https"))
            {
                // The chain ends in an answer after two redirects or more: the first Location is not the resource either.
                return hop >= 2 && answer is { Answered: true, Status: { } end } && !Specs.Fetch.Oracle.IsRedirectStatus(end)
                    ? $"the URL redirects {hop} times — {Shown()}, answered {end} —, not with the resource: this check reads the answer of the URL it is given "
                        + $"and follows no redirect, so point it at {chain[^1].AbsoluteUri} itself"
                    : null;
            }
            chain.Add(next);
            if (chain.Take(chain.Count - 1).Any(u => u.AbsoluteUri == next.AbsoluteUri))
            {
                return $"the URL redirects in a loop — {Shown()} — which browsers give up after {Replay.RedirectLimit} hops "
                    + $"(a network error to the page), {NotTheResource}; audit the URL that serves it (a login or "
                    + "scheme redirect that sends each URL to the other is the usual cause)";
            }
            answer = await GetAsync(client, next, trusted, timeout, cancellationToken);
            if (!answer.Answered && !answer.Reached)
            {
                // The Location is not reached (a closed port, a host that does not resolve): a browser's fetch fails there too.
                return $"the URL answers with a redirect{(hop > 0 ? $" ({hop + 1} hops: {Shown()})" : "")} to {next.AbsoluteUri}, which does not answer ({answer.Failure}): "
                    + $"a browser's fetch fails there too (a network error to the page), {NotTheResource}; audit the URL that serves it once it answers";
            }
        }
        // Every hop a new URL, past the limit (a redirect to itself with a changing query): browsers give up, and so does this.
        return $"the URL redirects more than {Replay.RedirectLimit} times, to a new URL each time — {Shown()} — which browsers give up after "
            + $"{Replay.RedirectLimit} hops (a network error to the page), {NotTheResource}; audit the URL that serves it (a redirect that adds to its "
            + "own query each time is the usual cause)";
    }

    /// <summary>What the audit asks, in words (<see cref="AuditResult.Asked"/>).</summary>
    internal static string AskedBy(IReadOnlyList<AuditProbe> probes, string trusted, bool conditional, bool post = true) =>
        $"GET from {trusted} and from {probes.Count} forged origins (the first, {probes[0].Origin}, also without the signed-in cookie) and without Origin; "
        + $"{(post ? $"POST (an empty {PostContentType} body) and " : "")}HEAD from {string.Join(" and ", MethodProbesOf(probes, post).Select(m => m.Probe.Origin).Distinct())}, and a GET with Accept: application/json from {probes[0].Origin}; "
        + $"a preflight from {trusted} for {ProbeMethod} with {ProbeHeader} and one from {probes[0].Origin} for PUT with content-type; "
        + $"missing-vary read on the GETs' answers (from {trusted}, {probes[0].Origin}, without Origin; and from the first two without a cookie){(conditional ? $" and on a conditional GET from {trusted}, as a cache revalidates" : "")}";

    /// <summary>What a page can send that the audit did not (<see cref="AuditResult.NotAsked"/>).</summary>
    internal static string NotAskedBy(IReadOnlyList<AuditProbe> probes, string trusted, bool post = true)
    {
        var byGetOnly = probes.Count(p => !MethodProbesOf(probes, post).Any(m => m.Probe == p));
        return (post ? "" : $"POST from any origin (--no-post: a POST may act on the server), so a server that trusts an origin on POST alone is not found; ")
            + $"HEAD and POST from the {byGetOnly} other forged origins (those made from {trusted}: GET only); a POST with another Content-Type a page sends without a preflight "
            + "(application/x-www-form-urlencoded, multipart/form-data) or with a body; other values of the headers a page sets without a preflight (Accept but */* and "
            + "application/json, Accept-Language, Content-Language); the requests a preflight guards (PUT, PATCH, DELETE, custom headers) themselves, "
            + "and preflights for other methods than PUT; other URLs of the resource (with or without a trailing slash, another query)";
    }

    /// <summary>The probes sent by HEAD and POST too (<see cref="SimpleMethods"/>): the attacker's own origin and `null`, which an
    /// echo or a careless check admits whatever origin the front end uses. The forgeries made from the trusted origin go by GET
    /// only (<see cref="AuditResult.NotAsked"/> says so): three times their thirty-odd probes would triple the audit's time.</summary>
    internal static IReadOnlyList<SimpleRequest> MethodProbesOf(IReadOnlyList<AuditProbe> probes, bool post = true) =>
        [.. probes.Where((p, i) => i == 0 || p.Defect == ServerDefects.NullTrusted).DistinctBy(p => p.Origin)
            .SelectMany(p => SimpleMethods.Where(m => post || m != "POST").Select(m => new SimpleRequest(p, m, m == "POST" ? [new Header(HeaderNames.ContentType, PostContentType)] : []))),
         // A GET asking for JSON: Accept is a CORS-safelisted header, so a page sends any value of it without a preflight, and a
         // server whose JSON renderer writes the CORS headers its HTML one does not (content negotiation) read clean on */*.
         new SimpleRequest(probes[0], "GET", [new Header("Accept", "application/json")])];

    /// <summary>A request a page sends without a preflight besides the plain GET: by <paramref name="Method"/>, with
    /// <paramref name="Extra"/> headers (in place of the probe's own of the same name).</summary>
    internal sealed record SimpleRequest(AuditProbe Probe, string Method, IReadOnlyList<Header> Extra)
    {
        /// <summary>The request in words: "POST", "HEAD", "GET with Accept: application/json".</summary>
        public string What => Method != "GET" ? Method : "GET with " + string.Join(", ", Extra.Select(h => $"{h.Name}: {h.Value}"));

        /// <summary>When the server trusts the origin, in words: "on POST", "when the GET asks for application/json".</summary>
        public string When => Method != "GET" ? $"on {Method}" : $"when the GET carries {string.Join(", ", Extra.Select(h => $"{h.Name}: {h.Value}"))}";
    }

    /// <summary>The defects whose probes are made from the trusted origin (its host, its registrable domain, its port):
    /// `null`, the attacker's own domain, sandboxes and localhost do not depend on it.</summary>
    private static readonly HashSet<ServerDefect> TrustedDerived = OriginForgeries.DerivedKinds
        .Where(k => k != OriginForgeries.NullTrusted).Select(ServerDefects.Of).ToHashSet();

    /// <summary>Why the answer to the trusted origin's GET shows the server does not admit it (no Access-Control-Allow-Origin
    /// naming it or `*`), or null when it does.</summary>
    /// <param name="withoutOrigin">The answer to a GET without Origin: it tells a 401/403 of an authentication layer (which
    /// refuses that GET too) from a CORS layer refusing the origin itself (Tomcat's CorsFilter answers 403 to an origin not in
    /// its allowed origins, and answers a GET without Origin as the application does).</param>
    /// <param name="preflight">The trusted origin's preflight answer: admitted with an ok status, it shows the CORS layer runs and
    /// trusts the origin, so a 5xx to the GET is an error answer without CORS headers, not a CORS layer that never ran.</param>
    internal static string? NotAdmitted(RawResponse trustedAnswer, string trusted, RawResponse? withoutOrigin = null, RawResponse? preflight = null)
    {
        var values = DefectSigns.AllowOriginLines(trustedAnswer.Headers);
        // A list in one line (itself the multiple-acao defect) still shows whom the server means to trust.
        if (values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Any(v => v == trusted || v == "*")) return null;
        var seen = values.Count == 0
            ? $"its answer ({trustedAnswer.Status}) has no Access-Control-Allow-Origin"
            : $"its answer ({trustedAnswer.Status}) allows {string.Join(" | ", values.Select(Specs.Fetch.Http.Shown))} instead";
        // The server names the trusted origin, but not as browsers send it (a trailing slash, capitals, :443, Unicode): the
        // origin is the right one and the server's answer is what every browser blocks — said, not "give another --origin".
        if (values.Count == 1 && OriginSyntax.Difference(values[0], trusted) is { } how)
        {
            return $"the server does not admit {trusted} as browsers send it — {seen}: {how}; every call from {trusted} fails in browsers "
                + $"(make the server answer Access-Control-Allow-Origin: {trusted}), so the probes made from it and the checks of a trusted origin's answer test nothing";
        }
        // An authentication layer that answers before the CORS layer sends no CORS headers to anyone without a session: the
        // origin may be the right one, and the probes (which carry no credentials of the user's) never reached the CORS layer.
        var fix = trustedAnswer.Status is 401 or 403 && values.Count == 0 && withoutOrigin is { Answered: true, Status: >= 200 and <= 299 }
            ? $"a GET without Origin is answered {withoutOrigin.Status}, so the {trustedAnswer.Status} refuses the origin itself, not a request without a session: "
                + "a CORS layer that answers 403 to an origin it does not allow (Tomcat's CorsFilter, whose cors.allowed.origins allows none by default; Spring's "
                + "\"Invalid CORS request\") does not list it; run the audit with --origin set to the origin your front end uses, or add that origin to the server's allowed origins"
            : trustedAnswer.Status is 401 or 403 or 407
            ? $"the {trustedAnswer.Status} says an authentication layer answered before CORS (the probes carry no credentials of yours): audit a URL that answers without signing in, or check that --origin is the origin your front end uses"
            // A 5xx is the server failing on the request, whatever its Origin when the GET without one fails alike: the
            // origin may well be right (ASP.NET Core answers 500 to every request of an endpoint given a CORS policy when no
            // CORS middleware runs after routing), and "give another --origin" sent the team the wrong way.
            : trustedAnswer.Status is >= 500 and <= 599
            ? $"the {trustedAnswer.Status} is the server failing on the request, not refusing the origin"
                + (withoutOrigin is { Answered: true, Status: { } bare } ? $": a GET without Origin is answered {bare}{(bare == trustedAnswer.Status ? " too" : "")}" : "")
                + (preflight is { Status: { } preflightStatus } && preflightStatus is >= 200 and <= 299
                    && preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } admitted && (admitted == trusted || admitted == "*")
                    ? $"; a preflight from {trusted} is answered {preflightStatus} with Access-Control-Allow-Origin: {admitted}, so the CORS layer runs and trusts it"
                        + (admitted == "*" && DefectSigns.IsStarWithCredentials(preflight.Headers) ? " for requests without credentials (`*` with credentials admits no credentialed one)" : "") + ", "
                        + "and this error answer lacks its headers: browsers hide the error from the page (ASP.NET Core: an exception no handler catches is answered "
                        + "500 by Kestrel without them; app.UseExceptionHandler() keeps them; " + PolicyVerdict.ProxyErrorHeaders + "); its log says why it failed"
                    : ServerSigns.AspNetCore(trustedAnswer, withoutOrigin, preflight) is { } sign
                    ? $"; its log says why (the answer shows ASP.NET Core — {sign} —, which answers 500 to every request of an endpoint given a CORS policy — RequireCors(…), [EnableCors] — when app.UseCors() "
                        + "is missing or runs before app.UseRouting())"
                    : "; " + ServerSigns.GenericFailure)
                + "; audit it again once it answers, with --origin set to the origin your front end uses"
            // Sent only on a 103 Early Hints before the answer: the CORS layer trusts the origin, and browsers see nothing of it.
            : trustedAnswer.CorsOnlyOnInterim is { } early
            ? early + "; audit it again once it does"
            // Sent with white space before the colon: the server trusts the origin; two of the three engines never read it.
            : trustedAnswer.CorsNameWithWhiteSpace is { } spaced
            ? $"{spaced}, and audit it again"
            // No Access-Control- header at all, while the trusted origin's own preflight is admitted: the server trusts the
            // origin and writes its CORS headers on preflights alone (a Tornado handler setting them in options() read
            // "either the server does not trust this origin — run the audit with --origin … — or its CORS layer does not run").
            : trustedAnswer.Status is >= 200 and <= 299 && values.Count == 0
                && !trustedAnswer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
                && preflight is { Status: { } admittedStatus } && admittedStatus is >= 200 and <= 299
                && preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } preflightAdmits && (preflightAdmits == trusted || preflightAdmits == "*")
            ? $"a preflight from {trusted} is answered {admittedStatus} with Access-Control-Allow-Origin: {preflightAdmits}, so the server trusts it, but the GET's answer carries "
                + "no Access-Control- header: the CORS headers are sent only on the preflight's answer (an OPTIONS handler that writes them, or a layer that answers "
                + "preflights while the request goes to a route it does not cover), so calls from the origin fail in browsers; audit it again once the "
                + "resource's own answers carry them"
            // No Access-Control- header at all, but Vary: Origin: the answer depends on the Origin, so a CORS layer ran and
            // refused it (echo's CORSWithConfig and hapi's route cors answer an origin they do not list so) — not one that
            // never ran for the URL.
            : !trustedAnswer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)) && trustedAnswer.VariesOnOrigin
            ? $"the answer carries no Access-Control- header, but its Vary: Origin says it depends on the Origin: a CORS layer ran for this URL and does not trust {trusted} "
                + "(echo's CORSWithConfig and hapi's route cors answer an origin they do not list so) — run the audit with --origin set to the origin your front end uses "
                + "(the one the server trusts), or add that origin to the server's allowed origins"
            // No Access-Control- header at all: the CORS layer refused the origin, or never ran for this URL.
            : !trustedAnswer.Headers.Any(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
            ? "the answer carries no Access-Control- header at all: either the server does not trust this origin — run the audit with --origin set to the origin "
                + "your front end uses (the one the server trusts) — or its CORS layer does not run for this URL ("
                + (ServerSigns.AspNetCore(trustedAnswer, withoutOrigin, preflight) is null ? ServerSigns.MountedAfterRoutes + "; " : "")
                + "ASP.NET Core: app.UseCors(…) called after app.UseEndpoints(…), or not at all; a CORS middleware mounted on other routes)"
            : "run the audit with --origin set to the origin your front end uses (the one the server trusts)";
        return $"the server does not admit {trusted} itself — {seen} —, so the probes made from it and the checks of a trusted origin's answer test nothing; {fix}";
    }

    /// <summary>Every defect the audit looks for, not checked for one reason: each with its probe's origin, the others with the
    /// trusted origin's.</summary>
    private static IEnumerable<AuditNotChecked> Every(IReadOnlyList<AuditProbe> probes, string trusted, string why) =>
        probes.Select(p => (p.Defect, p.Origin))
            .Concat(ServerDefects.DetectedBy(DefectDetectors.Audit).Select(d => (Defect: d, Origin: trusted)))
            .DistinctBy(d => d.Defect)
            .Select(d => new AuditNotChecked(d.Defect, d.Origin, why));

    /// <summary>What `*` with credentials still lets a page read without credentials, true whatever the server's preflight
    /// does: a request that needs none (a GET without custom headers) always; one that needs a preflight only where the
    /// server's preflight passes the CORS check without credentials. "Any site can still read what the resource returns without
    /// cookies" was said where the server's preflight failed (a 404 to OPTIONS): every such request is refused there.</summary>
    private static string WithoutCredentials(RawResponse preflight, string origin, string which, string who)
    {
        var passes = preflight is { Status: { } status } && status is >= 200 and <= 299 && Specs.Fetch.Oracle.CorsCheck(origin, CredentialsMode.Omit, preflight.Headers).Ok;
        return passes
            ? $"{who} what the resource returns to a request without credentials, a preflighted one too ({which} is answered {Summary(preflight)})"
            : $"{who} what the resource returns to a simple request without credentials (a GET without custom headers); one that needs a preflight "
                + $"fails there ({which} is answered {Summary(preflight)})";
    }

    /// <summary>How many probes are in flight at once.</summary>
    public const int MaxConcurrentProbes = 6;

    /// <summary>One request asked twice, each ask retried once when it got no answer (a request never answered is not asked a
    /// second time: <see cref="Second"/> is then <see cref="First"/>).</summary>
    internal sealed record Asked(string What, RawResponse First, RawResponse Second)
    {
        /// <summary>Whether the two answers differ in what a CORS check or a cache reads (<see cref="RawResponse.DiffersFrom"/>).</summary>
        public bool Differs => First.DiffersFrom(Second);

        /// <summary>Whether the two answers differ in their Access-Control-* and Vary lines, whatever their status (both answered).</summary>
        public bool CorsDiffers => First.Answered && Second.Answered && First.DiffersFrom(Second with { Status = First.Status });

        /// <summary>The answer a defect is read on: the first of the two (each as <see cref="RawResponse.NotTheResource"/>
        /// makes it) that shows what <paramref name="shows"/> looks for, else the first answered, else the first.</summary>
        public RawResponse Pick(Func<RawResponse, bool> shows, Uri target, bool preflight = false)
        {
            var first = RawResponse.NotTheResource(First, target, preflight);
            var second = ReferenceEquals(Second, First) ? first : RawResponse.NotTheResource(Second, target, preflight);
            return first.Answered && shows(first) ? first
                : second.Answered && shows(second) ? second
                : first.Answered ? first
                : second.Answered ? second
                : first;
        }

        /// <summary>The other answer than <paramref name="one"/>.</summary>
        public RawResponse Other(RawResponse one) => ReferenceEquals(one, First) ? Second : First;
    }

    private static async Task<Asked> TwiceAsync(SemaphoreSlim gate, string what, Func<Task<RawResponse>> send)
    {
        await gate.WaitAsync();
        try
        {
            var first = await send();
            if (!first.Answered) first = await send();
            if (!first.Answered) return new Asked(what, first, first);
            var second = await send();
            if (!second.Answered) second = await send();
            return new Asked(what, first, second);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>An answer in a few words, for the reason an inconsistent server's defects are not checked: its status and
    /// Access-Control-Allow-Origin (and -Credentials), or why there was none.</summary>
    internal static string Summary(RawResponse answer) =>
        answer.Status is not { } status ? $"not at all ({answer.Failure ?? "no status"})"
        : $"{status} " + (answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao
            ? $"with Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(acao)}" + (answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) is { } acac ? $" and Access-Control-Allow-Credentials: {Specs.Fetch.Http.Shown(acac)}" : "")
            : "without Access-Control-Allow-Origin");

    /// <summary><see cref="Summary(RawResponse)"/>, and where it reads as <paramref name="other"/>'s does, the Access-Control-*
    /// and Vary lines this answer has and the other lacks (or "without" the other's), so two answers said to differ never read alike.</summary>
    internal static string Summary(RawResponse answer, RawResponse other)
    {
        var summary = Summary(answer);
        if (summary != Summary(other)) return summary;
        static IEnumerable<string> Lines(RawResponse r) => r.Headers
            .Where(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Name}: {Specs.Fetch.Http.Shown(h.Value)}");
        var own = Lines(answer).Except(Lines(other), StringComparer.OrdinalIgnoreCase).ToList();
        var others = Lines(other).Except(Lines(answer), StringComparer.OrdinalIgnoreCase).ToList();
        return summary + (own.Count > 0 ? $" and with {string.Join(", ", own)}" : "") + (others.Count > 0 ? $" and without {string.Join(", ", others)}" : "");
    }

    /// <summary>Why an inconsistent server's defects are not checked: the first request whose two answers differed, both
    /// answers, and how many more did.</summary>
    private static string Inconsistency(IReadOnlyList<Asked> differing)
    {
        // The pair whose difference the summary shows (status, Access-Control-Allow-Origin) goes first; a pair that differs
        // only in another line (Vary: Origin dropped by a server degrading mid-audit) has those lines named, where it read
        // "answered 200 without Access-Control-Allow-Origin, then 200 without Access-Control-Allow-Origin".
        var first = differing.FirstOrDefault(d => Summary(d.First) != Summary(d.Second)) ?? differing[0];
        return $"the server answers the same request differently: {first.What} was answered {Summary(first.First, first.Second)}, then {Summary(first.Second, first.First)}"
            + (differing.Count > 1 ? $" ({differing.Count - 1} more of the audit's requests, each asked twice, got two different answers)" : "")
            + "; a defect read on one of its answers is not known for the other, so none is said clean — find why it answers otherwise from one request "
            + "to the next (a load balancer with a failing backend, an instance still starting, a cache in front) and audit it again";
    }

    /// <summary>The defects a found one explains (the most general class stands for the narrower ones): an inconsistent
    /// server's probes for those are not reported not checked, since their answers would add nothing.</summary>
    private static HashSet<ServerDefect> Explained(HashSet<ServerDefect> found, IReadOnlyList<AuditProbe> probes)
    {
        var explained = new HashSet<ServerDefect>(found);
        if (found.Contains(ServerDefects.ReflectedOrigin)) explained.UnionWith(probes.Select(p => p.Defect));
        if (found.Contains(ServerDefects.SuffixMatch)) explained.UnionWith([ServerDefects.AnySubdomain, ServerDefects.UnescapedDot]);
        if (found.Contains(ServerDefects.PrefixMatch)) explained.UnionWith([ServerDefects.SpecialCharacters, ServerDefects.OtherPort]);
        return explained;
    }

    /// <summary>Why a probe checked nothing, in words a user can act on (a TLS failure says so, and what to do; a redirect
    /// names where to go).</summary>
    private static string Why(RawResponse answer) =>
        answer.NotFromResource ? answer.Failure! :
        answer.TlsFailed ? $"{answer.Failure}; for a staging server with a self-signed certificate, run the audit with --insecure" :
        answer.Failure is { } failure && (failure.Contains("SSL", StringComparison.OrdinalIgnoreCase) || failure.Contains("certificate", StringComparison.OrdinalIgnoreCase) || failure.Contains("TLS", StringComparison.Ordinal))
            ? $"the TLS handshake failed ({failure}); for a staging server with a self-signed certificate, run the audit with --insecure"
            : answer.Reached ? $"no answer this client can read after one retry: {answer.Failure ?? "no status"}"
            : $"no answer after one retry ({answer.Failure ?? "no status"})";

    /// <summary>An error page (4xx/5xx) holds nothing worth stealing: what would be a finding is only informational there
    /// (scanners that flag 404 pages are a known source of false alarms).</summary>
    private static Severity Rate(Severity severity, RawResponse answer) => answer.Status >= 400 ? Severity.Info : severity;

    private static string ErrorNote(RawResponse answer) =>
        answer.Status >= 400 ? $" (but the resource answers {answer.Status}: an error page, informational only — audit the URL of real data)" : "";

    /// <summary>Whether an answer lets a page at <paramref name="origin"/> read the response.</summary>
    public static bool Admits(RawResponse answer, string origin) => answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == origin;

    /// <param name="method">The request the answer came from, for its curl line (a GET with the Origin unless said).</param>
    private static AuditFinding Finding(ServerDefect defect, Severity severity, string origin, Uri target, RawResponse answer, string message,
        string method = "GET", IReadOnlyList<Header>? headers = null) =>
        new(defect, severity, origin, message, answer,
            CurlCommand.For(method, target.AbsoluteUri, headers ?? ProbeHeaders(origin, signedIn: true, target), method == "POST" ? "" : null),
            origin == NoOrigin
                ? $"// a request without Origin: open {target} in a tab, or <img src={System.Text.Json.JsonSerializer.Serialize(target.ToString())}> without crossorigin"
                : origin == "null" && method is "POST" or "HEAD"
                ? $"// from a sandboxed frame (it sends Origin: null), <iframe sandbox=\"allow-scripts\" srcdoc=\"…\"> on any page (a simple request: no preflight):\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ method: \"{method}\", credentials: \"include\"" + (method == "POST" ? ", body: \"\"" : "") + " })"
                : origin == "null"
                ? $"// from a sandboxed frame (it sends Origin: null), <iframe sandbox=\"allow-scripts\" srcdoc=\"…\"> on any page:\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ credentials: \"include\" }}).then(r => r.text())"
                : method == HttpMethod.Options.Method && headers is not null
                ? PreflightedFetch(origin, target, headers)
                : method is "POST" or "HEAD"
                ? $"// from a page at {origin} (a simple request: no preflight):\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ method: \"{method}\", credentials: \"include\""
                    + (method == "POST" ? ", body: \"\"" : "") + " }).then(r => " + (method == "POST" ? "r.text())" : "[r.status, [...r.headers]])")
                : $"// from a page at {origin}:\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ credentials: \"include\" }}).then(r => r.text())");

    /// <summary>The request a preflight finding is about, as a page sends it: the preflight's Access-Control-Request-Method
    /// and -Headers made a credentialed fetch (a GET there reproduced preflight-admits-any-origin with the very request the
    /// server refuses — PHP's recipe whose OPTIONS branch echoes the Origin before its allow-list).</summary>
    private static string PreflightedFetch(string origin, Uri target, IReadOnlyList<Header> preflight)
    {
        var method = preflight.Get(HeaderNames.AccessControlRequestMethod) ?? "PUT";
        var names = (preflight.Get(HeaderNames.AccessControlRequestHeaders) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var headers = string.Join(", ", names.Select(n => $"{System.Text.Json.JsonSerializer.Serialize(n)}: "
            + (n.Equals("content-type", StringComparison.OrdinalIgnoreCase) ? "\"application/json\"" : "\"1\"")));
        var body = method is "GET" or "HEAD" ? "" : ", body: \"{}\"";
        return $"// from a page at {origin}: the browser preflights this request, then sends it with your users' cookies (its answer stays unreadable)\n"
            + $"await fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ method: {System.Text.Json.JsonSerializer.Serialize(method)}, credentials: \"include\""
            + (names.Length > 0 ? $", headers: {{ {headers} }}" : "") + $"{body} }})";
    }

    /// <summary>One probe again: a GET with that Origin, with the signed-in cookie as the audit sent it or without, as a
    /// browser page's request without a cookie of the audited site goes (browser confirmation asks whether the server still
    /// answers after a read failed, and whether it trusts the origin without a cookie).</summary>
    /// <param name="method">The finding's method (<see cref="AuditFinding.Method"/>): GET, HEAD or POST.</param>
    /// <param name="headers">The finding's own request headers (<see cref="AuditFinding.RequestHeaders"/>).</param>
    public static Task<RawResponse> ProbeAsync(ReplayClient client, Uri target, string origin, TimeSpan timeout, bool signedIn, CancellationToken cancellationToken = default,
        string method = "GET", IReadOnlyList<Header>? headers = null) =>
        GetAsync(client, target, origin, timeout, cancellationToken, signedIn, method: method, extra: headers);

    /// <summary>A probe's headers: the Origin, and a cookie, as a signed-in user's request carries one. A server may decide
    /// its CORS answer on the cookie (Starlette, allowing `*` with credentials, answers `*` without a Cookie and reflects
    /// the Origin with credentials with any): probed without one, it was rated low ("`*` with credentials, not exploitable")
    /// while every signed-in user's responses were readable from any site.</summary>
    /// <param name="asBrowser">With the headers a browser adds (<see cref="BrowserHeadersFor"/>), as every probe goes; false:
    /// as a bare HTTP client's request (to tell whether the server answers browsers otherwise).</param>
    private static IReadOnlyList<Header> ProbeHeaders(string? origin, bool signedIn, Uri target, bool asBrowser = true) =>
        (origin is null or NoOrigin ? Array.Empty<Header>() : [new(HeaderNames.Origin, origin)])
            .Concat(asBrowser ? BrowserHeadersFor(origin, target) : [])
            .Concat(signedIn ? [new Header("Cookie", Replay.SignedInCookie)] : []).ToList();

    /// <summary>What a browser adds to the probe's request (<see cref="Replay.BrowserHeaders"/>): its User-Agent, Accept and
    /// fetch metadata — a fetch() from a page at <paramref name="origin"/> (Sec-Fetch-Site by the page's site: same-origin,
    /// same-site when the hosts share their last two labels, else cross-site), or a navigation for a request without Origin.
    /// A server may answer them otherwise (a bot defence on the User-Agent, a CSRF guard on Sec-Fetch-Site): the audit
    /// probed with HttpClient's bare request, and a server reflecting origins to browsers only was called clean.</summary>
    internal static IReadOnlyList<Header> BrowserHeadersFor(string? origin, Uri target)
    {
        var userAgent = Replay.BrowserHeaders.First(h => h.Name == "User-Agent");
        if (origin is null or NoOrigin)
        {
            return [userAgent, new("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), AcceptLanguage, new("Sec-Fetch-Mode", "navigate"), new("Sec-Fetch-Site", "none"), new("Sec-Fetch-Dest", "document")];
        }
        // A browser's request carries Accept-Language (Firefox 153 and desktop Chrome send it on every fetch), and a fetch()
        // from a page its Referer (the default policy, strict-origin-when-cross-origin, sends the page's origin to another
        // origin, and nothing from an https: page to an http: URL; a sandboxed frame's `null` has none to send here): a server
        // deciding on them (a bot defence refusing requests without Accept-Language, a guard reading Referer) answered the
        // audit otherwise than browsers — a reflection to requests that carry them read clean.
        var referer = origin == "null" || (origin.StartsWith("https:", StringComparison.Ordinal) && target.Scheme == Uri.UriSchemeHttp)
            ? Array.Empty<Header>() : [new Header("Referer", origin + "/")];
        return [.. Replay.BrowserHeaders.Select(h => h.Name == "Sec-Fetch-Site" ? h with { Value = SiteOf(origin, target) } : h), .. referer];
    }

    /// <summary>The Accept-Language a browser adds to every request (Chromium's with an en-US locale).</summary>
    internal static readonly Header AcceptLanguage = Replay.BrowserHeaders.First(h => h.Name == "Accept-Language");

    private static string SiteOf(string origin, Uri target)
    {
        if (origin == OriginSyntax.Of(target)) return "same-origin";
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || page.Scheme != target.Scheme) return "cross-site";
        static string Site(Uri u) => u.HostNameType == UriHostNameType.Dns ? string.Join('.', u.IdnHost.Split('.').TakeLast(2)) : u.Host;
        return Site(page).Equals(Site(target), StringComparison.OrdinalIgnoreCase) ? "same-site" : "cross-site";
    }

    /// <summary>What stands for the origin of the probe that sends none (a navigation's GET), where a finding names its probe.</summary>
    public const string NoOrigin = "(no Origin)";

    /// <param name="method">GET, or another method a page sends without a preflight: HEAD, or POST with an empty text/plain body
    /// (<see cref="SimpleMethods"/>).</param>
    /// <param name="extra">Headers in place of the probe's own of the same name (Accept: application/json), or added: a POST's
    /// Content-Type, a conditional GET's validators (If-None-Match, If-Modified-Since).</param>
    private static Task<RawResponse> GetAsync(ReplayClient client, Uri target, string? origin, TimeSpan timeout, CancellationToken cancellationToken, bool signedIn = true, bool asBrowser = true,
        string method = "GET", IReadOnlyList<Header>? extra = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), target);
        extra ??= [];
        var headers = ProbeHeaders(origin, signedIn, target, asBrowser).Where(h => extra.All(e => !e.Name.Equals(h.Name, StringComparison.OrdinalIgnoreCase)));
        foreach (var header in headers.Concat(extra.Where(e => !e.Name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)))) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        if (method == "POST")
        {
            request.Content = new StringContent("");
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(PostContentType);
        }
        return Replay.SendAsync(client, request, timeout, cancellationToken);
    }

    /// <summary>The Content-Type of the audit's POST: a string body's, as fetch() sends it (text/plain is CORS-safelisted, so the
    /// POST goes without a preflight).</summary>
    public const string PostContentType = "text/plain;charset=UTF-8";

    /// <summary>The methods other than GET that a page sends cross-origin without a preflight (fetch.bs: the CORS-safelisted
    /// methods GET, HEAD and POST; a POST with a CORS-safelisted Content-Type is a simple request), POST first (its answer's
    /// body is what a read takes).</summary>
    public static readonly IReadOnlyList<string> SimpleMethods = ["POST", "HEAD"];


    /// <summary>The forged preflight: an invented method and header, which only a server that echoes whatever is asked allows.</summary>
    private static IReadOnlyList<Header> PreflightHeaders(string origin, Uri target) =>
        [new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, ProbeMethod), new(HeaderNames.AccessControlRequestHeaders, ProbeHeader), .. BrowserHeadersFor(origin, target)];

    /// <summary>The attacker's preflight: what a page sends before a credentialed PUT of JSON.</summary>
    private static IReadOnlyList<Header> AttackerPreflightHeaders(string origin, Uri target) =>
        [new(HeaderNames.Origin, origin), new(HeaderNames.AccessControlRequestMethod, "PUT"), new(HeaderNames.AccessControlRequestHeaders, "content-type"), .. BrowserHeadersFor(origin, target)];

    /// <summary>The names of a comma list (Access-Control-Allow-Methods or -Headers), trimmed, empty ones left out.</summary>
    private static IEnumerable<string> Names(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Listed(string what, IReadOnlyList<string> names) =>
        names.Count == 0 ? "" : $"the {what}{(names.Count > 1 ? "s" : "")} {string.Join(", ", names)}";

    private static Task<RawResponse> PreflightAsync(ReplayClient client, Uri target, IReadOnlyList<Header> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, target);
        foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return Replay.SendAsync(client, request, timeout, cancellationToken);
    }
}
