using System.Text.Json.Nodes;

namespace CorsConformance.Harness.Browsers;

/// <summary>A protocol client (CDP, WebDriver BiDi) on a <see cref="ProtocolSocket"/>: what it hears for the open pages.</summary>
internal abstract class ProtocolClient : IAsyncDisposable
{
    private ProtocolSocket? _socket;

    public PageMessages Messages { get; } = new();

    protected ProtocolSocket Socket => _socket ?? throw new InvalidOperationException("not connected");

    public async Task ConnectAsync(Uri endpoint) => _socket = await ProtocolSocket.ConnectAsync(endpoint, OnEvent);

    /// <summary>Every message that is not an answer, on the receiving thread, in the order the browser sent them.</summary>
    protected abstract void OnEvent(JsonObject message);

    /// <summary>Asks the browser to close itself.</summary>
    public abstract Task CloseBrowserAsync();

    public ValueTask DisposeAsync() => _socket?.DisposeAsync() ?? ValueTask.CompletedTask;
}
