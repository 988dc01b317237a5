using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Audit;

/// <summary>One forged-origin request the audit sends, and the class it probes.</summary>
public sealed record AuditProbe(AuditClass Class, string Origin);

/// <summary>A misconfiguration found, with its evidence: the probe, the raw answer, a curl and a browser reproduction.</summary>
public sealed record AuditFinding(AuditClass Class, Severity Severity, string ProbeOrigin, string Message, RawResponse Response, string Curl, string FetchSnippet)
{
    /// <summary>What real browsers did with it, when checked ("confirmed in Chromium 156 / Firefox 153", or not exploitable).</summary>
    public string? BrowserConfirmation { get; init; }
}

/// <summary>A class the audit could not check: a probe it depends on got no answer (after one retry), and why.</summary>
public sealed record AuditNotChecked(AuditClass Class, string ProbeOrigin, string Why);

/// <param name="NotChecked">Classes that no answer decided: never "clean", said per probe, and an exit code of its own.</param>
public sealed record AuditResult(Uri Target, string TrustedOrigin, IReadOnlyList<AuditFinding> Findings)
{
    public IReadOnlyList<AuditNotChecked> NotChecked { get; init; } = [];
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

    /// <summary>The forged origins of <see cref="OriginForgeries"/>, each with the audit class that would admit it.</summary>
    public static IReadOnlyList<AuditProbe> ProbesFor(string trustedOrigin) =>
        OriginForgeries.From(trustedOrigin).Select(f => new AuditProbe(AuditClasses.Of(f.Kind), f.Origin)).ToList();

    public static async Task<AuditResult> RunAsync(Uri target, string? trustedOrigin, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var trusted = trustedOrigin ?? target.GetLeftPart(UriPartial.Authority);
        var probes = ProbesFor(trusted);
        // At most a few probes at a time, each retried once when it gets no answer: a loaded server is not hammered, and a
        // slow answer is waited for again rather than counted as "not trusted".
        using var gate = new SemaphoreSlim(MaxConcurrentProbes);
        Task<RawResponse> Send(Func<Task<RawResponse>> send) => WithRetryAsync(gate, send);
        var answersTask = Task.WhenAll(probes.Select(p => Send(() => GetAsync(client, target, p.Origin, timeout, cancellationToken))));
        var trustedTask = Send(() => GetAsync(client, target, trusted, timeout, cancellationToken));
        var preflightTask = Send(() => PreflightAsync(client, target, trusted, timeout, cancellationToken));
        var answers = await answersTask;
        var trustedAnswer = await trustedTask;
        var preflight = await preflightTask;

        // A probe without an answer checked nothing: its class is "not checked", never clean.
        var notChecked = probes.Zip(answers).Where(x => !x.Second.Answered)
            .Select(x => new AuditNotChecked(x.First.Class, x.First.Origin, Why(x.Second))).ToList();
        if (!answers[0].Answered)
        {
            // `*` (with or without credentials) is read from the first probe's answer too.
            notChecked.AddRange(new[] { AuditClasses.StarWithCredentials, AuditClasses.PublicStar }
                .Select(c => new AuditNotChecked(c, probes[0].Origin, Why(answers[0]))));
        }
        if (!trustedAnswer.Answered)
        {
            notChecked.AddRange(new[] { AuditClasses.MultipleAcao, AuditClasses.AcacWrongSpelling, AuditClasses.MissingVary }
                .Select(c => new AuditNotChecked(c, trusted, Why(trustedAnswer))));
        }
        else if (!answers[0].Answered)
        {
            notChecked.Add(new AuditNotChecked(AuditClasses.MissingVary, probes[0].Origin, "whether Access-Control-Allow-Origin depends on the request's Origin needs a second answer: " + Why(answers[0])));
        }
        if (!preflight.Answered) notChecked.Add(new AuditNotChecked(AuditClasses.PreflightReflectsAnything, trusted, Why(preflight)));

        var findings = new List<AuditFinding>();
        var admitted = probes.Zip(answers).Where(x => Admits(x.Second, x.First.Origin)).ToList();
        var classes = admitted.Select(x => x.First.Class).ToHashSet();
        // The most general class explains the narrower ones.
        if (classes.Contains(AuditClasses.ReflectedOrigin)) classes.IntersectWith([AuditClasses.ReflectedOrigin]);
        if (classes.Contains(AuditClasses.SuffixMatch)) classes.ExceptWith([AuditClasses.AnySubdomain, AuditClasses.UnescapedDot]);
        if (classes.Contains(AuditClasses.PrefixMatch)) classes.ExceptWith([AuditClasses.SpecialCharacters, AuditClasses.OtherPort]);
        foreach (var (probe, answer) in admitted.Where(x => classes.Contains(x.First.Class)).DistinctBy(x => x.First.Class))
        {
            var credentialed = answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";
            findings.Add(Finding(probe.Class, Rate(credentialed ? Severity.High : Severity.Low, answer), probe.Origin, target, answer,
                $"{probe.Origin} is trusted: Access-Control-Allow-Origin: {answer.Headers.Get(HeaderNames.AccessControlAllowOrigin)}"
                + (credentialed ? " with Access-Control-Allow-Credentials: true — a page there can read your users' authenticated responses" : " without credentials — a page there can read what the resource returns to anyone")
                + ErrorNote(answer)));
        }

        var attacker = answers[0];
        if (attacker.Headers.Get(HeaderNames.AccessControlAllowOrigin) == "*")
        {
            findings.Add(attacker.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true"
                ? Finding(AuditClasses.StarWithCredentials, Rate(Severity.Low, attacker), probes[0].Origin, target, attacker,
                    "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: browsers refuse credentialed reads, but the server means to trust everyone" + ErrorNote(attacker))
                : Finding(AuditClasses.PublicStar, Severity.Info, probes[0].Origin, target, attacker,
                    "Access-Control-Allow-Origin: * without credentials: any site can read this resource as anyone could fetch it; informational for public data"));
        }
        if (trustedAnswer.Answered)
        {
            var lines = trustedAnswer.Headers.Where(h => h.Name.Equals(HeaderNames.AccessControlAllowOrigin, StringComparison.OrdinalIgnoreCase)).ToList();
            if (lines.Count > 1 || lines.Any(l => l.Value.Contains(',')))
            {
                findings.Add(Finding(AuditClasses.MultipleAcao, Severity.Info, trusted, target, trustedAnswer,
                    $"{lines.Count} Access-Control-Allow-Origin value(s) [{string.Join(" | ", lines.Select(l => l.Value))}]: browsers block every response (a defect, not an exposure)"));
            }
            if (trustedAnswer.Headers.Get(HeaderNames.AccessControlAllowCredentials) is { } acac && acac != "true")
            {
                findings.Add(Finding(AuditClasses.AcacWrongSpelling, Severity.Info, trusted, target, trustedAnswer,
                    $"Access-Control-Allow-Credentials: {acac}: browsers treat it as absent, so credentialed calls fail (a defect, not an exposure)"));
            }
            var acao = trustedAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            var varies = trustedAnswer.VariesOnOrigin;
            // Vary: Origin is needed when the value depends on the request's Origin: the trusted origin is reflected and
            // another origin gets another answer (a server that always names one fixed origin needs no Vary).
            var dependsOnOrigin = answers[0].Answered && answers[0].Headers.Get(HeaderNames.AccessControlAllowOrigin) != acao;
            if (acao == trusted && dependsOnOrigin && !varies)
            {
                findings.Add(Finding(AuditClasses.MissingVary, Severity.Low, trusted, target, trustedAnswer,
                    "Access-Control-Allow-Origin reflects the request's Origin without Vary: Origin: a shared cache can hand one origin's answer to another"));
            }
        }
        if (preflight.Answered)
        {
            var methods = preflight.Headers.Get(HeaderNames.AccessControlAllowMethods) ?? "";
            var headers = preflight.Headers.Get(HeaderNames.AccessControlAllowHeaders) ?? "";
            if (methods.Contains(ProbeMethod, StringComparison.Ordinal) && headers.Contains(ProbeHeader, StringComparison.OrdinalIgnoreCase)
                && preflight.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true")
            {
                findings.Add(Finding(AuditClasses.PreflightReflectsAnything, Severity.Medium, trusted, target, preflight,
                    $"the preflight allows the invented method {ProbeMethod} and header {ProbeHeader} with credentials: it echoes whatever is asked"));
            }
        }
        // A class found through one probe is checked, whatever its other probes got.
        var found = findings.Select(f => f.Class).ToHashSet();
        return new AuditResult(target, trusted, findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Class.Id, StringComparer.Ordinal).ToList())
        {
            NotChecked = notChecked.Where(n => !found.Contains(n.Class)).ToList(),
        };
    }

