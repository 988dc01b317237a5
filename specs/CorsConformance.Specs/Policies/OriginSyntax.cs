using System.Globalization;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// Whether a policy's text is an origin as browsers serialize it in the `Origin` header (HTML "serialization of an
/// origin": scheme, "://", host, and ":" port unless it is the scheme's default) — or the policy's pattern
/// scheme://*.domain. A server compares that exact text; anything else in a policy never matches, so it is refused with the
/// rule it breaks.
/// </summary>
public static class OriginSyntax
{
    /// <summary>The origin of <paramref name="uri"/> as browsers serialize it: scheme, host and port (none for the scheme's
    /// default), an internationalized host name in its ASCII form (`https://xn--bcher-kva.example`), never a user name or
    /// password. An Origin header holds ASCII only: a Unicode host sent every audit probe built from it to "not checked".</summary>
    public static string Of(Uri uri)
    {
        // An IPv6 host as the URL Standard serializes it (the longest run of zero pieces compressed, lowercase hex, an
        // IPv4-mapped tail in hex): .NET writes [::ffff:127.0.0.1] where browsers send [::ffff:7f00:1].
        if (uri.HostNameType == UriHostNameType.IPv6 && SerializedHost(uri.Host) is ({ } v6, null))
        {
            return $"{uri.Scheme}://{v6}" + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
        }
        var origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        // A host ending in a number is an IPv4 address to browsers, whose parser drops one trailing dot (a page at
        // http://127.0.0.1.:8080 sends http://127.0.0.1:8080); .NET takes 127.0.0.1. for a host name and keeps the dot.
        if (uri.HostNameType == UriHostNameType.Dns && EndsInANumber(uri.IdnHost) && Ipv4(uri.IdnHost) is { } v4)
        {
            return $"{uri.Scheme}://{v4}" + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
        }
        return uri.HostNameType == UriHostNameType.Dns && uri.Host != uri.IdnHost ? origin.Replace(uri.Host, uri.IdnHost) : origin;
    }

    /// <summary>Why no browser can be at an origin with this (lowercase, ASCII) host, or null: the URL Standard's host
    /// parser fails on a host whose last label is a number but that is no IPv4 address (`999.1.1.1`, `a.b.c.1`), and on a
    /// label `xn--…` that is no punycode. .NET's Uri takes both as host names.</summary>
    public static string? HostProblem(string host) => SerializedHost(host).Problem;

