using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Audit;

/// <summary>
/// Confirms findings in real browsers: a page whose origin is the probe's (served by our loopback server, the probe host
/// mapped to it inside the browser only) makes the credentialed request, and we record whether the response was readable.
/// A finding is then "confirmed in Chromium 156 / Firefox 153" or "not exploitable in browsers (server defect only)".
/// </summary>
public static class BrowserConfirmation
{
    /// <param name="launched">Told of every engine tried: null when it launched, else why not (the caller decides whether that fails).</param>
    /// <param name="client">The audit's client: after a read fails, the finding's probe is sent again, and a server that no
    /// longer answers leaves the finding not checked (without it, only the browser's own words tell a network error).</param>
    public static async Task<AuditResult> ConfirmAsync(AuditResult result, ReferenceServers servers, IEnumerable<Engine> engines, Func<string, string?> settings, TimeSpan timeout,
        Action<Engine, string?>? launched = null, ReplayClient? client = null)
    {
        var candidates = result.Findings.Where(f => Confirmable(result, f)).ToList();
        if (candidates.Count == 0) return result;
        // The audit's plain-named probe origins are mapped too, not only the findings': the same audit's browsers are then
        // alike whatever it found (a BrowserPool shares them), and a host mapped to loopback that no page uses changes nothing.
        var plainProbes = Auditor.ProbesFor(result.TrustedOrigin).Select(p => p.Origin)
            .Where(o => Uri.TryCreate(o, UriKind.Absolute, out var u) && u.Host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'));
        var mappings = plainProbes.Concat(candidates.Select(f => f.ProbeOrigin))
            .Where(o => o != "null").Distinct()
            .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var u) ? u : null)
            // A probe origin at the audited server's own host and port gets no page: mapping it to the suite's page server
            // would send every request to the audited server there too (TryReadAsync leaves its finding not checked).
            .Where(u => u is not null && !AtTarget(u, result.Target))
            .Select(u => new HostMapping(u!.Host, u.Port, u.Scheme == "https" ? servers.HttpsPort : servers.HttpPort))
            // The topology's own hosts too: a null-origin probe runs in the sandboxed frame of a page at www.cors.test.
            .Concat(HostMapping.Topology)
            .ToList();
        var readable = candidates.ToDictionary(f => f, _ => new List<string>());
        var refused = candidates.ToDictionary(f => f, _ => new List<string>());
        var notChecked = candidates.ToDictionary(f => f, _ => new List<string>());
        foreach (var engine in engines)
        {
            var launch = await BrowserLauncher.TryLaunchAsync(engine, settings, mappings);
            launched?.Invoke(engine, launch.Unavailable);
            if (launch.Session is not { } session) continue;
            await using (session)
            {
                var name = $"{engine.DisplayName()} {engine.ShortVersion(session.Version)}";
                // Firefox on a port it moves to our servers would read our answer, not the audited server's: not checked.
                if (HostMapping.Unreachable(session.MovesPortsOfEveryHost, mappings, result.Target) is { } away)
                {
                    foreach (var finding in candidates) notChecked[finding].Add($"{name}: {away}");
                    continue;
                }
                var reads = await ReadAllAsync(session, candidates, result, servers, timeout, client);
                // A browser that died under the reads (its process killed or crashed) left them not checked: they are read
                // once more in a browser launched afresh of its own, with the same mapping.
                reads = await ReadLostAgainAsync(reads, session, servers,
                    async () => await BrowserLauncher.TryLaunchOwnAsync(engine, settings, mappings), r => ReadAllAsync(r.Session, r.Findings, result, servers, timeout, client));
                foreach (var (finding, (outcome, why)) in reads)
                {
                    (outcome switch { Read.Readable => readable, Read.Refused => refused, _ => notChecked })[finding]
                        .Add(outcome == Read.Readable ? name : $"{name}: {why}");
                }
            }
        }
        return result with
        {
            Findings = result.Findings.Select(f => !readable.TryGetValue(f, out var engines2) ? f : f with
            {
                BrowserConfirmation = Verdict(f, engines2, refused[f], notChecked[f]),
            }).ToList(),
        };
    }

    /// <summary>Each finding read in one page that goes from probe origin to probe origin (a page made and closed for each
    /// cost Firefox ~0.4 s of CPU), in a scope of <paramref name="session"/>'s.</summary>
    internal static async Task<IReadOnlyList<(AuditFinding Finding, (Read Outcome, string Why) Read)>> ReadAllAsync(
        IBrowserDriver session, IReadOnlyList<AuditFinding> findings, AuditResult result, ReferenceServers servers, TimeSpan timeout, ReplayClient? client)
    {
        IBrowserScope context;
        try
        {
            context = await session.NewScopeAsync(servers, plantCookies: false);
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            // Dead before its first read (the exception ended the audit): every read not checked, and a browser launched
            // again makes them (ReadLostAgainAsync).
            return [.. findings.Select(f => (f, (Read.Unchecked, $"{BrowserName(session)} failed as it opened a scope for its reads ({failure})")))];
        }
        await using var closing = ReplaceablePage.ClosingQuietly(context);
        await using var moving = new MovingPage(context);
        var reads = new List<(AuditFinding, (Read, string))>();
        foreach (var finding in findings)
        {
            reads.Add((finding, OnInconsistentServer(await TryReadAsync(moving, finding, result.Target, servers, timeout, client, BrowserName(session)), result)));
        }
        return reads;
    }

    /// <summary>
    /// The reads left not checked by a browser that died under them (no scope opens in it any more), made once more in a
    /// browser <paramref name="relaunch"/> starts: a finding whose read is not checked there either keeps its first reason,
    /// saying so. A browser that still opens a scope failed no read of its own: nothing is read again.
    /// </summary>
    internal static async Task<IReadOnlyList<(AuditFinding Finding, (Read Outcome, string Why) Read)>> ReadLostAgainAsync(
        IReadOnlyList<(AuditFinding Finding, (Read Outcome, string Why) Read)> reads, IBrowserDriver session, ReferenceServers servers,
        Func<Task<LaunchResult>> relaunch, Func<(IBrowserDriver Session, IReadOnlyList<AuditFinding> Findings), Task<IReadOnlyList<(AuditFinding Finding, (Read Outcome, string Why) Read)>>> readAll)
    {
        // Only a read the browser failed (TryReadAsync's words for it) asks whether the browser is gone: one not checked for
        // another reason (an engine that blocks mixed content) costs no liveness check, which is a new session in WebDriver.
        var browser = BrowserName(session);
        var lost = reads.Where(r => r.Read.Outcome == Read.Unchecked
            && (r.Read.Why.StartsWith($"{browser} failed ", StringComparison.Ordinal) || r.Read.Why.StartsWith($"{browser}'s page failed ", StringComparison.Ordinal)))
            .Select(r => r.Finding).ToList();
        if (lost.Count == 0 || await GoneAsync(session, servers) is not { } gone) return reads;
        var launch = await relaunch();
        if (launch.Session is not { } fresh)
        {
            return [.. reads.Select(r => lost.Contains(r.Finding)
                ? (r.Finding, (r.Read.Outcome, $"{r.Read.Why}; the browser had died ({gone}) and could not be launched again: {launch.Unavailable}"))
                : r)];
        }
        await using (fresh)
        {
            var again = (await readAll((fresh, lost))).ToDictionary(r => r.Finding, r => r.Read);
            return [.. reads.Select(r => !again.TryGetValue(r.Finding, out var read) ? r
                : read.Outcome == Read.Unchecked ? (r.Finding, (read.Outcome, $"{read.Why} (launched again after the browser died: {gone})"))
                : (r.Finding, read))];
        }
    }

    /// <summary>How the reads name the browser ("chromium 156.0.8078.129").</summary>
    private static string BrowserName(IBrowserDriver session) => $"{session.Engine.Id()} {session.Version}";

    /// <summary>Why <paramref name="session"/> can run nothing more (no scope opens in it: its process killed or crashed,
    /// its connection or WebDriver session gone), or null while it can.</summary>
    private static async Task<string?> GoneAsync(IBrowserDriver session, ReferenceServers servers)
    {
        try
        {
            await ReplaceablePage.CloseQuietlyAsync(await session.NewScopeAsync(servers, plantCookies: false).WaitAsync(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(10));
            return null;
        }
        catch (TimeoutException)
        {
            return "it opened no scope within 30 s";
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>What the engines did with a finding, every engine named: one that read it confirms it, but an engine that
    /// refused or could not check it is said beside, so a reader of "confirmed in Chromium" is not left to think every
    /// engine reads it, nor one of "not exploitable" that an engine which could not check it refused.</summary>
    internal static string Verdict(AuditFinding finding, IReadOnlyList<string> readable, IReadOnlyList<string> refused, IReadOnlyList<string> notChecked)
    {
        var others = (readable.Count > 0 && refused.Count > 0 ? "; refused in " + string.Join("; ", refused) : "")
            + ((readable.Count > 0 || refused.Count > 0) && notChecked.Count > 0 ? "; not checked in " + string.Join("; ", notChecked) : "");
        return readable.Count > 0 ? ReadBy(finding, readable) + others
            : refused.Count > 0 ? RefusedBy(finding, refused, partly: notChecked.Count > 0) + others
            : "not checked in a browser" + (notChecked.Count > 0 ? ": " + string.Join("; ", notChecked) : " (no engine could run)");
    }

    /// <summary>Whether a page can try the finding: only one about what an attacker's origin may read. A missing Vary (on
    /// any answer, the one to a request without Origin included) or a bad spelling on the trusted origin's own answers is
    /// a server defect, not something an attacker's page does; a preflight that admits any origin lets requests go whose
    /// answers no page reads (a refused preflight and a refused answer give the page the same TypeError: what went shows at
    /// the server alone); an informational finding is not tried either.</summary>
    public static bool Confirmable(AuditResult result, AuditFinding finding) =>
        finding.Severity > Severity.Info && finding.ProbeOrigin != result.TrustedOrigin && finding.ProbeOrigin != Auditor.NoOrigin
        && finding.Defect != ServerDefects.MissingVary && finding.Defect != ServerDefects.PreflightAdmitsAnyOrigin;

    /// <summary>What a finding says once a page at its probe origin read the response in <paramref name="engines"/>: which
    /// page (for `null`, the sandboxed frame that sends it; no page is "at null") and with which credentials.</summary>
    public static string ReadBy(AuditFinding finding, IReadOnlyList<string> engines) =>
        $"confirmed in {string.Join(" / ", engines)}: "
        + (finding.ProbeOrigin == "null" ? "a sandboxed frame (Origin: null)" : $"a page at {finding.ProbeOrigin}")
        + " read the response "
        + (Credentialed(finding) ? $"of a credentialed {(finding.Method == "GET" ? "request" : finding.Method)} (credentials: \"include\")" : $"of a {(finding.Method == "GET" ? "request" : finding.Method)} without credentials (what the resource returns to anyone)");

    /// <summary>What a finding says when no page at its probe origin could read the response: the engines' reasons; for `*`
    /// with credentials, that the credentialed read was refused, not the read without cookies `*` allows to every site.</summary>
    /// <param name="partly">Another engine could not try it: the refusal speaks only for the engines that could.</param>
    public static string RefusedBy(AuditFinding finding, IReadOnlyList<string> reasons, bool partly = false) =>
        (partly ? "not exploitable in the browsers that could try it (server defect only): " : "not exploitable in browsers (server defect only): ") + string.Join("; ", reasons)
        + (finding.Defect == ServerDefects.StarWithCredentials ? "; a read without cookies still works from any site, as `*` allows" : "");

    /// <summary>What a finding a page could have tried says when the audit ran with --no-browser.</summary>
    public const string NotAsked = "not confirmed in a browser (--no-browser): whether a page at the probe origin can read the response was not tried";

    /// <summary>Whether the finding's answer allowed credentials, so the attacker's page would read with the user's cookies.</summary>
    private static bool Credentialed(AuditFinding finding) =>
        finding.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";

    /// <summary>Whether the server answers the finding's origin without a cookie with another Access-Control-Allow-Origin
    /// or Access-Control-Allow-Credentials than it did with one: then a browser's refusal, made without a cookie of the audited site, does not tell what a
    /// signed-in user's browser does. A server that answers alike either way (`*` with credentials, sent to everyone) is no
    /// such server, and the browser's refusal stands.</summary>
    internal static bool TrustsOnlyWithCookie(AuditFinding finding, RawResponse withoutCookie) =>
        Credentialed(finding)
        && (withoutCookie.Headers.Get(HeaderNames.AccessControlAllowOrigin) != finding.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin)
            || withoutCookie.Headers.Get(HeaderNames.AccessControlAllowCredentials) != finding.Response.Headers.Get(HeaderNames.AccessControlAllowCredentials));

    /// <summary>Whether a page at <paramref name="probe"/> would sit at the audited server's own host and port.</summary>
    private static bool AtTarget(Uri probe, Uri target) =>
        probe.Host.Equals(target.Host, StringComparison.OrdinalIgnoreCase) && probe.Port == target.Port;

    /// <summary>What a page that would not open at a probe origin says of the finding. Only an origin no browser can have
    /// (<see cref="OriginSyntax.CanBeSent"/> false) is refused by that: nothing there reads the response. At an origin a browser
    /// can have — every forgery the audit makes is one — the failure is the harness's (a runner page not ready in time under
    /// load, a window the driver could not open, a loopback host the engine reaches directly, WebKitGTK at 127.0.0.1), and it
    /// was said "not exploitable in browsers (server defect only)" of a finding no page had tried: not checked, with why.</summary>
    internal static (Read Outcome, string Why) PageNotOpened(string probeOrigin, string browser, string failure)
    {
        if (probeOrigin != "null" && !OriginSyntax.CanBeSent(probeOrigin))
        {
            return (Read.Refused, $"a page cannot have the origin {probeOrigin} ({failure})");
        }
        return (Read.Unchecked, $"{browser} would not open the suite's page at {probeOrigin} ({failure}), so whether a page there reads the response was not tried"
            + (PolicyRunner.IsLoopback(probeOrigin) ? $": {PolicyRunner.LoopbackLimit}" : ""));
    }

    /// <summary>A refused read on a server whose answers to the same request differ (<see cref="AuditResult.Inconsistency"/>)
    /// is not checked: the browser may have drawn the failing answer (a balancer's failing backend answering 500 without
    /// CORS headers), and "not exploitable in browsers" was said of a reflection the next request shows again.</summary>
    internal static (Read Outcome, string Why) OnInconsistentServer((Read Outcome, string Why) read, AuditResult result) =>
        read.Outcome == Read.Refused && result.Inconsistency is not null
            ? (Read.Unchecked, $"{read.Why}, but the server answers the same request differently from one ask to the next (see not checked), so the page may have "
                + "drawn its other answer: the refusal clears nothing")
            : read;

    internal enum Read
    {
        Readable,
        Refused,
        Unchecked,
    }

    internal static async Task<(Read Outcome, string Why)> TryReadAsync(
        MovingPage moving, AuditFinding finding, Uri target, ReferenceServers servers, TimeSpan timeout, ReplayClient? client, string browser)
    {
        if (Uri.TryCreate(finding.ProbeOrigin, UriKind.Absolute, out var probe) && AtTarget(probe, target))
        {
            return (Read.Unchecked, $"a page at {finding.ProbeOrigin} would be at the audited server's own host and port, which the suite cannot serve a page from without taking the server's place");
        }
        var nullOrigin = finding.ProbeOrigin == "null";
        // A sandboxed frame's origin is opaque whatever the page around it, and an attacker's page may be http: the frame
        // sits in a page of the target's scheme, so an engine that blocks an https page's calls to plain-HTTP loopback
        // (WebKitGTK) still tries the read.
        var pageOrigin = nullOrigin ? servers.OriginOf(Place.Page, target.Scheme == Uri.UriSchemeHttp ? Scheme.Http : Scheme.Https) : finding.ProbeOrigin;
        IRunnerPage page;
        try
        {
            page = await moving.AtAsync(pageOrigin);
        }
        catch (PageOpenException e)
        {
            return PageNotOpened(finding.ProbeOrigin, browser, e.Message);
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            // The browser itself failed (its connection gone): not checked, never "not exploitable".
            await moving.DropAsync();
            return (Read.Unchecked, $"{browser} failed as it opened its page at {finding.ProbeOrigin} ({failure})");
        }
        try
        {
            if (MixedContentProbe.Applies(pageOrigin, target) && await MixedContentProbe.WhyBlockedAsync(page, servers, timeout, browser) is { } blocked)
            {
                return (Read.Unchecked, blocked + MixedContentProbe.AuditAdvice);
            }
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            await moving.DropAsync();
            return (Read.Unchecked, $"{browser}'s page failed before it read ({failure})");
        }
        // The read the finding is about: with the user's credentials where the server allowed them, else the
        // anonymous read anyone's page can make (a credentialed request would be refused and hide a real exposure).
        // By the finding's method: a trust shown on POST or HEAD only is tried by that request (a GET, refused, called such a
        // finding not exploitable); the POST as the audit sent it, an empty text/plain body, a simple request.
        // With the Accept-Language the audit's probes carried, as desktop browsers send on every request: Chromium's headless
        // shell sends none, and a server reflecting only to requests with one (a bot defence) read "not exploitable" there.
        // Accept-Language is CORS-safelisted: any page sets it without a preflight.
        IReadOnlyList<Header> headers = finding.RequestHeaders.Any(h => h.Name.Equals(Auditor.AcceptLanguage.Name, StringComparison.OrdinalIgnoreCase))
            ? finding.RequestHeaders : [.. finding.RequestHeaders, Auditor.AcceptLanguage];
        var request = new RequestSpec(Api.Fetch, finding.Method, headers,
            Credentialed(finding) ? CredentialsMode.Include : CredentialsMode.Omit, Body: finding.Method == "POST" ? "" : null);
        PageAttempt seen;
        try
        {
            seen = (await page.RunWithinAsync([PageRequest.For("audit", nullOrigin ? PageOrigin.Null : PageOrigin.Origin, request, target.ToString(), timeout)]))[0].Attempts.Last();
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            // The page failed while it read (its renderer crashed or was killed, or it hung): nothing was learnt of the
            // finding, and the next read starts in a fresh page. An exception here ended the whole audit.
            await moving.DropAsync();
            return (Read.Unchecked, $"{browser}'s page failed while it read ({failure})");
        }
        if (seen.Ok) return (Read.Readable, "");
        if (seen.TimedOut) return (Read.Unchecked, "the request timed out");
        // A CORS block and a refused, reset or unparsable connection give the page the same TypeError, and there is no
        // journal of the audited server to tell them apart: a read that failed on the network is not checked, never "not
        // exploitable" (a server that stopped answering after the probes was called harmless).
        var messages = page.TakeMessages();
        if (NetworkFailures.In(messages) is { } network)
        {
            return (Read.Unchecked, $"the request failed on the network ({network}), before any CORS check could decide");
        }
        if (client is not null)
        {
            // The probe as the browser's request went: without a cookie of the audited site.
            var again = RawResponse.NotTheResource(await Auditor.ProbeAsync(client, target, finding.ProbeOrigin, timeout, signedIn: false, method: finding.Method, headers: finding.RequestHeaders), target);
            if (!again.Answered) return (Read.Unchecked, $"the read failed and the server no longer answers the probe ({again.Failure ?? "no status"})");
            if (TrustsOnlyWithCookie(finding, again)
                && RawResponse.NotTheResource(await Auditor.ProbeAsync(client, target, finding.ProbeOrigin, timeout, signedIn: true, method: finding.Method, headers: finding.RequestHeaders), target) is { Answered: true } signedIn
                && TrustsOnlyWithCookie(finding, signedIn))
            {
                // With the cookie too the probe is no longer answered as it was: the server's answers changed since the probes
                // (a quota dropping its CORS headers after N requests read "trusts … only for a request that carries a cookie").
                return (Read.Unchecked, $"the server no longer answers the probe as it did: asked again, with the signed-in cookie or without, it answers {Auditor.Summary(signedIn)}, "
                    + "where the probe was answered " + Auditor.Summary(finding.Response) + ": its answers changed during the audit (a quota, a rate limit, an instance failing), "
                    + "so the browser's refusal neither confirms nor clears the finding");
            }
            if (TrustsOnlyWithCookie(finding, again))
            {
                return (Read.Unchecked, $"the server trusts {finding.ProbeOrigin} only for a request that carries a cookie, as a signed-in user's does "
                    + $"(without one it answers Access-Control-Allow-Origin: {(again.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao ? Specs.Fetch.Http.Shown(acao) : "(none)")}"
                    + (again.Headers.Get(HeaderNames.AccessControlAllowCredentials) is "true" ? "" : " without Access-Control-Allow-Credentials: true") + "); "
                    + "the browser's request carried no cookie of the audited site, so its refusal does not clear the finding");
            }
        }
        return (Read.Refused, "the response was not readable" + (messages is { } reason ? $" ({reason})" : ""));
    }
}
