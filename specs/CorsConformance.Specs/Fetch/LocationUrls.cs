namespace CorsConformance.Specs.Fetch;

/// <summary>
/// The part of the URL Standard's basic URL parser that decides whether a Location of the form <c>http://…</c> or
/// <c>https://…</c> is failure — the location URL fetch's "location URL" returns when "parsing location with response's URL"
/// fails. Only the authority of such a URL can make it fail (a special scheme followed by <c>//</c> needs no base URL), so
/// this reads the authority as the parser's authority, host and port states do. A Location it cannot classify (an IPv6
/// literal, a percent-encoded or punycode host, one ending in a number, which the IPv4 parser decides) is <see cref="Unknown"/>.
/// </summary>
public static class LocationUrls
{
    /// <summary>What parsing the Location comes to.</summary>
    public enum Parse
    {
        /// <summary>The parser returns failure; the string says why.</summary>
        Failure,

        /// <summary>The parser returns a URL (an http(s) URL of some host the harness does not serve).</summary>
        Url,

        /// <summary>This model does not decide it.</summary>
        Unknown,
    }

    /// <summary>"A forbidden domain code point is a forbidden host code point, a C0 control, U+0025 (%), or U+007F DELETE";
    /// a forbidden host code point is U+0000, TAB, LF, CR, SPACE, #, /, :, &lt;, &gt;, ?, @, [, \, ], ^ or |.</summary>
    private static bool IsForbiddenDomainCodePoint(char c) =>
        c <= 0x20 || c == 0x7F || c is '#' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|' or '%';

    /// <summary>Parses <paramref name="location"/> (visible ASCII and spaces, as an HTTP value after its spaces are trimmed).</summary>
    public static (Parse Result, string Why) Classify(string location)
    {
        var prefix = location.StartsWith("http://", StringComparison.Ordinal) ? "http://" : location.StartsWith("https://", StringComparison.Ordinal) ? "https://" : null;
        if (prefix is null) return (Parse.Unknown, "only a Location that starts with http:// or https:// is read");
        // The authority state: the authority runs to the first "/", "\" (a special URL's), "?" or "#", or the end.
        var rest = location[prefix.Length..];
        var end = rest.IndexOfAny(['/', '\\', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        // "If c is U+0040 (@)": what comes before the last @ is userinfo. "Otherwise, if … atSignSeen is true and buffer is
        // the empty string, host-missing validation error, return failure."
        var at = authority.LastIndexOf('@');
        if (at >= 0 && at == authority.Length - 1) return (Parse.Failure, "userinfo and no host (host-missing)");
        var hostAndPort = at >= 0 ? authority[(at + 1)..] : authority;
        if (hostAndPort.StartsWith('[')) return (Parse.Unknown, "an IPv6 host is not read");
        // The host state: "if c is U+003A (:) and insideBrackets is false: if buffer is the empty string, host-missing
        // validation error, return failure"; at the end, "if url is special and buffer is the empty string, host-missing
        // validation error, return failure."
        var colon = hostAndPort.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        if (host.Length == 0) return (Parse.Failure, "an empty host (host-missing)");
        // The port state: "Otherwise, if state override is given, or c is a digit … Otherwise, port-invalid validation error,
        // return failure"; and "If port is greater than 2^16 − 1, port-out-of-range validation error, return failure."
        if (colon >= 0)
        {
            var port = hostAndPort[(colon + 1)..];
            if (port.Any(c => c is < '0' or > '9')) return (Parse.Failure, $"the port '{port}' is not digits (port-invalid)");
            if (port.Length > 0 && (port.TrimStart('0').Length > 5 || int.Parse(port.TrimStart('0').PadLeft(1, '0'), System.Globalization.CultureInfo.InvariantCulture) > 65535)) return (Parse.Failure, $"the port {port} is greater than 65535 (port-out-of-range)");
        }
        // The host parser: percent-decoding, domain to ASCII (punycode) and the IPv4 parser are not modelled.
        if (host.Contains('%', StringComparison.Ordinal) || host.Contains("xn--", StringComparison.OrdinalIgnoreCase)) return (Parse.Unknown, "a percent-encoded or punycode host is not read");
        // "If asciiDomain contains a forbidden domain code point, domain-invalid-code-point validation error, return failure."
        if (host.FirstOrDefault(IsForbiddenDomainCodePoint) is var bad and not '\0') return (Parse.Failure, $"the host holds '{bad}', a forbidden domain code point (domain-invalid-code-point)");
        var lastLabel = host.TrimEnd('.').Split('.')[^1];
        if (lastLabel.Length > 0 && (lastLabel.All(char.IsAsciiDigit) || lastLabel.StartsWith("0x", StringComparison.OrdinalIgnoreCase))) return (Parse.Unknown, "a host that ends in a number is the IPv4 parser's, which is not read");
        return (Parse.Url, "an http(s) URL");
    }
}
