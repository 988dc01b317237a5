using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// JSON messages over one WebSocket, as CDP and WebDriver BiDi both use them: each command gets an id and its answer is
/// the message that carries the id back; every other message is an event, handed to <c>onEvent</c> on the receiving
/// thread (in the order the browser sent them).
/// </summary>
internal sealed class ProtocolSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Action<JsonObject> _onEvent;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private long _lastId;

    private ProtocolSocket(ClientWebSocket socket, Action<JsonObject> onEvent)
    {
        _socket = socket;
        _onEvent = onEvent;
        _receiving = Task.Run(ReceiveAsync);
    }

    public static async Task<ProtocolSocket> ConnectAsync(Uri endpoint, Action<JsonObject> onEvent)
    {
        var socket = new ClientWebSocket();
        // Answers to a batch of 200 cases run to a few hundred kilobytes.
        socket.Options.SetBuffer(1 << 16, 1 << 16);
        await socket.ConnectAsync(endpoint, CancellationToken.None);
        return new ProtocolSocket(socket, onEvent);
    }

    /// <summary>Sends <paramref name="command"/> with a fresh id and returns the whole answer.</summary>
    public async Task<JsonObject> SendAsync(JsonObject command)
    {
        var id = Interlocked.Increment(ref _lastId);
        command["id"] = id;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(command.ToJsonString());
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (WebSocketException e)
        {
            _pending.TryRemove(id, out _);
            throw new ProtocolException("the browser's connection is gone: " + e.Message) { ConnectionGone = true };
        }
        finally
        {
            _sending.Release();
        }
        return await answer.Task;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                message.SetLength(0);
                if (node is null) continue;
                if (node["id"] is JsonValue id && id.TryGetValue<long>(out var number) && _pending.TryRemove(number, out var waiter))
                {
                    waiter.TrySetResult(node);
                }
                else
                {
                    _onEvent(node);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // closed: every command still waiting fails below
        }
        foreach (var waiter in _pending.Values) waiter.TrySetException(new ProtocolException("the browser closed its connection") { ConnectionGone = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
        _closing.Dispose();
    }
}
