namespace CorsConformance.Specs.Policies;

/// <summary>How bad a server defect is, by what an attacker gains: a credentialed read is high, a read without
/// credentials low, a defect that browsers refuse anyway (it breaks the API, it opens nothing) informational.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
}

/// <summary>Which of the two browserless detectors looks for a defect. The audit probes a URL with forged origins and
/// knows only the origin the front end uses; the protocol checks of a server under test hold it to its written policy.</summary>
[Flags]
public enum DefectDetectors
{
    /// <summary><c>cors-conformance audit</c> (harness/…/Audit/Auditor.cs).</summary>
    Audit = 1,

    /// <summary>The server-under-test protocol checks (harness/…/ServerUnderTest/ProtocolChecks.cs).</summary>
    ProtocolChecks = 2,
}

/// <summary>One way a server's CORS answers go wrong.</summary>
/// <param name="Id">Stable: the audit's JSON <c>class</c>, its SARIF <c>ruleId</c>, a protocol check's id and test name.</param>
/// <param name="Anchor">The fetch.bs anchor of the rule it breaks (in specs/catalog/anchors.yaml: the catalog lint holds it there).</param>
/// <param name="Severity">The most a finding of it is rated: the audit rates one lower when the answer withholds
/// credentials or is an error page.</param>
/// <param name="Title">One line: what is wrong.</param>
/// <param name="Explanation">Why it matters.</param>
/// <param name="Detection">How it is found: the request sent and what in the answer gives it away.</param>
public sealed record ServerDefect(
    string Id, string Anchor, Severity Severity, string Title, string Explanation, string Detection, DefectDetectors DetectedBy)
{
    public string Url => FetchSpec.Url(Anchor);

    public bool IsDetectedBy(DefectDetectors detector) => DetectedBy.HasFlag(detector);

    public override string ToString() => Id;
}

/// <summary>
/// The one catalog of server defects, the audit's and the protocol checks': each with one id, its anchor, its severity and
/// how it is detected. The forged-origin defects are the union of what CORScanner, Corsy, OWASP ZAP rule 40040 and
/// nuclei's cors-misconfig template test, and take their ids from <see cref="OriginForgeries"/>. A defect added here is
/// reported by the detectors it names; fixtures/…/MisconfiguredServer.cs and BrokenCorsServer.cs must exhibit it on a path
/// (ServerDefectsTests walks this list).
/// </summary>
public static class ServerDefects
{
    private const DefectDetectors Both = DefectDetectors.Audit | DefectDetectors.ProtocolChecks;

    /// <param name="methods">The requests that carry the forged Origin: a GET, or (the attacker's own domain and `null`) a GET,
    /// HEAD or POST — the methods a page sends without a preflight.</param>
    private static ServerDefect Forged(string kind, string title, string explanation, string example, string methods = "a GET") =>
        new(kind, "http-access-control-allow-origin", Severity.High, title, explanation,
            $"{methods} with a forged Origin ({example}) is answered with Access-Control-Allow-Origin naming it", DefectDetectors.Audit);

    public static readonly ServerDefect ReflectedOrigin = Forged(OriginForgeries.ReflectedOrigin, "any origin is reflected",
        "Access-Control-Allow-Origin echoes an arbitrary attacker origin.", "an attacker's own domain", "a GET, HEAD or POST (text/plain)");
    public static readonly ServerDefect NullTrusted = Forged(OriginForgeries.NullTrusted, "the null origin is trusted",
        "`null` is the origin of sandboxed iframes and data: documents, which any attacker can create.", "`null`", "a GET, HEAD or POST (text/plain)");
    public static readonly ServerDefect PrefixMatch = Forged(OriginForgeries.PrefixMatch, "the trusted origin is matched as a prefix",
        "An attacker domain that starts with the trusted host (post-domain) is trusted.", "the trusted origin followed by an attacker's domain");
    public static readonly ServerDefect SuffixMatch = Forged(OriginForgeries.SuffixMatch, "the trusted origin is matched as a suffix",
        "An attacker domain that ends with the trusted host (pre-domain) is trusted.", "an attacker's label glued before the trusted host");
    public static readonly ServerDefect SubstringMatch = Forged(OriginForgeries.SubstringMatch, "the trusted origin is matched as a substring",
        "An origin contained in the trusted one is trusted.", "the trusted origin cut short");
    public static readonly ServerDefect UnescapedDot = Forged(OriginForgeries.UnescapedDot, "a dot in a pattern is not escaped",
        "A host with another character in place of a dot is trusted (a regular expression's `.`).", "the trusted host with a letter for a dot");
    public static readonly ServerDefect AnySubdomain = Forged(OriginForgeries.AnySubdomain, "any subdomain is trusted",
        "Every subdomain is trusted, so one vulnerable or user-controlled subdomain opens the API.", "a sibling, and one level below");
    public static readonly ServerDefect HttpOriginTrusted = Forged(OriginForgeries.HttpOriginTrusted, "the http:// twin of an https:// trusted origin is trusted",
        "A network attacker who controls plain HTTP traffic can read the HTTPS API.", "the trusted host over http://");
    public static readonly ServerDefect OtherPort = Forged(OriginForgeries.OtherPort, "the trusted host is trusted on another port",
        "Another service on the same host (another port is another origin) can read the API.", "the trusted host on another port");
    public static readonly ServerDefect SpecialCharacters = Forged(OriginForgeries.SpecialCharacters, "a host with special characters is trusted",
        "Hosts such as trusted.example_.attacker.test are trusted; whether a browser will send them decides the risk.", "the trusted host followed by `_`, `` ` ``, `{`…");
    public static readonly ServerDefect ThirdPartySandbox = Forged(OriginForgeries.ThirdPartySandbox, "a public code sandbox origin is trusted",
        "Origins such as *.github.io, codepen.io or jsfiddle.net host anyone's code.", "*.github.io, codepen.io, jsfiddle.net");
    public static readonly ServerDefect LocalhostTrusted = Forged(OriginForgeries.LocalhostTrusted, "localhost is trusted",
        "Any local process or page served from localhost can read the API.", "http://localhost, http://127.0.0.1, and both on the ports of development servers: 3000, 4200, 5173, 8080");

