using System.Security.Cryptography;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Running;

/// <summary>What one case did in one engine: the observation and the journal behind it.</summary>
/// <param name="PageOrigin">The page origin of this run (with its port), which observations are scrubbed of.</param>
public sealed record CaseRun(CorsCase Case, string Token, string PageOrigin, Observation Observation, IReadOnlyList<SeenRequest> Journal);

/// <summary>
/// Runs catalog cases in one browser against the reference servers. Cases are issued in batches from inside a page (one
/// evaluate per batch, not per case), each with its own token and so its own URL: no two cases share a preflight-cache entry
/// or a journal, so batching never changes a verdict. One fresh browser context per run.
/// </summary>
public sealed class CaseRunner(ReferenceServers servers, BrowserSession session)
{
    /// <summary>How many cases one evaluate issues together.</summary>
    public int BatchSize { get; init; } = 40;

    public async Task<IReadOnlyList<CaseRun>> RunAsync(IReadOnlyList<CorsCase> cases, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var runs = new CaseRun[cases.Count];
        var done = 0;
        await using var context = await session.NewContextAsync(servers);
        foreach (var group in cases.Select((c, i) => (Case: c, Index: i)).GroupBy(x => x.Case.Origins.Scheme))
        {
            await using var page = await PageSession.OpenAsync(context, servers.OriginOf(Place.Page, group.Key));
            foreach (var batch in group.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var tokens = batch.Select(_ => NewToken()).ToArray();
                var results = await page.RunAsync(batch.Select((x, i) => ToPageRequest(x.Case, tokens[i])).ToList());
                for (var i = 0; i < batch.Length; i++)
                {
                    var (@case, index) = batch[i];
                    var journal = servers.Journal.For(tokens[i]);
                    var observation = Observer.Observe(results[i], journal, page.PageOrigin, page.ReasonFor(tokens[i]));
                    runs[index] = new CaseRun(@case, tokens[i], page.PageOrigin, observation, journal);
                    servers.Journal.Forget(tokens[i]);
                }
                done += batch.Length;
                progress?.Report(done);
            }
        }
        return runs;
    }

    private PageRequest ToPageRequest(CorsCase @case, string token) =>
        PageRequest.For(@case.Id, @case.Origins.Page, @case.Request,
            servers.TargetUrl(@case.Origins.Target, @case.Origins.Scheme, token, @case.Server));

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
