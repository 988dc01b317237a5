using System.Globalization;

namespace CorsConformance.Specs.Policies;

/// <summary>An origin forged from a trusted one, and the kind of misconfiguration that would admit it.</summary>
/// <param name="Kind">One of <see cref="OriginForgeries"/>' kind ids; the audit's class ids are the same words.</param>
/// <param name="Trusted">The trusted origin it was forged from.</param>
public sealed record ForgedOrigin(string Kind, string Origin, string Trusted);

/// <summary>
/// The one vocabulary of forged origins: how an attacker's origin is made from a trusted one so that a server matching
/// origins carelessly (a prefix, a suffix, a substring, an unescaped regular-expression dot, any subdomain, any scheme, any
/// port, the opaque `null`, a host with special characters) admits it. The audit sends them as forged `Origin` headers; the
/// server-under-test run opens a page at each and calls the server from there, credentialed and not. Both ask this class,
/// so a kind added here is probed by both.
/// </summary>
public static class OriginForgeries
{
    public const string AttackerDomain = "cors-audit-attacker.test";

    public const string ReflectedOrigin = "reflected-origin";
    public const string NullTrusted = "null-trusted";
    public const string PrefixMatch = "prefix-match";
    public const string SuffixMatch = "suffix-match";
    public const string SubstringMatch = "substring-match";
    public const string UnescapedDot = "unescaped-dot";
    public const string AnySubdomain = "any-subdomain";
    public const string HttpOriginTrusted = "http-origin-trusted";
    public const string OtherPort = "other-port";
    public const string SpecialCharacters = "special-characters";
    public const string ThirdPartySandbox = "third-party-sandbox";
    public const string LocalhostTrusted = "localhost-trusted";

    /// <summary>Every kind, in the order <see cref="From"/> makes them.</summary>
    public static readonly IReadOnlyList<string> Kinds =
    [
        ReflectedOrigin, NullTrusted, PrefixMatch, SuffixMatch, SubstringMatch, AnySubdomain, ThirdPartySandbox, LocalhostTrusted,
        UnescapedDot, HttpOriginTrusted, OtherPort, SpecialCharacters,
    ];

    /// <summary>The kinds made from the trusted origin itself (the others name fixed origins that do not depend on it).</summary>
    public static readonly IReadOnlyList<string> DerivedKinds =
        [NullTrusted, PrefixMatch, SuffixMatch, SubstringMatch, AnySubdomain, UnescapedDot, HttpOriginTrusted, OtherPort, SpecialCharacters];

    /// <summary>Characters a careless host check lets through after the trusted host (`_` first: every engine opens a page
    /// at such a host, so the browser cases use it). Not `|` or `^`: forbidden domain code points, no page has such a host.</summary>
    public static readonly IReadOnlyList<string> SpecialHostCharacters = ["_", "`", "{", "}", "!", "~", ";", "$", "&", "'", "(", ")", "*", "+", ",", "="];

    /// <summary>The ports of local development servers whose origins allow-lists keep (`http://localhost:3000`).</summary>
    public static readonly IReadOnlyList<int> DevelopmentPorts = [3000, 4200, 5173, 8080];

    /// <summary>Every forgery of <paramref name="trustedOrigin"/> (a serialized http(s) origin), each kind at least once.</summary>
    public static IReadOnlyList<ForgedOrigin> From(string trustedOrigin)
    {
        var trusted = new Uri(trustedOrigin);
        var scheme = trusted.Scheme;
        var host = trusted.Host;
        var port = trusted.IsDefaultPort ? "" : ":" + trusted.Port.ToString(CultureInfo.InvariantCulture);
        var labels = host.Split('.');
        var registrable = labels.Length >= 2 ? string.Join('.', labels[^2..]) : host;
        var firstDot = host.IndexOf('.');
        // Another port of the same host: one no default scheme uses, and not the trusted one.
        var otherPort = trusted.IsDefaultPort ? (scheme == "https" ? 8443 : 8080) : trusted.Port == 65535 ? 65534 : trusted.Port + 1;
        // Never the scheme's default, which a serialized origin leaves out (from http://app.test:79, :80 is http://app.test).
        if (otherPort == (scheme == "https" ? 443 : 80)) otherPort++;
        var forged = new List<ForgedOrigin>();
        void Add(string kind, string origin) => forged.Add(new ForgedOrigin(kind, origin, trustedOrigin));

        Add(ReflectedOrigin, $"{scheme}://{AttackerDomain}");
        Add(NullTrusted, "null");
        Add(PrefixMatch, $"{scheme}://{host}.{AttackerDomain}");
        Add(SuffixMatch, $"{scheme}://corsauditattacker{registrable}{port}");
        Add(SubstringMatch, $"{scheme}://{host[..^1]}{port}");
        // A sibling of the trusted host, and a subdomain one level below it.
        Add(AnySubdomain, $"{scheme}://cors-audit-probe.{registrable}{port}");
        Add(AnySubdomain, $"{scheme}://cors-audit-probe.{host}{port}");
        Add(ThirdPartySandbox, "https://cors-audit.github.io");
        Add(ThirdPartySandbox, "https://codepen.io");
        Add(ThirdPartySandbox, "https://jsfiddle.net");
        Add(LocalhostTrusted, "http://localhost");
        Add(LocalhostTrusted, "http://127.0.0.1");
        // A development origin left in an allow-list names its dev server's port: Create React App, Next.js and Express's
        // 3000, Angular's 4200, Vite's 5173, and 8080.
        // The same dev servers reached as 127.0.0.1 (Vite prints both; an allow-list copied from the address bar keeps
        // `http://127.0.0.1:5173`): only localhost's ports were asked, and such a list read clean.
        foreach (var devPort in DevelopmentPorts)
        {
            Add(LocalhostTrusted, $"http://localhost:{devPort.ToString(CultureInfo.InvariantCulture)}");
            Add(LocalhostTrusted, $"http://127.0.0.1:{devPort.ToString(CultureInfo.InvariantCulture)}");
        }
        // The first dot that a letter can stand for: before `xn--bcher-kva.example`'s only dot the label would become
        // punycode no browser decodes (xn--bcher-kvaxexample), so another letter is tried, and none made leaves the kind out
        // (no page an attacker can have is admitted by that dot).
        if (firstDot > 0)
        {
            var dotted = "abcdefghijklmnopqrstuvwxyz".Select(c => $"{scheme}://{host[..firstDot]}{c}{host[(firstDot + 1)..]}{port}")
                .Prepend($"{scheme}://{host[..firstDot]}x{host[(firstDot + 1)..]}{port}").FirstOrDefault(OriginSyntax.CanBeSent);
            if (dotted is not null) Add(UnescapedDot, dotted);
        }
        if (scheme == "https") Add(HttpOriginTrusted, $"http://{host}{port}");
        Add(OtherPort, $"{scheme}://{host}:{otherPort.ToString(CultureInfo.InvariantCulture)}");
        foreach (var c in SpecialHostCharacters) Add(SpecialCharacters, $"{scheme}://{host}{c}.{AttackerDomain}");
        // Only origins a browser can have: made from an IP address or a punycode host, a forgery may be no host at all
        // (`http://[::1].cors-audit-attacker.test`, `http://corsauditattacker0.1`), which no page sends and no browser opens.
        return forged.Where(f => f.Origin == "null" || OriginSyntax.CanBeSent(f.Origin)).ToList();
    }
}
