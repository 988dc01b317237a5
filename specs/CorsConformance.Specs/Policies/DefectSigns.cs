using CorsConformance.Specs.Fetch;
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

    /// <summary>The usual cause of <c>multiple-acao</c>, from the lines' shape: two lines are two layers each adding the header
    /// (HAProxy's add-header in front of an application that sets it gave two values, found against real servers); one line
    /// with a comma is a list of origins written where one belongs. Null when the answer has neither.</summary>
    public static string? SeveralAllowOriginsCause(IEnumerable<Header> headers) => AllowOriginLines(headers) switch
    {
        { Count: > 1 } => "two lines usually mean two layers each add the header — a proxy in front (nginx add_header, Apache Header set, HAProxy add-header, Caddy's header) "
            + "and the application's CORS layer, or two CORS middlewares: let one of them answer CORS",
        [var one] when one.Contains(',') => "a list in one line: the header holds one origin; send the request's Origin back when it is in your list, not the list",
        _ => null,
    };

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
    /// <c>missing-vary</c>, on one answer: Access-Control-Allow-Origin names an origin that depends on the request's Origin,
    /// and no Vary line says so. It depends on the Origin when another origin's answer names another value (a server that
    /// always names one fixed origin needs no Vary); with no other answer to compare (<paramref name="anotherOrigin"/> null),
    /// a value other than `*` is taken to depend on it.
    /// </summary>
    public static bool LacksVaryOnOrigin(IEnumerable<Header> answer, IEnumerable<Header>? anotherOrigin)
    {
        var acao = answer.Get(HeaderNames.AccessControlAllowOrigin);
        var dependsOnOrigin = acao is not null && acao != "*"
            && (anotherOrigin is null || anotherOrigin.Get(HeaderNames.AccessControlAllowOrigin) != acao);
        return dependsOnOrigin && !VariesOnOrigin(answer);
    }

    /// <summary>
    /// <c>missing-vary</c> over a resource's answers: the allowed origin's, another origin's and a request's without Origin (a
    /// navigation, an &lt;img&gt; without crossorigin), as fetch.bs's "CORS protocol and HTTP caches" reads them: where
    /// Access-Control-Allow-Origin is neither `*` nor one fixed origin sent on every answer, Vary is to be used — on every
    /// answer, or a cache that kept an answer without Access-Control-Allow-Origin (the standard's example: one to a request
    /// without Origin) hands it to a later CORS request, which the browser then blocks. The allowed origin's answer needs
    /// Vary whenever it names an origin that depends on the Origin (a shared cache can hand it to another origin); the
    /// others need it when a cache may reuse them without asking the server (<see cref="Http.Freshness"/>): one that no
    /// cache keeps fresh does no harm. Null when no answer lacks it.
    /// </summary>
    /// <param name="allowedOrigin">The origin the allowed answer was asked for, for the sentence.</param>
    /// <remarks>An empty value (HAProxy's unconditional `set-header Access-Control-Allow-Origin "%[var(txn.origin)]"` to an
    /// origin it does not admit) is named "an empty Access-Control-Allow-Origin", never left blank in the sentence.</remarks>
    public static VaryGap? MissingVary(string allowedOrigin, ResourceAnswer allowed, ResourceAnswer? anotherOrigin, ResourceAnswer? withoutOrigin)
    {
        var acao = allowed.Headers.Get(HeaderNames.AccessControlAllowOrigin);
        if (LacksVaryOnOrigin(allowed.Headers, anotherOrigin?.Headers))
        {
            var theirs = anotherOrigin?.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            var shows = anotherOrigin is null ? "without another origin's answer to compare, a value other than `*` is taken to"
                : $"{anotherOrigin.Asker} gets {(theirs is null ? "none" : string.IsNullOrWhiteSpace(theirs) ? "an empty Access-Control-Allow-Origin" : theirs)}";
            return new VaryGap(allowed, $"Access-Control-Allow-Origin: {acao} depends on the request's Origin ({shows}) but Vary does not name Origin: a shared cache can serve one origin's answer to another (browsers do not read Vary in the CORS check: the request is allowed or blocked as without it)");
        }
        // A server that does not admit the allowed origin has nothing a cache could keep from it.
        if (acao is null) return null;
        foreach (var other in new[] { withoutOrigin, anotherOrigin }.OfType<ResourceAnswer>())
        {
            var theirs = other.Headers.Get(HeaderNames.AccessControlAllowOrigin);
            if (theirs == acao || VariesOnOrigin(other.Headers) || Http.Freshness(other.Headers, other.Status) is not { } fresh) continue;
            return new VaryGap(other,
                $"the answer to {other.Asker} has {(theirs is null ? "no Access-Control-Allow-Origin" : string.IsNullOrWhiteSpace(theirs) ? "an empty Access-Control-Allow-Origin" : $"Access-Control-Allow-Origin: {theirs}")} and no Vary: Origin, "
                + $"and {fresh} lets a cache reuse it without asking the server: a later request from {allowedOrigin} can be answered from that cache "
                + $"and blocked, though the server answers {allowedOrigin} with Access-Control-Allow-Origin: {acao} "
                + (acao == "*" && theirs is null ? "(send `*` on every answer, or Vary: Origin on every answer)" : "(send Vary: Origin on every answer of the resource)"));
        }
        return null;
    }
}

/// <summary>One answer of a resource, as missing-vary reads it: who asked (in words: "a request without Origin"), its
/// status and its header lines.</summary>
public sealed record ResourceAnswer(string Asker, int Status, IReadOnlyList<Header> Headers)
{
    /// <summary>Who asked, for the answer to a request without Origin (the audit and the protocol checks send one).</summary>
    public const string WithoutOrigin = "a GET without Origin (a navigation, an <img> without crossorigin)";
}

/// <summary>The answer that lacks the Vary: Origin it needs, and the sentence that says why it matters.</summary>
public sealed record VaryGap(ResourceAnswer Answer, string Message);
