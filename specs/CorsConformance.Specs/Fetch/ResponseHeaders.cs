namespace CorsConformance.Specs.Fetch;

/// <summary>Which response headers a page may read from a CORS response.</summary>
public static class ResponseHeaders
{
    private static readonly string[] Safelisted =
        ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"];

    /// <summary>"A CORS-safelisted response-header name, given a list of header names list, is a header name that is a
    /// byte-case-insensitive match for one of `Cache-Control`, `Content-Language`, `Content-Length`, `Content-Type`,
    /// `Expires`, `Last-Modified`, `Pragma`, or any item in list that is not a forbidden response-header name."</summary>
    [FetchAnchor("cors-safelisted-response-header-name")]
    public static bool IsSafelisted(string name, IEnumerable<string> exposed)
    {
        if (Safelisted.Contains(name.ToLowerInvariant()))
        {
            StepTrace.Took("cors-safelisted-response-header-name", "fixed");
            return true;
        }
        var listed = exposed.Any(e => e.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (listed && !IsForbidden(name))
        {
            StepTrace.Took("cors-safelisted-response-header-name", "exposed");
            return true;
        }
        return false;
    }

    /// <summary>"A forbidden response-header name is a header name that is a byte-case-insensitive match for `Set-Cookie` or `Set-Cookie2`."</summary>
    [FetchAnchor("forbidden-response-header-name")]
    public static bool IsForbidden(string name)
    {
        var forbidden = name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase) || name.Equals("set-cookie2", StringComparison.OrdinalIgnoreCase);
        if (forbidden) StepTrace.Took("forbidden-response-header-name", "def");
        return forbidden;
    }
}
