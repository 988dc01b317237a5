using System.Text;
using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// What the target answers: the status and header lines a plan chose, and a body (the plan's <see cref="BodyKind"/> on a
/// final answer, so an img, a script or an EventSource accepts it). Writing adds only
/// <see cref="ServerContract.BaselineResponseHeaders"/>: Content-Length, Content-Type (unless the plan set one) and
/// Kestrel's Date.
/// </summary>
internal sealed record TargetAnswer(int Status, IReadOnlyList<Header> Headers, string Body, BodyKind Kind = BodyKind.Text)
{
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>The message of the error the script body throws: a page that sees it reads the script's error details.</summary>
    public const string ScriptErrorMessage = "cors-conformance script error";

    // A 1×1 transparent PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    // A TrueType font with .notdef, space and a square "A", made by fixtures/fonts/make-font.py: valid for every engine's font
    // sanitizer, so a font that does not load was not fetched.
    private static readonly byte[] Ttf = Convert.FromBase64String(
        "AAEAAAAKAIAAAwAgT1MvMkUAQ9EAAAEoAAAAYGNtYXAAdABcAAABlAAAADxnbHlmTjxOOgAAAdgAAAA0aGVhZGFuQ5wAAACsAAAANmhoZWEFegH4AAAA5AAAACRobXR4BdwAyAAAAYgAAAAMbG9jYQANACcAAAHQAAAACG1heHAABQAGAAABCAAAACBuYW1l78SdyQAAAgwAAACKcG9zdAAIACQAAAKYAAAAKAABAAAAAQAAxPGuOV8PPPUAAwPoAAAAAAAAAAAAAAAAAAAAAABkAAAB9AK8AAAAAwACAAAAAAAAAAEAAAMg/zgAAAJYAGQAZAH0AAEAAAAAAAAAAAAAAAAAAAADAAEAAAADAAQAAQAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAwH0AZAABQAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAPz8/PwAAACAAQQMg/zgAAAMgAMgAAAAAAAAAAAAAAAAAAAAgAAACWABkASwAAAJYAGQAAAACAAAAAwAAABQAAwABAAAAFAAEACgAAAAGAAQAAQACACAAQf//AAAAIABB////4f/BAAEAAAAAAAAAAAANAA0AGgABAGQAAAH0ArwAAwAAMxEhEWQBkAK8/UQAAAEAZAAAAfQCvAADAAAzESERZAGQArz9RAAAAAAEADYAAQAAAAAAAQAVAAAAAQAAAAAAAgAHABUAAwABBAkAAQAqABwAAwABBAkAAgAOAEZDb3JzQ29uZm9ybWFuY2UgUHJvYmVSZWd1bGFyAEMAbwByAHMAQwBvAG4AZgBvAHIAbQBhAG4AYwBlACAAUAByAG8AYgBlAFIAZQBnAHUAbABhAHIAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMAAAADACQ=");

    private (byte[] Bytes, string ContentType) Content() => Kind switch
    {
        BodyKind.Image => (Png, "image/png"),
        BodyKind.Script => (Encoding.UTF8.GetBytes($"throw new Error(\"{ScriptErrorMessage}\");\n"), "text/javascript; charset=utf-8"),
        BodyKind.EventStream => (Encoding.UTF8.GetBytes("data: ok\n\n"), "text/event-stream"),
        BodyKind.Font => (Ttf, "font/ttf"),
        _ => (Encoding.UTF8.GetBytes(Body), PlainText),
    };

    public static TargetAnswer BadRequest(string reason) => new(StatusCodes.Status400BadRequest, [], "bad target request: " + reason);

    public async Task WriteToAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        // One header line a value, in the plan's order within a name. (Append would drop an empty value; a
        // StringValues set whole keeps it.) Kestrel orders lines of different names itself.
        foreach (var lines in Headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
            response.Headers[lines.Key] = new StringValues([.. lines.Select(h => h.Value)]);
        var (bytes, contentType) = Content();
        if (!Headers.Contains(HeaderNames.ContentType)) response.ContentType = contentType;

        // A 204, 205 or 304 has no body: Content-Length 0, which Kestrel leaves off a 204 as RFC 9110 asks.
        var body = CanHaveBody(Status) ? bytes : [];
        response.ContentLength = body.Length;
        // HEAD announces the length GET would get, and sends nothing.
        if (body.Length == 0 || HttpMethods.IsHead(response.HttpContext.Request.Method)) return;
        await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
    }

    private static bool CanHaveBody(int status) => status is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified);
}
