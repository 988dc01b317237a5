using System.Net;
using System.Text;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>
/// Sends the replay's and the audit's requests and keeps the answer's header lines exactly as they arrived: in the server's
/// order, each value unparsed. HttpClient decides what an answer is (status, interim responses, TLS, limits); the lines
/// themselves are read from the bytes that came over the connection, because HttpClient keeps content headers apart from
/// the others and so cannot give their order back.
/// </summary>
public sealed class ReplayClient(bool acceptAnyCertificate)
{
    /// <summary>Browsers read response headers far past HttpClient's 64 KB default (Chromium up to 256 KB): a server whose
    /// answer a browser reads must not look unreachable to the replay or the audit.</summary>
    private const int MaxHeaderKilobytes = 1024;

    public async Task<RawResponse> SendAsync(HttpRequestMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answer = await SendTimedAsync(message, timeout, cancellationToken);
        return answer with { Elapsed = clock.Elapsed };
    }

    /// <summary>For <c>localhost</c> and a name under <c>.localhost</c>, the loopback addresses to try in turn: what the
    /// machine's resolver gives, then 127.0.0.1 and ::1 where it left them out, as browsers resolve these names to loopback
    /// themselves (RFC 6761, section 6.3; Chromium and Firefox answer both). A dev server listening on ::1 alone (Node 17+
    /// and Vite on a machine whose hosts file names ::1 first) was "Connection refused" to every probe on a machine whose
    /// hosts file gives localhost only 127.0.0.1, and the whole run failed as not reached. Null for any other host.</summary>
    internal static async Task<IPAddress[]?> LoopbackAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var name = host.TrimEnd('.');
        if (!name.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return null;
        IPAddress[] resolved;
        try
        {
            resolved = (await Dns.GetHostAddressesAsync(name, cancellationToken)).Where(IPAddress.IsLoopback).ToArray();
        }
        catch (System.Net.Sockets.SocketException)
        {
            resolved = [];
        }
        return [.. resolved, .. new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }.Where(a => !resolved.Contains(a))];
    }

    private async Task<RawResponse> SendTimedAsync(HttpRequestMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // One connection per request, so that the bytes recorded are this request's answer and no other's.
        var recorded = new MemoryStream();
        // The first bytes the server sent on the connection itself, before any TLS: an https:// URL whose port speaks plain
        // HTTP answers the ClientHello with "HTTP/1.1 400 …", which the handshake only calls a corrupted frame.
        var wire = new MemoryStream();
        // The connection's plain stream, which knows when its last byte came (a server trickling its head is too slow, not silent).
        RecordingStream? plain = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (await LoopbackAddressesAsync(context.DnsEndPoint.Host, token) is { } loopback) await socket.ConnectAsync(loopback, context.DnsEndPoint.Port, token);
                    else await socket.ConnectAsync(context.DnsEndPoint, token);
                    var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                    return message.RequestUri?.Scheme == Uri.UriSchemeHttps ? new RecordingStream(stream, wire, 256) : stream;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxResponseHeadersLength = MaxHeaderKilobytes,
            SslOptions = acceptAnyCertificate ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true } : new(),
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(plain = new RecordingStream(context.PlaintextStream, recorded, (MaxHeaderKilobytes + 64) * 1024) { Clock = clock }),
        };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        message.Version = HttpVersion.Version11;
        message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            if ((int)response.StatusCode < 100)
            {
                // HttpClient reads any three digits, so "099" arrives as 99; browsers make a status below 100 (no class in
                // RFC 9110, section 15) a network error, so no page reads this answer's CORS headers whatever they say.
                var lines = RawHead.Lines(Snapshot(recorded));
                return new RawResponse(null, [], $"the server answered '{lines.FirstOrDefault() ?? (int)response.StatusCode + ""}', but a status below 100 is "
                    + "a network error in browsers (no page reads this answer's headers), so it was reached")
                {
                    Reached = true,
                    Unparsed = lines,
                };
            }
            var head = Snapshot(recorded);
            var headers = RawHead.FinalHeaders(head, (int)response.StatusCode)
                ?? response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
                    .SelectMany(h => h.Value.Select(v => new Header(h.Key, v)))
                    .ToList();
            return new RawResponse((int)response.StatusCode, headers, null) { Reached = true, Interim = RawHead.InterimAnswers(head) };
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded && Snapshot(recorded).Length == 0)
        {
            // Not a byte came back: the connection was accepted and closed (or reset) without an answer. The server was not
            // reached in any sense a verdict can use, and a browser's network error then says nothing about CORS.
            return new RawResponse(null, [], $"the server closed the connection without sending a byte ({RawHead.Escape(e.InnerException?.Message ?? e.Message)})");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.InvalidResponse && RawHead.PassingOverColonlessLines(Snapshot(recorded)) is { } read)
        {
            // A whole head whose only fault is a line without a colon: Chromium, Firefox and WebKitGTK pass over such a line and
            // read the others (every allowed call of a stand-in server sending one was made in all three), where HttpClient
            // refuses the answer; read as browsers read it, the line kept as evidence.
            return new RawResponse(read.Status, read.Headers, null)
            {
                Reached = true,
                Interim = RawHead.InterimAnswers(Snapshot(recorded)),
                PassedOver = read.PassedOver,
            };
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded)
        {
            return new RawResponse(null, [], $"the server answered, but not with a response this client can parse ({RawHead.Escape(e.InnerException?.Message ?? e.Message)}), so it was reached")
            {
                Reached = true,
                Unparsed = RawHead.Lines(Snapshot(recorded)),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A server that sent an interim answer (100 Continue, 103 Early Hints) or began its head and then nothing read
            // as one that sent no byte: what came before the silence is said, and kept as evidence. Still no answer.
            var bytes = Snapshot(recorded);
            // Still sending in the second half of the timeout (a stalled server sends its first bytes and then nothing): a
            // server that trickles its head a byte at a time (a throttled proxy, a stuck backend) read "and then nothing".
            var lastByte = plain?.LastReadAt;
            var trickling = lastByte is { } at && at > timeout / 2;
            return bytes.Length == 0
                ? new RawResponse(null, [], $"no answer within {timeout.TotalSeconds:0.#} s")
                : trickling
                ? new RawResponse(null, [], $"the server was too slow: it was still sending its answer's head when the {timeout.TotalSeconds:0.#} s timeout fell "
                    + $"({bytes.Length} bytes by then, the last at {lastByte!.Value.TotalSeconds:0.0#} s; the first line '{RawHead.Lines(bytes, max: 1).FirstOrDefault()}'), so no answer could be read")
                {
                    Unparsed = RawHead.Lines(bytes),
                }
                : new RawResponse(null, [], $"no answer within {timeout.TotalSeconds:0.#} s: the server sent '{RawHead.Lines(bytes, max: 1).FirstOrDefault()}' and then nothing")
                {
                    Unparsed = RawHead.Lines(bytes),
                };
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException && Snapshot(wire) is { Length: > 0 } bytes
            && bytes[0] is < 0x14 or > 0x17)
        {
            // No certificate is at fault: the first byte is no TLS record's (change_cipher_spec, alert, handshake,
            // application_data); the port speaks plain HTTP ("HTTP/1.1 400 …", or an HTTP/0.9-style error page without a status
            // line, as Python's http.server sends), and accepting any certificate changes nothing.
            var first = RawHead.Lines(bytes, max: 1, width: 60).FirstOrDefault();
            return new RawResponse(null, [], (Encoding.Latin1.GetString(bytes).StartsWith("HTTP/", StringComparison.Ordinal)
                    ? $"the server answered in plain HTTP ('{first}') at an https:// URL: "
                    : $"the server answered with bytes that are no TLS ('{first}'; plain HTTP without a status line?) at an https:// URL: ")
                + "this port speaks no https, so no browser reaches it over https (accepting its certificate would not help); give the http:// URL, or the port that serves https")
            {
                NotFromResource = true,
            };
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException tls)
        {
            // A certificate the client does not trust, or no TLS at all: said as the handshake's failure, not as silence.
            return new RawResponse(null, [], $"the TLS handshake failed: {RawHead.Escape(tls.Message)}") { TlsFailed = true };
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            // Said as what it is: no server was asked ("Name or service not known" alone read like a server's silence).
            return new RawResponse(null, [], $"the host {message.RequestUri?.IdnHost} does not resolve ({RawHead.Escape(e.InnerException?.Message ?? e.Message)}): no request reached a server");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded && Snapshot(recorded).Length > 0)
        {
            // A head past the 1 MB this client reads: the server answered (a 1 MB header line, raw-socket stand-in 2026-12-07,
            // read "the server under test was not reached" and "the server did not answer"), with more than a browser takes.
            return new RawResponse(null, [], $"the server answered with a head over {MaxHeaderKilobytes / 1024} MB ('{RawHead.Lines(Snapshot(recorded), max: 1).FirstOrDefault()}' …), "
                + "more than browsers read (Chromium refuses a head over 256 KB: net::ERR_RESPONSE_HEADERS_TOO_BIG), so no page reads this answer; it was reached")
            {
                Reached = true,
                Unparsed = RawHead.Lines(Snapshot(recorded), max: 3),
            };
        }
        catch (HttpRequestException e) when (Snapshot(recorded) is { Length: > 0 } bytes)
        {
            // Some bytes came and then the connection failed (a reset right after the status line): no answer, said with what
            // the server sent, as a timeout after some bytes is. It read as if nothing had come ("Connection reset by peer").
            return new RawResponse(null, [], $"the server sent '{RawHead.Lines(bytes, max: 1).FirstOrDefault()}' and then no whole answer "
                + $"({RawHead.Escape(e.InnerException?.Message ?? e.Message)})")
            {
                Unparsed = RawHead.Lines(bytes),
            };
        }
        catch (HttpRequestException e)
        {
            return new RawResponse(null, [], e.InnerException?.Message ?? e.Message);
        }
    }

    private static byte[] Snapshot(MemoryStream recorded)
    {
        lock (recorded) return recorded.ToArray();
    }

    /// <summary>Passes every byte through and keeps a copy of what was read, up to a cap.</summary>
    private sealed class RecordingStream(Stream inner, MemoryStream copy, int cap) : Stream
    {
        private long _lastReadTicks = -1;

        /// <summary>The request's clock, which <see cref="LastReadAt"/> is read on.</summary>
        public System.Diagnostics.Stopwatch? Clock { get; init; }

        /// <summary>When the last byte came, on <see cref="Clock"/>.</summary>
        public TimeSpan? LastReadAt => Interlocked.Read(ref _lastReadTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > 0 && Clock is { } clock) Interlocked.Exchange(ref _lastReadTicks, clock.Elapsed.Ticks);
            lock (copy)
            {
                var room = cap - (int)copy.Length;
                if (room > 0) copy.Write(bytes[..Math.Min(room, bytes.Length)]);
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Keep(buffer.AsSpan(offset, n));
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Keep(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>Reads the head of an HTTP/1.1 answer from its bytes: the status line and header lines, as they came.</summary>
public static class RawHead
{
    /// <summary>The header lines of the final (non-interim) answer whose status is <paramref name="status"/>, in arrival
    /// order; null when the bytes hold no such head (then the caller falls back on what HttpClient parsed).</summary>
    public static IReadOnlyList<Header>? FinalHeaders(byte[] bytes, int status)
    {
        foreach (var block in Blocks(bytes))
        {
            if (block.Count == 0 || StatusOf(block[0]) is not { } code) return null;
            if (code is >= 100 and < 200 && code != 101) continue;
            if (code != status) return null;
            return HeaderLines(block, passedOver: null);
        }
        return null;
    }

    /// <summary>The header lines of one head's <paramref name="block"/> (its status line first), or null where a line is no
    /// header line. An obs-fold continues the line before it (RFC 9112, 5.2), joined by one space as a recipient does; the
    /// value is then trimmed as any field value is, so a value that starts on the continuation line
    /// ("Access-Control-Allow-Origin:" then " https://app.example.com") carries no leading space, as browsers read it. A line
    /// without a colon that reads as a lone field name (token characters: what browsers were seen passing over) is added to
    /// <paramref name="passedOver"/> where it is given, and makes the head unreadable where it is not; one with white space or
    /// a control byte in it is garbage of another kind, and stays unread.</summary>
    private static List<Header>? HeaderLines(IReadOnlyList<string> block, List<string>? passedOver)
    {
        var headers = new List<Header>();
        foreach (var line in block.Skip(1))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = last with { Value = $"{last.Value} {line.Trim(' ', '\t')}".Trim(' ', '\t') };
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon < 0 && passedOver is not null && line.Length > 0 && line.All(IsTokenChar))
            {
                passedOver.Add(line);
                continue;
            }
            if (colon <= 0) return null;
            headers.Add(new Header(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        return headers;
    }

    /// <summary>The final answer of a whole head (ended by its empty line) whose only fault is lines without a colon that
    /// read as lone field names (token characters only),
    /// read as browsers read it: those lines passed over (and returned apart), an obs-fold joined as <see cref="FinalHeaders"/>
    /// joins it. Null when the head is cut short, its status line is no HTTP one, or no line lacks a colon (another fault).</summary>
    public static (int Status, IReadOnlyList<Header> Headers, IReadOnlyList<string> PassedOver)? PassingOverColonlessLines(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var blocks = Blocks(bytes).ToList();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Count == 0 || StatusOf(block[0]) is not { } code || code < 100) return null;
            if (code is >= 100 and < 200) continue;
            // Whole: something follows the head (its body), or the bytes end with its empty line.
            if (i == blocks.Count - 1 && !text.EndsWith("\n\n", StringComparison.Ordinal) && !text.EndsWith("\n\r\n", StringComparison.Ordinal)) return null;
            var passedOver = new List<string>();
            if (HeaderLines(block, passedOver) is not { } headers) return null;
            return passedOver.Count > 0 ? (code, headers, passedOver) : null;
        }
        return null;
    }

    /// <summary>RFC 9110's tchar: the characters of a token (a field name).</summary>
    private static bool IsTokenChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>The interim (1xx, not 101) answers before the final one, each with its header lines as they came (an
    /// obs-fold or a line without a colon is kept as it is: they are evidence, which no CORS check reads).</summary>
    public static IReadOnlyList<InterimAnswer> InterimAnswers(byte[] bytes)
    {
        var interim = new List<InterimAnswer>();
        foreach (var block in Blocks(bytes))
        {
            if (block.Count == 0 || StatusOf(block[0]) is not { } code || code is < 100 or >= 200 || code == 101) break;
            interim.Add(new InterimAnswer(code, block.Skip(1).Select(line => line.IndexOf(':') is var colon and > 0
                ? new Header(line[..colon], line[(colon + 1)..].Trim(' ', '\t')) : new Header(line, "")).ToList()));
        }
        return interim;
    }

    /// <summary>The first lines of an answer this client could not parse, each escaped and shortened, as evidence of what came.</summary>
    public static IReadOnlyList<string> Lines(byte[] bytes, int max = 12, int width = 200)
    {
        var head = Blocks(bytes).FirstOrDefault() ?? [];
        return head.Take(max).Select(l => Escape(l.Length > width ? l[..width] + "…" : l)).ToList();
    }

    /// <summary>Control characters as \\xNN: a hostile server's bytes (an escape sequence in a status line quoted by
    /// HttpClient's error) must not reach the terminal that prints them.</summary>
    public static string Escape(string line) => Escape(line, keepLineBreaks: false);

    /// <summary>Text that carries a server's bytes (header values in evidence, a finding's message) as it may reach a
    /// terminal or a Markdown file: every control character — C0, DEL and C1 (U+009B is a terminal's CSI, as ESC [ is) — as
    /// \xNN, line breaks kept. A hostile server's Access-Control-Allow-Origin ending in ESC [2J cleared the screen of
    /// whoever read the audit or `cat report.md`.</summary>
    public static string EscapeControls(string text) => Escape(text, keepLineBreaks: true);

    private static string Escape(string line, bool keepLineBreaks)
    {
        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            text.Append(c is < ' ' or (>= '\x7f' and <= '\x9f') && !(keepLineBreaks && c == '\n') ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return text.ToString();
    }

    private static int? StatusOf(string statusLine)
    {
        var parts = statusLine.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && parts[1].Length == 3 && int.TryParse(parts[1], out var code) ? code : null;
    }

    /// <summary>The header blocks in the bytes (each ends at an empty line); Latin-1 keeps every byte as one character.</summary>
    private static IEnumerable<List<string>> Blocks(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var position = 0;
        while (position < text.Length)
        {
            var lines = new List<string>();
            while (true)
            {
                var end = text.IndexOf('\n', position);
                if (end < 0)
                {
                    // The bytes end inside this head (the answer was cut off): what arrived is still evidence.
                    if (position < text.Length) lines.Add(text[position..].TrimEnd('\r'));
                    if (lines.Count > 0) yield return lines;
                    yield break;
                }
                var line = text[position..end].TrimEnd('\r');
                position = end + 1;
                if (line.Length == 0) break;
                lines.Add(line);
            }
            yield return lines;
            // Between an interim answer's head and the next, nothing; after the final head comes the body, which the
            // caller never asks for (it stops at the final head).
        }
    }
}
