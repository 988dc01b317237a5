using System.Text;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Fetch;

/// <summary>Which author request headers the CORS protocol lets through without a preflight.</summary>
public static class RequestHeaders
{
    private const string UnsafeNamesAnchor = "cors-unsafe-request-header-names";

    /// <summary>Values longer than this (in bytes) are never safelisted.</summary>
    public const int SafelistedValueLimit = 128;

    /// <summary>Safelisted values adding up past this many bytes make every safelisted header unsafe too.</summary>
    public const int SafelistedTotalLimit = 1024;

    /// <summary>"A CORS-unsafe request-header byte is a byte byte for which one of the following is true: byte is less than
    /// 0x20 and is not 0x09 HT; byte is 0x22 ("), 0x28 (left parenthesis), 0x29 (right parenthesis), 0x3A (:), 0x3C (&lt;),
    /// 0x3E (&gt;), 0x3F (?), 0x40 (@), 0x5B ([), 0x5C (\), 0x5D (]), 0x7B ({), 0x7D (}), or 0x7F DEL."</summary>
    [FetchAnchor("cors-unsafe-request-header-byte")]
    public static bool IsUnsafeByte(byte b)
    {
        var unsafeByte = (b < 0x20 && b != 0x09) || b is 0x22 or 0x28 or 0x29 or 0x3A or 0x3C or 0x3E or 0x3F or 0x40 or 0x5B or 0x5C or 0x5D or 0x7B or 0x7D or 0x7F;
        if (unsafeByte) StepTrace.Took("cors-unsafe-request-header-byte", "def");
        return unsafeByte;
    }

    /// <summary>"A request-body-header name is a header name that is a byte-case-insensitive match for one of:
    /// `Content-Encoding`, `Content-Language`, `Content-Location`, `Content-Type`." HTTP-redirect fetch deletes them when a
    /// redirect makes the request a GET (the oracle, and the server-under-test replay, which follows redirects as it does).</summary>
    public static bool IsRequestBodyHeaderName(string name) =>
        name.ToLowerInvariant() is "content-encoding" or "content-language" or "content-location" or "content-type";

