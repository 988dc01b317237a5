using System.Text;

namespace CorsConformance.Specs.Model;

/// <summary>The API or element a page uses to make the request (its initiator). Everything about one is in its
/// <see cref="Initiator"/> in <see cref="Initiators.All"/>; the page's code for it is keyed by the same word in
/// fixtures/pages/matrix.js.</summary>
public enum Api
{
    Fetch,
    Xhr,
    Img,
    Script,
    ModuleScript,
    Preload,
    EventSource,
    Font,
    Beacon,
    Stylesheet,
}

/// <summary>How an initiator's request mode is chosen.</summary>
public enum ModeChoice
{
    /// <summary>Always cors.</summary>
    AlwaysCors,

    /// <summary>The case's <c>mode</c> field (fetch()'s <c>mode</c> option).</summary>
    Chosen,

    /// <summary>cors with a crossorigin attribute, no-cors without one (HTML's CORS settings attribute; the case's
    /// <c>mode</c> field); without one the credentials mode is include.</summary>
    CrossOriginAttribute,

    /// <summary>Follows from the data's type (sendBeacon: cors exactly when the type is not CORS-safelisted).</summary>
    FromContentType,
}

/// <summary>What the page can observe of the response: the oracle's initiator rule and the runner's reading follow from it.</summary>
public enum Observes
{
    /// <summary>fetch(): the status and the header names it can read, or a TypeError.</summary>
    Response,

    /// <summary>XMLHttpRequest: as fetch, but a network error shows status 0 (XHR's "handle errors").</summary>
    ResponseWithErrorStatusZero,

    /// <summary>An element or EventSource: only whether it loaded.</summary>
    Load,

    /// <summary>An element whose content the page reads only when the response is CORS-same-origin: an img's pixels, a
    /// script's error details, a stylesheet's rules.</summary>
    LoadAndContent,

    /// <summary>sendBeacon: nothing of the response; only whether the browser sent the request (the journal says).</summary>
    Sent,
}

/// <summary>The body the target sends on a final answer so that an initiator accepts it, with its Content-Type.</summary>
public sealed record ResponseBody(string ContentType, byte[] Bytes);

/// <summary>
/// One initiator, whole: its case-file word (and matrix.js's), what a case may choose for it, its mode and credentials, what
/// the page observes, and the body the target sends it. The case-file reader, the oracle, the runner, the target and the
/// reports read these and nothing else; adding an initiator is one entry here plus its function in matrix.js.
/// </summary>
/// <param name="Word">The case file's <c>request.api</c> and the key of matrix.js's initiator table.</param>
/// <param name="Description">How reports name it.</param>
/// <param name="IsElement">An element or EventSource: GET only, no author header, no body, issued once, no omit mode.</param>
/// <param name="Credentials">The one credentials mode it always uses, or null when the case chooses.</param>
/// <param name="Sequences">A case may send it more than once (<c>repeat</c>, <c>then</c>); elements are issued once.</param>
/// <param name="Body">The final answer's body; null for the text <c>ok</c> (a fetch or an XHR reads any body).</param>
public sealed record Initiator(
    Api Api,
    string Word,
    string Description,
    bool IsElement,
    ModeChoice Mode,
    CredentialsMode? Credentials,
    Observes Observes,
    bool Sequences,
    ResponseBody? Body)
{
    /// <summary>Whether a case may point it at a data: URL (<c>origins.target: data</c>): every initiator but sendBeacon, which
    /// throws for a URL whose scheme is not an HTTP(S) scheme (Beacon, "sendBeacon" step 3).</summary>
    public bool FetchesDataUrls => Mode != ModeChoice.FromContentType;

    /// <summary>A data: URL holding <see cref="Body"/> (text for a fetch or an XHR), for a request to a data: URL; a script's
    /// body ends in a comment with <paramref name="unique"/>, since the page knows a script's error details by its URL.</summary>
    public string DataUrl(string unique)
    {
        if (Body is not { } body) return "data:text/plain," + Uri.EscapeDataString(unique);
        var bytes = Api is Api.Script or Api.ModuleScript ? [.. body.Bytes, .. Encoding.UTF8.GetBytes($"// {unique}\n")] : body.Bytes;
        return $"data:{body.ContentType.Replace(" ", "", StringComparison.Ordinal)};base64,{Convert.ToBase64String(bytes)}";
    }

    /// <summary>The request's destination (Fetch's "destination"): "script" for a classic or module script, "style" for a
    /// stylesheet, "image", "font"; the empty string for fetch(), XHR, EventSource, a beacon and a preload as=fetch. Main fetch
    /// step 19 blocks a response by its MIME type (and by nosniff) only for a script-like or "style" destination.</summary>
    public string Destination { get; init; } = "";

    /// <summary>Its own processing model (HTML, CSS) reads the response's Content-Type beyond Fetch's checks — a module script
    /// needs a JavaScript MIME type, a stylesheet text/css, EventSource text/event-stream, an img is sniffed — which the oracle
    /// does not model: a case may not give its final answer a Content-Type (the target sends the body's own).</summary>
    public bool ReadsContentType { get; init; }

    /// <summary>Whether it can also run in a data: worker or frame (no DOM there: the script APIs only).</summary>
    public bool RunsWithoutDocument => Api is Api.Fetch or Api.Xhr;
}

/// <summary>Every initiator the catalog can use.</summary>
public static class Initiators
{
    /// <summary>The message of the error the script body throws; the page sees it only when the script is CORS-same-origin.</summary>
    public const string ScriptErrorMessage = "cors-conformance script error";

