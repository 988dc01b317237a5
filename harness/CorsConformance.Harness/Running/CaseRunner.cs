using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using Microsoft.Playwright;

namespace CorsConformance.Harness.Running;

/// <summary>What one case did in one engine: the observation and the journal behind it.</summary>
/// <param name="PageOrigin">The page origin of this run (with its port), which observations are scrubbed of.</param>
public sealed record CaseRun(CorsCase Case, string Token, string PageOrigin, Observation Observation, IReadOnlyList<SeenRequest> Journal);

/// <summary>
/// Runs cases in one browser. Cases are issued in batches from inside a page (one evaluate per batch, not per case), each
/// with its own token and so its own URL: no two cases share a preflight-cache entry or a journal, so batching never
/// changes a verdict. One fresh browser context per run.
/// </summary>
public sealed partial class CaseRunner(ReferenceServers servers, BrowserSession session)
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
            var pageOrigin = servers.OriginOf(Place.Page, group.Key);
            var page = await context.NewPageAsync();
            var messages = new BrowserMessages();
            messages.Attach(page);
            await page.GotoAsync(pageOrigin + "/pages/matrix.html");
            await page.WaitForFunctionAsync("() => window.corsFrameReady === true", null, new PageWaitForFunctionOptions { Timeout = 15_000 });

            foreach (var batch in group.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var tokens = batch.Select(_ => NewToken()).ToArray();
                var requests = batch.Select((x, i) => ToPageRequest(x.Case, tokens[i])).ToArray();
                // JSON both ways: the page contract is camelCase, whatever Playwright's own argument conversion does.
                var answer = await page.EvaluateAsync<string>(
                    "async json => JSON.stringify(await window.corsRun(JSON.parse(json)))",
                    JsonSerializer.Serialize(requests, PageJson));
                var results = JsonSerializer.Deserialize<PageResult[]>(answer, PageJson) ?? [];
                // Console and page-error events can trail the evaluate's answer by a moment.
                await page.EvaluateAsync("() => new Promise(resolve => setTimeout(resolve, 20))");
                var byId = results.ToDictionary(r => r.Id);
                for (var i = 0; i < batch.Length; i++)
                {
                    var (@case, index) = batch[i];
                    var token = tokens[i];
                    var journal = servers.Journal.For(token);
                    var reason = messages.For(token) is { } text ? TargetUrl().Replace(text, m => m.Value.Contains(token, StringComparison.Ordinal) ? "{url}" : m.Value) : null;
                    var observation = Observer.Observe(byId[@case.Id], journal, pageOrigin, reason);
                    runs[index] = new CaseRun(@case, token, pageOrigin, observation, journal);
                    servers.Journal.Forget(token);
                }
                done += batch.Length;
                progress?.Report(done);
            }
            await page.CloseAsync();
        }
        return runs;
    }

    private PageRequest ToPageRequest(CorsCase @case, string token)
    {
        var scheme = @case.Origins.Scheme;
        var url = $"{servers.OriginOf(@case.Origins.Target, scheme)}/target/{token}?plan={PlanCodec.Encode(@case.Server)}";
        var request = @case.Request;
        return new PageRequest(
            @case.Id,
            @case.Origins.Page == PageOrigin.Null ? "null" : "origin",
            request.Api == Api.Xhr ? "xhr" : "fetch",
            request.Method,
            request.Headers.Select(h => new[] { h.Name, h.Value }).ToArray(),
            request.Credentials switch
            {
                CredentialsMode.Omit => "omit",
                CredentialsMode.Include => "include",
                _ => "same-origin",
            },
            request.Body,
            request.Repeat,
            url);
    }

    private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [GeneratedRegex(@"https?://[^\s'""]+")]
    private static partial Regex TargetUrl();
}
