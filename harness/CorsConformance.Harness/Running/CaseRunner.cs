using System.Diagnostics;
using System.Security.Cryptography;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Running;

/// <summary>What one case did in one engine: the observation and the journal behind it.</summary>
/// <param name="PageOrigin">The page origin of this run (with its port), which observations are scrubbed of.</param>
public sealed record CaseRun(CorsCase Case, string Token, string PageOrigin, Observation Observation, IReadOnlyList<SeenRequest> Journal)
{
    /// <summary>For a sequence (<c>request.then</c>), where in <see cref="Journal"/> each follow-up began; never requests of the case.</summary>
    public IReadOnlyList<StepMark> Marks { get; init; } = [];
}

/// <summary>
/// Runs catalog cases in one browser against the reference servers. Cases are issued in batches from inside a page (one
/// evaluate per batch, not per case), in several browser contexts at once, each case with its own token and so its own URL:
/// no two cases share a preflight-cache entry or a journal, and a context's cookie jar is only ever the planted one, so
/// neither batching nor parallel contexts changes a verdict (BatchingTests holds it to that). Fresh contexts per run.
/// </summary>
public sealed class CaseRunner(ReferenceServers servers, IBrowserDriver session)
{
    /// <summary>How many cases one evaluate issues together.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Measured on 2 cores: 50 → 100 → 400 cases per evaluate gave 208 → 229 → 245 verdicts/s in Chromium. Not more:
    /// with 600 cases in one evaluate, Firefox preflighted 3–4 preflight-cache repeats a second time (its preflight cache
    /// evicts entries when that many are made at once), so a batch that large would change verdicts (2026-11-29).</summary>
    public const int DefaultBatchSize = 200;

