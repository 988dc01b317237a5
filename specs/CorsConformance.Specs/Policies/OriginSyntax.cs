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
        var origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return uri.HostNameType == UriHostNameType.Dns && uri.Host != uri.IdnHost ? origin.Replace(uri.Host, uri.IdnHost) : origin;
    }

    /// <summary>Null when <paramref name="text"/> is a serialized http(s) origin (or, with <paramref name="pattern"/>, a
    /// scheme://*.domain pattern); otherwise the rule it breaks.</summary>
    public static string? Problem(string text, bool pattern)
    {
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0) return "it has no scheme:// (an origin is scheme://host[:port])";
        var scheme = text[..separator];
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
        if (pattern && host.StartsWith("*.", StringComparison.Ordinal)) host = host[2..];
        if (host.Contains('*')) return "'*' may only start the host, as scheme://*.domain";
        if (host.StartsWith('[') && host.EndsWith(']')) return System.Net.IPAddress.TryParse(host[1..^1], out _) ? null : $"'{host}' is not an IPv6 address";
        if (host.Any(char.IsAsciiLetterUpper)) return $"the host is lowercase in a serialized origin: '{text.ToLowerInvariant()}'";
        if (!host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') || host.Split('.').Any(label => label.Length == 0))
        {
            return $"'{host}' is not a host name (letters, digits, '-' and '.', no empty label)";
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