    /// <summary>How many probes are in flight at once.</summary>
    public const int MaxConcurrentProbes = 6;

    private static async Task<RawResponse> WithRetryAsync(SemaphoreSlim gate, Func<Task<RawResponse>> send)
    {
        await gate.WaitAsync();
        try
        {
            var answer = await send();
            return answer.Answered ? answer : await send();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Why a probe checked nothing, in words a user can act on (a TLS failure says so, and what to do).</summary>
    private static string Why(RawResponse answer) =>
        answer.Failure is { } failure && (failure.Contains("SSL", StringComparison.OrdinalIgnoreCase) || failure.Contains("certificate", StringComparison.OrdinalIgnoreCase) || failure.Contains("TLS", StringComparison.Ordinal))
            ? $"the TLS handshake failed ({failure}); for a staging server with a self-signed certificate, run the audit with --insecure"
            : $"no answer after one retry ({answer.Failure ?? "no status"})";

    /// <summary>An error page (4xx/5xx) holds nothing worth stealing: what would be a finding is only informational there
    /// (scanners that flag 404 pages are a known source of false alarms).</summary>
    private static Severity Rate(Severity severity, RawResponse answer) => answer.Status >= 400 ? Severity.Info : severity;

    private static string ErrorNote(RawResponse answer) =>
        answer.Status >= 400 ? $" (but the resource answers {answer.Status}: an error page, informational only — audit the URL of real data)" : "";

    /// <summary>Whether an answer lets a page at <paramref name="origin"/> read the response.</summary>
    private static bool Admits(RawResponse answer, string origin) => answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == origin;

    private static AuditFinding Finding(AuditClass @class, Severity severity, string origin, Uri target, RawResponse answer, string message) =>
        new(@class, severity, origin, message, answer,
            CurlCommand.For("GET", target.AbsoluteUri, [new(HeaderNames.Origin, origin)]),
            $"// from a page at {origin}:\nawait fetch({System.Text.Json.JsonSerializer.Serialize(target.ToString())}, {{ credentials: \"include\" }}).then(r => r.text())");

    private static Task<RawResponse> GetAsync(ReplayClient client, Uri target, string origin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation(HeaderNames.Origin, origin);
        return Replay.SendAsync(client, request, timeout, cancellationToken);
    }

    private static Task<RawResponse> PreflightAsync(ReplayClient client, Uri target, string origin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, target);
        request.Headers.TryAddWithoutValidation(HeaderNames.Origin, origin);
        request.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestMethod, ProbeMethod);
        request.Headers.TryAddWithoutValidation(HeaderNames.AccessControlRequestHeaders, ProbeHeader);
        return Replay.SendAsync(client, request, timeout, cancellationToken);
    }
}