    public static readonly ServerDefect StarWithCredentials = new("star-with-credentials", "concept-cors-check", Severity.Low,
        "`*` with credentials",
        "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true; browsers refuse it, but the intent is to trust everyone.",
        "an answer carries Access-Control-Allow-Origin: * and Access-Control-Allow-Credentials: true", Both);
    public static readonly ServerDefect PublicStar = new("public-star", "http-access-control-allow-origin", Severity.Info,
        "`*` without credentials",
        "Any site can read the resource without credentials: fine for public data, a leak for anything behind a network boundary.",
        "a GET with an attacker's Origin is answered with Access-Control-Allow-Origin: * and no credentials", DefectDetectors.Audit);
    public static readonly ServerDefect MultipleAcao = new("multiple-acao", "http-access-control-allow-origin", Severity.Info,
        "several Access-Control-Allow-Origin values",
        "Combined, they match no origin: browsers block the response.",
        "the answer to the trusted origin has more than one Access-Control-Allow-Origin line, or a comma in one", Both);
    public static readonly ServerDefect AcacWrongSpelling = new("acac-wrong-spelling", "http-access-control-allow-credentials", Severity.Info,
        "Access-Control-Allow-Credentials is not exactly `true`",
        "Browsers accept only `true`; `True` or `TRUE` make credentialed calls fail.",
        "an answer carries Access-Control-Allow-Credentials with any value but the bytes `true`", Both);
    public static readonly ServerDefect MissingVary = new("missing-vary", "cors-protocol-and-http-caches", Severity.Low,
        "a dynamic Access-Control-Allow-Origin without Vary: Origin",
        "A cache can serve one origin's answer to another, or an answer without Access-Control-Allow-Origin to a CORS request, which browsers then block.",
        "the answer to an allowed origin names an origin that another origin's answer does not, without a Vary line naming Origin (or `*`); or Access-Control-Allow-Origin differs between the answers to the allowed origin, another origin and a GET without Origin, and one of the others lacks Vary: Origin while a cache may reuse it without asking the server (max-age, Expires, Last-Modified)", Both);
    public static readonly ServerDefect PreflightReflectsAnything = new("preflight-reflects-anything", "http-access-control-allow-methods", Severity.Medium,
        "the preflight allows any method and header with credentials",
        "Access-Control-Allow-Methods/-Headers echo whatever is asked, for a credentialed origin.",
        "a preflight asking for an invented method and header gets both allowed, with an ok status, Access-Control-Allow-Credentials: true and Access-Control-Allow-Origin naming the origin (`*`, which fails every credentialed preflight: informational)", DefectDetectors.Audit);

    public static readonly ServerDefect PreflightAdmitsAnyOrigin = new("preflight-admits-any-origin", "cors-preflight-fetch-0", Severity.Medium,
        "the preflight admits an origin the resource does not",
        "Any site can make your users' browsers send credentialed requests with the methods and headers the preflight allows (PUT, DELETE, a JSON body, a custom header) and the server acts on them; only the answers stay unreadable, so a CSRF defence that relies on a custom header or a JSON Content-Type is void.",
        "a preflight from an attacker's origin asking for PUT with Content-Type (the protocol checks: from the policy's disallowed origin, asking for what the policy allows that needs a preflight) passes the CORS check with credentials (an ok status, Access-Control-Allow-Origin naming that origin, Access-Control-Allow-Credentials: true) and allows a method or header a simple request cannot send, while the GET from that origin is not admitted (a reflected GET is reflected-origin, or disallowed-origin-admitted)", Both);

