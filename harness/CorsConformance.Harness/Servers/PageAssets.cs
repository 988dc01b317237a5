using Microsoft.AspNetCore.Http;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// <c>GET /pages/{file}</c>: the page templates, one flat directory, never cached. Only plain file names of a known type
/// are served, so no request can reach outside the directory.
/// </summary>
internal sealed class PageAssets(string directory)
{
    /// <summary>The runner page's path on the page origin.</summary>
    public const string RunnerPage = Specs.Model.ServerContract.RunnerPagePath;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
    };

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task HandleAsync(HttpContext http)
    {
        var file = http.Request.RouteValues["file"] as string ?? string.Empty;
        if (!IsPlainName(file) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var path = Path.Join(Directory, file);
        if (!File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path, http.RequestAborted);
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>Letters, digits, <c>-</c>, <c>_</c> and inner dots: no separator, no <c>..</c>, no hidden file.</summary>
    private static bool IsPlainName(string file) =>
        file.Length > 0
        && file[0] != '.'
        && !file.Contains("..", StringComparison.Ordinal)
        && file.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