    // A 1×1 transparent PNG.
    private static readonly ResponseBody Png = new("image/png",
        Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));

    private static readonly ResponseBody Script = new("text/javascript; charset=utf-8", Encoding.UTF8.GetBytes($"throw new Error(\"{ScriptErrorMessage}\");\n"));

    // A TrueType font with .notdef, space and a square "A", made by fixtures/fonts/make-font.py: valid for every engine's font
    // sanitizer, so a font that does not load was not fetched.
    private static readonly ResponseBody Ttf = new("font/ttf", Convert.FromBase64String(
        "AAEAAAAKAIAAAwAgT1MvMkUAQ9EAAAEoAAAAYGNtYXAAdABcAAABlAAAADxnbHlmTjxOOgAAAdgAAAA0aGVhZGFuQ5wAAACsAAAANmhoZWEFegH4AAAA5AAAACRobXR4BdwAyAAAAYgAAAAMbG9jYQANACcAAAHQAAAACG1heHAABQAGAAABCAAAACBuYW1l78SdyQAAAgwAAACKcG9zdAAIACQAAAKYAAAAKAABAAAAAQAAxPGuOV8PPPUAAwPoAAAAAAAAAAAAAAAAAAAAAABkAAAB9AK8AAAAAwACAAAAAAAAAAEAAAMg/zgAAAJYAGQAZAH0AAEAAAAAAAAAAAAAAAAAAAADAAEAAAADAAQAAQAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAwH0AZAABQAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAPz8/PwAAACAAQQMg/zgAAAMgAMgAAAAAAAAAAAAAAAAAAAAgAAACWABkASwAAAJYAGQAAAACAAAAAwAAABQAAwABAAAAFAAEACgAAAAGAAQAAQACACAAQf//AAAAIABB////4f/BAAEAAAAAAAAAAAANAA0AGgABAGQAAAH0ArwAAwAAMxEhEWQBkAK8/UQAAAEAZAAAAfQCvAADAAAzESERZAGQArz9RAAAAAAEADYAAQAAAAAAAQAVAAAAAQAAAAAAAgAHABUAAwABBAkAAQAqABwAAwABBAkAAgAOAEZDb3JzQ29uZm9ybWFuY2UgUHJvYmVSZWd1bGFyAEMAbwByAHMAQwBvAG4AZgBvAHIAbQBhAG4AYwBlACAAUAByAG8AYgBlAFIAZQBnAHUAbABhAHIAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMAAAADACQ="));

    public static readonly IReadOnlyList<Initiator> All =
    [
        new(Api.Fetch, "fetch", "fetch()", false, ModeChoice.Chosen, null, Observes.Response, true, null),
        new(Api.Xhr, "xhr", "XMLHttpRequest", false, ModeChoice.AlwaysCors, null, Observes.ResponseWithErrorStatusZero, true, null),
        // Drawn into a canvas: the page reads the pixels only when the image is CORS-same-origin.
        new(Api.Img, "img", "<img>", true, ModeChoice.CrossOriginAttribute, null, Observes.LoadAndContent, false, Png) { Destination = "image", ReadsContentType = true },
        // The script throws; the page sees the error's details only when the script is CORS-same-origin ("muted errors").
        // A second <script> of the same URL is a request of its own (HTML keeps no list of available scripts), so a script
        // may be a sequence: the HTTP cache's revalidation of a script is observed through it.
        new(Api.Script, "script", "<script>", true, ModeChoice.CrossOriginAttribute, null, Observes.LoadAndContent, true, Script) { Destination = "script" },
        new(Api.ModuleScript, "module-script", "<script type=module>", true, ModeChoice.AlwaysCors, null, Observes.LoadAndContent, false, Script)
        {
            Destination = "script",
            ReadsContentType = true,
        },
        new(Api.Preload, "preload", "<link rel=preload as=fetch crossorigin>", true, ModeChoice.AlwaysCors, null, Observes.Load, false, null),
        new(Api.EventSource, "event-source", "EventSource", true, ModeChoice.AlwaysCors, null, Observes.Load, false,
            new("text/event-stream", Encoding.UTF8.GetBytes("data: ok\n\n"))) { ReadsContentType = true },
        // Fonts are always fetched in cors mode with credentials same-origin (CSS Fonts 4, "font fetching requirements"):
        // an @font-face rule's src, loaded with document.fonts.load().
        new(Api.Font, "font", "@font-face", true, ModeChoice.AlwaysCors, CredentialsMode.SameOrigin, Observes.Load, false, Ttf) { Destination = "font" },
        // A POST with credentials include (Beacon, "sendBeacon"); the page never reads the response.
        new(Api.Beacon, "beacon", "navigator.sendBeacon()", false, ModeChoice.FromContentType, CredentialsMode.Include, Observes.Sent, false, null),
        // <link rel=stylesheet>: the page reads the sheet's cssRules only when it is CORS-same-origin (CSSOM's origin-clean
        // flag); without crossorigin it is fetched no-cors, with credentials include.
        new(Api.Stylesheet, "stylesheet", "<link rel=stylesheet>", true, ModeChoice.CrossOriginAttribute, null, Observes.LoadAndContent, false,
            new("text/css; charset=utf-8", Encoding.UTF8.GetBytes(".cors-conformance { color: green }\n"))) { Destination = "style", ReadsContentType = true },
    ];

    private static readonly Dictionary<Api, Initiator> ByApi = All.ToDictionary(i => i.Api);

    public static Initiator Of(Api api) =>
        ByApi.TryGetValue(api, out var initiator) ? initiator : throw new ArgumentOutOfRangeException(nameof(api), api, "no initiator describes this API: add it to Initiators.All");
}
