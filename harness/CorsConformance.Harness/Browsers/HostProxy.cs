using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A forward proxy on loopback that gives a WebDriver browser the topology's host names: the browser is told (through the
/// W3C <c>proxy</c> capability) to send every request here, and the proxy connects mapped hosts to loopback — the same
/// mapping Chromium's host-resolver rules and Firefox's DNS preferences make, without the machine's hosts file.
/// <para>
/// HTTPS arrives as CONNECT and is tunnelled byte for byte (TLS stays end to end; the browser sees our certificate and
/// accepts it through <c>acceptInsecureCerts</c>). Plain HTTP arrives in absolute form; each request is routed on its own
/// (a client may reuse one proxy connection for several hosts), its request line rewritten to origin form and the
/// proxy's own hop headers dropped, so the server sees what a direct request would carry. Responses are relayed unchanged.
/// </para>
/// </summary>
public sealed class HostProxy : IAsyncDisposable
{
    // A request the proxy cannot carry ends its connection: after a journaled preflight that reads as the browser's block
    // of the actual request, so the proxy carries at least what the reference servers take (a case's request headers, as
    // the case reader caps them, and a request line with the case's plan); 200 lines and 64 KiB were less.
    internal const int MaxHeadLines = 4 * CorsConformance.Specs.Catalog.CaseFileReader.MaxRequestHeaderLines;
    internal const int MaxLineBytes = 1024 * 1024;

    private static readonly string[] HopHeaders = ["proxy-connection", "proxy-authorization"];
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<HostMapping> _hosts;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _accepting;

