using System.Text;
using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// What the target answers: the status and header lines a plan chose, and a body. Writing adds only
/// <see cref="ServerContract.BaselineResponseHeaders"/>: Content-Length, Content-Type (unless the plan set one) and
/// Kestrel's Date.
/// </summary>
internal sealed record TargetAnswer(int Status, IReadOnlyList<Header> Headers, string Body)
{
    public const string PlainText = "text/plain; charset=utf-8";

    public static TargetAnswer BadRequest(string reason) => new(StatusCodes.Status400BadRequest, [], "bad target request: " + reason);

    public async Task WriteToAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        // One header line a value, in the plan's order within a name. (Append would drop an empty value; a
        // StringValues set whole keeps it.) Kestrel orders lines of different names itself.
        foreach (var lines in Headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
            response.Headers[lines.Key] = new StringValues([.. lines.Select(h => h.Value)]);
        if (!Headers.Contains(HeaderNames.ContentType)) response.ContentType = PlainText;

        // A 204, 205 or 304 has no body: Content-Length 0, which Kestrel leaves off a 204 as RFC 9110 asks.
        var body = CanHaveBody(Status) ? Encoding.UTF8.GetBytes(Body) : [];
        response.ContentLength = body.Length;
        // HEAD announces the length GET would get, and sends nothing.
        if (body.Length == 0 || HttpMethods.IsHead(response.HttpContext.Request.Method)) return;
        await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
    }

    private static bool CanHaveBody(int status) => status is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified);
}
