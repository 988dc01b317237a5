using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// The target's raw path, on the same listeners as everything else: a Kestrel connection middleware puts a writer between
/// HTTP/1.1 and the connection's transport, and hands it to the request through the connection's features
/// (<see cref="IRawResponder"/>). A handler that must send bytes Kestrel refuses to write (a control byte or a byte
/// 0x80–0xFF in a value, an obs-fold, a 1xx as the answer, a reason phrase of its own) writes them straight to the transport;
/// from then on whatever Kestrel writes for that request is dropped, and Kestrel closes the connection after it.
/// Requests are still parsed, routed and journaled by Kestrel: this is a way to answer, not a second server.
/// </summary>
internal static class RawPath
{
    /// <summary>Adds the middleware to a listener (after UseHttps, so it sees the decrypted stream).</summary>
    public static void Use(ListenOptions listen) => listen.Use(next => async connection =>
    {
        var transport = connection.Transport;
        var output = new RawOutput(transport.Output);
        connection.Transport = new Duplex(transport.Input, output);
        connection.Features.Set<IRawResponder>(output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    });

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>Forwards Kestrel's output to the transport until raw bytes are sent; drops it after.</summary>
    private sealed class RawOutput(PipeWriter inner) : PipeWriter, IRawResponder
    {
        private volatile bool _dropping;
        private byte[] _scratch = new byte[4096];

        public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
        {
            _dropping = true;
            await inner.WriteAsync(bytes, ct);
        }

        public override void Advance(int bytes)
        {
            if (!_dropping) inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _dropping ? Scratch(sizeHint) : inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _dropping ? Scratch(sizeHint).Span : inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            _dropping ? ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false)) : inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        private Memory<byte> Scratch(int sizeHint)
        {
            if (_scratch.Length < sizeHint) _scratch = new byte[sizeHint];
            return _scratch;
        }
    }
}

/// <summary>Writes a response's bytes straight to the HTTP/1.1 connection a request came on (see <see cref="RawPath"/>).</summary>
internal interface IRawResponder
{
    /// <summary>Sends <paramref name="bytes"/> as the whole response; Kestrel's own answer to the request is dropped.</summary>
    Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct);
}
