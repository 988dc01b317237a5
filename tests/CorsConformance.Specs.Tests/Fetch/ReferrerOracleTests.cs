using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>The Referer a request and its preflight carry: main fetch "9. If request's referrer is not "no-referrer", then
/// set request's referrer to the result of invoking determine request's referrer"; HTTP-network-or-cache fetch "If
/// httpRequest's referrer is a URL, then … Append (`Referer`, referrerValue)"; CORS-preflight fetch's preflight whose
/// "referrer is request's referrer"; HTTP-redirect fetch "Invoke set request's referrer policy on redirect".</summary>
public sealed class ReferrerOracleTests
{
    private const string PageUrl = "{origin}/pages/matrix.html";
    private const string OriginOnly = "{origin}/";

    private static CorsCase Judged(string? policy, Place target, string method = "PUT", string referrer = RequestSpec.ClientReferrer, RedirectPlan? redirect = null) =>
        Case(Request(method) with { ReferrerPolicy = policy, Referrer = referrer },
            preflight: Ok(Acao(Placeholders.Echo), H(HeaderNames.AccessControlAllowMethods, "PUT")),
            actual: Ok(Acao(Placeholders.Echo)), redirect: redirect, origins: new Topology(Target: target));

    /// <summary>The behaviour where the user agent alters nothing (step 7's MAY not taken): the first allowed.</summary>
    private static Expectation PolicyAlone(CorsCase @case) => Oracle.Expect(@case).Allowed[0];

    // Determine request's referrer, step 8, each policy, for a URL at the page's origin (same origin) and at another.
    [TestCase("no-referrer", Place.Page, "")]
    [TestCase("no-referrer", Place.CrossSite, "")]
    [TestCase("no-referrer-when-downgrade", Place.CrossSite, PageUrl)]
    [TestCase("same-origin", Place.Page, PageUrl)]
    [TestCase("same-origin", Place.SameSite, "")]
    [TestCase("origin", Place.Page, OriginOnly)]
    [TestCase("strict-origin", Place.CrossSite, OriginOnly)]
    [TestCase("origin-when-cross-origin", Place.Page, PageUrl)]
    [TestCase("origin-when-cross-origin", Place.SameSite, OriginOnly)]
    [TestCase("strict-origin-when-cross-origin", Place.Page, PageUrl)]
    [TestCase("strict-origin-when-cross-origin", Place.CrossSite, OriginOnly)]
    [TestCase("unsafe-url", Place.CrossSite, PageUrl)]
    public void Each_policy_determines_the_referer(string policy, Place target, string referer)
    {
        var expected = PolicyAlone(Judged(policy, target));
        Assert.That(expected.Get(ObservedFields.Referer), Is.EqualTo(referer), expected.Reason);
    }

