namespace CorsConformance.Specs.Fetch;

/// <summary>The small HTTP grammar the CORS protocol leans on.</summary>
public static class Http
{
    /// <summary>RFC 9110 tchar: "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.</summary>
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    public static bool IsToken(string value) => value.Length > 0 && value.All(IsTokenChar);

    /// <summary>
    /// Fetch "normalize": remove any leading and trailing HTTP whitespace bytes (tab, LF, CR, space). "A header value is a
    /// byte sequence that … has no leading or trailing HTTP tab or space bytes", and HTTP parsing strips the optional
    /// whitespace around a field value, so every value the browser reads from a response is normalized.
    /// </summary>
    [FetchAnchor("concept-header-value-normalize")]
    public static string Normalize(string value) => value.Trim(' ', '\t', '\n', '\r');

    /// <summary>HTTP whitespace: tab and space (what OWS trims inside a header value).</summary>
    public static string TrimOws(string value) => value.Trim(' ', '\t');

    /// <summary>
    /// Fetch "extracting header list values" for a #token list (Access-Control-Allow-Methods, -Allow-Headers, -Expose-Headers):
    /// null when the header is absent; failure (null list, ok=false) when an element is not a token; empty elements are allowed.
    /// </summary>
    [FetchAnchor("extract-header-list-values")]
    public static (bool Ok, IReadOnlyList<string>? Values) ExtractTokenList(string? combined)
    {
        if (combined is null) return (true, null);
        var values = new List<string>();
        foreach (var raw in combined.Split(','))
        {
            var item = TrimOws(raw);
            if (item.Length == 0) continue;
            if (!IsToken(item)) return (false, null);
            values.Add(item);
        }
        return (true, values);
    }

    /// <summary>
    /// Access-Control-Max-Age is delta-seconds (1*DIGIT). Returns null when absent, failure when it does not parse
    /// (a combined value of two lines, "10, 20", does not parse).
    /// </summary>
    [FetchAnchor("http-access-control-max-age")]
    public static (bool Ok, long? Seconds) ExtractMaxAge(string? combined)
    {
        if (combined is null) return (true, null);
        var value = TrimOws(combined);
        if (value.Length == 0 || !value.All(char.IsAsciiDigit)) return (false, null);
        return (true, long.TryParse(value, out var seconds) ? seconds : long.MaxValue);
    }
}
