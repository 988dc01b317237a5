using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// The Referrer Policy algorithms fetch calls into (https://w3c.github.io/webappsec-referrer-policy/): "determine request's
/// referrer", "strip url for use as a referrer" and "parse a referrer policy from a Referrer-Policy header". Fetch's side —
/// main fetch steps 8 and 9, HTTP-redirect fetch step 19, CORS-preflight fetch step 1 and HTTP-network-or-cache fetch step
/// 8.11 — is the oracle's; the catalog names them by fetch.bs's anchors for a request's referrer and referrer policy.
/// </summary>
/// <remarks>Every referrer a case can give is a URL at the page's own origin (the page's URL, or a path there), and page and
/// target share a scheme: so a referrer URL's origin is the page's, and a downgrade (a potentially trustworthy referrer to a
/// URL that is not) never happens.</remarks>
public static class Referrer
{
    /// <summary>The policy of a page that sets none: HTML's policy container starts with "the default referrer policy",
    /// which Referrer Policy defines: "The default referrer policy is "strict-origin-when-cross-origin"."</summary>
    public const string DefaultPolicy = "strict-origin-when-cross-origin";

    /// <summary>The path of the page's own URL, the referrer "client" stands for (the runner page).</summary>
    public const string PagePath = ServerContract.RunnerPagePath;

    /// <summary>"Parse a referrer policy from a Referrer-Policy header": "1. Let policy-tokens be the result of extracting
    /// header list values given `Referrer-Policy` and response's header list. 2. Let policy be the empty string. 3. For each
    /// token in policy-tokens, if token is a referrer policy and token is not the empty string, then set policy to token.
    /// 4. Return policy." So the last token that is a policy wins, a token that is none is passed over, and no header (or no
    /// policy in it) is the empty string.</summary>
    /// <param name="response">The response's header list, each value as received (normalized).</param>
    [FetchAnchor("concept-request-referrer-policy")]
    public static string ParsePolicyHeader(IReadOnlyList<Header> response)
    {
        var policy = "";
        // Extracting header list values: each `Referrer-Policy` line's value split on commas (its ABNF is
        // 1#( policy-token / extension-token )), each token without the whitespace around it.
        var tokens = response.Where(h => string.Equals(h.Name, "Referrer-Policy", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(','))
            .Select(t => t.Trim(' ', '\t'));
        foreach (var token in tokens)
        {
            if (token != "" && RequestSpec.ReferrerPolicies.Contains(token)) policy = token;
        }
        return policy;
    }

    /// <summary>"Strip url for use as a referrer" for a URL at the page's origin: "3. Set url's username to the empty string.
    /// 4. Set url's password to null. 5. Set url's fragment to null. 6. If the origin-only flag is true, then: 1. Set url's
    /// path to « the empty string ». 2. Set url's query to null." (Steps 1 and 2 return no referrer for a null URL and a local
    /// scheme; a case's referrer is an http(s) URL.) The result is serialized with the page's origin as its token:
    /// <c>{origin}/</c> for the origin alone.</summary>
    /// <param name="pathQueryFragment">The URL's path, query and fragment, as the case gives them (<c>/a?b#c</c>).</param>
    [FetchAnchor("concept-request-referrer")]
    public static string Strip(string pathQueryFragment, bool originOnly)
    {
        if (originOnly) return Oracle.PageOriginToken + "/";
        var fragment = pathQueryFragment.IndexOf('#', StringComparison.Ordinal);
        return Oracle.PageOriginToken + (fragment < 0 ? pathQueryFragment : pathQueryFragment[..fragment]);
    }

    /// <summary>"Determine request's referrer", steps 3 to 8, for a request whose referrer is a URL at the page's origin
    /// (the client's URL or a URL the page gave); null is "no referrer".</summary>
    /// <param name="policy">The request's referrer policy (never empty: main fetch has set it).</param>
    /// <param name="referrerSource">The referrer's path, query and fragment at the page's origin, or a value this algorithm
    /// returned before (a serialized URL beginning with the origin token), which a redirect's main fetch takes as its source.</param>
    /// <param name="currentIsPageOrigin">Whether request's current URL is same origin with the referrer URL (the page's origin).</param>
    /// <param name="alteration">What the user agent does at step 7, which it MAY do.</param>
    [FetchAnchor("concept-request-referrer")]
    public static string? Determine(string policy, string referrerSource, bool currentIsPageOrigin, ReferrerAlteration alteration)
    {
        var path = referrerSource.StartsWith(Oracle.PageOriginToken, StringComparison.Ordinal) ? referrerSource[Oracle.PageOriginToken.Length..] : referrerSource;
        // 4. "Let referrerURL be the result of stripping referrerSource for use as a referrer."
        string? referrerUrl = Strip(path, originOnly: false);
        // 5. "Let referrerOrigin be the result of stripping referrerSource for use as a referrer, with the origin-only flag set to true."
        string? referrerOrigin = Strip(path, originOnly: true);
        // 6. "If the result of serializing referrerURL is a string whose length is greater than 4096, set referrerURL to
        // referrerOrigin." (The reader keeps a case's referrer far below it.)
        // 7. "The user agent MAY alter referrerURL or referrerOrigin at this point to enforce arbitrary policy considerations
        // in the interests of minimizing data leakage. For example, the user agent could strip the URL down to an origin,
        // modify its host, replace it with an empty string, etc."
        switch (alteration)
        {
            case ReferrerAlteration.None:
                break;
            case ReferrerAlteration.StripToOrigin:
                referrerUrl = referrerOrigin;
                break;
            case ReferrerAlteration.Omit:
                referrerUrl = referrerOrigin = null;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(alteration), alteration, "not a referrer alteration");
        }
        // 8. "Execute the statements corresponding to the value of policy". Page and target share a scheme, so "referrerURL
        // is a potentially trustworthy URL and request's current URL is not a potentially trustworthy URL" never holds.
        return policy switch
        {
            "no-referrer" => null,
            "no-referrer-when-downgrade" => referrerUrl,
            "same-origin" => currentIsPageOrigin ? referrerUrl : null,
            "origin" => referrerOrigin,
            "strict-origin" => referrerOrigin,
            "origin-when-cross-origin" => currentIsPageOrigin ? referrerUrl : referrerOrigin,
            "strict-origin-when-cross-origin" => currentIsPageOrigin ? referrerUrl : referrerOrigin,
            "unsafe-url" => referrerUrl,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "not a referrer policy"),
        };
    }
}

/// <summary>What a user agent does at step 7 of "determine request's referrer" ("The user agent MAY alter referrerURL or
/// referrerOrigin … in the interests of minimizing data leakage"): each is a conforming behaviour, applied at every
/// determination of a request.</summary>
public enum ReferrerAlteration
{
    /// <summary>Nothing altered: the policy alone decides.</summary>
    None,

    /// <summary>"strip the URL down to an origin": referrerURL becomes referrerOrigin.</summary>
    StripToOrigin,

    /// <summary>"replace it with an empty string": no referrer at all.</summary>
    Omit,
}