    private HostProxy(IReadOnlyList<HostMapping> hosts)
    {
        _hosts = hosts;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port the browser is pointed at.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port", as the proxy capability takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static HostProxy Start(IReadOnlyList<HostMapping> hosts) => new(hosts);

    /// <summary>Where a request for <paramref name="host"/>:<paramref name="port"/> goes: loopback for a mapped host (on the
    /// moved port when the mapping moves one), else the host itself, resolved as it normally is.</summary>
    public (string Host, int Port) Route(string host, int port)
    {
        foreach (var mapping in _hosts)
        {
            // An IPv6 host comes bracketed in a URL ("[::1]", as Uri.Host and a mapping keep it) and bare in CONNECT.
            if (!mapping.Host.Trim('[', ']').Equals(host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)) continue;
            if (mapping.FromPort is { } from && mapping.ToPort is { } to)
            {
                if (from == port) return ("127.0.0.1", to);
                continue;
            }
            return ("127.0.0.1", port);
        }
        return (host, port);
    }

    /// <summary>The loopback hosts a WebDriver browser reaches directly (no_proxy): 127.0.0.1, localhost and ::1, unless a
    /// mapping names them (a policy's http://localhost:5173 or http://127.0.0.1:3000, an audit's localhost probes): those
    /// then go through the proxy, on their mapped ports to the suite's page server, on any other port (a server under test
    /// at http://localhost:3000, WebKitWebDriver's own connection to the browser's inspector) on to the machine's own port,
    /// as <see cref="Route"/> sends a host it does not map. (All three were exempt, and WebKitGTK could give no page a
    /// loopback origin.)</summary>
    public string DirectLoopback => string.Join(",", new[] { "127.0.0.1", "localhost", "::1" }
        .Where(name => !_hosts.Any(m => m.Host.Trim('[', ']').Equals(name, StringComparison.OrdinalIgnoreCase))));

    /// <summary>
    /// A proxy auto-config script (for Firefox: network.proxy.type 2) that sends to the proxy at <paramref name="proxyPort"/>
    /// what a manual proxy setting with loopback exempt sent — every host except loopback ones (localhost, *.localhost,
    /// 127.0.0.0/8, ::1), which go direct as Firefox's network.proxy.allow_hijacking_localhost=false keeps them — and, beside
    /// it, the loopback host:port pairs <paramref name="hosts"/> map (a policy's http://localhost:5173: the suite's page
    /// server then answers there, where a direct connection reached the machine's own port 5173 and was refused). A server
    /// under test on loopback is still reached directly, byte for byte as before. Firefox must be given
    /// allow_hijacking_localhost=true, or it never asks the script about loopback hosts.
    /// </summary>
    public static string AutoConfig(IReadOnlyList<HostMapping> hosts, int proxyPort)
    {
        // host -> the ports it is mapped on, or true for every port (a mapping that moves none), as Route reads them.
        var mapped = new System.Text.Json.Nodes.JsonObject();
        foreach (var group in hosts.GroupBy(h => h.Host.Trim('[', ']').ToLowerInvariant()))
        {
            mapped[group.Key] = group.Any(h => h.FromPort is null || h.ToPort is null)
                ? true
                : new System.Text.Json.Nodes.JsonArray(group.Select(h => (System.Text.Json.Nodes.JsonNode)h.FromPort!.Value).ToArray());
        }
        return $$"""
            function FindProxyForURL(url, host) {
              var proxy = "PROXY 127.0.0.1:{{proxyPort}}", mapped = {{mapped.ToJsonString()}};
              var h = String(host).toLowerCase().replace(/^\[|\]$/g, "");
              var m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^\/@]*@)?(?:\[[^\]]*\]|[^\/:?#]*)(?::(\d+))?/i.exec(url);
              var scheme = m ? m[1].toLowerCase() : "";
              var port = m && m[2] ? parseInt(m[2], 10) : (scheme == "https" || scheme == "wss" ? 443 : 80);
              if (Object.prototype.hasOwnProperty.call(mapped, h) && (mapped[h] === true || mapped[h].indexOf(port) >= 0)) return proxy;
              if (h == "localhost" || /\.localhost$/.test(h) || /^127\.\d+\.\d+\.\d+$/.test(h) || h == "::1") return "DIRECT";
              return proxy;
            }
            """;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var serving = ServeAsync(client);
            _connections.TryAdd(serving, 0);
            _ = serving.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var upstreams = new Dictionary<(string, int), Upstream>();
        var state = new ClientState();
        using var clientWrites = new SemaphoreSlim(1, 1);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var reader = new HeadReader(stream);
                while (!closing.IsCancellationRequested)
                {
                    var head = await reader.ReadHeadAsync(closing.Token);
                    if (head is null) return;
                    var parts = head[0].Split(' ');
                    if (parts.Length != 3)
                    {
                        await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", closing.Token);
                        return;
                    }
                    if (parts[0].Equals("CONNECT", StringComparison.OrdinalIgnoreCase))
                    {
                        await TunnelAsync(stream, reader, parts[1], closing.Token);
                        return;
                    }
                    if (!Uri.TryCreate(parts[1], UriKind.Absolute, out var target) || target.Scheme != Uri.UriSchemeHttp)
                    {
                        await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", closing.Token);
                        return;
                    }
                    var route = Route(target.Host, target.Port);
                    if (!upstreams.TryGetValue(route, out var upstream) || upstream.Closed)
                    {
                        upstream?.Dispose();
                        upstream = await Upstream.ConnectAsync(route, closing.Token);
                        upstreams[route] = upstream;
                        // The answer streams straight back; if the server closes, so does this connection (the client may
                        // be reading a response delimited by the close) — unless a later request has gone elsewhere since.
                        upstream.Pump = RelayAsync(upstream, stream, clientWrites, closing, state);
                    }
                    lock (state)
                    {
                        // The connection is being closed for an earlier answer: this request is not sent on, so the client,
                        // getting no answer on a reused connection, sends it again on a new one.
                        if (state.Closed) return;
                        state.Latest = upstream;
                    }
                    var rewritten = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
                    foreach (var line in head.Skip(1).Where(l => !HopHeaders.Contains(l.Split(':')[0].Trim().ToLowerInvariant())))
                    {
                        rewritten.Append(line).Append("\r\n");
                    }
                    rewritten.Append("\r\n");
                    await WriteAsync(upstream.Stream, rewritten.ToString(), closing.Token);
                    await CopyBodyAsync(head, reader, upstream.Stream, closing.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection that ends mid-request ends here; the browser reports it as a network error, the journal shows
            // nothing arrived, and the case is a harness error, never a verdict.
        }
        finally
        {
            await closing.CancelAsync();
            foreach (var upstream in upstreams.Values) upstream.Dispose();
        }
    }

    /// <summary>Which upstream the client connection's latest request went to, and whether the connection is being closed.</summary>
    private sealed class ClientState
    {
        public Upstream? Latest;
        public bool Closed;
    }

    /// <summary>Streams an upstream's answers back. When the upstream closes (a server ending the connection after its answer,
    /// as the target's raw path does without saying Connection: close), the client's connection closes too — only if no
    /// later request has been sent on to another upstream meanwhile: the client, having read a whole answer, may already
    /// have sent its next request on the same connection, and closing then lost an answer the target had given (WebKitGTK
    /// read "Load failed" for a case whose journal showed its answer sent: a harness race read as the engine's block).</summary>
    private static async Task RelayAsync(Upstream upstream, NetworkStream client, SemaphoreSlim writes, CancellationTokenSource closing, ClientState state)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await upstream.Stream.ReadAsync(buffer, closing.Token);
                if (read == 0) break;
                await writes.WaitAsync(closing.Token);
                try
                {
                    await client.WriteAsync(buffer.AsMemory(0, read), closing.Token);
                }
                finally
                {
                    writes.Release();
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        upstream.Closed = true;
        lock (state)
        {
            if (state.Latest is not null && state.Latest != upstream) return;
            state.Closed = true;
        }
        await closing.CancelAsync();
        client.Socket.Close();
    }

    /// <summary>Copies the request body: Content-Length bytes, or chunks up to the last one and its trailers.</summary>
    private static async Task CopyBodyAsync(IReadOnlyList<string> head, HeadReader reader, Stream upstream, CancellationToken cancellation)
    {
        string? Header(string name) => head.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).LastOrDefault();
        if (Header("Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var sizeLine = await reader.ReadLineAsync(cancellation) ?? throw new IOException("the request ended inside its body");
                await WriteAsync(upstream, sizeLine + "\r\n", cancellation);
                var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    // Trailers, then the empty line.
                    string? trailer;
                    do
                    {
                        trailer = await reader.ReadLineAsync(cancellation) ?? "";
                        await WriteAsync(upstream, trailer + "\r\n", cancellation);
                    }
                    while (trailer.Length > 0);
                    return;
                }
                await reader.CopyAsync(upstream, size + 2, cancellation);
            }
        }
        if (Header("Content-Length") is { } length && long.TryParse(length, out var bytes) && bytes > 0)
        {
            await reader.CopyAsync(upstream, bytes, cancellation);
        }
    }

