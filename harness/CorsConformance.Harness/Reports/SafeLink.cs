namespace CorsConformance.Harness.Reports;

/// <summary>
/// Which texts of a report may become links: an absolute http: or https: URL only. A report's anchors and deviation links
/// come from files anyone can edit (known-deviations.yaml, a report.json handed to `render`), and a `javascript:` or
/// `data:` URL made live would run in the reader's browser on a click; anything else is shown as text.
/// </summary>
public static class SafeLink
{
    /// <summary>The URL when it may be a link, else null.</summary>
    public static string? Of(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !text.Any(char.IsControl) ? text : null;
}
