namespace CorsConformance.Specs.Policies;

/// <summary>
/// What makes a URL unusable as a resource a page calls, one rule for every place a server under test's URL comes from
/// (the settings' TargetUrl, a policy's absolute route, a <c>CorsTarget</c> of the NUnit package).
/// </summary>
public static class ResourceUrl
{
    /// <summary>Why <paramref name="url"/> cannot be called from a page, or null. fetch() throws on a URL that includes
    /// credentials before anything is sent, so every case was blocked by the page itself: "allowed" ones failed as the
    /// browser departing from the standard, "refused" ones passed unchecked. The message never repeats the password.</summary>
    public static string? Problem(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")) return $"'{url}' is not an absolute http(s) URL";
        if (url.UserInfo.Length > 0)
        {
            return $"'{url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped)}' has a user name or password (user:pass@), "
                + "which fetch() refuses before sending anything: give the URL without it, and credentials through AuthHeaders or CookieJar";
        }
        if (url.Port == 0) return $"'{url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped)}' has port 0, which no server listens on";
        return null;
    }
}
