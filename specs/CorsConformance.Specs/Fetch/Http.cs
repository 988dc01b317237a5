using System.Globalization;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Fetch;

/// <summary>The small HTTP grammar the CORS protocol leans on.</summary>
public static class Http
{
    /// <summary>RFC 9110 tchar: "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.</summary>
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    public static bool IsToken(string value) => value.Length > 0 && value.All(IsTokenChar);

    /// <summary>A header value as a message quotes it. Header bytes are read one byte a character (Latin-1), so a UTF-8
    /// value quoted as read shows `bÃ¼cher` for `bücher`: bytes that are UTF-8 are shown decoded, marked "(UTF-8 bytes)";
    /// other bytes above 0x7F, and control bytes, as \xNN; a decoded code point a reader cannot see or that reorders the text
    /// (a C1 control, a format character such as U+202E or U+200B, a line separator) as \u{XXXX}.</summary>
    public static string Shown(string value)
    {
        if (value.All(c => c is >= ' ' and < '\u007F')) return value;
        var text = value;
        var utf8 = false;
        if (value.All(c => c <= 0xFF) && value.Any(c => c > 0x7F))
        {
            try
            {
                text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(System.Text.Encoding.Latin1.GetBytes(value));
                utf8 = true;
            }
            catch (System.Text.DecoderFallbackException)
            {
                text = value;
            }
        }
        var shown = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (c < ' ' || c == '\u007F' || (!utf8 && c > 0x7F && c <= 0xFF)) shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            // Decoded, a code point a reader cannot see or that reorders the text around it (a C1 control such as a terminal's
            // CSI, RIGHT-TO-LEFT OVERRIDE, a zero-width space, a line separator) is named, not shown: the quoted value would
            // read as another.
            else if (utf8 && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            }
            else shown.Append(c);
        }
        return utf8 ? shown + " (UTF-8 bytes)" : shown.ToString();
    }

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

    /// <summary>Statuses a cache may give a heuristic freshness lifetime (RFC 9111, 4.2.2: those "heuristically cacheable"
    /// by RFC 9110, 15.1).</summary>
    private static readonly int[] HeuristicallyCacheable = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501];

    /// <summary>Statuses browsers keep without any expiry when nothing in the answer limits it (Chromium and Firefox treat a
    /// 300, 301, 308 or 410 with no explicit lifetime as fresh for ever): a heuristic RFC 9111, 4.2.2 allows ("a cache MAY
    /// assign a heuristic expiration time when an explicit time is not specified") for statuses RFC 9110 makes cacheable by
    /// default.</summary>
    private static readonly int[] KeptForEverByDefault = [300, 301, 308, 410];

    /// <summary>Why a cache may keep an answer of this status with these headers fresh though it names no freshness (see
    /// <see cref="KeptForEverByDefault"/>), or null: Cache-Control no-store, no-cache or max-age=0, or an Expires line, rule
    /// the heuristic out.</summary>
    public static string? DefaultFreshness(IReadOnlyList<Header> headers, int status)
    {
        if (!KeptForEverByDefault.Contains(status)) return null;
        var directives = headers.Where(h => h.Name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(d => d.ToLowerInvariant()).ToList();
        if (directives.Any(d => d is "no-store" or "no-cache" or "max-age=0" or "s-maxage=0")) return null;
        if (headers.Any(h => h.Name.Equals("Expires", StringComparison.OrdinalIgnoreCase))) return null;
        return $"a {status} without Cache-Control no-store or no-cache (cacheable by default, RFC 9110; RFC 9111, 4.2.2 lets a cache give it a heuristic lifetime, and browsers keep a 300, 301, 308 or 410 for ever)";
    }

    /// <summary>
    /// What lets an HTTP cache keep an answer fresh — reuse it without asking the server — in words, or null (RFC 9111,
    /// 4.2): explicit (Cache-Control max-age, public or immutable; an Expires date still ahead) or heuristic (a
    /// Last-Modified header, on a status <paramref name="status"/> that is heuristically cacheable when given).
    /// Cache-Control no-store or no-cache sends every request to the server.
    /// </summary>
    public static string? Freshness(IReadOnlyList<Header> headers, int? status = null)
    {
        var directives = headers.Where(h => h.Name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(d => d.ToLowerInvariant()).ToList();
        if (directives.Any(d => d is "no-store" or "no-cache")) return null;
        if (directives.FirstOrDefault(d => d.StartsWith("max-age", StringComparison.Ordinal) && d != "max-age=0") is { } maxAge) return $"Cache-Control: {maxAge}";
        if (directives.FirstOrDefault(d => d.StartsWith("s-maxage", StringComparison.Ordinal) && d != "s-maxage=0") is { } sharedMaxAge) return $"Cache-Control: {sharedMaxAge} (shared caches)";
        if (directives.Contains("max-age=0")) return null;
        // RFC 9111, 5.3: an Expires that is not a valid date (`0`), or one in the past, means already expired.
        if (headers.FirstOrDefault(h => h.Name.Equals("Expires", StringComparison.OrdinalIgnoreCase)) is { } expires)
        {
            return DateTimeOffset.TryParseExact(expires.Value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                && at > DateTimeOffset.UtcNow ? $"Expires: {expires.Value}" : null;
        }
        if (status is { } code && !HeuristicallyCacheable.Contains(code)) return null;
        if (directives.FirstOrDefault(d => d is "public" or "immutable") is { } named) return $"Cache-Control: {named}";
        return headers.Any(h => h.Name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase)) ? "a Last-Modified header (heuristic freshness)" : null;
    }
}
