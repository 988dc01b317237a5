namespace CorsConformance.Harness.Browsers;

/// <summary>A launched browser, or the reason there is none (with the command that installs the engine).</summary>
public sealed record LaunchResult(IBrowserDriver? Session, string? Unavailable);
