namespace CorsConformance.Specs.Model;

/// <summary>The header names the CORS protocol speaks of, one line each.</summary>
public static class HeaderNames
{
    public const string Origin = "Origin";
    public const string Accept = "Accept";
    public const string AcceptLanguage = "Accept-Language";
    public const string UserAgent = "User-Agent";
    public const string AccessControlAllowOrigin = "Access-Control-Allow-Origin";
    public const string AccessControlAllowCredentials = "Access-Control-Allow-Credentials";
    public const string AccessControlAllowMethods = "Access-Control-Allow-Methods";
    public const string AccessControlAllowHeaders = "Access-Control-Allow-Headers";
    public const string AccessControlExposeHeaders = "Access-Control-Expose-Headers";
    public const string AccessControlMaxAge = "Access-Control-Max-Age";
    public const string AccessControlRequestMethod = "Access-Control-Request-Method";
    public const string AccessControlRequestHeaders = "Access-Control-Request-Headers";
    public const string ContentType = "Content-Type";
    public const string ContentLength = "Content-Length";
    public const string Cookie = "Cookie";
    public const string SetCookie = "Set-Cookie";
    public const string Authorization = "Authorization";
    public const string Referer = "Referer";
    public const string Location = "Location";
    public const string Vary = "Vary";
    public const string Date = "Date";
}
