using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// Main fetch, step 19: "If response is not a network error and any of the following returns blocked … should
/// internalResponse to request be blocked due to its MIME type; should internalResponse to request be blocked due to
/// nosniff, then set response and internalResponse to a network error." Both turn on the request's destination, so they
/// bite only for a script-like one (a classic or module script) or "style" (a stylesheet), whatever the response tainting:
/// a response the CORS check let through, a basic one and an opaque one alike.
/// </summary>
public static class MimeTypeChecks
{
    private const string MimeAnchor = "should-response-to-request-be-blocked-due-to-mime-type?";
    private const string NosniffAnchor = "should-response-to-request-be-blocked-due-to-nosniff?";

    /// <summary>"A destination is script-like if it is "audioworklet", "paintworklet", "script", "serviceworker",
    /// "sharedworker", or "worker"."</summary>
    public static bool IsScriptLike(string destination) =>
        destination is "audioworklet" or "paintworklet" or "script" or "serviceworker" or "sharedworker" or "worker";

    /// <summary>MIME Sniffing, "JavaScript MIME type": an essence among these.</summary>
    public static bool IsJavaScriptMimeType(string essence) => essence is "application/ecmascript" or "application/javascript"
        or "application/x-ecmascript" or "application/x-javascript" or "text/ecmascript" or "text/javascript" or "text/javascript1.0"
        or "text/javascript1.1" or "text/javascript1.2" or "text/javascript1.3" or "text/javascript1.4" or "text/javascript1.5"
        or "text/jscript" or "text/livescript" or "text/x-ecmascript" or "text/x-javascript";

    /// <summary>Fetch "get, decode, and split" a combined value: split at commas outside quoted strings (a quoted string is
    /// kept whole, its quotes and escapes included), each part stripped of HTTP tab or space; null for null.</summary>
    public static IReadOnlyList<string>? GetDecodeAndSplit(string? value)
    {
        if (value is null) return null;
        var values = new List<string>();
        var temporary = new System.Text.StringBuilder();
        var position = 0;
        while (true)
        {
            // "Append the result of collecting a sequence of code points that are not U+0022 (") or U+002C (,)".
            while (position < value.Length && value[position] is not ('"' or ',')) temporary.Append(value[position++]);
            if (position < value.Length && value[position] == '"')
            {
                // "Append the result of collecting an HTTP quoted string from input, given position, to temporaryValue."
                var start = position++;
                while (position < value.Length)
                {
                    if (value[position] == '\\') position = Math.Min(position + 2, value.Length);
                    else if (value[position++] == '"') break;
                }
                temporary.Append(value, start, position - start);
                if (position < value.Length) continue;
            }
            values.Add(Http.TrimOws(temporary.ToString()));
            temporary.Clear();
            if (position >= value.Length) return values;
            position++; // the comma
        }
    }

    /// <summary>Fetch "extract a MIME type", reduced to its essence: the last value of `Content-Type` that parses and is not
    /// <c>*/*</c>; null for failure (no `Content-Type`, or no value that parses).</summary>
    [FetchAnchor("concept-header-extract-mime-type")]
    public static string? ExtractMimeEssence(IEnumerable<Header> headers)
    {
        if (GetDecodeAndSplit(headers.Get(HeaderNames.ContentType)) is not { } values) return null;
        string? essence = null;
        foreach (var value in values)
        {
            // "If temporaryMimeType is failure or its essence is "*/*", then continue." "Set mimeType to temporaryMimeType."
            if (RequestHeaders.MimeEssence(value) is { } parsed && parsed != "*/*") essence = parsed;
        }
        return essence;
    }

    /// <summary>"determine nosniff": "If values[0] is an ASCII case-insensitive match for "nosniff", then return true."</summary>
    [FetchAnchor("determine-nosniff")]
    public static bool DetermineNosniff(IEnumerable<Header> headers) =>
        GetDecodeAndSplit(headers.Get("X-Content-Type-Options")) is [var first, ..] && first.Equals("nosniff", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Should response to request be blocked due to its MIME type?": null for allowed, else why blocked.</summary>
    [FetchAnchor(MimeAnchor)]
    public static string? BlockedDueToMimeType(string destination, IReadOnlyList<Header> response)
    {
        // 1. "Let mimeType be the result of extracting a MIME type from response's header list."
        // 2. "If mimeType is failure, then return allowed."
        if (ExtractMimeEssence(response) is not { } essence) return Took("2", (string?)null);
        // 4. "If destination is script-like and one of the following is true, then return blocked: mimeType's essence starts
        // with "audio/", "image/", or "video/"; mimeType's essence is "text/csv"."
        if (IsScriptLike(destination) && (essence.StartsWith("audio/", StringComparison.Ordinal) || essence.StartsWith("image/", StringComparison.Ordinal)
            || essence.StartsWith("video/", StringComparison.Ordinal) || essence == "text/csv"))
        {
            return Took("4", $"the {essence} response is blocked for a {destination} destination (due to its MIME type)");
        }
        // 5. "Return allowed."
        return null;

        static string? Took(string step, string? result)
        {
            StepTrace.Took(MimeAnchor, step, nameof(BlockedDueToMimeType));
            return result;
        }
    }

    /// <summary>"Should response to request be blocked due to nosniff?": null for allowed, else why blocked.</summary>
    [FetchAnchor(NosniffAnchor)]
    public static string? BlockedDueToNosniff(string destination, IReadOnlyList<Header> response)
    {
        // 1. "If determine nosniff with response's header list is false, then return allowed."
        if (!DetermineNosniff(response)) return Took("1", null);
        // 2. "Let mimeType be the result of extracting a MIME type from response's header list."
        var essence = ExtractMimeEssence(response);
        // 4. "If destination is script-like and mimeType is failure or is not a JavaScript MIME type, then return blocked."
        if (IsScriptLike(destination) && (essence is null || !IsJavaScriptMimeType(essence)))
        {
            return Took("4", $"X-Content-Type-Options: nosniff, and {(essence is null ? "no MIME type" : essence)} is not a JavaScript MIME type (blocked due to nosniff)");
        }
        // 5. "If destination is "style" and mimeType is failure or its essence is not "text/css", then return blocked."
        if (destination == "style" && essence != "text/css")
        {
            return Took("5", $"X-Content-Type-Options: nosniff, and {(essence is null ? "no MIME type" : essence)} is not text/css (blocked due to nosniff)");
        }
        // 6. "Return allowed."
        return Took("6", null);

        static string? Took(string step, string? result)
        {
            StepTrace.Took(NosniffAnchor, step, nameof(BlockedDueToNosniff));
            return result;
        }
    }
}
