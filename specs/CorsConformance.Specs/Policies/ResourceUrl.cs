using System.Globalization;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// What makes a URL unusable as a resource a page calls, one rule for every place a server under test's URL comes from
/// (the settings' TargetUrl, a policy's absolute route, a <c>CorsTarget</c> of the NUnit package, the audited URL).
/// </summary>
public static class ResourceUrl
{
    /// <summary>The most characters of a DNS name's label (RFC 1035, 2.3.4), and of the whole name written with dots.</summary>
    public const int MaxLabelLength = 63;

    /// <inheritdoc cref="MaxLabelLength"/>
    public const int MaxNameLength = 253;

    /// <summary>Why <paramref name="url"/> cannot be called from a page, or null. fetch() throws on a URL that includes
    /// credentials before anything is sent, so every case was blocked by the page itself: "allowed" ones failed as the
    /// browser departing from the standard, "refused" ones passed unchecked. The message never repeats the password.
    /// A host browsers refuse (`999.1.1.1`, `xn--`) or no DNS name can be (a label past 63 characters) made every case
    /// a harness error mid-run: it is refused here, before anything runs.</summary>
    public static string? Problem(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")) return $"'{url}' is not an absolute http(s) URL";
        var shown = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        if (url.UserInfo.Length > 0)
        {
            return $"'{shown}' has a user name or password (user:pass@), "
                + "which fetch() refuses before sending anything: give the URL without it, and credentials through AuthHeaders or CookieJar";
        }
        if (url.Port == 0) return $"'{shown}' has port 0, which no server listens on";
        if (url.HostNameType is UriHostNameType.Dns or UriHostNameType.Basic && HostProblem(url.IdnHost) is { } host)
        {
            return $"'{shown}' is no URL a browser opens: {host}";
        }
        return null;
    }

    /// <summary>Why <paramref name="text"/> is not the absolute http(s) URL of a resource a page can call, saying what is
    /// wrong (a space in the host, an unclosed [, an empty label, a port past 65535) where .NET's parser only refuses;
    /// null, with the URL, when it is one. The message never repeats a user name or password.</summary>
    public static string? Problem(string text, out Uri? url)
    {
        url = null;
        // A control character anywhere, or white space at either end: the URL Standard strips both ends and drops tabs and
        // newlines inside, so browsers called another URL than the one written, and .NET's parser did not agree on which
        // (a trailing space passed, a leading one was "not an absolute URL", a newline inside passed). Refused, said where.
        if (WhiteSpaceOrControl(text) is { } odd) return odd;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || text[..scheme].ToLowerInvariant() is not ("http" or "https"))
        {
            return $"'{text}' is not an absolute http(s) URL (http://host[:port]/path)";
        }
        var rest = text[(scheme + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#', '\\']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        var withoutPassword = at < 0 ? text : text[..(scheme + 3)] + rest[(at + 1)..];
        if (at >= 0)
        {
            return $"'{withoutPassword}' has a user name or password (user:pass@), which fetch() refuses before sending anything: give the URL without it, and credentials through AuthHeaders or CookieJar";
        }
        var (host, port) = authority.StartsWith('[')
            ? authority.IndexOf(']') is var close and >= 0 ? (authority[..(close + 1)], authority[(close + 1)..] is { Length: > 0 } p ? p[1..] : null) : (authority, null)
            : authority.IndexOf(':') is var colon and >= 0 ? (authority[..colon], authority[(colon + 1)..]) : (authority, null);
        if (host.Length == 0) return $"'{withoutPassword}' has no host";
        if (host.StartsWith('[') && !host.EndsWith(']')) return $"'{withoutPassword}': the host '{host}' has no closing ]";
        if (port is { Length: > 0 } && (port.Length > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, CultureInfo.InvariantCulture) > 65535))
        {
            return $"'{withoutPassword}': the port '{port}' is not a number from 1 to 65535";
        }
        if (!host.StartsWith('[') && HostProblem(host.ToLowerInvariant()) is { } problem) return $"'{withoutPassword}' is no URL a browser opens: {problem}";
        if (host.StartsWith('[') && OriginSyntax.HostProblem(host) is { } v6) return $"'{withoutPassword}' is no URL a browser opens: {v6}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)) return $"'{withoutPassword}' is not a URL .NET can parse";
        url = parsed;
        return Problem(parsed);
    }

    /// <summary>Where <paramref name="text"/> holds a control character (U+0000 to U+001F, U+007F), or white space first or
    /// last, said with the character's code point and position and the text shown with it escaped (a password starred); null
    /// when it holds none.</summary>
    private static string? WhiteSpaceOrControl(string text)
    {
        var at = text.ToList().FindIndex(c => c < ' ' || c == '\u007F');
        if (at < 0 && text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            at = char.IsWhiteSpace(text[0]) ? 0 : text.Length - 1;
        }
        if (at < 0) return null;
        var shown = string.Concat(text.Select(c => c < ' ' || c == '\u007F' || (char.IsWhiteSpace(c) && c != ' ') ? $"\\u{(int)c:X4}" : c.ToString()));
        // A password is never repeated (user:pass@ shows as user:***@).
        shown = System.Text.RegularExpressions.Regex.Replace(shown, "(://[^/@]*?:)[^/@]*@", "$1***@");
        var where = at == 0 ? "first" : at == text.Length - 1 ? "last" : $"at character {at + 1}";
        return $"'{shown}' holds U+{(int)text[at]:X4} {where}: a URL is written without control characters and without white space at "
            + "either end (browsers strip them, so the call would not go where it is written); give it without";
    }

    /// <summary>Why no browser reaches a host of this text (a domain, or an IPv4 address in any form), or null: a character
    /// the URL Standard forbids in a domain, an empty label, a label or a name longer than DNS allows (the ASCII form,
    /// punycode for a Unicode label), a last label that is a number of no IPv4 address, a label xn-- that is no punycode.</summary>
    private static string? HostProblem(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        var bad = name.IndexOfAny([' ', '\u007F', '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|']) is var i and >= 0 ? i
            : name.ToList().FindIndex(c => c < ' ');
        if (bad >= 0)
        {
            var c = name[bad];
            return $"the host '{host}' holds {(c < ' ' || c == '\u007F' ? $"U+{(int)c:X4}" : $"'{c}'")}, which no host name holds";
        }
        if (name.Split('.').Any(l => l.Length == 0)) return $"the host '{host}' has an empty label (two dots together, or a dot first)";
        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(name);
        }
        catch (ArgumentException)
        {
            ascii = name;
        }
        if (ascii.Split('.').FirstOrDefault(l => l.Length > MaxLabelLength) is { } label)
        {
            return $"the label '{label[..20]}…' of the host is {label.Length} characters long: a DNS name's labels have at most {MaxLabelLength}, so it resolves nowhere";
        }
        if (ascii.Length > MaxNameLength) return $"the host '{ascii[..40]}…' is {ascii.Length} characters long: a DNS name has at most {MaxNameLength}, so it resolves nowhere";
        return OriginSyntax.HostProblem(ascii.ToLowerInvariant());
    }
}
