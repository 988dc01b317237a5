namespace CorsConformance.Harness.Browsers;

/// <summary>The runner page, once open, failed to run a batch (its script threw, or answered nothing): whatever the driver,
/// this is a harness problem, never a verdict. A page that would not open at all is <see cref="PageOpenException"/>.</summary>
public sealed class RunnerPageException(string message) : Exception(message)
{
    /// <summary>The browser said the page's renderer crashed (or was killed): nothing about the origin the page was opening
    /// at, so such a failure is never read as the browser refusing a page there (<see cref="PageOpenException"/>).</summary>
    public bool Crashed { get; init; }
}
