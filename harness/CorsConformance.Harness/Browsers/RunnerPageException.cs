namespace CorsConformance.Harness.Browsers;

/// <summary>The runner page, once open, failed to run a batch (its script threw, or answered nothing): whatever the driver,
/// this is a harness problem, never a verdict. A page that would not open at all is <see cref="PageOpenException"/>.</summary>
public sealed class RunnerPageException(string message) : Exception(message);
