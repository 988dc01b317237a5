using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// What gives a <see cref="ServerDefect"/> away in a server's answer (its header lines, as they came). The audit and the
/// protocol checks read answers through these, so a defect both look for is recognised the same way by both.
/// </summary>
public static class DefectSigns
{
    /// <summary>Every Access-Control-Allow-Origin line's value, in order.</summary>
    public static IReadOnlyList<string> AllowOriginLines(IEnumerable<Header> headers) =>
        headers.Where(h => h.Name.Equals(HeaderNames.AccessControlAllowOrigin, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();

    /// <summary><c>multiple-acao</c>: more than one Access-Control-Allow-Origin line, or a list in one (the header holds one origin).</summary>
    public static bool HasSeveralAllowOrigins(IEnumerable<Header> headers) =>
        AllowOriginLines(headers) is var lines && (lines.Count > 1 || lines.Any(l => l.Contains(',')));

    /// <summary><c>star-with-credentials</c>: Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.</summary>
    public static bool IsStarWithCredentials(IEnumerable<Header> headers) =>
        headers.Get(HeaderNames.AccessControlAllowOrigin) == "*" && headers.Get(HeaderNames.AccessControlAllowCredentials) == "true";

    /// <summary><c>acac-wrong-spelling</c>: Access-Control-Allow-Credentials present with any value but the bytes <c>true</c>.</summary>
    public static bool HasMisspelledCredentials(IEnumerable<Header> headers) =>
        headers.Get(HeaderNames.AccessControlAllowCredentials) is { } value && value != "true";

    /// <summary>Whether a Vary line names Origin (or is `*`): what a response whose Access-Control-Allow-Origin depends on the
    /// request's Origin needs, so that a shared cache keeps one origin's answer from another.</summary>
    public static bool VariesOnOrigin(IEnumerable<Header> headers) =>
        headers.Where(h => h.Name.Equals(HeaderNames.Vary, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Any(v => v == "*" || v.Equals("Origin", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <c>missing-vary</c>: Access-Control-Allow-Origin names an origin that depends on the request's Origin, and no Vary
    /// line says so. It depends on the Origin when another origin's answer names another value (a server that always names
    /// one fixed origin needs no Vary); with no other answer to compare (<paramref name="anotherOrigin"/> null), a value
    /// other than `*` is taken to depend on it.
    /// </summary>
    public static bool LacksVaryOnOrigin(IEnumerable<Header> answer, IEnumerable<Header>? anotherOrigin)
    {
        var acao = answer.Get(HeaderNames.AccessControlAllowOrigin);
        var dependsOnOrigin = acao is not null && acao != "*"
            && (anotherOrigin is null || anotherOrigin.Get(HeaderNames.AccessControlAllowOrigin) != acao);
        return dependsOnOrigin && !VariesOnOrigin(answer);
    }
}
