using CorsConformance.Specs.Model;

namespace CorsConformance.Harness;

/// <summary>
/// The reproduction command a finding or a failure prints: one builder for the audit, the protocol checks and the
/// server-under-test cases, every value quoted for a POSIX shell, so pasting it runs curl and nothing else whatever the
/// URL, an origin or a header holds (<c>$(id)</c>, quotes, backticks).
/// </summary>
public static class CurlCommand
{
    /// <summary>Single quotes for a POSIX shell: inside them nothing is special but the quote itself, written <c>'\''</c>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string For(string method, string url, IEnumerable<Header> headers, string? body = null) =>
        $"curl -i -X {Quote(method)} {Quote(url)}"
        + string.Concat(headers.Select(h => $" -H {Quote($"{h.Name}: {h.Value}")}"))
        + (body is null ? "" : $" --data-raw {Quote(body)}");
}
