namespace CorsConformance.Specs.Fetch;

/// <summary>Fetch's method rules.</summary>
public static class Methods
{
    private static readonly string[] Normalized = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

    /// <summary>"To normalize a method, if it is a byte-case-insensitive match for `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST`,
    /// or `PUT`, byte-uppercase it." Any other method (e.g. <c>patch</c>) is left as it is.</summary>
    [FetchAnchor("concept-method-normalize")]
    public static string Normalize(string method) =>
        Normalized.FirstOrDefault(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) ?? method;

    /// <summary>"A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`." (byte-exact, after normalization)</summary>
    [FetchAnchor("cors-safelisted-method")]
    public static bool IsCorsSafelisted(string method) => method is "GET" or "HEAD" or "POST";

    /// <summary>"A forbidden method is a method that is a byte-case-insensitive match for `CONNECT`, `TRACE`, or `TRACK`."</summary>
    [FetchAnchor("forbidden-method")]
    public static bool IsForbidden(string method) =>
        method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase)
        || method.Equals("TRACE", StringComparison.OrdinalIgnoreCase)
        || method.Equals("TRACK", StringComparison.OrdinalIgnoreCase);
}
