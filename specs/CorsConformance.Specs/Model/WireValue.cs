namespace CorsConformance.Specs.Model;

/// <summary>
/// A header value a case plans, as bytes on the wire (each char one byte, 0x00–0xFF): what the target may send, and what
/// needs its raw path.
/// </summary>
public static class WireValue
{
    /// <summary>HTAB, SP and VCHAR (0x21–0x7E) only: a field value every server writes and HTTP/2 carries.</summary>
    public static bool IsPlain(string value) => value.All(c => c is '\t' or (>= ' ' and <= '~'));

    /// <summary>
    /// The index of the first CR or LF that is not part of an obs-fold (CRLF followed by SP or HTAB, RFC 9112 §5.2), or null
    /// when there is none. Such a byte would end the header line: the value cannot be sent as one field.
    /// </summary>
    public static int? StrayNewline(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\r' && i + 2 < value.Length && value[i + 1] == '\n' && value[i + 2] is ' ' or '\t')
            {
                i++; // the LF of the fold
                continue;
            }
            if (value[i] is '\r' or '\n') return i;
        }
        return null;
    }

    /// <summary>A name that is an RFC 9110 token and a value that can go on the wire as one field line.</summary>
    public static bool IsWritable(Header? header) =>
        header is { Name.Length: > 0 } && Fetch.Http.IsToken(header.Name) && header.Value.All(c => c <= 0xFF) && StrayNewline(header.Value) is null;
}
