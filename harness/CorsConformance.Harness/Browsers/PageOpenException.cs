namespace CorsConformance.Harness.Browsers;

/// <summary>The browser would not load the runner page at an origin (an invalid host, say): nothing there can run.</summary>
public sealed class PageOpenException(string message, Exception? inner = null) : Exception(message, inner);
