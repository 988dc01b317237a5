using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>A runner page for the tests of what a failing page costs: each batch is answered as <c>run</c> says (a result,
/// a crash, a wait that never ends), the page moves where it is asked (or fails to, as <c>move</c> says), and hears no
/// browser words.</summary>
internal sealed class StandInPage(string pageOrigin, Func<IReadOnlyList<PageRequest>, Task<IReadOnlyList<PageResult>>> run, Func<ValueTask>? dispose = null,
    Func<string, Exception?>? move = null) : IRunnerPage
{
    private string _origin = pageOrigin;

    public string PageOrigin => _origin;

    public Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch) => run(batch);

    public string? ReasonFor(string token) => null;

    public string? TakeMessages() => null;

    public Task MoveToAsync(string pageOrigin)
    {
        if (move?.Invoke(pageOrigin) is { } failed) return Task.FromException(failed);
        _origin = pageOrigin;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;

    /// <summary>The page's renderer crashed (or was killed) while it ran the batch, as a driver says it.</summary>
    public static Task<IReadOnlyList<PageResult>> Crashed(string message) => Task.FromException<IReadOnlyList<PageResult>>(new RunnerPageException(message));

    /// <summary>Every request of the batch read: status 200, Content-Type readable.</summary>
    public static Task<IReadOnlyList<PageResult>> Read(IReadOnlyList<PageRequest> batch) =>
        Task.FromResult<IReadOnlyList<PageResult>>([.. batch.Select(r => new PageResult(r.Id, [new PageAttempt(true, 200, ["content-type"], null, false)]))]);

    /// <summary>Every request of the batch failed as a blocked fetch does (one attempt per request the case sends).</summary>
    public static Task<IReadOnlyList<PageResult>> Failed(IReadOnlyList<PageRequest> batch) =>
        Task.FromResult<IReadOnlyList<PageResult>>([.. batch.Select(r => new PageResult(r.Id,
            [.. Enumerable.Range(0, Math.Max(1, r.Repeat) + (r.Then?.Length ?? 0)).Select(_ => new PageAttempt(false, null, null, "TypeError: Failed to fetch", false))]))]);
}
