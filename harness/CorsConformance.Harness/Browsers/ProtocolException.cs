namespace CorsConformance.Harness.Browsers;

/// <summary>A browser's automation protocol (CDP, WebDriver BiDi) answered a command with an error, or the connection
/// closed before it answered.</summary>
public sealed class ProtocolException(string message) : Exception(message)
{
    /// <summary>The connection to the browser is gone (its process killed or crashed): no command of it will be answered
    /// again, so nothing that fails with it is about the page, the origin or the server at hand.</summary>
    public bool ConnectionGone { get; init; }
}
