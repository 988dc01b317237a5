using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Audit;

public enum Severity
{
    Info,
    Low,
    Medium,
    High,
}

/// <summary>One class of CORS misconfiguration the audit looks for: a stable id, what it means, and how it is probed.</summary>
public sealed record AuditClass(string Id, string Title, string Explanation);

/// <summary>
/// The misconfiguration classes: the union of what CORScanner, Corsy, OWASP ZAP rule 40040 and nuclei's cors-misconfig
/// template test, each a documented class. Severity is decided per finding by what an attacker gains (see <see cref="Auditor"/>).
/// </summary>
public static class AuditClasses
{
    public static readonly AuditClass ReflectedOrigin = new(OriginForgeries.ReflectedOrigin, "any origin is reflected", "Access-Control-Allow-Origin echoes an arbitrary attacker origin.");
    public static readonly AuditClass NullTrusted = new(OriginForgeries.NullTrusted, "the null origin is trusted", "`null` is the origin of sandboxed iframes and data: documents, which any attacker can create.");
    public static readonly AuditClass PrefixMatch = new(OriginForgeries.PrefixMatch, "the trusted origin is matched as a prefix", "An attacker domain that starts with the trusted host (post-domain) is trusted.");
    public static readonly AuditClass SuffixMatch = new(OriginForgeries.SuffixMatch, "the trusted origin is matched as a suffix", "An attacker domain that ends with the trusted host (pre-domain) is trusted.");
    public static readonly AuditClass SubstringMatch = new(OriginForgeries.SubstringMatch, "the trusted origin is matched as a substring", "An origin contained in the trusted one is trusted.");
    public static readonly AuditClass UnescapedDot = new(OriginForgeries.UnescapedDot, "a dot in a pattern is not escaped", "A host with another character in place of a dot is trusted (a regular expression's `.`).");
    public static readonly AuditClass AnySubdomain = new(OriginForgeries.AnySubdomain, "any subdomain is trusted", "Every subdomain is trusted, so one vulnerable or user-controlled subdomain opens the API.");
    public static readonly AuditClass HttpOriginTrusted = new(OriginForgeries.HttpOriginTrusted, "an http:// origin is trusted by an https:// resource", "A network attacker who controls plain HTTP traffic can read the HTTPS API.");
    public static readonly AuditClass OtherPort = new(OriginForgeries.OtherPort, "the trusted host is trusted on another port", "Another service on the same host (another port is another origin) can read the API.");
    public static readonly AuditClass SpecialCharacters = new(OriginForgeries.SpecialCharacters, "a host with special characters is trusted", "Hosts such as trusted.example_.attacker.test are trusted; whether a browser will send them decides the risk.");
    public static readonly AuditClass ThirdPartySandbox = new(OriginForgeries.ThirdPartySandbox, "a public code sandbox origin is trusted", "Origins such as *.github.io, codepen.io or jsfiddle.net host anyone's code.");
    public static readonly AuditClass LocalhostTrusted = new(OriginForgeries.LocalhostTrusted, "localhost is trusted", "Any local process or page served from localhost can read the API.");
    public static readonly AuditClass StarWithCredentials = new("star-with-credentials", "`*` with credentials", "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true; browsers refuse it, but the intent is to trust everyone.");
    public static readonly AuditClass MultipleAcao = new("multiple-acao", "several Access-Control-Allow-Origin values", "Combined, they match no origin: browsers block the response.");
    public static readonly AuditClass AcacWrongSpelling = new("acac-wrong-spelling", "Access-Control-Allow-Credentials is not exactly `true`", "Browsers accept only `true`; `True` or `TRUE` make credentialed calls fail.");
    public static readonly AuditClass MissingVary = new("missing-vary", "a dynamic Access-Control-Allow-Origin without Vary: Origin", "Shared caches can serve one origin's answer to another.");
    public static readonly AuditClass PublicStar = new("public-star", "`*` without credentials", "Any site can read the resource without credentials: fine for public data, a leak for anything behind a network boundary.");
    public static readonly AuditClass PreflightReflectsAnything = new("preflight-reflects-anything", "the preflight allows any method and header with credentials", "Access-Control-Allow-Methods/-Headers echo whatever is asked, for a credentialed origin.");

    public static readonly IReadOnlyList<AuditClass> All =
    [
        ReflectedOrigin, NullTrusted, PrefixMatch, SuffixMatch, SubstringMatch, UnescapedDot, AnySubdomain, HttpOriginTrusted, OtherPort,
        SpecialCharacters, ThirdPartySandbox, LocalhostTrusted, StarWithCredentials, PublicStar, MultipleAcao, AcacWrongSpelling, MissingVary,
        PreflightReflectsAnything,
    ];

    /// <summary>The class of a forgery kind (<see cref="OriginForgeries"/>): the audit and the server-under-test run share the words.</summary>
    public static AuditClass Of(string kind) =>
        All.FirstOrDefault(c => c.Id == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "no audit class has this forgery kind's id");
}
