using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>
/// A 401 with a challenge may leave the browser an authentication entry, which HTTP-network-or-cache fetch then uses for
/// any later credentialed request to the same protection space: the cases that can make one run after every other case
/// of their page, in batches of their own, so no other case meets it (Firefox once sent Authorization on
/// credentials/xhr-userinfo/redirected after the 401 cases of its batch had run).
/// </summary>
public sealed class CaseOrderTests : ReferenceServersFixture
{
    [Test]
    public async Task Cases_that_may_leave_an_authentication_entry_run_after_every_other_case_of_their_page()
    {
        // The cases of the phases: not those that wait on purpose or whose keepalive bodies pass half the quota (each runs in
        // a page of its own beside the phases).
        var cases = CaseCatalog.All.Where(c => c.Origins.Scheme == Specs.Model.Scheme.Http && (c.Request.Then?.Sum(f => f.DelayMs) ?? 0) < 1000 && !CaseRunner.HeavyKeepalive(c)).ToList();
        var authenticating = cases.Where(c => c.MayMakeAuthenticationEntry).Select(c => c.Id).ToHashSet();
        Assert.That(authenticating, Has.Count.GreaterThanOrEqualTo(2), "the catalog's 401 cases with a challenge");
        Assert.That(authenticating, Does.Contain("credentials/xhr-userinfo/401/include"));
        Assert.That(cases.Single(c => c.Id == "credentials/xhr-userinfo/redirected").MayMakeAuthenticationEntry, Is.False);

        var driver = new RecordingDriver();
        await new CaseRunner(Servers, driver) { BatchSize = 50, Parallelism = 1 }.RunAsync(cases);

        var batches = driver.Batches.Select(b => b.Select(r => r.Id).ToList()).ToList();
        Assert.That(batches.Sum(b => b.Count), Is.EqualTo(cases.Count), "every case issued once");
        var firstWithEntry = batches.FindIndex(b => b.Any(authenticating.Contains));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batches.Skip(firstWithEntry).SelectMany(b => b).Where(id => !authenticating.Contains(id)), Is.Empty,
                "no other case in or after the first batch that may make an authentication entry");
            Assert.That(batches.Take(firstWithEntry).SelectMany(b => b).Count(), Is.EqualTo(cases.Count - authenticating.Count));
        }
    }

    // A sequence is observed through the preflight cache keeping what its first request stored, and Firefox's cache keeps the
    // 100 entries last used: the 200 cases of a batch beside a sequence pushed its entry out (preflight-cache/sequence/
    // omit-then-omit was preflighted twice in the full catalog, once alone). Sequences run after every other case, in
    // batches whose URLs stay under CaseRunner.SequenceBatchSize, and before the cases that may leave an authentication entry.
    [Test]
    public async Task Sequences_run_after_the_other_cases_in_batches_of_few_urls()
    {
        // The cases of the phases: not those that wait on purpose or whose keepalive bodies pass half the quota (each runs in
        // a page of its own beside the phases).
        var cases = CaseCatalog.All.Where(c => c.Origins.Scheme == Specs.Model.Scheme.Http && (c.Request.Then?.Sum(f => f.DelayMs) ?? 0) < 1000 && !CaseRunner.HeavyKeepalive(c)).ToList();
        static bool IsSequence(Specs.Model.CorsCase c) => c.Request.Repeat > 1 || c.Request.Then is { Count: > 0 };
        var sequences = cases.Where(c => IsSequence(c) && !c.MayMakeAuthenticationEntry).ToDictionary(c => c.Id);
        Assert.That(sequences, Has.Count.GreaterThan(CaseRunner.SequenceBatchSize), "enough sequences for several batches");

        var driver = new RecordingDriver();
        await new CaseRunner(Servers, driver) { Parallelism = 1 }.RunAsync(cases);

        var batches = driver.Batches.Select(b => b.Select(r => r.Id).ToList()).ToList();
        var first = batches.FindIndex(b => b.Any(sequences.ContainsKey));
        var last = batches.FindLastIndex(b => b.Any(sequences.ContainsKey));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batches.Take(first).SelectMany(b => b).Where(sequences.ContainsKey), Is.Empty);
            Assert.That(batches.Skip(first).Take(last - first + 1).SelectMany(b => b).Where(id => !sequences.ContainsKey(id)), Is.Empty, "a sequence's batch holds only sequences");
            Assert.That(batches.Skip(last + 1).SelectMany(b => b).Where(id => !cases.Single(c => c.Id == id).MayMakeAuthenticationEntry), Is.Empty, "only the authentication cases after them");
            foreach (var batch in batches.Skip(first).Take(last - first + 1))
            {
                var urls = batch.Sum(id => Specs.Fetch.Oracle.CachedUrls(sequences[id]));
                Assert.That(urls, batch.Count > 1 ? Is.LessThanOrEqualTo(CaseRunner.SequenceBatchSize) : Is.GreaterThan(0), string.Join(", ", batch));
            }
        }
    }

    /// <summary>A page's keepalive requests in flight share 64 KiB (HTTP-network-or-cache fetch 8.10); the oracle judges each
    /// case alone. Cases whose keepalive bodies together pass half of it are not batched together, so a browser that keeps
    /// the quota never fails a request only because of the cases beside it.</summary>
    [Test]
    public async Task Keepalive_bodies_of_one_batch_stay_well_inside_the_page_s_quota()
    {
        static string Case(int i, int kib, bool keepalive) =>
            $"  - id: demo/keepalive-{i}\n    anchor: http-network-or-cache-fetch\n    description: \"x\"\n"
            + $"    request: {{ api: fetch, method: POST, keepalive: {(keepalive ? "true" : "false")}, body: \"{new string('k', kib * 1024)}\" }}\n";
        var yaml = "cases:\n" + string.Concat(Enumerable.Range(0, 30).Select(i => Case(i, (i % 3) switch { 0 => 20, 1 => 1, _ => 40 }, keepalive: i % 5 != 4)));
        var cases = CaseFileReader.Read(yaml, "keepalive.yaml");
        var driver = new RecordingDriver();
        await new CaseRunner(Servers, driver) { Parallelism = 1 }.RunAsync(cases);
        var byId = cases.ToDictionary(c => c.Id);
        var batches = driver.Batches.Select(b => b.Select(r => byId[r.Id]).ToList()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batches.Sum(b => b.Count), Is.EqualTo(cases.Count), "every case issued once");
            Assert.That(batches, Has.Count.GreaterThan(1), "the 20 and 40 KiB bodies cannot share one batch");
            foreach (var batch in batches.Where(b => b.Count > 1))
            {
                Assert.That(batch.Sum(c => CaseRunner.KeepaliveBytes(c)), Is.LessThanOrEqualTo(CaseRunner.KeepaliveBytesPerBatch), string.Join(", ", batch.Select(c => c.Id)));
            }
            // A case over half the quota (the 40 KiB bodies) runs in a batch alone.
            Assert.That(batches.Where(b => b.Any(CaseRunner.HeavyKeepalive)).Select(b => b.Count), Is.All.EqualTo(1));
        }
    }

    /// <summary>Records the batches its one page is given and answers each case as a request that reached nothing: a beacon as
    /// one sendBeacon() refused (queued nothing), which the runner settles in half a second. Answered as queued, each batch
    /// with a beacon waited the 10 s a queued beacon that never sends is given (CaseRunner.SentNothingWait), for nothing
    /// these tests look at: two of them took 10.0 s each.</summary>
    private sealed class RecordingDriver : IBrowserDriver, IBrowserScope, IRunnerPage
    {
        public List<IReadOnlyList<PageRequest>> Batches { get; } = [];

        public EngineSettings Settings { get; } = EngineSettings.Resolve(Engine.Chromium, _ => null, null);

        public string Version => "0";

        public string Driver => "a recording driver";

        public TimeSpan LaunchTime => TimeSpan.Zero;

        public string PageOrigin { get; private set; } = "";

        public Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true) => Task.FromResult<IBrowserScope>(this);

        public Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            PageOrigin = pageOrigin;
            return Task.FromResult<IRunnerPage>(this);
        }

        public Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
        {
            lock (Batches) Batches.Add(batch);
            return Task.FromResult<IReadOnlyList<PageResult>>(
                [.. batch.Select(r => new PageResult(r.Id, [r.Api == "beacon"
                    ? new PageAttempt(false, null, null, "sendBeacon returned false", false, Refused: true, Beacon: true)
                    : new PageAttempt(false, null, null, "TypeError: Failed to fetch", false)]))]);
        }

        public string? ReasonFor(string token) => null;

        public string? TakeMessages() => null;

        public Task MoveToAsync(string pageOrigin) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
