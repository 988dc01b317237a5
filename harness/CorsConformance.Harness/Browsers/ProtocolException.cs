namespace CorsConformance.Harness.Browsers;

/// <summary>A browser's automation protocol (CDP, WebDriver BiDi) answered a command with an error, or the connection
/// closed before it answered.</summary>
public sealed class ProtocolException(string message) : Exception(message);