    /// <summary>"A CORS non-wildcard request-header name is a header name that is a byte-case-insensitive match for `Authorization`."</summary>
    [FetchAnchor("cors-non-wildcard-request-header-name")]
    public static bool IsNonWildcardName(string name)
    {
        var authorization = name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase);
        if (authorization) StepTrace.Took("cors-non-wildcard-request-header-name", "def");
        return authorization;
    }

    /// <summary>"A CORS-safelisted request-header is a header (name, value) for which these steps return true."</summary>
    [FetchAnchor("cors-safelisted-request-header")]
    public static bool IsSafelisted(string name, string value)
    {
        var (safelisted, step) = Safelisted(name, value);
        StepTrace.Took("cors-safelisted-request-header", step);
        return safelisted;
    }

    /// <summary>The safelist's answer and the step that gave it (the map's step ids: 2.content-type.3 is "If mimeType is
    /// failure, then return false", 3 is "Return true").</summary>
    private static (bool Safelisted, string Step) Safelisted(string name, string value)
    {
        var bytes = Encoding.Latin1.GetBytes(value);
        // 1. If value's length is greater than 128, then return false.
        if (bytes.Length > SafelistedValueLimit) return (false, "1");
        // 2. Byte-lowercase name and switch on the result:
        switch (name.ToLowerInvariant())
        {
            case "accept":
                // If value contains a CORS-unsafe request-header byte, then return false.
                return bytes.Any(IsUnsafeByte) ? (false, "2.accept") : (true, "3");
            case "accept-language":
            case "content-language":
                // If value contains a byte that is not in the range 0x30 (0) to 0x39 (9), inclusive, is not in the range
                // 0x41 (A) to 0x5A (Z), inclusive, is not in the range 0x61 (a) to 0x7A (z), inclusive, and is not 0x20 SP,
                // 0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;), or 0x3D (=), then return false.
                return bytes.All(b => b is >= 0x30 and <= 0x39 or >= 0x41 and <= 0x5A or >= 0x61 and <= 0x7A
                                         or 0x20 or 0x2A or 0x2C or 0x2D or 0x2E or 0x3B or 0x3D) ? (true, "3") : (false, "2.language");
            case "content-type":
                // 1. If value contains a CORS-unsafe request-header byte, then return false.
                if (bytes.Any(IsUnsafeByte)) return (false, "2.content-type.1");
                // 2. Let mimeType be the result of parsing the result of isomorphic decoding value. 3. If mimeType is failure,
                // then return false. 4. If mimeType's essence is not "application/x-www-form-urlencoded",
                // "multipart/form-data", or "text/plain", then return false.
                return MimeEssence(value) switch
                {
                    null => (false, "2.content-type.3"),
                    "application/x-www-form-urlencoded" or "multipart/form-data" or "text/plain" => (true, "3"),
                    _ => (false, "2.content-type.4"),
                };
            case "range":
                // 1. Let rangeValue be the result of parsing a single range header value given value and false.
                // 2. If rangeValue is failure, then return false. 3. If rangeValue[0] is null, then return false.
                return ParseSingleRange(value) switch
                {
                    null => (false, "2.range.2"),
                    { Start: null } => (false, "2.range.3"),
                    _ => (true, "3"),
                };
            default:
                // Otherwise: return false.
                return (false, "2.otherwise");
        }
    }

    /// <summary>"A no-CORS-safelisted request-header": Accept, Accept-Language, Content-Language or Content-Type, and a
    /// CORS-safelisted request-header. A no-cors request's Headers silently drop any other (guard "request-no-cors").</summary>
    [FetchAnchor("no-cors-safelisted-request-header")]
    public static bool IsNoCorsSafelisted(string name, string value)
    {
        // 1. "If name is not a no-CORS-safelisted request-header name, then return false."
        if (name.ToLowerInvariant() is not ("accept" or "accept-language" or "content-language" or "content-type"))
        {
            StepTrace.Took("no-cors-safelisted-request-header", "1");
            return false;
        }
        // 2. "Return whether (name, value) is a CORS-safelisted request-header."
        StepTrace.Took("no-cors-safelisted-request-header", "2");
        return IsSafelisted(name, value);
    }

    /// <summary>
    /// "The CORS-unsafe request-header names, given a header list headers": the names of headers that are not safelisted,
    /// plus every safelisted one when their values add up to more than 1024 bytes — as a sorted, lowercased, de-duplicated list.
    /// </summary>
    [FetchAnchor("cors-unsafe-request-header-names")]
    public static IReadOnlyList<string> UnsafeNames(IEnumerable<Header> headers)
    {
        var unsafeNames = new List<string>();
        var potentiallyUnsafe = new List<string>();
        var safelistValueSize = 0;
        foreach (var header in headers)
        {
            if (!IsSafelisted(header.Name, header.Value))
            {
                // 4.1 "If header is not a CORS-safelisted request-header, then append header's name to unsafeNames."
                StepTrace.Took(UnsafeNamesAnchor, "4.1");
                unsafeNames.Add(header.Name);
            }
            else
            {
                // 4.2 "Otherwise, append header's name to potentiallyUnsafeNames and increase safelistValueSize by header's value's length."
                StepTrace.Took(UnsafeNamesAnchor, "4.2");
                potentiallyUnsafe.Add(header.Name);
                safelistValueSize += Encoding.Latin1.GetByteCount(header.Value);
            }
        }
        // 5. "If safelistValueSize is greater than 1024, then for each name of potentiallyUnsafeNames, append name to unsafeNames."
        if (safelistValueSize > SafelistedTotalLimit)
        {
            StepTrace.Took(UnsafeNamesAnchor, "5");
            unsafeNames.AddRange(potentiallyUnsafe);
        }
        if (unsafeNames.Count > 0) StepTrace.Took(UnsafeNamesAnchor, "6");
        // "Return the result of convert header names to a sorted-lowercase set with unsafeNames."
        return unsafeNames.Select(n => n.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// "A header (name, value) is forbidden request-header if these steps return true": the fixed names and prefixes, and
    /// `X-HTTP-Method`, `X-HTTP-Method-Override` or `X-Method-Override` when "getting, decoding, and splitting" the value
    /// gives a forbidden method. The browser drops such a header silently.
    /// </summary>
    [FetchAnchor("forbidden-request-header")]
    public static bool IsForbidden(string name, string value) =>
        IsForbidden(name)
        || (name.ToLowerInvariant() is "x-http-method" or "x-http-method-override" or "x-method-override"
            && GetDecodeAndSplit(value).Any(Methods.IsForbidden));

    /// <summary>Fetch "get, decode, and split" of one value: comma-separated items, HTTP tab or space around each removed;
    /// a quoted string is "collected" whole, quotes and backslashes included (extract-value is false), so a comma inside it
    /// does not split and <c>"TRACE"</c> stays seven characters, which is no method.</summary>
    [FetchAnchor("header-value-get-decode-and-split")]
    public static IReadOnlyList<string> GetDecodeAndSplit(string value)
    {
        var values = new List<string>();
        var item = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                // "collect an HTTP quoted string", extract-value false: the quotes and escapes stay in the value.
                item.Append(c);
                for (i++; i < value.Length && value[i] != '"'; i++)
                {
                    if (value[i] == '\\' && i + 1 < value.Length) item.Append(value[i++]);
                    item.Append(value[i]);
                }
                if (i < value.Length) item.Append('"');
            }
            else if (c == ',')
            {
                values.Add(item.ToString().Trim(' ', '\t'));
                item.Clear();
            }
            else
            {
                item.Append(c);
            }
        }
        values.Add(item.ToString().Trim(' ', '\t'));
        return values;
    }

    /// <summary>The forbidden request-header names and prefixes alone (whatever the value).</summary>
    public static bool IsForbidden(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.StartsWith("proxy-", StringComparison.Ordinal) || lower.StartsWith("sec-", StringComparison.Ordinal) || lower is
            "accept-charset" or "accept-encoding" or "access-control-request-headers" or "access-control-request-method"
            or "connection" or "content-length" or "cookie" or "cookie2" or "date" or "dnt" or "expect" or "host" or "keep-alive"
            or "origin" or "referer" or "set-cookie" or "te" or "trailer" or "transfer-encoding" or "upgrade" or "via";
    }

    /// <summary>
    /// XMLHttpRequest send(), for a string body: "If originalAuthorContentType is non-null": "Let contentTypeRecord be the
    /// result of parsing originalAuthorContentType. If contentTypeRecord is not failure, contentTypeRecord's
    /// parameters["charset"] exists, and parameters["charset"] is not an ASCII case-insensitive match for "UTF-8", then: Set
    /// contentTypeRecord's parameters["charset"] to "UTF-8". Let newContentTypeSerialized be the result of serializing
    /// contentTypeRecord. Set (`Content-Type`, newContentTypeSerialized) in this's author request headers." The new value,
    /// or null when the author's stays (MIME Sniffing "parse a MIME type" and "serialize a MIME type").
    /// </summary>
    public static string? XhrUtf8ContentType(string value)
    {
        if (ParseMimeType(value) is not { } mime) return null;
        var charset = mime.Parameters.FindIndex(p => p.Name == "charset");
        if (charset < 0 || mime.Parameters[charset].Value.Equals("UTF-8", StringComparison.OrdinalIgnoreCase)) return null;
        mime.Parameters[charset] = ("charset", "UTF-8");
        var serialized = new StringBuilder(mime.Essence);
        foreach (var (name, parameter) in mime.Parameters)
        {
            serialized.Append(';').Append(name).Append('=');
            // "If value does not solely contain HTTP token code points or value is the empty string": quote it, with a
            // U+005C before each U+0022 and U+005C.
            serialized.Append(parameter.Length > 0 && Http.IsToken(parameter)
                ? parameter
                : "\"" + parameter.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }
        return serialized.ToString();
    }

    /// <summary>MIME Sniffing "parse a MIME type": the essence and the parameters in order (first of each name kept), or
    /// null on failure.</summary>
    private static (string Essence, List<(string Name, string Value)> Parameters)? ParseMimeType(string input)
    {
        static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';
        static bool IsQuotedStringChar(char c) => c is '\t' or >= ' ' and <= '~' or >= '\u0080' and <= '\u00FF';
        if (MimeEssence(input) is not { } essence) return null;
        var text = input.Trim(' ', '\t', '\r', '\n');
        var position = text.IndexOf(';');
        var parameters = new List<(string Name, string Value)>();
        if (position < 0) return (essence, parameters);
        while (position < text.Length)
        {
            position++;
            while (position < text.Length && IsWhitespace(text[position])) position++;
            var start = position;
            while (position < text.Length && text[position] is not (';' or '=')) position++;
            var name = text[start..position].ToLowerInvariant();
            if (position < text.Length)
            {
                if (text[position] == ';') continue;
                position++;
            }
            if (position >= text.Length) break;
            string value;
            if (text[position] == '"')
            {
                // "collect an HTTP quoted string" with extract-value true, then "collect a sequence of code points that are
                // not U+003B (;)".
                var collected = new StringBuilder();
                position++;
                while (position < text.Length)
                {
                    var c = text[position++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        if (position >= text.Length) { collected.Append('\\'); break; }
                        collected.Append(text[position++]);
                    }
                    else
                    {
                        collected.Append(c);
                    }
                }
                value = collected.ToString();
                while (position < text.Length && text[position] != ';') position++;
            }
            else
            {
                start = position;
                while (position < text.Length && text[position] != ';') position++;
                value = text[start..position].TrimEnd(' ', '\t', '\r', '\n');
                if (value.Length == 0) continue;
            }
            if (name.Length > 0 && Http.IsToken(name) && value.All(IsQuotedStringChar) && !parameters.Exists(p => p.Name == name))
            {
                parameters.Add((name, value));
            }
        }
        return (essence, parameters);
    }

    /// <summary>The essence of a MIME type (type/subtype, lowercased) or null when it does not parse (MIME Sniffing "parse a MIME type", reduced to what the essence needs).</summary>
    public static string? MimeEssence(string value)
    {
        var trimmed = value.Trim(' ', '\t', '\r', '\n');
        var semicolon = trimmed.IndexOf(';');
        var essence = semicolon < 0 ? trimmed : trimmed[..semicolon];
        essence = essence.TrimEnd(' ', '\t', '\r', '\n');
        var slash = essence.IndexOf('/');
        if (slash <= 0 || slash == essence.Length - 1) return null;
        var type = essence[..slash];
        var subtype = essence[(slash + 1)..];
        return Http.IsToken(type) && Http.IsToken(subtype) ? essence.ToLowerInvariant() : null;
    }

    private static int CompareDecimal(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    private static long Saturate(string digits) => long.TryParse(digits, out var n) ? n : long.MaxValue;

    /// <summary>Fetch "parse a single range header value" with allowWhitespace false: <c>bytes=start-[end]</c> or <c>bytes=-suffix</c>.</summary>
    [FetchAnchor("simple-range-header-value")]
    public static (long? Start, long? End)? ParseSingleRange(string value)
    {
        // "If data does not start with "bytes", then return failure." (case-sensitive), then "=", and with allowWhitespace
        // false no whitespace anywhere.
        if (!value.StartsWith("bytes=", StringComparison.Ordinal)) return null;
        var rest = value["bytes=".Length..];
        var dash = rest.IndexOf('-');
        if (dash < 0) return null;
        var startText = rest[..dash];
        var endText = rest[(dash + 1)..];
        if (!startText.All(char.IsAsciiDigit) || !endText.All(char.IsAsciiDigit)) return null;
        if (startText.Length == 0 && endText.Length == 0) return null;
        // Any number of digits: "interpreted as decimal number" has no upper bound, so compare without parsing.
        if (startText.Length > 0 && endText.Length > 0 && CompareDecimal(startText, endText) > 0) return null;
        return (startText.Length == 0 ? null : Saturate(startText), endText.Length == 0 ? null : Saturate(endText));
    }
}