    /// <summary>How many browser contexts run batches at once (each its own cookie jar, connection pool and preflight cache).</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>
    /// One context per two cores, at most four. Measured on 2 cores (bench): a second context made the catalog slower in both
    /// engines (Chromium 245 → 169 verdicts/s, Firefox 151 → 100), the browser's processes being the bottleneck, not the page.
    /// </summary>
    public static int DefaultParallelism => Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    /// <summary>When, in the last run, its last page was open and ready (scope, cookies, page). Pages open side by side (a
    /// WebDriver session gives each its own window): the slowest of them. For the
    /// benchmark's account of where the time goes.</summary>
    public TimeSpan SetupTime { get; private set; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _pageFailures = new();

    /// <summary>Each failure of the browser under the last run, with what it held: a runner page whose renderer crashed or was
    /// killed, or that hung past <see cref="PageBudget"/> (replaced, and its cases run again alone), a page that would not
    /// open, a scope replaced (<see cref="ReplaceableScope"/>). A run says them, so that a night whose verdicts all stand
    /// still shows the browser failed under it.</summary>
    public IReadOnlyList<string> PageFailures => [.. _pageFailures];

    public async Task<IReadOnlyList<CaseRun>> RunAsync(IReadOnlyList<CorsCase> cases, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var setupLock = new object();
        SetupTime = TimeSpan.Zero;
        _pageFailures.Clear();
        var runs = new CaseRun[cases.Count];
        var done = 0;
        var lanes = Math.Max(1, Math.Min(Parallelism, (cases.Count + BatchSize - 1) / Math.Max(1, BatchSize)));
        // Cases are dealt to the lanes in turn, so every lane gets a share of every category.
        var indexed = cases.Select((c, i) => (Case: c, Index: i)).ToList();
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
        {
            var share = indexed.Where(x => x.Index % lanes == lane).ToList();
            try
            {
                await using var context = await ReplaceableScope.OpenAsync(() => session.NewScopeAsync(servers), _pageFailures.Enqueue);
                void Observed(int count) => progress?.Report(Interlocked.Add(ref done, count));
                // One page per scheme, opened and run side by side: a page takes ~0.4 s to open, most of a small run. Cases that
                // wait on purpose for a second or more (a sequence's delay) get a page of their own beside them, so their
                // idle wait holds up no batch of the others.
                // So do the cases whose keepalive bodies alone are over half the quota, each batch of them meeting no keepalive
                // request of another still in flight (RunInPageAsync), which would hold up the others' batches as they wait.
                IEnumerable<Task> Apart(IEnumerable<(CorsCase Case, int Index)> cases, Func<CorsCase, int> weigh) =>
                    cases.GroupBy(x => x.Case.Origins.Scheme).Select(async group =>
                    {
                        await using var page = await ReplaceablePage.OpenAsync(() => context.OpenPageAsync(servers.OriginOf(Place.Page, group.Key)), _pageFailures.Enqueue);
                        lock (setupLock) SetupTime = clock.Elapsed > SetupTime ? clock.Elapsed : SetupTime;
                        await RunInPageAsync(page, group, runs, Observed, BatchSize, weigh, cancellationToken);
                    });
                var waiting = Apart(share.Where(x => Waits(x.Case) >= 1000), One)
                    .Concat(Apart(share.Where(x => Waits(x.Case) < 1000 && HeavyKeepalive(x.Case)), WithKeepaliveBytes(One, BatchSize))).ToList();
                var groups = share.Where(x => Waits(x.Case) < 1000 && !HeavyKeepalive(x.Case)).GroupBy(x => x.Case.Origins.Scheme).ToList();
                async Task RunInPhasesAsync()
                {
                    var pages = new List<ReplaceablePage>();
                    try
                    {
                        pages.AddRange(await Task.WhenAll(groups.Select(group => ReplaceablePage.OpenAsync(() => context.OpenPageAsync(servers.OriginOf(Place.Page, group.Key)), _pageFailures.Enqueue))));
                        lock (setupLock) SetupTime = clock.Elapsed > SetupTime ? clock.Elapsed : SetupTime;
                        // In phases, every page finishing one before any starts the next. The cases whose requests follow one
                        // another (repeat, then) are observed through the preflight cache keeping what their first request
                        // stored, and a browser's cache is small (Firefox keeps 100 entries, least recently used out: it evicted
                        // such entries while the cases of the batches beside them filled it), so they run after the others, one
                        // page at a time, in batches of a few. The cases after which the browser may keep an authentication
                        // entry run last, so that no other case meets it.
                        foreach (var (inPhase, batchSize, weigh, pagesInTurn) in Phases)
                        {
                            if (pagesInTurn)
                            {
                                for (var i = 0; i < groups.Count; i++) await RunInPageAsync(pages[i], groups[i].Where(x => inPhase(x.Case)), runs, Observed, batchSize, weigh, cancellationToken);
                            }
                            else
                            {
                                await Task.WhenAll(groups.Select((group, i) => RunInPageAsync(pages[i], group.Where(x => inPhase(x.Case)), runs, Observed, batchSize, weigh, cancellationToken)));
                            }
                        }
                    }
                    finally
                    {
                        foreach (var page in pages) await page.DisposeAsync();
                    }
                }
                // The waiting page and the phases side by side, and both done (or failed) before the scope closes.
                await Task.WhenAll(waiting.Append(RunInPhasesAsync()));
            }
            catch (Exception e) when (BrowserFailure(e) is { } failure)
            {
                // The browser or its driver failed (a scope or page that would not open, a driver that died mid-batch): every
                // case of the lane not yet observed is a harness error with the driver's words, never a verdict, and the run
                // goes on and says so instead of ending in a stack trace.
                var unobserved = share.Where(x => runs[x.Index] is null).ToList();
                foreach (var (@case, index) in unobserved)
                {
                    runs[index] = new CaseRun(@case, NewToken(), servers.OriginOf(Place.Page, @case.Origins.Scheme), BrowserFailed(failure), []);
                }
                progress?.Report(Interlocked.Add(ref done, unobserved.Count));
            }
        }));
        return runs;
    }

    /// <summary>The phases of a page's cases, in order, each with its batch size and whether the pages take it in turn: the
    /// others; the sequences (at most <see cref="SequenceBatchSize"/> a batch, one page at a time, so that the entries in
    /// use stay well under a small cache's); those that may leave an authentication entry.</summary>
    private (Func<CorsCase, bool> InPhase, int BatchSize, Func<CorsCase, int> Weigh, bool PagesInTurn)[] Phases =>
    [
        (c => !c.MayMakeAuthenticationEntry && !IsSequence(c), BatchSize, WithKeepaliveBytes(One, BatchSize), false),
        (c => !c.MayMakeAuthenticationEntry && IsSequence(c), Math.Min(BatchSize, SequenceBatchSize), WithKeepaliveBytes(Specs.Fetch.Oracle.CachedUrls, Math.Min(BatchSize, SequenceBatchSize)), true),
        (c => c.MayMakeAuthenticationEntry, BatchSize, WithKeepaliveBytes(One, BatchSize), false),
    ];

    /// <summary>The most bytes of keepalive bodies the cases of one batch send: half the quota a page's keepalive requests in
    /// flight share (HTTP-network-or-cache fetch 8.10: "If the sum of contentLength and inflightKeepaliveBytes is greater than
    /// 64 kibibytes, then return a network error"). The oracle judges each case alone; beside others whose bodies filled the
    /// quota, a browser keeping it would fail a request the oracle expects sent.</summary>
    public const int KeepaliveBytesPerBatch = Specs.Model.RequestSpec.KeepaliveQuota / 2;

    /// <summary>A weighing that adds a case's keepalive bytes as their share of <paramref name="budget"/>, rounded down, so that a
    /// batch within the budget sends fewer than <see cref="KeepaliveBytesPerBatch"/> of them (each case weighs at least one,
    /// which covers what the rounding drops) and a case of a few bytes weighs as before; a heavier case runs in a batch alone.</summary>
    private static Func<CorsCase, int> WithKeepaliveBytes(Func<CorsCase, int> weigh, int budget) => c =>
        Math.Max(1, weigh(c)) + (int)Math.Min(int.MaxValue / 2, KeepaliveBytes(c) * budget / KeepaliveBytesPerBatch);

    /// <summary>Whether the case's keepalive bodies are over half the quota (<see cref="KeepaliveBytesPerBatch"/>): it runs in a
    /// batch alone, which meets no other keepalive request in flight.</summary>
    internal static bool HeavyKeepalive(CorsCase c) => KeepaliveBytes(c) > KeepaliveBytesPerBatch;

    /// <summary>The body bytes of every keepalive request of the case (fetch() with keepalive, a beacon), follow-ups included.</summary>
    internal static long KeepaliveBytes(CorsCase c) => c.Request.Sequence().Where(r => r.Request.IsKeepalive).Sum(r => (long)(r.Request.BodyLength ?? 0));

    /// <summary>The most preflight-cache entries the sequences of one batch keep for their later requests (one per URL each
    /// visits): Firefox's cache holds 100, the least recently used out first.</summary>
    public const int SequenceBatchSize = 40;

    /// <summary>Whether the case sends more than one request (<c>repeat</c>, <c>then</c>): what a later one does depends on what
    /// the earlier ones left in the browser's caches.</summary>
    private static bool IsSequence(CorsCase @case) => @case.Request.Repeat > 1 || @case.Request.Then is { Count: > 0 };

    /// <summary>The cases in order, cut into batches that weigh at most <paramref name="budget"/> (a heavier case alone).</summary>
    private static IEnumerable<(CorsCase Case, int Index)[]> Batches(IEnumerable<(CorsCase Case, int Index)> cases, int budget, Func<CorsCase, int> weigh)
    {
        var batch = new List<(CorsCase Case, int Index)>();
        var weight = 0;
        foreach (var x in cases)
        {
            var w = Math.Max(1, weigh(x.Case));
            if (batch.Count > 0 && weight + w > budget)
            {
                yield return [.. batch];
                batch.Clear();
                weight = 0;
            }
            batch.Add(x);
            weight += w;
        }
        if (batch.Count > 0) yield return [.. batch];
    }

    /// <summary>One a case.</summary>
    private static int One(CorsCase @case) => 1;

    /// <summary>How long a case waits on purpose, in milliseconds: the delays of its sequence's follow-ups.</summary>
    private static int Waits(CorsCase @case) => @case.Request.Then?.Sum(f => f.DelayMs) ?? 0;

    /// <summary>The one-line reason of a failure of the browser or its driver (not of a case); null for anything else, which
    /// is a bug of the harness and ends the run as such.</summary>
    internal static string? BrowserFailure(Exception e) => e switch
    {
        PageOpenException or RunnerPageException => FirstLine(e.Message),
        ProtocolException or OpenQA.Selenium.WebDriverException or Microsoft.Playwright.PlaywrightException
            => $"{e.GetType().Name}: {FirstLine(e.Message)}",
        AggregateException { InnerExceptions.Count: > 0 } all => BrowserFailure(all.InnerExceptions[0]),
        _ => null,
    };

    /// <summary>The first line of a driver's message that says something (WebKitWebDriver's may start with a line break, or
    /// be empty).</summary>
    private static string FirstLine(string message) =>
        message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "the driver gave no message";

    /// <summary>What a case shows whose runner page failed while it ran (and again when it ran alone): nothing of it is
    /// judged, whatever reached the target.</summary>
    internal static Observation PageFailed(string failure) =>
        new(Outcome.Unreached, 0, false, null, null, false, false, null, null) { PageError = PageFailedPrefix + failure };

    internal const string PageFailedPrefix = "the runner page failed while the case ran: ";

    /// <summary>What a case the browser never ran shows: nothing reached the target, and why.</summary>
    internal static Observation BrowserFailed(string failure) =>
        new(Outcome.Unreached, 0, false, null, null, false, false, null, null) { PageError = BrowserFailedPrefix + failure };

    internal const string BrowserFailedPrefix = "the browser failed before the case ran: ";

    /// <summary>
    /// Runs <paramref name="cases"/> in one page, a batch per evaluate, and observes each into <paramref name="runs"/>.
    /// Beacons are observed only once the target has heard nothing of them for a while (<see cref="SettleBeaconsAsync"/>),
    /// and that wait is the server's, not the page's: they go first, and the page runs the next batches meanwhile.
    /// </summary>
    /// <param name="observed">Told how many cases were observed, once per batch (and once for its beacons): the console
    /// prints a line for each.</param>
    /// <param name="batchSize">The most a batch weighs, each case weighing <paramref name="weigh"/>.</param>
    private async Task RunInPageAsync(ReplaceablePage slot, IEnumerable<(CorsCase Case, int Index)> cases, CaseRun[] runs, Action<int> observed, int batchSize, Func<CorsCase, int> weigh, CancellationToken cancellationToken)
    {
        var settling = new List<Task>();
        try
        {
            // A batch lasts as long as its slowest case: the cases that wait on purpose (a sequence's delay) go together into the
            // first batch, rather than each holding up a batch of its own. Cases after which the browser may keep an
            // authentication entry go last, in batches of their own, so that no other case of the page meets it.
            var ordered = cases.OrderBy(x => x.Case.Request.Initiator.Observes == Observes.Sent ? 0 : 1).ThenByDescending(x => Waits(x.Case)).ToList();
            var batches = Batches(ordered.Where(x => !x.Case.MayMakeAuthenticationEntry), batchSize, weigh)
                .Concat(Batches(ordered.Where(x => x.Case.MayMakeAuthenticationEntry), batchSize, weigh));
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await TryRunAsync(batch) is not { } failure) continue;
                // The page failed the batch (its renderer crashed or was killed, or it hung past its budget): nothing it held
                // is judged from that attempt. On a fresh page each case runs again alone, so that a failure costs the case
                // that causes it, not its batch; a case whose page fails alone too is a harness error naming both failures.
                _pageFailures.Enqueue($"the page at {slot.Page.PageOrigin} running a batch of {batch.Length} case(s): {failure}");
                await slot.ReplaceAsync(failure);
                foreach (var single in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (await TryRunAsync([single]) is not { } alone) continue;
                    runs[single.Index] = new CaseRun(single.Case, NewToken(), slot.Page.PageOrigin,
                        PageFailed($"{alone} (the case run alone on a fresh page, after the page running its batch of {batch.Length} failed: {failure})"), []);
                    observed(1);
                    _pageFailures.Enqueue($"the page at {slot.Page.PageOrigin} running '{single.Case.Id}' alone: {alone}");
                    await slot.ReplaceAsync(alone);
                }
            }
        }
        finally
        {
            // Before the page closes: the browser's words about a beacon are the page's.
            await Task.WhenAll(settling);
        }

        // Runs one batch in the slot's page and observes it (its beacons once they settle); the page's failure, or null.
        async Task<string?> TryRunAsync((CorsCase Case, int Index)[] batch)
        {
            // A batch over half the keepalive quota (a case alone whose body is near or over 64 KiB) must meet no keepalive
            // request still in flight: the beacons of the batches before it settle first, and its own before the next.
            var heavy = batch.Any(x => HeavyKeepalive(x.Case));
            if (heavy)
            {
                await Task.WhenAll(settling);
                settling.Clear();
            }
            var page = slot.Page;
            var tokens = batch.Select(_ => NewToken()).ToArray();
            var requests = batch.Select((x, i) => ToPageRequest(x.Case, tokens[i])).ToList();
            IReadOnlyList<PageResult> results;
            try
            {
                results = await page.RunWithinAsync(requests, PageBudgetOverride ?? PageBudget.Of(requests));
            }
            catch (Exception e) when (BrowserFailure(e) is { } failure)
            {
                foreach (var token in tokens) servers.Journal.Forget(token);
                return failure;
            }
            void Observe(int i)
            {
                var (@case, index) = batch[i];
                var journal = servers.Journal.For(tokens[i]);
                var steps = new SequenceMarks(@case.Request.Then?.Count ?? 0, servers.Journal.MarksFor(tokens[i]));
                var control = @case.MayBeRefusedUnsent
                    ? new ReachabilityControl(new Uri(servers.OriginOf(@case.Origins.Target, @case.Origins.TargetScheme)).Authority, servers.Journal.ControlsFor(tokens[i]))
                    : null;
                var observation = Observer.Observe(results[i], journal, page.PageOrigin, page.ReasonFor(tokens[i]), @case,
                    serverless: @case.Origins.Serverless, steps: steps, control: control);
                runs[index] = new CaseRun(@case, tokens[i], page.PageOrigin, observation, journal) { Marks = steps.Marks };
                servers.Journal.Forget(tokens[i]);
            }
            var beacons = Enumerable.Range(0, batch.Length).Where(i => batch[i].Case.Request.Initiator.Observes == Observes.Sent).ToList();
            foreach (var i in Enumerable.Range(0, batch.Length).Except(beacons)) Observe(i);
            if (batch.Length > beacons.Count) observed(batch.Length - beacons.Count);
            if (beacons.Count == 0) return null;
            var settle = Task.Run(async () =>
            {
                await SettleBeaconsAsync([.. beacons.Select(i => (tokens[i], results[i].Attempts.LastOrDefault()?.Refused == true))]);
                foreach (var i in beacons) Observe(i);
                observed(beacons.Count);
            }, CancellationToken.None);
            if (heavy) await settle;
            else settling.Add(settle);
            return null;
        }
    }

    /// <summary>How long a page may take over a batch before it is taken as failed; null: <see cref="PageBudget.Of"/> the
    /// batch (tests give a page that never answers a short one).</summary>
    internal TimeSpan? PageBudgetOverride { get; init; }

    /// <summary>How long a queued beacon that has sent nothing is waited for before it is believed never sent.</summary>
    private static readonly TimeSpan SentNothingWait = TimeSpan.FromSeconds(10);

    /// <summary>A beacon is sent after sendBeacon() returns, and the page never learns more: wait until every beacon of the
    /// batch has had no request arrive for half a second, two after a preflight (one that has sent nothing yet gets
    /// <see cref="SentNothingWait"/> from the batch's end — half a second where sendBeacon() returned false, queuing nothing —
    /// and no wait is longer than a second more). Beacons leave at the start of a batch, so usually there is nothing to wait;
    /// a queued beacon that never leaves is rare, and waiting for it costs only then.</summary>
    private async Task SettleBeaconsAsync(IReadOnlyList<(string Token, bool Refused)> beacons)
    {
        if (beacons.Count == 0) return;
        var quiet = TimeSpan.FromMilliseconds(500);
        // After a preflight the browser still has to read its answer and then send the POST itself: under load that took
        // longer than half a second, and the beacon was judged blocked (its preflight seen, its POST not yet). So a beacon
        // whose last request so far is a preflight needs two seconds of quiet before nothing more is believed. A beacon the
        // browser refused is in no queue: half a second shows a browser that sends it anyway.
        var afterPreflight = TimeSpan.FromSeconds(2);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < SentNothingWait + TimeSpan.FromSeconds(1))
        {
            var settled = beacons.All(b => servers.Journal.SinceLast(b.Token) is { } since
                ? since >= (servers.Journal.For(b.Token).LastOrDefault()?.IsPreflight == true ? afterPreflight : quiet)
                // Two seconds were too few once, and four once more: fresh-clone CI runs on a loaded machine (two test
                // assemblies and several browsers; the second at a load average of 37 on two cores) read WebKitGTK's queued
                // at-quota beacon (initiators/beacon/quota/json/65536) as never sent. No case of the catalog queues a beacon
                // that sends nothing, so the wait is paid only where something went wrong.
                : waited.Elapsed >= (b.Refused ? quiet : SentNothingWait));
            if (settled) return;
            await Task.Delay(25);
        }
    }

    /// <summary>The case as the page takes it; a sequence marks its steps at the page's own origin, so the journal's arrival
    /// order says which request of the sequence each of the target's entries belongs to. A follow-up sent to another place
    /// gets the same path and plan at that place's host.</summary>
    private PageRequest ToPageRequest(CorsCase @case, string token)
    {
        var plan = @case.Server with { Content = @case.Request.Api, PageScheme = @case.Origins.CrossScheme ? @case.Origins.Scheme : null };
        var page = PageRequest.For(@case.Id, @case.Origins.Page, @case.Request,
            @case.Origins.Local is { } local ? local.Fixed() ?? "blob:"
            : @case.Origins.DataUrl ? @case.Request.Initiator.DataUrl(token) : servers.TargetUrl(@case.Origins.Target, @case.Origins.TargetScheme, token, plan));
        return page.Measuring(@case) with
        {
            MarkUrl = @case.Request.Then is { Count: > 0 } ? servers.OriginOf(Place.Page, @case.Origins.Scheme) + ReferenceServers.MarkPath + token : null,
            Then = page.Then?.Select((followUp, i) => @case.Request.Then![i].Target is { } place
                ? followUp with { Url = servers.TargetUrl(place, @case.Origins.Scheme, token, plan) }
                : followUp).ToArray(),
            ReportUserAgent = @case.ObservesPreflightHeaders,
            Blob = @case.Origins.Local switch { LocalUrl.Blob => "live", LocalUrl.RevokedBlob => "revoked", _ => null },
            ControlUrl = @case.MayBeRefusedUnsent ? servers.OriginOf(@case.Origins.Target, @case.Origins.TargetScheme) + ReferenceServers.ControlPath + token : null,
        };
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