    /// <summary>Whether a browser can send <paramref name="origin"/> (scheme://host[:port]) in Origin as it is: its host
    /// parses, and serializes to itself. A forgery made from an IPv6, IPv4 or punycode origin may not
    /// (`http://[::1].attacker.test`, `https://corsauditattacker0.1`, `https://xn--bcher-kvaxexample`): no page has it, so a
    /// server admitting it exposes nothing, and a browser asked to open a page there refuses (Firefox threw
    /// NS_ERROR_MALFORMED_URI, failing the whole run).</summary>
    public static bool CanBeSent(string origin)
    {
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0) return false;
        var scheme = origin[..separator];
        if (scheme is not ("http" or "https")) return false;
        var (host, port) = SplitPort(origin[(separator + 3)..]);
        // A serialized origin's port is digits without a leading zero, 1 to 65535, and never the scheme's default; its host
        // is not empty and holds no ASCII capital (the host parser lowercases) — none of it can be sent otherwise.
        if (port is not null && (port.Length is 0 or > 5 || port[0] == '0' || !port.All(char.IsAsciiDigit)
            || int.Parse(port, CultureInfo.InvariantCulture) is var number && (number > 65535 || number == (scheme == "https" ? 443 : 80))))
        {
            return false;
        }
        if (host.Length == 0 || host.Any(char.IsAsciiLetterUpper)) return false;
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (host.Count(c => c is '[' or ']') != (bracketed ? 2 : 0)) return false;
        return SerializedHost(host) is ({ } serialized, null) && serialized == host;
    }

    /// <summary>The host as the URL Standard's host parser serializes it — an IPv4 address in dotted decimal
    /// (`127.1`, `0x7f.0.0.1` and `2130706433` are all `127.0.0.1`), an IPv6 address in brackets compressed — or why it
    /// fails to parse. A domain is returned as it is (its case and Unicode are the caller's to check).</summary>
    internal static (string? Host, string? Problem) SerializedHost(string host)
    {
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            var inner = host[1..^1];
            // A zone (%eth0) is .NET's, not the URL Standard's.
            // The URL Standard's IPv6 parser reads an IPv4 tail as four decimal numbers without a leading zero (`::1.2.3.04`
            // fails); .NET takes the zero.
            var tail = inner[(inner.LastIndexOf(':') + 1)..];
            if (inner.Contains('%') || tail.Contains('.') && tail.Split('.').Any(n => n.Length > 1 && n[0] == '0')
                || !System.Net.IPAddress.TryParse(inner, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return (null, $"'{host}' is not an IPv6 address");
            }
            return ($"[{Ipv6(address.GetAddressBytes())}]", null);
        }
        // URL Standard "forbidden domain code point": the host parser fails on a domain holding one (`^` and `|` among
        // them, which the audit's special-character forgeries sent though no page can have such an origin).
        foreach (var c in host.Where(IsForbiddenDomainCodePoint))
        {
            var shown = c <= '\u001F' || c == '\u007F' ? $"U+{(int)c:X4}" : $"'{c}'";
            return (null, $"the host holds {shown}, a forbidden domain code point: browsers refuse the URL, so no page has this origin");
        }
        if (EndsInANumber(host))
        {
            return Ipv4(host) is { } v4 ? (v4, null)
                : (null, $"'{host}' ends in a number but is no IPv4 address (four numbers up to 255, or fewer with a larger last one): browsers refuse the URL, so no page has this origin");
        }
        foreach (var label in host.Split('.').Where(l => l.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)))
        {
            // Browsers (UTS #46 with the URL Standard's flags) refuse a label that does not decode, or whose decoding holds
            // a character the mapping would change (capitals: xn--bcher-kvaxexample decodes to "bĆĀąücĆhÿeĂĂră"): the
            // decoding, mapped and encoded again, must give the label back. (IdnMapping alone, under invariant
            // globalization, decodes both.)
            string? again;
            try
            {
                var decoded = new IdnMapping().GetUnicode(label);
                again = decoded.IsNormalized(System.Text.NormalizationForm.FormC) ? new IdnMapping().GetAscii(decoded.ToLowerInvariant()) : null;
            }
            catch (ArgumentException)
            {
                again = null;
            }
            if (!label.Equals(again, StringComparison.OrdinalIgnoreCase) || again is null || !ValidDecoding(new IdnMapping().GetUnicode(label)))
            {
                return (null, $"the label '{label}' starts with xn-- but is no punycode a browser accepts: browsers refuse the URL, so no page has this origin");
            }
        }
        return (host, null);
    }

    /// <summary>Whether a decoded xn-- label is one UTS #46 (the URL Standard's "domain to ASCII") lets through, as far as it
    /// can be told without the IDNA mapping table (invariant globalization has none): not only ASCII (a label that decodes to
    /// ASCII is an error), no code point the mapping removes or refuses — a control, a format character (U+200B, a soft
    /// hyphen; ZWNJ and ZWJ aside, which CheckJoiners allows in context), a private-use, unassigned or lone surrogate code
    /// point, a space or separator, a fullwidth or halfwidth form (mapped to another) —, and no combining mark first.
    /// A decoding in another normalization form, or holding another mapped character (U+00AA), is not caught.</summary>
    private static bool ValidDecoding(string decoded)
    {
        if (decoded.Length == 0 || decoded.All(char.IsAscii)) return false;
        var first = true;
        foreach (var rune in decoded.EnumerateRunes())
        {
            var category = System.Text.Rune.GetUnicodeCategory(rune);
            if (first && category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) return false;
            first = false;
            if (category is UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || category == UnicodeCategory.Format && rune.Value is not (0x200C or 0x200D)
                || rune.Value is >= 0xFF00 and <= 0xFFEF
                || rune == System.Text.Rune.ReplacementChar)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>URL Standard "forbidden domain code point": a forbidden host code point (NUL, tab, LF, CR, space, # % / : &lt; &gt;
    /// ? @ [ \ ] ^ |), a C0 control, % or DEL.</summary>
    private static bool IsForbiddenDomainCodePoint(char c) =>
        c <= '\u001F' || c == '\u007F' || c is ' ' or '#' or '%' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|';

    /// <summary>URL Standard "ends in a number": the last label (after one trailing dot) is digits, or an IPv4 number.</summary>
    private static bool EndsInANumber(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts[^1].Length == 0)
        {
            if (parts.Count == 1) return false;
            parts.RemoveAt(parts.Count - 1);
        }
        var last = parts[^1];
        return last.Length > 0 && (last.All(char.IsAsciiDigit) || Ipv4Number(last) is not null);
    }

    /// <summary>URL Standard "IPv4 number parser": decimal, 0x hex or 0-prefixed octal; null for failure.</summary>
    private static long? Ipv4Number(string text)
    {
        if (text.Length == 0) return null;
        var radix = 10;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) (text, radix) = (text[2..], 16);
        else if (text.Length > 1 && text[0] == '0') (text, radix) = (text[1..], 8);
        if (text.Length == 0) return 0;
        long value = 0;
        foreach (var c in text)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : radix;
            if (digit >= radix) return null;
            value = value * radix + digit;
            if (value > uint.MaxValue) value = (long)uint.MaxValue + 1; // too large either way; keep it from overflowing
        }
        return value;
    }

    /// <summary>URL Standard "IPv4 parser", serialized in dotted decimal; null for failure.</summary>
    private static string? Ipv4(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts[^1].Length == 0 && parts.Count > 1) parts.RemoveAt(parts.Count - 1);
        if (parts.Count > 4) return null;
        var numbers = parts.Select(Ipv4Number).ToList();
        if (numbers.Any(n => n is null) || numbers.SkipLast(1).Any(n => n > 255) || numbers[^1] >= 1L << (8 * (5 - numbers.Count))) return null;
        var address = numbers[^1]!.Value;
        for (var i = 0; i < numbers.Count - 1; i++) address += numbers[i]!.Value << (8 * (3 - i));
        return string.Join('.', Enumerable.Range(0, 4).Select(i => ((address >> (8 * (3 - i))) & 0xFF).ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>URL Standard "IPv6 serializer": eight pieces in lowercase hex, the first longest run of two or more zero
    /// pieces written `::`.</summary>
    private static string Ipv6(byte[] bytes)
    {
        var pieces = Enumerable.Range(0, 8).Select(i => (bytes[2 * i] << 8) | bytes[2 * i + 1]).ToArray();
        var (start, length) = (-1, 1);
        for (var i = 0; i < 8;)
        {
            var j = i;
            while (j < 8 && pieces[j] == 0) j++;
            if (j - i > length) (start, length) = (i, j - i);
            i = j == i ? i + 1 : j;
        }
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            if (i == start)
            {
                text.Append(i == 0 ? "::" : ":");
                i += length - 1;
                continue;
            }
            text.Append(pieces[i].ToString("x", CultureInfo.InvariantCulture));
            if (i < 7) text.Append(':');
        }
        return text.ToString();
    }

    /// <summary>How an Access-Control-Allow-Origin value that names <paramref name="origin"/> (a serialized origin) in
    /// another form differs from it — letter case, a trailing slash or a path, the default port, a Unicode host, white
    /// space —, said so a reader sees why browsers block it (the CORS check compares the bytes); null when the value is
    /// that origin exactly, or another origin altogether.</summary>
    public static string? Difference(string value, string origin)
    {
        if (value == origin || origin == "null" || value == "*") return null;
        if (value.Trim(' ', '\t', '\r', '\n') == origin)
        {
            return "white space around the origin: HTTP strips spaces and tabs around a header value, so what reached the check held other bytes";
        }
        // In quotation marks: HTTP takes a field value as it is (only a quoted-string in a parameter loses its quotes), so
        // a configuration that quotes the value twice sends them.
        if (value.Length > 2 && value[0] is '"' or '\'' && value[^1] == value[0] && value[1..^1].Trim(' ', '\t') == origin)
        {
            return $"it is {origin} in quotation marks, which stay part of the value (a configuration line that quotes it twice): the CORS check compares bytes";
        }
        // White space inside the value: a line folded in its middle (RFC 9112's obs-fold, "https://app.\r\n example.com"),
        // which a user agent replaces with a space before it reads the value, or a space written into it.
        if (value.Any(c => c is ' ' or '\t') && new string(value.Where(c => c is not (' ' or '\t')).ToArray()) == origin)
        {
            return $"it is {origin} with white space inside it (a header line folded in the middle of the value — obs-fold — reaches the check as a space): "
                + "the CORS check compares bytes, and an origin holds none";
        }
        // Control bytes (C0, DEL) in the value that the origin does not hold: HTTP strips only spaces and tabs around a value,
        // so the CORS check compares them too (or the browser refuses the header outright, as for a NUL).
        if (value.Any(char.IsControl) && new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim(' ', '\t') == origin)
        {
            var bytes = string.Join(" ", value.Where(char.IsControl).Distinct().Select(c => $"\\x{(int)c:x2}"));
            return $"it is {origin} with the control byte{(value.Count(char.IsControl) > 1 ? "s" : "")} {bytes} in it: the CORS check compares bytes, and an origin holds none";
        }
        // Bytes past ASCII around or inside the origin (a stray Latin-1 byte, half a UTF-8 sequence): a serialized origin is
        // ASCII (an internationalized host in its punycode form), so none of them can match.
        if (value.Any(c => c > 0x7F) && new string(value.Where(c => c <= 0x7F).ToArray()) == origin)
        {
            var bytes = string.Join(" ", value.Where(c => c > 0x7F).Distinct().Select(c => c <= 0xFF ? $"\\x{(int)c:x2}" : $"U+{(int)c:X4}"));
            return $"it is {origin} with the byte{(value.Count(c => c > 0x7F) > 1 ? "s" : "")} {bytes} in it: the CORS check compares bytes, and a serialized origin is ASCII";
        }
        if (value.Equals(origin, StringComparison.OrdinalIgnoreCase))
        {
            return $"it differs from {origin} only in letter case: the CORS check compares bytes, and browsers send the scheme and host in lowercase";
        }
        if (value == origin + "/") return $"it is {origin} with a trailing slash: the CORS check compares bytes, and an origin has no slash";
        if (value.StartsWith(origin + "/", StringComparison.OrdinalIgnoreCase) || value.StartsWith(origin + "?", StringComparison.OrdinalIgnoreCase) || value.StartsWith(origin + "#", StringComparison.OrdinalIgnoreCase))
        {
            return $"it is a URL at {origin}, not the origin: the CORS check compares bytes, and an origin has no path, query or fragment";
        }
        // Header bytes are read one byte a character: a UTF-8 host arrives as Latin-1 text.
        var text = value;
        if (value.All(c => c <= 0xFF) && value.Any(c => c > 0x7F)
            && System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(value)) is var decoded && !decoded.Contains('\uFFFD'))
        {
            text = decoded;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        string serialized;
        try
        {
            serialized = Of(uri);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
        if (serialized != origin) return null;
        if (text.Any(c => c > 0x7F)) return $"it names the host in Unicode, where browsers send its ASCII (punycode) form {origin}: the CORS check compares bytes";
        var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        if (uri.IsDefaultPort && SplitPort(authority).Port is { Length: > 0 })
        {
            return $"it names the default port {uri.Port}, which a serialized origin leaves out ({origin}): the CORS check compares bytes";
        }
        return $"it names {origin} in another form than browsers serialize it: the CORS check compares bytes";
    }

    /// <summary>Null when <paramref name="text"/> is a serialized http(s) origin (or, with <paramref name="pattern"/>, a
    /// scheme://*.domain pattern); otherwise the rule it breaks.</summary>
    public static string? Problem(string text, bool pattern)
    {
        if (text.Length > 0 && text.Trim().Length != text.Length)
        {
            return $"it has white space around it, which browsers never send in Origin: '{text.Trim()}'";
        }
        if (text == "null")
        {
            return "'null' is the opaque origin (sandboxed frames, file: and data: pages): any site can send it, so no policy should allow it; the cases already try it as a refusal";
        }
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0) return "it has no scheme:// (an origin is scheme://host[:port])";
        var scheme = text[..separator];
        if (scheme.ToLowerInvariant() is "http" or "https" && scheme is not ("http" or "https"))
        {
            return $"the scheme and host are lowercase in a serialized origin: '{scheme.ToLowerInvariant()}{(text.All(char.IsAscii) ? text[separator..].ToLowerInvariant() : text[separator..])}'";
        }
        if (scheme is not ("http" or "https")) return $"the scheme must be http or https, in lowercase (not '{scheme}')";
        var authority = text[(separator + 3)..];
        if (authority.Length == 0) return "it has no host";
        if (authority.IndexOfAny(['/', '?', '#']) is var cut and >= 0)
        {
            return $"an origin has no path, query or fragment (not even a trailing slash): remove '{authority[cut..]}'";
        }
        if (authority.Contains('@')) return "an origin has no user name or password (userinfo@): browsers never send one in Origin";
        if (authority.Any(c => c > 0x7F))
        {
            return "an internationalized domain name must be given in its ASCII (punycode) form, as browsers send it in Origin"
                + (AsciiForm(text) is { } ascii ? $": '{ascii}'" : "");
        }
        var (host, port) = SplitPort(authority);
        if (port is not null)
        {
            if (port.Length == 0 || !port.All(char.IsAsciiDigit) || !int.TryParse(port, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return $"the port must be a number from 1 to 65535 (not '{port}')";
            }
            if (port != number.ToString(CultureInfo.InvariantCulture)) return $"the port has no leading zeros (not '{port}')";
            if (number == (scheme == "https" ? 443 : 80)) return $"a serialized origin leaves out the scheme's default port: '{scheme}://{host}'";
        }
        var wildcard = pattern && host.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard) host = host[2..];
        if (host.Contains('*')) return "'*' may only start the host, as scheme://*.domain";
        var serializedPort = port is null ? "" : ":" + port;
        if (host.StartsWith('['))
        {
            if (SerializedHost(host.ToLowerInvariant()) is not ({ } v6, null)) return $"'{host}' is not an IPv6 address";
            // Browsers send an IPv6 host compressed and in lowercase: [0:0::1] arrives as [::1], and a server that compares
            // the policy's text with the Origin would never match.
            return v6 == host ? null : $"browsers serialize this IPv6 host as {v6}: '{scheme}://{v6}{serializedPort}'";
        }
        if (host.Any(char.IsAsciiLetterUpper)) return $"the host is lowercase in a serialized origin: '{text.ToLowerInvariant()}'";
        // Every host under *.1.2 ends in a number, which browsers parse as an IPv4 address or refuse.
        if (wildcard && host.Length > 0 && EndsInANumber(host)) return "a pattern scheme://*.domain needs a domain name, not an IP address";
        // A host ending in a number is an IPv4 address, whose parser drops one trailing dot (no other origin, as a domain's is):
        // browsers send http://127.0.0.1 for http://127.0.0.1., or refuse the URL.
        if (host.EndsWith('.') && host.Length > 1 && !host.EndsWith("..", StringComparison.Ordinal) && EndsInANumber(host)
            && host[..^1].All(c => char.IsAsciiLetterOrDigit(c) || c == '.'))
        {
            return SerializedHost(host) is ({ } v4, null)
                ? $"browsers parse this host as the IPv4 address {v4} and send that in Origin: '{scheme}://{v4}{serializedPort}'"
                : SerializedHost(host).Problem;
        }
        if (host.EndsWith('.') && host.Length > 1 && !host.EndsWith("..", StringComparison.Ordinal))
        {
            // A trailing dot is no typo browsers forgive: a page at https://app.example.com. sends Origin with the dot, one at
            // https://app.example.com without it — two origins, and a server comparing text admits only the one it names.
            return $"a host with a trailing dot is another origin than the same host without it (browsers keep the dot in Origin): write '{scheme}://{(wildcard ? "*." : "")}{host[..^1]}{serializedPort}'";
        }
        // '_' is no forbidden domain code point: browsers open http://my_app.test (a container's name, a dev host) and send
        // it in Origin as it is. Other such code points ('!', '$', '~'…) browsers take too, but no deployment names a host
        // so: a policy naming one is more likely a typo than an origin, and is refused.
        if (!host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') || host.Split('.').Any(label => label.Length == 0))
        {
            return $"'{host}' is not a host name (letters, digits, '-', '_' and '.', no empty label)";
        }
        var (serialized, problem) = SerializedHost(host);
        if (problem is not null) return problem;
        // 127.1, 0x7f.0.0.1 and 2130706433 are all 127.0.0.1 to a browser, which sends that in Origin.
        if (serialized != host) return $"browsers parse this host as the IPv4 address {serialized} and send that in Origin: '{scheme}://{serialized}{serializedPort}'";
        if (pattern && wildcard && serialized.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return "a pattern scheme://*.domain needs a domain name, not an IP address";
        }
        return null;
    }

    private static (string Host, string? Port) SplitPort(string authority)
    {
        var colon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        return colon > 0 ? (authority[..colon], authority[(colon + 1)..]) : (authority, null);
    }

    /// <summary>The same origin with its host in ASCII (punycode), when it can be computed.</summary>
    private static string? AsciiForm(string text)
    {
        try
        {
            var wildcard = text.Contains("://*.", StringComparison.Ordinal);
            var uri = new Uri(wildcard ? text.Replace("://*.", "://x.", StringComparison.Ordinal) : text);
            var host = uri.IdnHost;
            if (wildcard) host = "*" + host[1..];
            return $"{uri.Scheme}://{host}" + (uri.IsDefaultPort ? "" : $":{uri.Port}");
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException)
        {
            return null;
        }
    }
}
