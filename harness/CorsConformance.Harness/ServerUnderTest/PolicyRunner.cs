using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>
/// Runs a policy's generated cases in one browser against the server under test. The page is served by our own loopback
/// server under each origin the cases need (https://app.example.com …), mapped to loopback inside the browser only; the
/// server under test's host resolves as it normally does.
/// </summary>
public static class PolicyRunner
{
    /// <summary>The host mappings that give pages the cases' origins, on our servers' ports.</summary>
    public static IReadOnlyList<HostMapping> MappingsFor(IEnumerable<PolicyCase> cases, ReferenceServers servers) =>
        cases.Select(c => c.PageOrigin).Where(o => o != "null").Distinct()
            .Select(o => new Uri(o))
            .Select(u => new HostMapping(u.Host, u.Port, u.Scheme == "https" ? servers.HttpsPort : servers.HttpPort))
            .ToList();

    /// <summary>Launches the engine with the cases' origins mapped to our loopback servers, runs every case, judges each.</summary>
    public static async Task<PolicyEngineRun> RunEngineAsync(
        Engine engine, ReferenceServers servers, IReadOnlyList<PolicyCase> cases, TimeSpan timeout, Func<string, string?> settings,
        CancellationToken cancellationToken = default, Authentication? authentication = null, bool acceptAnyCertificate = false)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var client = Replay.CreateClient(acceptAnyCertificate: true);
        // A page origin on a route's own host and port (an `other-port` forgery of http://localhost:3000 is
        // http://localhost:3001, where a team's API often listens) would map that host and port to the suite's page server
        // inside the browser, and every call to the route would reach the suite's server, not yours: such an origin gets no
        // page, its cases are not judged, and the route stays reachable.
        var clashes = OwnOrigins(cases);
        var mappings = MappingsFor(cases.Where(c => !clashes.ContainsKey(c.PageOrigin)), servers);
        // Each route's server once first: down or hung, its cases fail at once with the reason (within one timeout),
        // instead of each waiting its own. The check needs nothing of the browser, so it runs while the browser launches:
        // a hung server's timeout used to come after the launch, the two waits added up (docs/speed.md).
        using var checking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var checks = CheckRoutesAsync(client, cases, timeout, checking.Token, acceptAnyCertificate);
        LaunchResult launch;
        try
        {
            launch = await BrowserLauncher.TryLaunchAsync(engine, AsDesktopBrowser(engine, settings), mappings);
        }
        catch
        {
            await AbandonAsync(checks, checking);
            throw;
        }
        if (launch.Session is not { } session)
        {
            await AbandonAsync(checks, checking);
            return new PolicyEngineRun(engine, null, launch.Unavailable, []);
        }
        await using (session)
        {
            var (down, notThere) = await checks;
            var moved = MovedAway(session.MovesPortsOfEveryHost, mappings, cases);
            foreach (var (resource, why) in notThere) moved.TryAdd(resource, why);
            var reachable = cases.Where(c => !down.ContainsKey(c.Resource) && !moved.ContainsKey(c.Resource) && !clashes.ContainsKey(c.PageOrigin)).ToList();
            var replay = new Replay(client, timeout, authentication);
            IReadOnlyList<PolicyVerdict> judged = [];
            IReadOnlyList<string> said = [];
            if (reachable.Count > 0)
            {
                // A browser whose pages all failed (its process killed or crashed, its connection gone) left the calls it had
                // not made not run: they are made once more in a browser launched afresh of its own, with the same mapping.
                var first = await RunCallsAsync(session, servers, reachable, replay, cancellationToken);
                (judged, said) = await RunLostAgainAsync(first, servers, replay,
                    async () => await BrowserLauncher.TryLaunchOwnAsync(engine, AsDesktopBrowser(engine, settings), mappings), cancellationToken);
                judged = Finish(judged);
            }
            var byId = judged.ToDictionary(v => v.Case.Id);
            var verdicts = cases.Select(c => down.TryGetValue(c.Resource, out var why)
                ? new PolicyVerdict(c, Outcome.Unreached, null, Oracle.Expect(c.Model), null, null, why, null, [], [])
                : moved.TryGetValue(c.Resource, out var away) ? NotJudged(c, away)
                : clashes.TryGetValue(c.PageOrigin, out var clash) ? NotJudged(c, clash) : byId[c.Id]).ToList();
            return new PolicyEngineRun(engine, session.Description, null, verdicts)
            {
                Version = session.Version,
                LaunchTime = session.LaunchTime,
                WallTime = started.Elapsed,
                PageFailures = said,
            };
        }
    }

    /// <summary>The calls of one run, as <see cref="RunCallsAsync"/> left them: every verdict (before the passes across
    /// verdicts), why the browser's pages were given up (null while they held), and which calls that left not run.</summary>
    internal sealed record CallsRun(IReadOnlyList<PolicyVerdict> Verdicts, string? PagesGone, IReadOnlyList<int> NotRun);

    /// <summary>
    /// The calls a run whose pages were given up never made, made once more in a browser <paramref name="relaunch"/> starts;
    /// a call not run there either keeps its first reason, saying so. Returns the verdicts and what the run should say of it
    /// (nothing when the pages held).
    /// </summary>
    internal static async Task<(IReadOnlyList<PolicyVerdict> Verdicts, IReadOnlyList<string> Said)> RunLostAgainAsync(
        CallsRun first, ReferenceServers servers, Replay replay, Func<Task<LaunchResult>> relaunch, CancellationToken cancellationToken)
    {
        if (first.PagesGone is not { } gone || first.NotRun.Count == 0) return (first.Verdicts, []);
        var verdicts = first.Verdicts.ToArray();
        PolicyVerdict Saying(PolicyVerdict v, string more) => v with { Actual = v.Actual with { Failure = $"{v.Actual.Failure}; {more}" } };
        var launch = await relaunch();
        if (launch.Session is not { } fresh)
        {
            var unlaunched = $"the browser could not be launched again to make them: {launch.Unavailable}";
            foreach (var i in first.NotRun) verdicts[i] = Saying(verdicts[i], unlaunched);
            return (verdicts, [$"its pages failed with {first.NotRun.Count} call(s) not made ({gone}), and {unlaunched}"]);
        }
        await using (fresh)
        {
            var again = await RunCallsAsync(fresh, servers, [.. first.NotRun.Select(i => verdicts[i].Case)], replay, cancellationToken);
            var made = 0;
            for (var k = 0; k < first.NotRun.Count; k++)
            {
                var i = first.NotRun[k];
                if (again.NotRun.Contains(k))
                {
                    verdicts[i] = Saying(verdicts[i], $"launched again, the browser failed once more before making it ({again.PagesGone})");
                    continue;
                }
                verdicts[i] = again.Verdicts[k];
                made++;
            }
            return (verdicts, [$"its pages failed with {first.NotRun.Count} call(s) not made ({gone}); launched again, it made {made} of them"
                + (again.PagesGone is { } twice ? $", and its pages failed again ({twice})" : "")]);
        }
    }

    /// <summary>The routes that did not answer (<see cref="UnreachableAsync"/>) and, of the others, those whose resource is not
    /// there (<see cref="NotThereAsync"/>).</summary>
    private static async Task<(Dictionary<Uri, RawResponse> Down, Dictionary<Uri, string> NotThere)> CheckRoutesAsync(
        ReplayClient client, IReadOnlyList<PolicyCase> cases, TimeSpan timeout, CancellationToken cancellationToken, bool acceptAnyCertificate)
    {
        var down = await UnreachableAsync(client, cases, timeout, cancellationToken, acceptAnyCertificate);
        return (down, await NotThereAsync(client, cases.Where(c => !down.ContainsKey(c.Resource)).ToList(), timeout, cancellationToken));
    }

    /// <summary>The route checks of a run whose browser did not launch: stopped, and waited for, so that nothing of the run
    /// outlives it and no failure of theirs goes unobserved (the launch's reason is the run's answer).</summary>
    private static async Task AbandonAsync(Task checks, CancellationTokenSource checking)
    {
        await checking.CancelAsync();
        try
        {
            await checks;
        }
        catch (Exception)
        {
            // Cancelled, or failed: either way the run reports why the browser did not launch.
        }
    }

    /// <summary>The engine as a user's desktop browser meets the server: Chromium's headless shell sends no Accept-Language,
    /// where Chrome sends its locale's on every request (Firefox and WebKitGTK send theirs already), so against a server
    /// under test it is launched with one (<c>--accept-lang</c>; a <c>chromium.args</c> naming its own is kept). A server
    /// refusing requests without Accept-Language (a bot defence) failed every Chromium case, a block no user meets. The
    /// catalog's runs keep the shell as it is: its snapshots hold what the shell sends.</summary>
    public static Func<string, string?> AsDesktopBrowser(Engine engine, Func<string, string?> settings) =>
        engine != Engine.Chromium ? settings : key =>
        {
            var value = settings(key);
            if (key != "chromium.args" || value?.Contains("--accept-lang", StringComparison.Ordinal) == true) return value;
            return string.IsNullOrWhiteSpace(value) ? DesktopAcceptLanguage : value + " " + DesktopAcceptLanguage;
        };

    /// <summary>The switch giving Chromium's headless shell Chrome's en-US Accept-Language.</summary>
    public const string DesktopAcceptLanguage = "--accept-lang=en-US,en";

    public static async Task<IReadOnlyList<PolicyVerdict>> RunAsync(
        IBrowserDriver session, ReferenceServers servers, IReadOnlyList<PolicyCase> cases, Replay replay, CancellationToken cancellationToken = default) =>
        Finish((await RunCallsAsync(session, servers, cases, replay, cancellationToken)).Verdicts);

    /// <summary>What is read across a run's verdicts, once every call was made.</summary>
    private static IReadOnlyList<PolicyVerdict> Finish(IReadOnlyList<PolicyVerdict> verdicts) => WithOriginAdmittedElsewhere(RefusalsBehindAuthentication(verdicts));

    internal static async Task<CallsRun> RunCallsAsync(
        IBrowserDriver session, ReferenceServers servers, IReadOnlyList<PolicyCase> cases, Replay replay, CancellationToken cancellationToken)
    {
        var verdicts = new PolicyVerdict?[cases.Count];
        // The calls not made because the browser's pages failed (before them, or for good): a browser launched again makes them.
        var notRun = new List<int>();
        var authentication = replay.Authentication;
        IBrowserScope context;
        try
        {
            context = await session.NewScopeAsync(servers, plantCookies: false);
        }
        catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
        {
            // A browser that died before the run (another run's killed it, say): no call is made, and a browser launched
            // again makes them.
            var gone = $"not run: the browser would not open a scope for the calls ({failure})";
            return new CallsRun([.. cases.Select(c => Unreached(c, gone))], gone, [.. Enumerable.Range(0, cases.Count)]);
        }
        await using var closing = ReplaceablePage.ClosingQuietly(context);
        // A jar's cookies go into the browser's jar; where the driver cannot put them, credentialed cases are not judged.
        var noCookies = authentication.Cookies.Count > 0 && await context.AddCookiesAsync(authentication.Cookies) is { } why
            ? $"the cookie jar's cookies could not be put into the browser ({why}), so a credentialed call would not carry them"
            : null;
        // A null-origin case runs in the sandboxed frame of any page; one at an origin the cases already use will do.
        var fallbackOrigin = cases.Select(c => c.PageOrigin).FirstOrDefault(o => o != "null") ?? "https://app.example.com";
        string? mixedContent = null;
        var groups = cases.Select((c, i) => (Case: c, Index: i)).GroupBy(x => x.Case.PageOrigin == "null" ? fallbackOrigin : x.Case.PageOrigin).ToList();
        // One page moves from origin to origin (MovingPage): a forged origin has two cases, and a page made and closed for
        // each cost more than its cases (docs/speed.md, "The test run"). The preflight cache and the cookie jar are the
        // scope's either way, and a case's messages are taken from the page it runs in after it moved there.
        await using var moving = new MovingPage(context);
        // Pages that failed mid-run (PageBudget, a renderer that crashed), and why the rest are not run once one keeps failing.
        var pageFailures = 0;
        string? pageGone = null;
        async Task<(IRunnerPage? Page, string? Unopened)> FreshPageAsync(string origin)
        {
            try
            {
                return (await moving.FreshAsync(origin), null);
            }
            catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
            {
                return (null, failure);
            }
        }
        // Preflights the server left hanging, by URL: a server that never answers OPTIONS there cost each preflighted call the
        // page's timeout and the replay's (81 cases took 15 min); after two in a row, the URL's other preflighted calls are
        // not run, a harness error naming the two — never a verdict. An answered preflight there starts the count again.
        var unansweredPreflights = new Dictionary<Uri, List<(string Title, string Failure)>>();
        foreach (var group in groups)
        {
            // An engine that will not let an https page call plain-HTTP loopback cannot judge CORS there at all; the probe's
            // answer holds for every https page of the run, so a page whose every case it blocks is not even opened (the
            // forged origins make dozens of pages).
            if (mixedContent is not null && group.All(x => MixedContentProbe.Applies(group.Key, x.Case.Resource)))
            {
                foreach (var (@case, index) in group) verdicts[index] = NotJudged(@case, mixedContent);
                continue;
            }
            if (pageGone is not null)
            {
                foreach (var (@case, index) in group) verdicts[index] = Unreached(@case, pageGone);
                notRun.AddRange(group.Select(x => x.Index));
                continue;
            }
            IRunnerPage page;
            try
            {
                page = await moving.AtAsync(group.Key);
            }
            catch (PageOpenException e)
            {
                // A page the browser will not open at an origin the policy names (WebKitGTK, asked for http://localhost:5173,
                // goes to the machine's own port: its proxy is never used for loopback) threw out of the run, failing every
                // case of every origin with an exception; that origin's cases are not judged, saying why, and the others run.
                var unopened = $"{session.Engine.Id()} {session.Version} would not open the suite's page at {group.Key} ({e.Message}), so no call from that origin could be made in it"
                    + (IsLoopback(group.Key) ? "; " + LoopbackLimit : "");
                foreach (var (@case, index) in group) verdicts[index] = NotJudged(@case, unopened);
                continue;
            }
            catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
            {
                // Not the origin: the page's renderer crashed, or the browser itself is gone, as the page opened. A fresh page
                // is tried; where none opens, this origin's calls and the rest are not made here, and a browser launched
                // again makes them.
                var (reopened, unopened) = ++pageFailures > ReplaceablePage.MaxReplacements ? (null, null) : await FreshPageAsync(group.Key);
                if (reopened is null)
                {
                    pageGone = $"not run: the browser failed as it opened its page at {group.Key} ({failure})"
                        + (unopened is null ? "" : $", and a fresh page would not open ({unopened})");
                    foreach (var (@case, index) in group) verdicts[index] = Unreached(@case, pageGone);
                    notRun.AddRange(group.Select(x => x.Index));
                    continue;
                }
                page = reopened;
            }
            string? blocked = null;
            string? probeFailedBefore = null;
            var probed = false;
            while (!probed)
            {
                try
                {
                    blocked = group.Any(x => MixedContentProbe.Applies(group.Key, x.Case.Resource))
                        ? await MixedContentProbe.WhyBlockedAsync(page, servers, replay.Timeout, $"{session.Engine.Id()} {session.Version}") is { } blockedWhy
                            ? blockedWhy + MixedContentProbe.ServerUnderTestAdvice
                            : null
                        : null;
                    probed = true;
                }
                catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
                {
                    // The page failed during the probe itself: tried once more in a fresh page, as a call is; failing again,
                    // this origin's calls are not run, saying why, and the next origin gets a fresh page.
                    if (++pageFailures <= ReplaceablePage.MaxReplacements && probeFailedBefore is null && (await FreshPageAsync(group.Key)).Page is { } fresh)
                    {
                        page = fresh;
                        probeFailedBefore = failure;
                        continue;
                    }
                    var said = probeFailedBefore is null ? failure : $"{probeFailedBefore}; in a fresh page, it failed again: {failure}";
                    var probeFailed = $"not run: the browser's page at {group.Key} failed before its calls ({said})";
                    foreach (var (@case, index) in group) verdicts[index] = Unreached(@case, probeFailed);
                    notRun.AddRange(group.Select(x => x.Index));
                    if (pageFailures > ReplaceablePage.MaxReplacements) pageGone = probeFailed;
                    await moving.DropAsync();
                    break;
                }
            }
            if (!probed) continue;
            mixedContent ??= blocked;
            // One request at a time: the server under test's URL carries no token of ours, so the browser's messages are
            // told apart by time, and each case meets the preflight cache as a page making just that call would.
            foreach (var (@case, index) in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (pageGone is not null)
                {
                    verdicts[index] = Unreached(@case, pageGone);
                    notRun.Add(index);
                    continue;
                }
                if (NeedsPreflight(@case) && unansweredPreflights.TryGetValue(@case.Resource, out var hung) && hung.Count >= HungPreflightsBeforeSkipping)
                {
                    verdicts[index] = Unreached(@case, $"not run: the server left the preflights of {hung.Count} earlier calls to this URL unanswered ("
                        + string.Join("; ", hung.Select(h => $"'{h.Title}': {h.Failure}")) + "), so this call, which needs a preflight there too, would only wait as long "
                        + $"({PageTimeout(@case, replay.Timeout).TotalSeconds:0.#} s in the browser, {replay.Timeout.TotalSeconds:0.#} s more for the replay); run again once the server answers OPTIONS");
                    continue;
                }
                if (blocked is not null && MixedContentProbe.Applies(group.Key, @case.Resource))
                {
                    verdicts[index] = NotJudged(@case, blocked);
                    continue;
                }
                if (noCookies is not null && @case.Request.Credentials == CredentialsMode.Include)
                {
                    verdicts[index] = NotJudged(@case, noCookies);
                    continue;
                }
                var request = PageRequest.For(@case.Id, @case.Model.Origins.Page, authentication.Reveal(@case.Request), @case.Resource.ToString(), PageTimeout(@case, replay.Timeout))
                    .Measuring(@case.Model);
                PageAttempt? seen = null;
                string? failedBefore = null;
                while (seen is null)
                {
                    page.TakeMessages();
                    try
                    {
                        seen = (await page.RunWithinAsync([request]))[0].Attempts.Last();
                    }
                    catch (Exception e) when (CaseRunner.BrowserFailure(e) is { } failure)
                    {
                        // The page failed while the call ran (its renderer crashed or was killed, or it hung past its budget):
                        // never a verdict. The call is made once more, alone, in a fresh page, as the catalog's runs make a
                        // failed batch's cases again; a call whose page fails again is a harness error naming both failures —
                        // a run that threw here had ended with the exception, every other case unjudged. A page that keeps
                        // failing is given up.
                        var said = failedBefore is null ? failure : $"{failedBefore}; made again in a fresh page, it failed again: {failure}";
                        verdicts[index] = Unreached(@case, $"the browser's page failed while the call ran ({said}): nothing of it is judged");
                        if (++pageFailures > ReplaceablePage.MaxReplacements)
                        {
                            pageGone = $"not run: the browser's page failed {pageFailures} time(s) in this run, the last while '{@case.Title}' ran ({failure})";
                            break;
                        }
                        var (fresh, unopened) = await FreshPageAsync(group.Key);
                        if (fresh is null)
                        {
                            // No page opens any more: the browser itself is gone (its process killed, its connection lost),
                            // which says nothing of this call either, so it is made again with the others in a browser
                            // launched again.
                            pageGone = $"not run: the browser's page failed while '{@case.Title}' ran ({failure}), and a fresh page would not open ({unopened})";
                            notRun.Add(index);
                            break;
                        }
                        page = fresh;
                        if (failedBefore is not null) break;
                        failedBefore = failure;
                    }
                }
                if (seen is null) continue;
                var reason = page.TakeMessages() is { } words ? authentication.Redact(words) : null;
                var (preflight, actual) = await replay.RunAsync(@case, cancellationToken);
                if (NeedsPreflight(@case) && preflight is { Reached: false, Failure: { } lost } && lost.StartsWith("no answer within", StringComparison.Ordinal))
                {
                    if (!unansweredPreflights.TryGetValue(@case.Resource, out var list)) unansweredPreflights[@case.Resource] = list = [];
                    list.Add((@case.Title, lost));
                }
                else if (preflight is { Reached: true })
                {
                    unansweredPreflights.Remove(@case.Resource);
                }
                (preflight, actual) = (preflight is null ? null : Clean(preflight, authentication), Clean(actual, authentication));
                var verdict = Judge(@case, seen, reason, preflight, actual, replay.Timeout) with { CarriedUserCredentials = @case.Request.Credentials == CredentialsMode.Include && !authentication.IsEmpty };
                verdict = await WithAnswersAskedAgainAsync(verdict, replay, cancellationToken);
                verdict = await WithSignedInAnswerAsync(verdict, replay, authentication, cancellationToken);
                verdict = await WithPlainPreflightAsync(verdict, replay, cancellationToken);
                verdicts[index] = await WithAnyOriginAnswerAsync(verdict, replay, cancellationToken);
            }
        }
        return new CallsRun([.. verdicts.Select(v => v!)], pageGone, notRun);
    }

    /// <summary>An allowed call blocked on an answer without a single Access-Control- header, where the same route admitted
    /// another allowed origin in the run (<see cref="PolicyVerdict.AdmittedElsewhere"/>): the CORS layer runs for the URL and
    /// refuses this origin — an origin missing from the server's list, not a CORS layer that never ran, which the failure
    /// otherwise names too (an ASP.NET Core app whose WithOrigins lacks an origin of the policy read "[DisableCors]; UseCors
    /// after UseEndpoints").</summary>
    internal static IReadOnlyList<PolicyVerdict> WithOriginAdmittedElsewhere(IReadOnlyList<PolicyVerdict> verdicts)
    {
        var admitted = verdicts.Where(v => v.Promised.Outcome == Outcome.Allowed && v.Case.PageOrigin != "null"
                && v.Actual.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao && acao == v.Case.PageOrigin)
            .ToList();
        // The same origin admitted by another call of the run comes first: the server answers it differently from one
        // request to the next (a server that drops its CORS headers after N requests read "its CORS layer refused
        // https://app.example.com, or never ran for this URL", though it had admitted that origin a moment before).
        PolicyVerdict? Admitted(PolicyVerdict v) =>
            admitted.FirstOrDefault(a => a.Case.Resource == v.Case.Resource && a.Case.PageOrigin == v.Case.PageOrigin)
            ?? admitted.FirstOrDefault(a => a.Case.Resource == v.Case.Resource);
        return verdicts.Select(v => ChangedSinceAllowed(v, admitted) ?? (v.Passed || v.NotJudged is not null || v.Promised.Outcome != Outcome.Allowed || v.NoCorsHeadersHint() is null && !v.PreflightWithoutCorsHeaders && !v.PreflightWithOtherCorsHeadersOnly
                || Admitted(v) is not { } other || ReferenceEquals(other, v)
            ? v
            : v with { AdmittedElsewhere = (other.Case.PageOrigin, other.Case.Title) })).ToList();
    }

    /// <summary>An allowed call the browser allowed, whose replayed answers (asked after the browser's) carry no
    /// Access-Control-Allow-Origin, where the replay saw the same origin admitted on the same URL in another call of the run:
    /// a browser allows a call only on an answer that passes its CORS check, so the server's answers changed between the
    /// browser's request and the replay's (a server dropping its CORS headers after N requests failed "the browser departs
    /// from the standard here"). Said as answers that differ from one time to the next, never as the browser's departure;
    /// null where that does not hold.</summary>
    private static PolicyVerdict? ChangedSinceAllowed(PolicyVerdict v, IReadOnlyList<PolicyVerdict> admitted)
    {
        if (v.NotJudged is not null || v.IsHarnessError || v.AnswersVary is not null || v.Browser != Outcome.Allowed || v.Promised.Outcome != Outcome.Allowed
            || !v.AnswersBreakThePromise || v.Actual.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null && v.Preflight?.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null)
        {
            return null;
        }
        if (admitted.FirstOrDefault(a => !ReferenceEquals(a, v) && a.Case.Resource == v.Case.Resource && a.Case.PageOrigin == v.Case.PageOrigin) is not { } other) return null;
        var lacking = v.Preflight is { } p && p.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null ? $"its preflight ({p.Status})" : $"its {Methods.Normalize(v.Case.Request.Method)} ({v.Actual.Status})";
        return v with
        {
            AnswersVary = $"the browser allowed the call, which a browser does only on an answer that passes its CORS check, while the replay, asking after it, got {lacking} "
                + $"without Access-Control-Allow-Origin — and the replay of '{other.Case.Title}' got Access-Control-Allow-Origin: {other.Case.PageOrigin} on the same URL in this run",
        };
    }

    /// <summary>
    /// A refusal kept only by an authentication layer in front of the CORS layer is not judged: the refused origin's call was
    /// answered 401 or 403 without Access-Control-Allow-Origin (or its preflight 401/403/407), and so was the same kind of
    /// call (the same route, the same credentials mode) from an allowed origin. ASP.NET Core with app.UseCors() after
    /// app.UseAuthentication() passed all 24 refusals — every forged origin "refused" — on 401s that never reached the CORS
    /// layer, so nothing showed how it treats those origins (a signed-in user's call reaches it: with
    /// SetIsOriginAllowed(_ => true) it reflects any origin). A refusal whose allowed twin got past authentication (a run
    /// with AuthHeaders or a CookieJar) stays judged.
    /// </summary>
    internal static IReadOnlyList<PolicyVerdict> RefusalsBehindAuthentication(IReadOnlyList<PolicyVerdict> verdicts)
    {
        static bool ToAuthentication(PolicyVerdict v) => v.NotJudged is null && !v.IsHarnessError && v.Browser == Outcome.Blocked
            && (v.Preflight is { Status: 401 or 403 or 407 } || v.Preflight is null or { Status: >= 200 and <= 299 } && v.Actual is { Status: 401 or 403 } a && a.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null)
            && v.OriginRefused is null && v.MethodRefused is null && v.PlainPreflight is null;
        var blockedAllowed = verdicts.Where(v => v.Promised.Outcome == Outcome.Allowed && ToAuthentication(v)).ToList();
        return verdicts.Select(v =>
        {
            if (!v.Passed || v.Promised.Outcome != Outcome.Blocked || !ToAuthentication(v)) return v;
            var twin = blockedAllowed.FirstOrDefault(a => a.Case.Resource == v.Case.Resource && a.Case.Request.Credentials == v.Case.Request.Credentials
                && (a.Preflight is null) == (v.Preflight is null));
            if (twin is null) return v;
            var answered = v.Preflight is { Status: 401 or 403 or 407 } p ? $"its preflight was answered {p.Status}" : $"it was answered {v.Actual.Status} without Access-Control-Allow-Origin";
            var twinAnswered = twin.Preflight is { Status: 401 or 403 or 407 } tp ? $"{tp.Status} to its preflight" : $"{twin.Actual.Status}";
            return v with
            {
                NotJudged = $"the browser blocked it, as the policy promises, but {answered}, as the allowed call '{twin.Case.Title}' was ({twinAnswered}): an "
                    + "authentication layer answers before the CORS layer, so the block shows nothing of how the CORS layer treats "
                    + (v.Case.PageOrigin == "null" ? "the null origin" : v.Case.PageOrigin)
                    + " (a signed-in user's call reaches it). Let the CORS layer answer first (ASP.NET Core: app.UseCors(…) before app.UseAuthentication()), "
                    + "or give the run AuthHeaders or a CookieJar so its credentialed calls get past authentication",
            };
        }).ToList();
    }

    /// <summary>How many times a failing case's requests are sent again (and then once more with a browser's headers) before
    /// the failure blames the browser or the server's answers: a server that answers the same request differently (every other preflight without its CORS headers) is then
    /// seen to, and an answer the browser got that the replay did not is no longer called the browser's departure.</summary>
    internal const int AskAgain = 2;

    /// <summary>A failure read on the replay's answers — the browser departing from what the standard says of them, or those
    /// answers breaking the promise the browser kept — holds only if the server gives them every time. The case's requests
    /// are sent again (up to <see cref="AskAgain"/> times); where the standard reads the new answers to another outcome, the
    /// server answers the same request differently and the verdict says so (<see cref="PolicyVerdict.AnswersVary"/>),
    /// rather than blaming the browser for an answer the replay never saw. The verdict stays a failure.</summary>
    internal static async Task<PolicyVerdict> WithAnswersAskedAgainAsync(PolicyVerdict verdict, Replay replay, CancellationToken cancellationToken = default)
    {
        if (verdict.Passed || verdict.NotJudged is not null || verdict.IsHarnessError || verdict.SpecOnAnswers is not { } first
            || !(verdict.BrowserDepartsFromStandard || verdict.AnswersBreakThePromise))
        {
            return verdict;
        }
        var outcomes = Outcomes(first);
        var alike = 0;
        // The last ask carries the headers a browser adds (User-Agent, Sec-Fetch-*): a server that answers browsers
        // otherwise than other clients gave the replay the same answers every time, and the browser was blamed for its own.
        for (var i = 0; i <= AskAgain; i++)
        {
            var browserLike = i == AskAgain;
            var (preflight, actual) = await (browserLike ? replay.WithBrowserHeaders() : replay).RunAsync(verdict.Case, cancellationToken);
            if (actual.NotModelled is not null || !(actual.Answered || actual.Withheld is not null && preflight is not null) || preflight is { Answered: false }) continue;
            if (Replay.PlanOf(verdict.Case, preflight, actual) is not { } plan) continue;
            var again = Oracle.Expect(verdict.Case.Model with { Server = plan });
            if (Outcomes(again).SetEquals(outcomes))
            {
                alike++;
                continue;
            }
            (preflight, actual) = (preflight is null ? null : Clean(preflight, replay.Authentication), Clean(actual, replay.Authentication));
            if (browserLike && alike == AskAgain && Outcomes(again).Contains(verdict.Browser))
            {
                // Answered alike every time without a browser's headers, and with them as the browser's outcome needs: the
                // server answers browsers otherwise than other clients (a bot defence refusing requests without a browser's
                // User-Agent or Accept-Language), and the answers a browser gets are the ones to judge. The browser that did
                // what the policy promises on them passes; it was failed as "answers differently from one time to the next".
                return verdict with
                {
                    SpecOnAnswers = again,
                    Preflight = preflight,
                    Actual = actual,
                    AnsweredAsBrowser = $"without the headers a browser adds ({string.Join(", ", Replay.BrowserHeaders.Select(h => h.Name))}) the server answered "
                        + $"{verdict.Actual.Status?.ToString() ?? "nothing"}{(verdict.Preflight is { } p ? $" (its preflight {p.Status?.ToString() ?? "nothing"})" : "")} "
                        + $"{AskAgain + 1} times, answers that make the request {first.Outcome.ToString().ToLowerInvariant()} by the Fetch Standard; with them, as a browser asks, it answered as read here",
                };
            }
            return verdict with
            {
                AnswersVary = browserLike
                    ? $"asked again with the headers a browser adds ({string.Join(", ", Replay.BrowserHeaders.Select(h => h.Name))}), the server's answers make the request "
                        + $"{again.Outcome.ToString().ToLowerInvariant()} by the Fetch Standard ({again.Reason}), where its answers without them made it "
                        + $"{first.Outcome.ToString().ToLowerInvariant()}: the server answers a browser otherwise than other clients"
                    : $"asked again, the server's answers make the request {again.Outcome.ToString().ToLowerInvariant()} by the Fetch Standard ({again.Reason}), "
                        + $"where its first answers made it {first.Outcome.ToString().ToLowerInvariant()}",
                AnswersAgain = (preflight, actual),
            };
        }
        // Answered alike every time, and still the browser's own words say its answer lacked what the replay's has: the
        // browser got another answer (a server that leaves a request body unread on a kept-alive connection, as a Python
        // BaseHTTPRequestHandler whose handler never reads it, parses the next request's line as "pingOPTIONS" and answers
        // 501 — the replay's own connection never meets that) or read the header otherwise. Its own answers are not seen, so
        // it is not said to depart from the standard on answers it may never have got.
        if (verdict.BrowserDepartsFromStandard && verdict.Browser == Outcome.Blocked && OtherAnswerInWords(verdict.BrowserReason, verdict.Preflight, verdict.Actual, verdict.Case.Request.Method) is { } other)
        {
            return verdict with { AnsweredAlikeAgain = alike, SpecOnAnswers = null, AnswersUnread = other };
        }
        return verdict with { AnsweredAlikeAgain = alike };
    }

    private static HashSet<Outcome> Outcomes(Expectation expectation) => expectation.Allowed.Select(e => e.Outcome).ToHashSet();

    /// <summary>An allowed credentialed call that the browser and the standard block on the answer itself (its preflight, if
    /// any, let it through): asked again with a signed-in user's cookie, and the answer kept when it passes the CORS check
    /// there (<see cref="PolicyVerdict.AdmitsOnlySignedIn"/>), so the failure says the call works only for users with a session.</summary>
    internal static async Task<PolicyVerdict> WithSignedInAnswerAsync(PolicyVerdict verdict, Replay replay, Authentication authentication, CancellationToken cancellationToken)
    {
        if (verdict.Passed || verdict.NotJudged is not null || verdict.IsHarnessError || verdict.Promised.Outcome != Outcome.Allowed
            || verdict.Browser != Outcome.Blocked || verdict.SpecOnAnswers?.Outcome != Outcome.Blocked || !verdict.Actual.Answered
            || verdict.Actual.Withheld is not null || verdict.Actual.Redirects.Count > 0)
        {
            return verdict;
        }
        var signedIn = await replay.SignedInAnswerAsync(verdict.Case, cancellationToken);
        return signedIn is not null && Oracle.CorsCheck(verdict.Case.PageOrigin, CredentialsMode.Include, signedIn.Headers).Ok
            ? verdict with { AdmitsOnlySignedIn = Clean(signedIn, authentication) }
            : verdict;
    }

    /// <summary>An allowed call blocked at a preflight answered outside 200–299: the least preflight from the same origin
    /// (<see cref="Replay.PlainPreflightAsync"/>) is sent, and kept when it is answered ok and passes the CORS check
    /// (<see cref="PolicyVerdict.PlainPreflight"/>): the CORS layer then refused what the case's preflight asked for (gorilla's
    /// handlers.CORS answers 403 to a header and 405 to a method it is not configured with), which the failure says in place
    /// of an authentication layer or a router without an OPTIONS route.</summary>
    internal static async Task<PolicyVerdict> WithPlainPreflightAsync(PolicyVerdict verdict, Replay replay, CancellationToken cancellationToken)
    {
        if (verdict.Passed || verdict.NotJudged is not null || verdict.IsHarnessError || verdict.Promised.Outcome != Outcome.Allowed
            || verdict.Browser != Outcome.Blocked || verdict.Preflight is not { Answered: true, Status: { } status } preflight
            || Oracle.IsRedirectStatus(status)
            // An ok answer is asked about only without Access-Control-Allow-Origin: Jetty's CrossOriginFilter answers a
            // preflight for a method or header it is not configured with by adding none of its headers and passing it on to
            // the application (chainPreflight), which answers 200.
            || Oracle.IsOkStatus(status) && preflight.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null)
        {
            return await WithoutOriginAnswerAsync(verdict, replay, cancellationToken);
        }
        var plain = await replay.PlainPreflightAsync(verdict.Case, cancellationToken);
        return plain is { Answered: true, Status: { } ok } && Oracle.IsOkStatus(ok)
            && Oracle.CorsCheck(verdict.Case.PageOrigin, verdict.Case.Request.Credentials, plain.Headers).Ok
            ? verdict with { PlainPreflight = Clean(plain, replay.Authentication) }
            : await WithoutOriginAnswerAsync(verdict, replay, cancellationToken);
    }

    /// <summary>A forged origin's refusal the browser allowed (`prefix-match`, `unescaped-dot`…): the URL is asked for with a
    /// GET from an origin with nothing of the policy's in it (<c>https://cors-audit-attacker.test</c>, the page's scheme), and
    /// the answer kept when it admits that origin too (<see cref="PolicyVerdict.AdmitsAnyOrigin"/>): the server then admits
    /// any origin — ASP.NET Core's SetIsOriginAllowed(_ => true) reflects every one —, and the forgery's kind, which the
    /// case's title names, is not the cause.</summary>
    internal static async Task<PolicyVerdict> WithAnyOriginAnswerAsync(PolicyVerdict verdict, Replay replay, CancellationToken cancellationToken)
    {
        if (verdict.Passed || verdict.NotJudged is not null || verdict.IsHarnessError || verdict.Promised.Outcome != Outcome.Blocked
            || verdict.Browser != Outcome.Allowed || PolicyVerdict.ForgeryKind(verdict.Case) is null)
        {
            return verdict;
        }
        var scheme = verdict.Case.PageOrigin.StartsWith("http://", StringComparison.Ordinal) ? "http" : "https";
        var stranger = $"{scheme}://{OriginForgeries.AttackerDomain}";
        var answer = await replay.GetFromAsync(verdict.Case, stranger, cancellationToken);
        if (answer is { Answered: true } && answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) is { } acao && (acao == stranger || acao == "*"))
        {
            return verdict with { AdmitsAnyOrigin = (stranger, Clean(answer, replay.Authentication)) };
        }
        // A host matched as a suffix without its dot (@fastify/cors's documented `origin: /example\.com$/`, endsWith("example.com"))
        // admits the unescaped-dot forgery (appxexample.com) and every subdomain too: the suffix-match forgery of the same
        // allowed origin, admitted as well, shows that cause, as the audit folds those kinds into suffix-match.
        if (PolicyVerdict.ForgeryKind(verdict.Case) is OriginForgeries.UnescapedDot or OriginForgeries.AnySubdomain && verdict.Case.ForgedFrom is { } trusted
            && OriginForgeries.From(trusted).FirstOrDefault(f => f.Kind == OriginForgeries.SuffixMatch) is { } suffix && suffix.Origin != verdict.Case.PageOrigin)
        {
            var suffixAnswer = await replay.GetFromAsync(verdict.Case, suffix.Origin, cancellationToken);
            if (suffixAnswer is { Answered: true } && suffixAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == suffix.Origin)
            {
                return verdict with { AdmitsSuffix = (suffix.Origin, Clean(suffixAnswer, replay.Authentication)) };
            }
        }
        // An origin matched as a prefix (PHP's strpos($origin, 'app.example.com') !== false, an unanchored pattern) admits the
        // other-port and special-characters forgeries too: the prefix-match forgery of the same allowed origin, admitted as
        // well, shows that cause, as the audit folds those kinds into prefix-match.
        if (PolicyVerdict.ForgeryKind(verdict.Case) is OriginForgeries.OtherPort or OriginForgeries.SpecialCharacters && verdict.Case.ForgedFrom is { } allowed
            && OriginForgeries.From(allowed).FirstOrDefault(f => f.Kind == OriginForgeries.PrefixMatch) is { } prefix && prefix.Origin != verdict.Case.PageOrigin)
        {
            var prefixAnswer = await replay.GetFromAsync(verdict.Case, prefix.Origin, cancellationToken);
            if (prefixAnswer is { Answered: true } && prefixAnswer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == prefix.Origin)
            {
                return verdict with { AdmitsPrefix = (prefix.Origin, Clean(prefixAnswer, replay.Authentication)) };
            }
        }
        return verdict;
    }

    /// <summary>An allowed call blocked by a 401 or 403 (to its preflight, where the least preflight did not pass, or to the
    /// request itself, without Access-Control-Allow-Origin): the URL is asked for with a GET from the case's origin and one
    /// without Origin (<see cref="Replay.PlainGetAsync"/>), and both kept when the first is refused 401 or 403 without
    /// Access-Control-Allow-Origin and the second answered ok (<see cref="PolicyVerdict.OriginRefused"/>): the refusal then
    /// depends on the Origin — a CORS layer refusing the origin itself (Tomcat's CorsFilter answers 403 to an origin not in
    /// cors.allowed.origins, whose default is none) — and the failure says so in place of an authentication layer, which
    /// refuses a request without a session whatever its Origin.</summary>
    internal static async Task<PolicyVerdict> WithoutOriginAnswerAsync(PolicyVerdict verdict, Replay replay, CancellationToken cancellationToken)
    {
        if (verdict.Passed || verdict.NotJudged is not null || verdict.IsHarnessError || verdict.Promised.Outcome != Outcome.Allowed
            || verdict.Browser != Outcome.Blocked || verdict.PlainPreflight is not null
            || !(verdict.Preflight is { Status: 401 or 403 }
                || verdict.Preflight is null && verdict.Actual is { Status: 401 or 403 } denied && denied.Headers.Get(HeaderNames.AccessControlAllowOrigin) is null))
        {
            return verdict;
        }
        var fromOrigin = await replay.PlainGetAsync(verdict.Case, withOrigin: true, cancellationToken);
        if (verdict.Preflight is null && Methods.Normalize(verdict.Case.Request.Method) != "GET" && fromOrigin is { Answered: true, Status: { } getStatus }
            && Oracle.IsOkStatus(getStatus) && Oracle.CorsCheck(verdict.Case.PageOrigin, CredentialsMode.Omit, fromOrigin.Headers).Ok)
        {
            // The origin is admitted to a GET, and this request (a simple POST: no preflight asked about its method) is refused:
            // the same request without Origin answered ok shows the refusal depends on the Origin, not on a session.
            var same = await replay.WithoutOriginAsync(verdict.Case, cancellationToken);
            return same is { Answered: true, Status: { } sameStatus } && Oracle.IsOkStatus(sameStatus)
                ? verdict with { MethodRefused = (Clean(fromOrigin, replay.Authentication), Clean(same, replay.Authentication)) }
                : verdict;
        }
        if (fromOrigin is not { Answered: true, Status: 401 or 403 } || fromOrigin.Headers.Get(HeaderNames.AccessControlAllowOrigin) is not null) return verdict;
        var withoutOrigin = await replay.PlainGetAsync(verdict.Case, withOrigin: false, cancellationToken);
        return withoutOrigin is { Answered: true, Status: { } ok } && Oracle.IsOkStatus(ok)
            ? verdict with { OriginRefused = (Clean(fromOrigin, replay.Authentication), Clean(withoutOrigin, replay.Authentication)) }
            : verdict;
    }

    /// <summary>The page origins on a route's own host and port, each with why their cases are not judged: a page there would
    /// take the route's place in the browser (its host and port mapped to the suite's page server, in Chromium by its
    /// host-resolver rules, in Firefox and WebKitGTK by the host proxy), so its calls would reach the suite's server.</summary>
    internal static Dictionary<string, string> OwnOrigins(IEnumerable<PolicyCase> cases)
    {
        var routes = cases.Select(c => c.Resource).Distinct().ToList();
        return cases.Select(c => c.PageOrigin).Where(o => o != "null").Distinct()
            .Select(o => (Origin: o, Uri: Uri.TryCreate(o, UriKind.Absolute, out var u) ? u : null))
            .Select(x => (x.Origin, Route: x.Uri is null ? null : routes.FirstOrDefault(r => r.Port == x.Uri.Port
                && r.Host.Trim('[', ']').Equals(x.Uri.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.Route is not null)
            .ToDictionary(x => x.Origin, x => $"the page origin {x.Origin} is the server under test's own host and port ({x.Route}): a page of the suite there "
                + "would take the server's place in the browser, and every call would reach the suite's own server, not yours; "
                + "no page is opened there and no call from that origin is made (run the server on another port to judge them)");
    }

    /// <summary>The routes this browser cannot reach with these mappings, each with why (HostMapping.Unreachable: Firefox
    /// under Playwright and a port it moves to the suite's own servers); their cases are not judged in it.</summary>
    internal static Dictionary<Uri, string> MovedAway(bool movesPortsOfEveryHost, IReadOnlyList<HostMapping> mappings, IEnumerable<PolicyCase> cases) =>
        cases.Select(c => c.Resource).Distinct()
            .Select(r => (Resource: r, Why: HostMapping.Unreachable(movesPortsOfEveryHost, mappings, r)))
            .Where(x => x.Why is not null)
            .ToDictionary(x => x.Resource, x => x.Why!);

    /// <summary>One plain request to each route, as its first case's page would send it: the routes that did not answer
    /// at all, each with the unanswered response that says why. An https route whose certificate browsers do not trust is
    /// one of them unless <paramref name="acceptAnyCertificate"/>: the suite's browsers accept any certificate (its own
    /// pages' is made in memory), so they would judge calls your users' browsers refuse before any CORS check.</summary>
    internal static async Task<Dictionary<Uri, RawResponse>> UnreachableAsync(ReplayClient client, IReadOnlyList<PolicyCase> cases, TimeSpan timeout,
        CancellationToken cancellationToken, bool acceptAnyCertificate = false)
    {
        var firsts = cases.GroupBy(c => c.Resource).Select(g => g.First()).ToList();
        var trusting = acceptAnyCertificate ? null : Replay.CreateClient(acceptAnyCertificate: false);
        var answers = await Task.WhenAll(firsts.Select(async first =>
        {
            async Task<RawResponse> SendAsync(ReplayClient with)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, first.Resource);
                request.Headers.TryAddWithoutValidation(HeaderNames.Origin, first.PageOrigin);
                return await Replay.SendAsync(with, request, timeout, cancellationToken);
            }
            var answer = await SendAsync(client);
            // Bytes came but no whole answer (a reset after the status line): not "not reached", though no case can be judged.
            if (!answer.Reached) return (first.Resource, Answer: answer with { Failure = answer.Unparsed.Count > 0
                ? $"the server under test gave no whole answer before any case ran ({first.Resource}: {answer.Failure})"
                : $"the server under test was not reached before any case ran ({first.Resource}: {answer.Failure})" });
            if (trusting is null || first.Resource.Scheme != Uri.UriSchemeHttps || await SendAsync(trusting) is not { TlsFailed: true } refused) return (first.Resource, Answer: answer);
            return (first.Resource, Answer: new RawResponse(null, [], $"the server under test's TLS certificate is not one browsers trust ({first.Resource}: {refused.Failure}): "
                + "your users' browsers refuse the connection before any CORS check, while the suite's browsers accept any certificate (its own pages' is made in memory) "
                + "and would judge what your users never get. Give the server a certificate browsers trust, or, for a staging server, accept its certificate on purpose "
                + "(AcceptAnyCertificate=true in the runsettings or CORS_ACCEPT_ANY_CERTIFICATE=true; CorsTarget.AcceptAnyCertificate in CorsConformance.NUnit)")
            {
                TlsFailed = true,
            });
        }));
        return answers.Where(a => !a.Answer.Reached).ToDictionary(a => a.Resource, a => a.Answer);
    }

    /// <summary>Why a route that answers a GET it allows 404 or 410 is not judged, in a sentence: the protocol checks and the
    /// browser cases say the same.</summary>
    internal static string RouteNotThere(int status) =>
        $"the URL answers {status} to a GET its route allows: the resource is not there (a mistyped route or TargetUrl?), "
        + "and what that answer carries says nothing of the resource's own; point the route at the resource";

    /// <summary>The routes that answer a GET they allow (their cases promise a simple GET allowed) 404 or 410, each with why
    /// (<see cref="RouteNotThere"/>): a mistyped route on a framework whose CORS layer dresses its 404 too (falcon's
    /// CORSMiddleware, fastify) passed "a simple GET … is allowed" on the error page, and failed every preflighted call as a
    /// server without an OPTIONS route. Their cases are not judged; the protocol checks already said "not checked".</summary>
    internal static async Task<Dictionary<Uri, string>> NotThereAsync(ReplayClient client, IReadOnlyList<PolicyCase> cases, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var gets = cases.Where(c => c.Id.EndsWith("/simple-get", StringComparison.Ordinal) && Oracle.Expect(c.Model).Outcome == Outcome.Allowed)
            .GroupBy(c => c.Resource).Select(g => g.First()).ToList();
        var answers = await Task.WhenAll(gets.Select(async get =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, get.Resource);
            request.Headers.TryAddWithoutValidation(HeaderNames.Origin, get.PageOrigin);
            return (get.Resource, Answer: await Replay.SendAsync(client, request, timeout, cancellationToken));
        }));
        return answers.Where(a => a.Answer.Status is 404 or 410).ToDictionary(a => a.Resource, a => RouteNotThere(a.Answer.Status!.Value));
    }

    /// <summary>The answer as evidence may show it: a Set-Cookie's value (a session, often) and any secret the server
    /// echoes replaced by [redacted].</summary>
    public static RawResponse Clean(RawResponse answer, Authentication authentication) => answer with
    {
        Headers = answer.Headers.Select(h => h with
        {
            Value = h.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) && h.Value.IndexOf('=') is var eq and > 0
                ? h.Value[..(eq + 1)] + Authentication.Redacted + (h.Value.IndexOf(';') is var semi and > 0 && semi > eq ? h.Value[semi..] : "")
                : authentication.Redact(h.Value),
        }).ToList(),
        Unparsed = answer.Unparsed.Select(authentication.Redact).ToList(),
        PassedOver = answer.PassedOver.Select(authentication.Redact).ToList(),
        Interim = answer.Interim.Select(i => i with { Headers = i.Headers.Select(h => h with { Value = authentication.Redact(h.Value) }).ToList() }).ToList(),
    };

    /// <summary>Why an engine may not open a page at a loopback origin the suite maps.</summary>
    internal const string LoopbackLimit = "this engine reaches this loopback host directly, never through the suite's host mapping, so the suite cannot give a page "
        + "this origin here (Chromium, Firefox and WebKitGTK can)";

    /// <summary>Whether an origin's host is loopback: `localhost` (and its subdomains), 127.0.0.0/8 or [::1].</summary>
    internal static bool IsLoopback(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase));

    private static PolicyVerdict NotJudged(PolicyCase @case, string why) =>
        new(@case, Outcome.Unreached, null, Oracle.Expect(@case.Model), null, null, new RawResponse(null, [], null), null, [], [], why);

    internal static PolicyVerdict Judge(PolicyCase @case, PageAttempt seen, string? reason, RawResponse? preflight, RawResponse actual, TimeSpan? timeout = null)
    {
        // Reached: the replay got an answer, even one it could not parse (the browser then judged a real answer).
        var answered = actual.Reached || preflight?.Reached == true;
        var outcome = seen.Ok ? Outcome.Allowed : answered && !seen.TimedOut ? Outcome.Blocked : Outcome.Unreached;
        var promised = Oracle.Expect(@case.Model);
        Expectation? spec = null;
        // Why the standard's reading of the server's answers is left out, though they came: the browser got to another
        // answer than the replay (see Unread).
        var left = Unread(@case, seen, preflight, actual);
        var (unread, unhandled) = (left?.Why, left?.Unhandled == true);
        // A request the replay withheld (its preflight answer refuses it) is judged on the preflight answer alone.
        if (unread is null && (actual.Answered || actual.Withheld is not null && preflight is not null) && (preflight is null || preflight.Answered))
        {
            spec = Replay.PlanOf(@case, preflight, actual) is { } plan ? Oracle.Expect(@case.Model with { Server = plan }) : null;
            unread = spec is null ? $"the server redirects it {actual.Redirects.Count} times with redirects (or preflights after them) that differ in status or headers, which the suite's model of a redirect chain does not hold" : null;
        }
        // The browser failed below CORS (its own words: an invalid response, a reset…) on an answer the replay could not read
        // either: no CORS check ran anywhere, so its block is no verdict — a refusal passed on it, an allowed call failed as
        // "blocked". (A browser that says it blocked the answer at its CORS check still stands: it read the answer.)
        // A refusal the browser's own words say failed below CORS (a head too big for it, a reset) is no CORS verdict either,
        // whatever the replay's answers say: no CORS check ran in the browser, and a pass there passed on a network error.
        string? unreadableAnswer = null;
        if (outcome == Outcome.Blocked && unread is null && Running.NetworkFailures.In(reason) is { } failure)
        {
            if (spec is null && new[] { preflight, actual }.FirstOrDefault(a => a is { Reached: true, Answered: false }) is { } garbled)
            {
                outcome = Outcome.Unreached;
                unreadableAnswer = $"the browser's request failed below CORS ({failure}) on an answer the replay could not read either: {garbled.Failure}";
            }
            // The replay's request got no answer either, while the server answered the exchange's other request (its
            // preflight): the server dropped the request itself (a reset or a close after the preflight's answer), and no
            // CORS check ran anywhere. It read "blocked the request" with no cause at all.
            else if (spec is null && actual is { Reached: false, Answered: false, Withheld: null } && preflight is { Answered: true })
            {
                outcome = Outcome.Unreached;
                unreadableAnswer = $"the browser's {Methods.Normalize(@case.Request.Method)} failed below CORS ({failure}) after its preflight was answered, and the replay's "
                    + $"got no answer either ({actual.Failure}), though its preflight was answered ({preflight.Status}): the server drops the request itself (it resets or closes "
                    + "the connection instead of answering), so no CORS check ran anywhere; the call fails in browsers as a network error — its log says why";
            }
            else if (promised.Outcome == Outcome.Blocked)
            {
                outcome = Outcome.Unreached;
                var replayed = ReplayAnswered(@case, preflight, actual);
                unreadableAnswer = $"the browser's request failed below CORS ({failure}), so no CORS check ran in the browser"
                    + (replayed.Count > 0 ? $", though the replay's {string.Join(" and its ", replayed)} on a connection of its own" : "");
            }
        }
        var readable = seen is { Ok: true, Headers: { } names } ? names.Select(h => h.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList() : null;
        // What the page may read by the policy: the server's real headers through the CORS filter, with the policy's
        // Access-Control-Expose-Headers in place of the server's (`*` is every name without credentials, the name `*` with).
        // When the replay's request got no answer (the server dropped that connection) but the page's did, the names the
        // page read are what the server sent: judged against an empty answer, every header the page read, the policy's
        // exposed ones included, counted as "readable but not exposed".
        var seenAnswer = actual.Answered || readable is null ? actual
            : actual with { Headers = readable.Select(name => new Header(name, "")).ToList() };
        var sent = seenAnswer.Headers.Select(h => h.Name.ToLowerInvariant()).ToHashSet();
        var mayRead = readable is null || promised.Outcome != Outcome.Allowed ? [] : PolicyReadable(@case, seenAnswer);
        // Headers the policy names, the server sent, and the page still could not read (a policy's `*` names none: a browser
        // need not hand the page a connection's own headers, and no call of the front end depends on them).
        var unreadable = PolicyListed(@case).Where(h => mayRead.Contains(h) && sent.Contains(h) && !readable!.Contains(h)).ToList();
        // Headers the page can read that are neither CORS-safelisted nor exposed by the policy: the server exposes more
        // than it means to (with `*`, or a broader Access-Control-Expose-Headers).
        var overexposed = readable is null || promised.Outcome != Outcome.Allowed
            ? []
            : readable.Where(h => !mayRead.Contains(h) && !ResponseHeaders.IsSafelisted(h, [])).ToList();
        var verdict = new PolicyVerdict(@case, outcome, readable, promised, spec, preflight, actual,
            reason?.Replace(@case.Resource.ToString(), "{url}", StringComparison.Ordinal), unreadable, overexposed)
        {
            AnswersUnread = unread,
            BrowserUnanswered = unreadableAnswer ?? (outcome == Outcome.Unreached && seen.TimedOut ? BrowserTimedOut(@case, timeout, preflight, actual) : null),
            AnswerUnreadable = unreadableAnswer is not null,
        };
        // A refusal the browser kept while the server's answers went unread: the block may have come from something that
        // is not CORS (a reset is the same TypeError), and nothing showed the server refuses — not a pass. (An allowed call
        // the browser allowed stands: the browser did get through.)
        if (verdict.Passed && unread is not null && outcome == Outcome.Blocked)
        {
            return verdict with { NotJudged = $"the browser blocked it, as the policy promises, but {unread}, so that the block came from CORS was not checked" };
        }
        // A call the browser could not make because the server did not handle it is no CORS verdict either way.
        if (outcome == Outcome.Blocked && unhandled)
        {
            return verdict with { NotJudged = $"the browser's call failed, but {unread}: not a CORS verdict; run again when the server answers" };
        }
        // A case that checks an exposed header can only pass on an answer that carries it: without it, the exposure was not
        // checked (the server may send it only on some answers), which is not a pass.
        if (verdict.Passed && @case.MustRead is { } header && (!sent.Contains(header) || readable is null))
        {
            var sentNames = actual.Headers.Select(h => h.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return verdict with
            {
                NotJudged = readable is null
                    ? $"the page's response headers were not observed, so whether it can read {header} was not checked"
                    : $"the server's answer to this {Methods.Normalize(@case.Request.Method)} carries no {header} header "
                        + $"(it sent {(sentNames.Count == 0 ? "no headers" : string.Join(", ", sentNames))}), so whether a page can read it was not checked; "
                        + "every allowed case checks it wherever the server sends it",
            };
        }
        return verdict;
    }

    /// <summary>How long the page waits for a case's call: the timeout once for each request of it — a preflighted call is a
    /// preflight and the request. The page gave the whole call one request's timeout, so a server answering each request in
    /// a little over half of it timed out every preflighted case in the browser while the replay's requests were answered.</summary>
    internal static TimeSpan PageTimeout(PolicyCase @case, TimeSpan timeout) => NeedsPreflight(@case) ? timeout * 2 : timeout;

    /// <summary>Whether the call is preflighted: a method that is not CORS-safelisted, or a CORS-unsafe request header.</summary>
    private static bool NeedsPreflight(PolicyCase @case) =>
        !Methods.IsCorsSafelisted(Methods.Normalize(@case.Request.Method)) || RequestHeaders.UnsafeNames(@case.Request.Headers).Count > 0;

    /// <summary>How many preflights to a URL left unanswered in a row before the URL's other preflighted calls are not run.</summary>
    internal const int HungPreflightsBeforeSkipping = 2;

    /// <summary>A call not made, a harness error saying why (as for a server down before any case ran): never a verdict.</summary>
    private static PolicyVerdict Unreached(PolicyCase @case, string why) =>
        new(@case, Outcome.Unreached, null, Oracle.Expect(@case.Model), null, null, new RawResponse(null, [], why), null, [], []);

    /// <summary>Why a call the page gave up on (its timeout) is a harness error, in a sentence: with the replay's answer where
    /// the replay, on connections of its own, was answered — a server that leaves requests hanging holds the few connections
    /// a browser keeps to it, so that the browser's later requests wait behind them.</summary>
    private static string BrowserTimedOut(PolicyCase @case, TimeSpan? timeout, RawResponse? preflight, RawResponse actual)
    {
        var page = timeout is { } t ? PageTimeout(@case, t) : (TimeSpan?)null;
        var within = page is { } p ? $"within {p.TotalSeconds:0.#} s" : "before the page's timeout";
        var answered = ReplayAnswered(@case, preflight, actual);
        // Answers that came, but slowly: the browser, whose call waits for them all, ran out of time where the replay did not.
        var took = (preflight?.Elapsed ?? TimeSpan.Zero) + actual.Elapsed;
        var method = Methods.Normalize(@case.Request.Method);
        // The preflight answered and the request itself not (a server that hangs on PUT): not "too slow" from a sum of times,
        // nor "answered the suite but not the browser" — the replay's request got no answer either.
        if (preflight is { Answered: true } && actual is { Answered: false, Withheld: null, Failure: { } lost })
        {
            return $"the browser's request got no answer {within}, nor did the replay's {method} ({lost}), though its preflight was answered ({preflight.Status}): "
                + $"the server answers the preflight but not the {method} itself (if it is only slow, raise TimeoutSeconds: CORS_TIMEOUT_SECONDS, or CorsTarget.Timeout)";
        }
        if (actual.Answered && answered.Count > 0 && page is { } limit && took >= limit / 2)
        {
            return $"the browser's request got no answer {within}, and the replay's answers took {took.TotalSeconds:0.#} s in all ({string.Join(", ", answered)}): "
                + "the server answers too slowly to be judged within the timeout; raise TimeoutSeconds (CORS_TIMEOUT_SECONDS, or CorsTarget.Timeout)";
        }
        return $"the browser's request got no answer {within}"
            + (answered.Count == 0 ? RawResponse.FailureOf(preflight, actual) is { } failure ? $", nor did the replay's ({failure})" : ""
                : $", though the replay's {string.Join(" and its ", answered)} on a connection of its own: the server answered the suite but not the browser "
                    + "(a server that leaves requests hanging holds the few connections a browser keeps to it, and later requests wait behind them; rerun to see whether it is intermittent)");
    }

    /// <summary>"preflight was answered (204)", "GET was answered (200)": the replay's requests that got an answer.</summary>
    private static List<string> ReplayAnswered(PolicyCase @case, RawResponse? preflight, RawResponse actual) =>
        new[] { (Name: "preflight", Answer: preflight), (Name: Methods.Normalize(@case.Request.Method), Answer: actual) }
            .Where(a => a.Answer is { Answered: true }).Select(a => $"{a.Name} was answered ({a.Answer!.Status})").ToList();

    /// <summary>Where the browser's words name what its answer lacked (Chromium: no Access-Control-Allow-Origin on the
    /// preflight's answer or the response, a preflight answer without an ok status; Firefox: its ‘Access-Control-Allow-Origin’
    /// missing) and the replay's answer to the same request has it, cleanly named: why the replay's answers do not stand for the
    /// browser's. Null otherwise (no words, as WebKitGTK gives none, or words the replay's answers bear out).</summary>
    /// <param name="method">The call's method, which Firefox's words on Access-Control-Allow-Methods do not name.</param>
    internal static string? OtherAnswerInWords(string? reason, RawResponse? preflight, RawResponse actual, string? method = null)
    {
        if (string.IsNullOrEmpty(reason)) return null;
        static string? Acao(RawResponse? answer) => answer?.Headers.Get(HeaderNames.AccessControlAllowOrigin);
        const string Other = "the browser got another answer than the replay, which sent the same request on a connection of its own (a server that answers "
            + "a request on a kept-alive connection otherwise — one that leaves a request body unread reads the next request's line with the body in front of it —, "
            + "another backend behind the same name)";
        const string Tail = " (asked again, alike): " + Other + ", or it did not read the header the answer has; the browser's own answers are not seen, so it is "
            + "not said to depart from the standard";
        var preflightWords = reason.Contains("Response to preflight request doesn't pass access control check", StringComparison.Ordinal);
        if (preflightWords && reason.Contains("No 'Access-Control-Allow-Origin' header is present", StringComparison.Ordinal) && Acao(preflight) is { } onPreflight)
        {
            return $"the browser says its preflight's answer had no Access-Control-Allow-Origin, where the replay's preflight was answered {preflight!.Status} with Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(onPreflight)}" + Tail;
        }
        // The browser says the preflight's answer did not list the method (or a header) where the replay's lists it, word for
        // word: no reading of the standard blocks a method its Access-Control-Allow-Methods names (a server answering each
        // request of a kept-alive connection with the previous one's answer gave Chromium's preflight a GET's answer, and the
        // failure read "the browser departs from the standard").
        static IEnumerable<string> Listed(RawResponse? answer, string name) =>
            (answer?.Headers.Get(name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var deniedMethod = System.Text.RegularExpressions.Regex.Match(reason, @"Method (\S+) is not allowed by Access-Control-Allow-Methods in preflight response");
        var firefoxMethod = reason.Contains("Did not find method in CORS header ‘Access-Control-Allow-Methods’", StringComparison.Ordinal) ? method : null;
        if ((deniedMethod.Success ? deniedMethod.Groups[1].Value : firefoxMethod) is { } notListed && preflight?.Status is >= 200 and <= 299
            && Listed(preflight, HeaderNames.AccessControlAllowMethods).Contains(notListed, StringComparer.Ordinal))
        {
            return $"the browser says its preflight's answer did not allow {notListed} in Access-Control-Allow-Methods, where the replay's preflight was answered {preflight.Status} "
                + $"with Access-Control-Allow-Methods: {Specs.Fetch.Http.Shown(preflight.Headers.Get(HeaderNames.AccessControlAllowMethods)!)}" + Tail;
        }
        var deniedHeader = System.Text.RegularExpressions.Regex.Match(reason, @"Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response|header ‘([^’]+)’ is not allowed according to header ‘Access-Control-Allow-Headers’");
        if (deniedHeader.Success && (deniedHeader.Groups[1].Success ? deniedHeader.Groups[1].Value : deniedHeader.Groups[2].Value) is var header && preflight?.Status is >= 200 and <= 299
            && Listed(preflight, HeaderNames.AccessControlAllowHeaders).Contains(header, StringComparer.OrdinalIgnoreCase))
        {
            return $"the browser says its preflight's answer did not allow the header {header} in Access-Control-Allow-Headers, where the replay's preflight was answered {preflight.Status} "
                + $"with Access-Control-Allow-Headers: {Specs.Fetch.Http.Shown(preflight.Headers.Get(HeaderNames.AccessControlAllowHeaders)!)}" + Tail;
        }
        if (preflightWords && reason.Contains("It does not have HTTP ok status", StringComparison.Ordinal) && preflight?.Status is >= 200 and <= 299)
        {
            return $"the browser says its preflight's answer had no ok status, where the replay's preflight was answered {preflight.Status}" + Tail;
        }
        if (!preflightWords && reason.Contains("No 'Access-Control-Allow-Origin' header is present", StringComparison.Ordinal) && Acao(actual) is { } onActual)
        {
            return $"the browser says the answer had no Access-Control-Allow-Origin, where the replay's was answered {actual.Status} with Access-Control-Allow-Origin: {Specs.Fetch.Http.Shown(onActual)}" + Tail;
        }
        if (reason.Contains("CORS header ‘Access-Control-Allow-Origin’ missing", StringComparison.Ordinal) && Acao(actual) is { } both && (preflight is null || Acao(preflight) is not null))
        {
            // Firefox names the status of the answer it read: "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 501."
            var status = System.Text.RegularExpressions.Regex.Match(reason, @"‘Access-Control-Allow-Origin’ missing\)\. Status code: (\d{3})");
            var said = $"the browser says an answer{(status.Success ? $" (status {status.Groups[1].Value})" : "")} lacked Access-Control-Allow-Origin, where the replay's "
                + $"{(preflight is null ? "request was" : $"preflight ({preflight.Status}) and request ({actual.Status}) were")} answered with it ({Specs.Fetch.Http.Shown(both)})";
            // A status the replay never got settles it: the browser's answer was another.
            return status.Success && int.Parse(status.Groups[1].Value) is var read && read != actual.Status && read != preflight?.Status
                ? $"{said} (asked again, alike): {Other}"
                : said + Tail;
        }
        return null;
    }

    /// <summary>Why the server's answers to the replay cannot stand for what the browser got, or null: the browser went on
    /// past them where the replay stopped (<see cref="RawResponse.NotModelled"/>), or it read another status than the
    /// replay's last answer — the server answered the same request differently (a rate limit, state, a cache, another
    /// server on the way), and the standard read on the replay's answers would judge an answer the browser never saw.
    /// <c>Unhandled</c>: the reason is that the server did not handle a request of the exchange at all (429, 502–504, or no
    /// answer to a preflight after a redirect), so a call the browser could not make is no CORS verdict.</summary>
    internal static (string Why, bool Unhandled)? Unread(PolicyCase @case, PageAttempt seen, RawResponse? preflight, RawResponse actual)
    {
        if (actual.NotModelled is { } notModelled) return (notModelled, false);
        const string NotHandled = "which says it did not handle it (a rate limit, a gateway, a server not ready)";
        if (new[] { preflight, actual }.FirstOrDefault(a => a?.Status is { } s && RawResponse.IsUnhandledStatus(s)) is { } unhandled)
        {
            return ($"the server answered {(unhandled == preflight ? "the preflight" : "the request")} {unhandled.Status}, {NotHandled}", true);
        }
        // The preflight a browser sends again at a URL a redirect led to.
        if (actual.Redirects.FirstOrDefault(r => r.NextPreflight is { } p && (!p.Answered || RawResponse.IsUnhandledStatus(p.Status!.Value))) is { NextPreflight: { } again } hop)
        {
            return (again.Answered ? $"the server answered the preflight at {hop.To} {again.Status}, {NotHandled}" : $"the preflight at {hop.To} got no answer ({again.Failure})", true);
        }
        if (seen is { Ok: true, Status: { } browser } && actual.Status is { } replay && browser != replay)
        {
            return ($"the browser read status {browser} where the replay, sending the same {Methods.Normalize(@case.Request.Method)}"
                + (actual.Redirects.Count > 0 ? $" and following its {actual.Redirects.Count} redirect(s)" : "")
                + $", got {replay}: the server answered the same request differently, and its answers to the replay do not stand for the browser's", false);
        }
        return null;
    }

    private static IEnumerable<string> PolicyListed(PolicyCase @case) =>
        @case.Model.Server.Actual.Headers.Where(h => h.Name == HeaderNames.AccessControlExposeHeaders)
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(h => h != "*")
            .Select(h => h.ToLowerInvariant());

    /// <summary>The header names the page may read from the server's real answer had it sent the policy's
    /// Access-Control-Expose-Headers: the oracle's CORS filter, so a policy's `*` exposes every name only to a request
    /// without credentials (a policy listing `*` was read as exposing nothing, and every header it exposes failed as
    /// "readable but not exposed").</summary>
    private static IReadOnlyList<string> PolicyReadable(PolicyCase @case, RawResponse actual) =>
        Oracle.ReadableHeaders(@case.Request.Credentials,
            [
                .. actual.Headers.Where(h => !h.Name.Equals(HeaderNames.AccessControlExposeHeaders, StringComparison.OrdinalIgnoreCase)),
                .. @case.Model.Server.Actual.Headers.Where(h => h.Name == HeaderNames.AccessControlExposeHeaders),
            ],
            actual.Status ?? 200);
}

/// <summary>A policy's cases in one engine, or why the engine could not run.</summary>
public sealed record PolicyEngineRun(Engine Engine, string? Description, string? Unavailable, IReadOnlyList<PolicyVerdict> Verdicts)
{
    public string? Version { get; init; }

    public TimeSpan LaunchTime { get; init; }

    public TimeSpan WallTime { get; init; }

    /// <summary>What the run says of a browser whose pages all failed under it, and of its launch afresh (empty when none did).</summary>
    public IReadOnlyList<string> PageFailures { get; init; } = [];

    /// <summary>Why no case could be judged in this engine although it ran (every case not judged, for one reason), or null.</summary>
    public string? NothingJudged =>
        Verdicts.Count > 0 && Verdicts.All(v => v.NotJudged is not null) ? $"{Description}: " + string.Join("; ", Verdicts.Select(v => v.NotJudged).Distinct()) : null;

    /// <summary>Why no case reached a verdict although some were tried (each a harness error, as against a server that
    /// refuses, hangs or never answers, or not judged), or null: a run that judged nothing is no passing run.</summary>
    public string? NoneJudged =>
        Verdicts.Count > 0 && Verdicts.All(v => v.NotJudged is not null || v.IsHarnessError)
            ? $"{Description}: no case reached a verdict: " + string.Join("; ", Verdicts.Select(v => v.NotJudged ?? v.UnreachedWhy ?? "the server was not reached").Distinct().Take(3))
            : null;
}