    public static readonly ServerDefect PreflightNotOk = new("preflight-not-ok", "cors-preflight-fetch-0", Severity.Info,
        "a preflight the policy allows gets no ok status",
        "Browsers do not follow a preflight's redirect, and any status outside 200–299 fails the request the policy allows.",
        "a preflight for an allowed origin and method is answered with a status outside 200–299", DefectDetectors.ProtocolChecks);
    public static readonly ServerDefect DisallowedOriginAdmitted = new("disallowed-origin-admitted", "concept-cors-check", Severity.High,
        "an origin the policy does not allow is admitted",
        "The server trusts more than its policy says: a page at that origin can read the response.",
        "a GET from the policy's disallowed origin, or from an origin allow-lists keep by mistake (localhost and development ports, public code sandboxes) the policy does not allow, is answered with Access-Control-Allow-Origin naming it, or `*`", DefectDetectors.ProtocolChecks);
    public static readonly ServerDefect OriginNotSerialized = new("origin-not-serialized", "concept-cors-check", Severity.Info,
        "Access-Control-Allow-Origin names the allowed origin in a form browsers reject",
        "The CORS check compares the bytes of Access-Control-Allow-Origin with the serialized origin: a trailing slash, capitals, the default port or a Unicode host fail every call from that origin.",
        "the answer to a GET or preflight from an allowed origin names it otherwise than browsers serialize it: in other letter case, with a trailing slash or a path, with the scheme's default port, or with its host in Unicode, or with white space (a line folded mid-value) or a byte past ASCII in it, or in quotation marks (white space around it is stripped, and passes)", DefectDetectors.ProtocolChecks);
    public static readonly ServerDefect OptionsAnsweredAsPreflight = new("options-answered-as-preflight", "cors-preflight-request", Severity.Info,
        "an OPTIONS request without Access-Control-Request-Method is answered as a preflight",
        "A CORS-preflight request is an OPTIONS with Access-Control-Request-Method: a server that answers every OPTIONS as one cannot serve a plain OPTIONS call.",
        "an OPTIONS with an allowed Origin but no Access-Control-Request-Method gets Access-Control-Allow-Methods or -Headers (where the GET's answer carries those lines too, only a plain OPTIONS answered as the preflight is — same ok status, same other lines — counts)", DefectDetectors.ProtocolChecks);
    public static readonly ServerDefect MaxAgeNotDeltaSeconds = new("max-age-not-delta-seconds", "http-access-control-max-age", Severity.Info,
        "Access-Control-Max-Age is not a number of seconds",
        "Browsers ignore it and cache the preflight for their default (5 s).",
        "an answer carries Access-Control-Max-Age that is not delta-seconds", DefectDetectors.ProtocolChecks);
    public static readonly ServerDefect MaxAgeNotPolicy = new("max-age-not-policy", "http-access-control-max-age", Severity.Info,
        "the preflight's Access-Control-Max-Age is not the policy's maxAge",
        "Preflights are cached for another time than the policy promises (5 s when the header is missing).",
        "the answer to an allowed preflight carries another Access-Control-Max-Age than the policy's maxAge, or none (where that preflight fails in browsers, the least one from the same origin — GET, no headers — is read; where it fails too, none is cached: not checked)", DefectDetectors.ProtocolChecks);

    /// <summary>Every defect, the audit's in the order it reports them, then the protocol checks' own.</summary>
    public static readonly IReadOnlyList<ServerDefect> All =
    [
        ReflectedOrigin, NullTrusted, PrefixMatch, SuffixMatch, SubstringMatch, UnescapedDot, AnySubdomain, HttpOriginTrusted, OtherPort,
        SpecialCharacters, ThirdPartySandbox, LocalhostTrusted, StarWithCredentials, PublicStar, MultipleAcao, AcacWrongSpelling, MissingVary,
        PreflightReflectsAnything, PreflightAdmitsAnyOrigin, PreflightNotOk, DisallowedOriginAdmitted, OriginNotSerialized, OptionsAnsweredAsPreflight, MaxAgeNotDeltaSeconds, MaxAgeNotPolicy,
    ];

    /// <summary>The defects one detector looks for, in catalog order.</summary>
    public static IReadOnlyList<ServerDefect> DetectedBy(DefectDetectors detector) => All.Where(d => d.IsDetectedBy(detector)).ToList();

    /// <summary>The defect of an id (a forgery kind of <see cref="OriginForgeries"/> is one); an unknown id is a bug, said.</summary>
    public static ServerDefect Of(string id) =>
        All.FirstOrDefault(d => d.Id == id) ?? throw new ArgumentOutOfRangeException(nameof(id), id, "no server defect has this id (specs/CorsConformance.Specs/Policies/ServerDefects.cs)");
}
