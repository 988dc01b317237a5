using System.Text;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>One HTTP/1.1 exchange over plain TCP, byte for byte: what HttpClient would normalize (a request target, header lines) stays visible.</summary>
internal static class RawHttp
{
    /// <summary>Sends the request with <c>Connection: close</c> and reads until the server closes. Each char is one byte
    /// (Latin-1), as a browser sends a header value a page set with a char from U+0080 to U+00FF.</summary>
    public static async Task<RawResponse> SendAsync(int port, string host, string method, string target, params string[] headerLines)
    {
        await using var stream = await LoopbackClient.ConnectAsync(port, CancellationToken.None);
        var request = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\n");
        foreach (var line in headerLines) request.Append(line).Append("\r\n");
        request.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()));

        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        var text = Encoding.Latin1.GetString(received.ToArray());
        var endOfHead = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (endOfHead < 0) throw new InvalidOperationException($"no complete response head in: {text}");
        var head = text[..endOfHead].Split("\r\n");
        return new RawResponse(head[0], head[1..], text[(endOfHead + 4)..]) { Head = text[..(endOfHead + 4)] };
    }
}

internal sealed record RawResponse(string StatusLine, IReadOnlyList<string> HeaderLines, string Body)
{
    /// <summary>The response head exactly as it arrived, each char one byte, through the blank line.</summary>
    public string Head { get; init; } = "";

    /// <summary>The value of every line named <paramref name="name"/>, in wire order.</summary>
    public IReadOnlyList<string> Lines(string name) =>
        [.. HeaderLines.Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                       .Select(line => line[(name.Length + 1)..].Trim())];

    public override string ToString() => string.Join("\n", [StatusLine, .. HeaderLines, string.Empty, Body]);
}
