using System.Text;
using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// What the target answers: the status (and reason phrase, if the plan names one) and header lines a plan chose, and a body
/// (the body of the plan's <see cref="ServerPlan.Content"/> initiator on a final answer, so an img, a script or an EventSource accepts it). Writing adds only
/// <see cref="ServerContract.BaselineResponseHeaders"/>: Content-Length, Content-Type (unless the plan set one) and Date.
/// An answer Kestrel cannot write (<see cref="ResponsePlan.IsRaw"/>) is written byte for byte by <see cref="RawBytes"/>.
/// </summary>
internal sealed record TargetAnswer(int Status, IReadOnlyList<Header> Headers, string Body, Api Kind = Api.Fetch, string? Reason = null)
{
    public const string PlainText = ServerContract.PlainTextContentType;

    /// <summary>The message of the error the script body throws: a page that sees it reads the script's error details.</summary>
    private (byte[] Bytes, string ContentType) Content() =>
        Initiators.Of(Kind).Body is { } body ? (body.Bytes, body.ContentType) : (Encoding.UTF8.GetBytes(Body), PlainText);

    public static TargetAnswer BadRequest(string reason) => new(StatusCodes.Status400BadRequest, [], "bad target request: " + reason);

    public static TargetAnswer ServerError(string reason) => new(StatusCodes.Status500InternalServerError, [], "target error: " + reason);

    /// <summary>Whether only the raw path can send this answer.</summary>
    public bool IsRaw => new ResponsePlan(Status, Headers) { Reason = Reason }.IsRaw();

    /// <summary>
    /// Sets the status and every header line on Kestrel's response, and says what Kestrel will send: every line its header
    /// dictionary holds, each name's lines in their order (Kestrel orders different names its own way, which fetch ignores).
    /// Sets Date itself, so that too is known before anything is sent.
    /// </summary>
    /// <exception cref="InvalidOperationException">Kestrel refused a value.</exception>
    public SentResponse Prepare(HttpResponse response, DateTimeOffset now)
    {
        response.StatusCode = Status;
        // One header line a value, in the plan's order within a name. (Append would drop an empty value; a
        // StringValues set whole keeps it.) Kestrel orders lines of different names itself.
        foreach (var lines in Headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
            response.Headers[lines.Key] = new StringValues([.. lines.Select(h => h.Value)]);
        var (bytes, contentType) = Content();
        if (!Headers.Contains(HeaderNames.ContentType)) response.ContentType = contentType;
        // A 204, 205 or 304 has no body: Content-Length 0, which Kestrel leaves off a 204 as RFC 9110 asks.
        response.ContentLength = CanHaveBody(Status) ? bytes.Length : 0;
        if (!Headers.Contains("Date")) response.Headers.Date = now.ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        // Kestrel keeps Content-Length apart from its dictionary and orders names its own way: the record holds every line,
        // in the dictionary's order within a name (the order that matters), Content-Length first as Kestrel writes it.
        List<Header> sent = response.ContentLength is { } length && Status != StatusCodes.Status204NoContent
            ? [new("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [];
        sent.AddRange(response.Headers
            .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => new Header(h.Key, v ?? string.Empty))));
        return new SentResponse(Status, ReasonPhrases.GetReasonPhrase(Status), sent, Raw: false);
    }

    /// <summary>Writes the body Kestrel's response carries (nothing for HEAD, which announces the length GET would get).</summary>
    public async Task WriteBodyAsync(HttpResponse response)
    {
        var body = CanHaveBody(Status) ? Content().Bytes : [];
        if (body.Length == 0 || HttpMethods.IsHead(response.HttpContext.Request.Method)) return;
        await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
    }

    /// <summary>
    /// The whole response as HTTP/1.1 bytes, each char of the plan one byte: the status line (the plan's reason phrase, else
    /// the usual one, else none), the plan's header lines in their order, then the baseline lines the plan does not name
    /// (Content-Type, Content-Length — none on a 204 —, Date), then the body. A 1xx carries the plan's lines only and no
    /// body: it is interim, and the connection closes after it. HEAD, 204, 205 and 304 get no body.
    /// </summary>
    public (byte[] Bytes, SentResponse Sent) RawBytes(bool head, DateTimeOffset now)
    {
        var lines = new List<Header>(Headers);
        var interim = Status is >= 100 and <= 199;
        var (content, contentType) = Content();
        var body = !interim && CanHaveBody(Status) ? content : [];
        if (!interim)
        {
            if (!Headers.Contains(HeaderNames.ContentType)) lines.Add(new(HeaderNames.ContentType, contentType));
            if (!Headers.Contains("Content-Length") && Status != StatusCodes.Status204NoContent) lines.Add(new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!Headers.Contains("Date")) lines.Add(new("Date", now.ToString("r", System.Globalization.CultureInfo.InvariantCulture)));
        }
        var reason = Reason ?? ReasonPhrases.GetReasonPhrase(Status);
        var text = new StringBuilder($"HTTP/1.1 {Status} {reason}\r\n");
        foreach (var line in lines) text.Append(line.Name).Append(": ").Append(line.Value).Append("\r\n");
        text.Append("\r\n");
        byte[] bytes = [.. Encoding.Latin1.GetBytes(text.ToString()), .. head ? [] : body];
        return (bytes, new SentResponse(Status, reason, lines, Raw: true));
    }

    private static bool CanHaveBody(int status) => status is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified);
}
