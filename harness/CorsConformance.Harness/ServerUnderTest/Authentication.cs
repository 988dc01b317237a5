using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>A request header the credentialed cases carry, its value read from an environment variable.</summary>
/// <param name="Variable">The environment variable that held the value: named in evidence, in place of the value.</param>
public sealed record SecretHeader(string Name, string Value, string Variable)
{
    /// <summary>What evidence, reports and reproductions show in place of the value.</summary>
    public string Placeholder => $"[redacted: ${Variable}]";
}

/// <summary>
/// What a staging server behind a login needs: request headers (Authorization from an environment variable) and cookies
/// (a cookie jar file) that every credentialed case carries, in the browser and in the replay. Their values never reach
/// a result, a report or a failure message: the cases hold a placeholder, the secret is put in only as a request leaves,
/// and <see cref="Redact"/> removes any value the server or the browser echoes back.
/// </summary>
public sealed record Authentication(IReadOnlyList<SecretHeader> Headers, IReadOnlyList<JarCookie> Cookies)
{
    public static readonly Authentication None = new([], []);

    public const string Redacted = "[redacted]";

    public bool IsEmpty => Headers.Count == 0 && Cookies.Count == 0;

    /// <summary>The case with the secret headers added (as placeholders) to its credentialed request: the oracle then says
    /// what the policy promises for the request the front end really sends (Authorization needs a preflight).</summary>
    public PolicyCase Apply(PolicyCase @case)
    {
        if (Headers.Count == 0 || @case.Request.Credentials != CredentialsMode.Include) return @case;
        // A header the case itself tries (a policy allowing Authorization has "a credentialed request with Authorization: 1")
        // takes the secret's value: sent twice, it would be one combined value no login accepts.
        var own = @case.Request.Headers.Select(h => Headers.FirstOrDefault(s => s.Name.Equals(h.Name, StringComparison.OrdinalIgnoreCase)) is { } secret ? h with { Value = secret.Placeholder } : h);
        var added = Headers.Where(s => !@case.Request.Headers.Any(h => h.Name.Equals(s.Name, StringComparison.OrdinalIgnoreCase))).Select(s => new Header(s.Name, s.Placeholder));
        var request = @case.Request with { Headers = [.. own, .. added] };
        return @case with { Model = @case.Model with { Request = request } };
    }

    /// <summary>The request as it leaves: each placeholder replaced by its secret.</summary>
    public RequestSpec Reveal(RequestSpec request) =>
        Headers.Count == 0 ? request : request with
        {
            Headers = request.Headers.Select(h => Headers.FirstOrDefault(s => s.Placeholder == h.Value) is { } secret ? h with { Value = secret.Value } : h).ToList(),
        };

    /// <summary>The Cookie header the replay sends with a credentialed request to <paramref name="url"/>, or null.</summary>
    public string? CookieHeaderFor(Uri url) =>
        Cookies.Where(c => c.AppliesTo(url)).Select(c => $"{c.Name}={c.Value}").ToList() is { Count: > 0 } pairs ? string.Join("; ", pairs) : null;

    /// <summary>The text with every secret value (headers, cookies) replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string text)
    {
        foreach (var secret in Headers.Select(h => h.Value).Concat(Cookies.Select(c => c.Value)).Where(v => v.Length >= 4).OrderByDescending(v => v.Length))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>
    /// Reads the setting `AuthHeaders` (<c>Name=VARIABLE;Name2=VARIABLE2</c>: each header's value is read from the
    /// environment variable named, so no secret sits in a runsettings file or a command line) and the cookie jar file.
    /// </summary>
    /// <exception cref="SettingException">A malformed entry, an unset variable, a header a page cannot send, or one the
    /// policy does not allow (every credentialed case would then be refused by the policy itself).</exception>
    public static Authentication Load(string? headerSpec, string? cookieJarPath, IEnumerable<CorsPolicy> policies, Func<string, string?> environment)
    {
        var headers = new List<SecretHeader>();
        foreach (var entry in (headerSpec ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=');
            var name = equals > 0 ? entry[..equals].Trim() : "";
            var variable = equals > 0 ? entry[(equals + 1)..].Trim() : "";
            if (name.Length == 0 || variable.Length == 0)
            {
                throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}' is not Name=ENVIRONMENT_VARIABLE (the value is read from that variable, e.g. Authorization=STAGING_TOKEN)");
            }
            if (!Http.IsToken(name)) throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}': '{name}' is not a header name");
            if (RequestHeaders.IsForbidden(name))
            {
                throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}': a page cannot set {name} (a forbidden request-header name){(name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; give cookies in a cookie jar file (CookieJar)" : "")}");
            }
            if (environment(variable) is not { Length: > 0 } value)
            {
                throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}': the environment variable {variable} is not set or empty");
            }
            if (value.Any(c => c is '\r' or '\n' or '\0')) throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}': the value of {variable} holds a CR, LF or NUL");
            // A header value is bytes: the page's new Headers() throws a TypeError on a character past U+00FF (WebIDL
            // ByteString), so every credentialed case would fail in the page before anything was sent.
            if (value.FirstOrDefault(c => c > '\u00FF') is var wide and not '\0')
            {
                throw new SettingException(ServerUnderTestSettings.AuthHeadersKey, $"entry '{entry}': the value of {variable} holds U+{(int)wide:X4}, a character past U+00FF, which no page can send in a header (its value is bytes)");
            }
            foreach (var policy in policies)
            {
                var listed = policy.AllowedHeaders.Any(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (!listed && !RequestHeaders.IsSafelisted(name, value))
                {
                    throw new SettingException(ServerUnderTestSettings.AuthHeadersKey,
                        $"entry '{entry}': the policy's allowedHeaders does not list {name}, so the policy itself refuses every credentialed call that carries it (`*` does not cover it for credentialed requests); add {name} to allowedHeaders");
                }
            }
            headers.Add(new SecretHeader(name, value, variable));
        }
        IReadOnlyList<JarCookie> cookies = [];
        if (cookieJarPath is { Length: > 0 })
        {
            var path = ServerUnderTestSettings.Resolve(cookieJarPath);
            if (!File.Exists(path)) throw new SettingException(ServerUnderTestSettings.CookieJarKey, Directory.Exists(path) ? $"'{path}' is a folder, not a file" : $"'{path}' does not exist");
            try
            {
                cookies = CookieJar.Read(InputText.Read(path), path);
            }
            catch (Exception e) when (e is CookieJarException or InputFileException)
            {
                throw new SettingException(ServerUnderTestSettings.CookieJarKey, e.Message);
            }
        }
        return new Authentication(headers, cookies);
    }
}
