using System.Globalization;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>One cookie of a cookie jar file, as curl (<c>-c</c>) and browser export extensions write it. The format has no
/// SameSite: a Secure cookie is put into the browser as SameSite=None (what a cookie must be to go with a cross-site
/// credentialed call), any other as Lax (browsers' default).</summary>
/// <param name="Domain">The host without a leading dot.</param>
/// <param name="IncludeSubdomains">The jar's second column (TRUE: the cookie goes to subdomains too).</param>
public sealed record JarCookie(string Domain, bool IncludeSubdomains, string Path, bool Secure, long Expires, string Name, string Value, bool HttpOnly)
{
    /// <summary>Whether a browser sends this cookie to <paramref name="url"/> (domain, path and Secure; same-site rules aside).</summary>
    public bool AppliesTo(Uri url)
    {
        var host = url.IdnHost;
        var domainMatches = host.Equals(Domain, StringComparison.OrdinalIgnoreCase)
            || (IncludeSubdomains && host.EndsWith("." + Domain, StringComparison.OrdinalIgnoreCase));
        var pathMatches = Path == "/" || url.AbsolutePath == Path || url.AbsolutePath.StartsWith(Path.TrimEnd('/') + "/", StringComparison.Ordinal);
        return domainMatches && pathMatches && (!Secure || url.Scheme == "https");
    }
}

/// <summary>
/// Reads a Netscape cookie jar file (the format of curl's <c>-c</c>/<c>-b</c>): one cookie a line, seven tab-separated
/// fields — domain, include subdomains (TRUE/FALSE), path, secure (TRUE/FALSE), expiry (Unix seconds, 0 for a session
/// cookie), name, value — with <c>#HttpOnly_</c> before the domain of an HttpOnly cookie; other lines starting with
/// <c>#</c> and blank lines are comments. Every error names the file, the line and the field.
/// </summary>
public static class CookieJar
{
    private static readonly string[] Fields = ["domain", "include subdomains", "path", "secure", "expiry", "name", "value"];

    public static IReadOnlyList<JarCookie> Read(string text, string fileName)
    {
        var cookies = new List<JarCookie>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var httpOnly = line.StartsWith("#HttpOnly_", StringComparison.Ordinal);
            if (httpOnly) line = line["#HttpOnly_".Length..];
            else if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
            var parts = line.Split('\t');
            CookieJarException Bad(int field, string problem) => new(fileName, i + 1, Fields[field], problem);
            if (parts.Length != 7)
            {
                throw new CookieJarException(fileName, i + 1, null,
                    $"has {parts.Length} tab-separated field(s); a cookie jar line has 7: {string.Join(", ", Fields)}");
            }
            var domain = parts[0].TrimStart('.');
            if (domain.Length == 0 || domain.Any(c => char.IsWhiteSpace(c) || c is '/' or ':')) throw Bad(0, $"'{parts[0]}' is not a host name");
            bool Flag(int field) => parts[field] switch
            {
                "TRUE" => true,
                "FALSE" => false,
                _ => throw Bad(field, $"'{parts[field]}' is neither TRUE nor FALSE"),
            };
            var subdomains = Flag(1);
            if (!parts[2].StartsWith('/')) throw Bad(2, $"'{parts[2]}' does not start with /");
            var secure = Flag(3);
            if (!long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) throw Bad(4, $"'{parts[4]}' is not a whole number of seconds");
            if (parts[5].Length == 0 || parts[5].Any(c => c is ';' or '=' or ',' || char.IsWhiteSpace(c) || char.IsControl(c))) throw Bad(5, $"'{parts[5]}' is not a cookie name");
            if (parts[6].Any(c => c is ';' || char.IsControl(c))) throw Bad(6, "the value holds a ';' or a control character");
            cookies.Add(new JarCookie(domain, subdomains, parts[2], secure, expires, parts[5], parts[6], httpOnly));
        }
        if (cookies.Count == 0) throw new CookieJarException(fileName, null, null, "holds no cookie");
        return cookies;
    }
}

/// <summary>A cookie jar file that cannot be used: the file, the line and the field (never the cookie's value).</summary>
public sealed class CookieJarException(string file, int? line, string? field, string problem)
    : InputFileException($"{file}{(line is null ? "" : $", line {line}")}{(field is null ? "" : $", field '{field}'")}: {problem}");