    private async Task TunnelAsync(NetworkStream client, HeadReader reader, string authority, CancellationToken cancellation)
    {
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(authority[(colon + 1)..], out var port))
        {
            await WriteAsync(client, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", cancellation);
            return;
        }
        var host = authority[..colon].Trim('[', ']');
        Upstream upstream;
        try
        {
            upstream = await ConnectTunnelAsync(Route(host, port), IsLoopback(host), cancellation);
        }
        catch (SocketException)
        {
            await WriteAsync(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", cancellation);
            return;
        }
        using var _ = upstream;
        await WriteAsync(client, "HTTP/1.1 200 Connection Established\r\n\r\n", cancellation);
        var early = reader.TakeBuffered();
        if (early.Length > 0) await upstream.Stream.WriteAsync(early, cancellation);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var up = client.CopyToAsync(upstream.Stream, done.Token);
        var down = upstream.Stream.CopyToAsync(client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
    }

    /// <summary>How long a tunnel to a loopback port that refuses is tried again: WebKitWebDriver connects to the browser's
    /// inspector (127.0.0.1) as soon as it has started it, and directly it tries again until the browser listens; through a
    /// proxy a refusal ends the session's start ("HTTP proxy server closed connection unexpectedly", in 4 of 4 launches).</summary>
    internal static readonly TimeSpan LoopbackRefusalPatience = TimeSpan.FromSeconds(3);

    /// <summary>The upstream of a CONNECT tunnel: a refused port of a loopback host the browser named (not a mapped name the
    /// proxy sends to loopback, whose refusal a case may be about) is tried again for <see cref="LoopbackRefusalPatience"/>.</summary>
    private static async Task<Upstream> ConnectTunnelAsync((string Host, int Port) route, bool loopback, CancellationToken cancellation)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await Upstream.ConnectAsync(route, cancellation);
            }
            catch (SocketException e) when (loopback && e.SocketErrorCode == SocketError.ConnectionRefused && patience.Elapsed < LoopbackRefusalPatience)
            {
                await Task.Delay(50, cancellation);
            }
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static Task WriteAsync(Stream stream, string text, CancellationToken cancellation) =>
        stream.WriteAsync(Encoding.Latin1.GetBytes(text), cancellation).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        try
        {
            await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Upstream(TcpClient client) : IDisposable
    {
        public NetworkStream Stream { get; } = client.GetStream();

        public Task? Pump { get; set; }

        public volatile bool Closed;

        public static async Task<Upstream> ConnectAsync((string Host, int Port) route, CancellationToken cancellation)
        {
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(route.Host, route.Port, cancellation);
                return new Upstream(client);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        public void Dispose() => client.Dispose();
    }

    /// <summary>Reads a request head line by line from a stream, keeping what it read past the head for the body.</summary>
    private sealed class HeadReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        /// <summary>The request line and header lines; null when the client closed between requests.</summary>
        public async Task<List<string>?> ReadHeadAsync(CancellationToken cancellation)
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync(cancellation);
                if (line is null) return lines.Count == 0 ? null : throw new IOException("the request ended inside its head");
                if (line.Length == 0)
                {
                    if (lines.Count == 0) continue; // a stray empty line between requests
                    return lines;
                }
                lines.Add(line);
                if (lines.Count > MaxHeadLines) throw new IOException($"a request head of more than {MaxHeadLines} lines");
            }
        }

        public async Task<string?> ReadLineAsync(CancellationToken cancellation)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellation)) return line.Count == 0 ? null : throw new IOException("a line without its end");
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.AddRange(_buffer.AsSpan(_start, _end - _start).ToArray());
                    _start = _end;
                    if (line.Count > MaxLineBytes) throw new IOException($"a line of more than {MaxLineBytes} bytes");
                    continue;
                }
                line.AddRange(_buffer.AsSpan(_start, newline - _start).ToArray());
                _start = newline + 1;
                if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                return Encoding.Latin1.GetString(line.ToArray());
            }
        }

        public async Task CopyAsync(Stream destination, long count, CancellationToken cancellation)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellation)) throw new IOException("the request ended inside its body");
                var take = (int)Math.Min(count, _end - _start);
                await destination.WriteAsync(_buffer.AsMemory(_start, take), cancellation);
                _start += take;
                count -= take;
            }
        }

        public byte[] TakeBuffered()
        {
            var taken = _buffer.AsSpan(_start, _end - _start).ToArray();
            _start = _end;
            return taken;
        }

        private async Task<bool> FillAsync(CancellationToken cancellation)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellation);
            return _end > 0;
        }
    }
}
