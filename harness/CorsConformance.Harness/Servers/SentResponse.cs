using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// What the target put on the wire for one request: the status line's code and reason phrase, and every header line in
/// wire order, baseline lines (Content-Type, Content-Length, Date) included. Values are bytes: each char one byte.
/// </summary>
/// <param name="Raw">Written by the raw path (HTTP/1.1 bytes straight to the connection, which then closes) rather than by Kestrel.</param>
public sealed record SentResponse(int Status, string Reason, IReadOnlyList<Header> Lines, bool Raw)
{
    public bool Equals(SentResponse? other) =>
        other is not null && (Status, Reason, Raw) == (other.Status, other.Reason, other.Raw) && Lines.SequenceEqual(other.Lines);

    public override int GetHashCode() => HashCode.Combine(Status, Reason, Raw, Lines.Count);

    /// <summary>For people: <c>200 OK [Access-Control-Allow-Origin: …; …]</c>, control bytes escaped.</summary>
    public override string ToString() =>
        $"{Status} {Escape(Reason)}{(Raw ? " (raw)" : "")} [{string.Join("; ", Lines.Select(l => $"{l.Name}: {Escape(l.Value)}"))}]";

    /// <summary>A byte string with every byte outside visible ASCII and space written as \xNN (\r\n as it is).</summary>
    public static string Escape(string bytes) =>
        string.Concat(bytes.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:X2}"));
}