    // CORS-preflight fetch 1: "Let preflight be a new request whose … referrer is request's referrer, referrer policy is
    // request's referrer policy": the preflight's Referer is the request's own.
    [TestCase("unsafe-url")]
    [TestCase("strict-origin-when-cross-origin")]
    [TestCase("no-referrer")]
    public void A_preflight_carries_the_requests_referer(string policy)
    {
        var expected = PolicyAlone(Judged(policy, Place.SameSite));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Preflights, Is.EqualTo(1));
            Assert.That(expected.Get(ObservedFields.PreflightReferer), Is.EqualTo(expected.Get(ObservedFields.Referer)));
        }
    }

    // Main fetch 8: "If request's referrer policy is the empty string, then set request's referrer policy to request's
    // policy container's referrer policy" — the page sets none: "The default referrer policy is
    // "strict-origin-when-cross-origin"."
    [TestCase(Place.Page, PageUrl)]
    [TestCase(Place.SameSite, OriginOnly)]
    public void No_policy_takes_the_default_strict_origin_when_cross_origin(Place target, string referer)
    {
        Assert.That(PolicyAlone(Judged(null, target)).Get(ObservedFields.Referer), Is.EqualTo(referer));
    }

    // The Request constructor: "If referrer is the empty string, then set request's referrer to "no-referrer"" — and main
    // fetch determines nothing for "no-referrer": no Referer in any behaviour.
    [Test]
    public void An_empty_referrer_sends_no_referer_in_any_behaviour()
    {
        var expected = Oracle.Expect(Judged("unsafe-url", Place.SameSite, referrer: ""));
        Assert.That(expected.Allowed.Select(e => e.Get(ObservedFields.Referer)), Is.All.EqualTo(""));
    }

    // Strip url for use as a referrer: "Set url's fragment to null"; the query stays (origin-only flag false).
    [Test]
    public void A_referrer_url_loses_its_fragment_and_keeps_its_query()
    {
        var expected = PolicyAlone(Judged("unsafe-url", Place.CrossSite, referrer: "/a/b.html?q=1#frag"));
        Assert.That(expected.Get(ObservedFields.Referer), Is.EqualTo("{origin}/a/b.html?q=1"));
    }

    // Step 7: "The user agent MAY alter referrerURL or referrerOrigin at this point to enforce arbitrary policy
    // considerations in the interests of minimizing data leakage. For example, the user agent could strip the URL down to
    // an origin, … replace it with an empty string": the policy's referrer, the origin, or none — never more.
    [Test]
    public void The_user_agent_may_send_less_but_never_more()
    {
        var unsafeUrl = Oracle.Expect(Judged("unsafe-url", Place.CrossSite));
        var origin = Oracle.Expect(Judged("origin", Place.CrossSite));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unsafeUrl.Allowed.Select(e => e.Get(ObservedFields.Referer)), Is.EquivalentTo(new[] { PageUrl, OriginOnly, "" }));
            Assert.That(origin.Allowed.Select(e => e.Get(ObservedFields.Referer)), Is.EquivalentTo(new[] { OriginOnly, "" }));
        }
    }

    // Set request's referrer policy on redirect: "If policy is not the empty string, then set request's referrer policy to
    // policy"; parse: "For each token in policy-tokens, if token is a referrer policy and token is not the empty string, then
    // set policy to token" — the last policy wins, other tokens are passed over.
    [TestCase(null, "strict-origin-when-cross-origin", OriginOnly)]
    [TestCase("unsafe-url", "strict-origin-when-cross-origin", PageUrl)]
    [TestCase("no-referrer", "unsafe-url", "")]
    [TestCase("origin, bogus, unsafe-url, not-a-policy", "strict-origin-when-cross-origin", PageUrl)]
    public void A_redirects_referrer_policy_governs_the_next_url(string? header, string policy, string referer)
    {
        var redirect = new RedirectPlan(302, Place.CrossSite, 1, header is null ? [Acao(Placeholders.Echo)] : [Acao(Placeholders.Echo), H("Referrer-Policy", header)]);
        var expected = PolicyAlone(Judged(policy, Place.Page, method: "GET", redirect: redirect));
        Assert.That(expected.Get(ObservedFields.Referer), Is.EqualTo(referer), expected.Reason);
    }

    // Main fetch 9 at the redirect's URL: determine request's referrer takes request's referrer — what the last URL was
    // given — as its source, so a referrer cut to its origin at a cross-origin URL stays so back at the page's origin.
    [Test]
    public void A_referrer_cut_to_its_origin_stays_so_after_the_redirect()
    {
        var redirect = new RedirectPlan(307, Place.Page, 1, [Acao(Placeholders.Echo), H("Referrer-Policy", "unsafe-url")]);
        var expected = PolicyAlone(Judged("strict-origin-when-cross-origin", Place.CrossSite, redirect: redirect));
        Assert.That(expected.Get(ObservedFields.Referer), Is.EqualTo(OriginOnly), expected.Reason);
    }

    [Test]
    public void Parse_a_referrer_policy_header_keeps_the_last_policy()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Referrer.ParsePolicyHeader([]), Is.Empty);
            Assert.That(Referrer.ParsePolicyHeader([H("Referrer-Policy", "bogus")]), Is.Empty);
            Assert.That(Referrer.ParsePolicyHeader([H("Referrer-Policy", "origin"), H("referrer-policy", "same-origin, x")]), Is.EqualTo("same-origin"));
            Assert.That(Referrer.ParsePolicyHeader([H("Referrer-Policy", "Origin")]), Is.Empty, "a referrer policy is a string compared as it is");
        }
    }

    // A case without a referrer judges nothing about the Referer.
    [Test]
    public void A_case_without_a_referrer_does_not_judge_it()
    {
        var expected = Oracle.Expect(Case(Request("PUT") with { ReferrerPolicy = "unsafe-url" }, preflight: Ok(Acao(), H(HeaderNames.AccessControlAllowMethods, "PUT")), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Get(ObservedFields.Referer), Is.Null);
            Assert.That(expected.Get(ObservedFields.PreflightReferer), Is.Null);
            Assert.That(expected.Alternatives, Is.Empty);
        }
    }
}
