using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>What a CORS-preflight request carries (a case with <c>observe: [preflight-headers]</c>): CORS-preflight fetch
/// steps 1-3 and what HTTP-network-or-cache fetch adds (8.12 the `Origin`, 8.15 the `User-Agent` user agents should add).</summary>
public sealed class PreflightRequestOracleTests
{
    private static ResponsePlan AllowsPut => Ok(Acao(), H(HeaderNames.AccessControlAllowMethods, "PUT"), H(HeaderNames.AccessControlAllowHeaders, "x-test"));

    private static CorsCase Observed(RequestSpec request, Topology? origins = null) =>
        Case(request, preflight: AllowsPut, actual: Ok(Acao(origins?.OpaqueOrigin == true ? "null" : Placeholders.Origin)), origins: origins) with { ObservesPreflightHeaders = true };

    private static IEnumerable<IReadOnlyList<string>?> Lines(CorsCase @case) => Oracle.Expect(@case).Allowed.Select(e => e.Get(ObservedFields.PreflightHeaders));

    // 1. "Let preflight be a new request whose method is `OPTIONS`, …" — a new request: its header list holds none of the
    // request's. 2. "Append (`Accept`, `*/*`) to preflight's header list." 3. "Append (`Access-Control-Request-Method`,
    // request's method) to preflight's header list." HTTP-network-or-cache fetch 8.12: "Append a request `Origin` header for
    // httpRequest" (response tainting "cors": the serialized origin). 8.15: "If httpRequest's header list does not contain
    // `User-Agent`, then user agents should" append the environment default `User-Agent` value — a "should": both conform.
    [Test]
    public void A_preflight_carries_accept_the_method_and_the_origin_and_may_carry_the_default_user_agent()
    {
        Assert.That(Lines(Observed(Request("PUT"))), Is.EquivalentTo(new[]
        {
            new[] { "accept: */*", "access-control-request-method: PUT", "origin: {origin}", "user-agent: {user-agent}" },
            new[] { "accept: */*", "access-control-request-method: PUT", "origin: {origin}" },
        }));
    }

    [Test]
    public void The_steps_are_traced_with_their_oracle_method()
    {
        var trace = Oracle.Expect(Observed(Request("PUT"))).Trace.Select(t => t.Id).ToList();
        Assert.That(trace, Is.SupersetOf(new[] { "cors-preflight-fetch-0/2", "cors-preflight-fetch-0/3", "concept-http-network-or-cache-fetch/8.12", "concept-http-network-or-cache-fetch/8.15" }));
    }

    // Step 1 makes a new request: an author header (X-Test) is named in Access-Control-Request-Headers (step 5), never sent.
    [Test]
    public void The_page_s_own_headers_stay_off_the_preflight()
    {
        var @case = Observed(Request("GET", headers: [H("X-Test", "1")]));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.RequestHeaders, Is.EqualTo("x-test"));
            Assert.That(Lines(@case).SelectMany(l => l!), Has.None.StartsWith("x-test"));
            Assert.That(PreflightRequestHeaders.Names(@case.Request), Does.Contain("x-test"), "the observer looks for it");
        }
    }

    // HTTP-network-or-cache fetch 8.20: "Modify httpRequest's header list per HTTP. Do not append a given header if
    // httpRequest's header list contains that header's name." The preflight's list holds none of the page's headers, so a
    // user agent may append, of its own and per HTTP, a header the page also set on its request: cache directives
    // (Cache-Control, Pragma: RFC 9111 lets a client send them) or a priority (Priority: RFC 9218). Its line on the
    // preflight cannot be told from the page's header leaking there, so those names are not judged. Accept-Language is:
    // "`Accept`, `Accept-Charset`, and `Accept-Language` must not be included at this point."
    [Test]
    public void A_header_HTTP_lets_the_user_agent_add_of_its_own_is_not_judged_on_the_preflight()
    {
        var @case = Observed(Request("PUT", headers: [H("Cache-Control", "no-cache"), H("Pragma", "no-cache"), H("Priority", "u=1"), H("Accept-Language", "x_y")]));
        var preflight = new WireRequest(IsPreflight: true, "OPTIONS", 0,
            [H("Accept", "*/*"), H("Access-Control-Request-Method", "PUT"), H("Origin", Placeholders.Origin), H("Cache-Control", "no-cache"), H("Pragma", "no-cache"), H("Priority", "u=1, i")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PreflightRequestHeaders.Names(@case.Request), Has.None.AnyOf("cache-control", "pragma", "priority"));
            Assert.That(PreflightRequestHeaders.Names(@case.Request), Does.Contain("accept-language"));
            Assert.That(PreflightRequestHeaders.Lines(preflight, @case), Is.EqualTo(new[] { "accept: */*", "access-control-request-method: PUT", "origin: {origin}" }));
            Assert.That(Lines(@case).Any(l => l!.SequenceEqual(PreflightRequestHeaders.Lines(preflight, @case))), Is.True, "the observation conforms");
        }
    }

    // 3. "request's method" — as normalizing left it: `patch` is not one of the methods normalized to upper case.
    [Test]
    public void The_method_is_the_request_s_as_normalized()
    {
        var @case = Case(Request("patch"), preflight: Ok(Acao(), H(HeaderNames.AccessControlAllowMethods, "patch")), actual: Ok(Acao())) with { ObservesPreflightHeaders = true };
        Assert.That(Lines(@case), Has.All.Contains("access-control-request-method: patch"));
        var put = Observed(Request("put"));
        Assert.That(Lines(put), Has.All.Contains("access-control-request-method: PUT"));
    }

    // "Byte-serializing a request origin": an opaque origin serializes as `null`.
    [Test]
    public void From_an_opaque_origin_the_preflight_s_origin_is_null()
    {
        var @case = Case(Request("PUT"), preflight: Ok(Acao("null"), H(HeaderNames.AccessControlAllowMethods, "PUT")), actual: Ok(Acao("null")),
            origins: new Topology(PageOrigin.Null)) with { ObservesPreflightHeaders = true };
        Assert.That(Lines(@case), Has.All.Contains("origin: null"));
    }

    [Test]
    public void Nothing_is_predicted_without_a_preflight_or_when_the_case_does_not_ask()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lines(Case(Request("GET"), actual: Ok(Acao())) with { ObservesPreflightHeaders = true }), Has.All.Null);
            Assert.That(Lines(Case(Request("PUT"), preflight: AllowsPut, actual: Ok(Acao()))), Has.All.Null);
            // The user agent's choice is only offered where it can be seen.
            Assert.That(Oracle.Expect(Case(Request("PUT"), preflight: AllowsPut, actual: Ok(Acao()))).Alternatives, Is.Empty);
        }
    }
}

/// <summary>main fetch step 12's branches that refuse a request at its own URL before anything is sent.</summary>
public sealed class RefusedUnsentOracleTests
{
    // main fetch 12, "request's mode is "no-cors"": "1. If request's redirect mode is not "follow", then return a network
    // error." — reached only at a URL that is not same origin with the request's origin (the same-origin branch is first).
    [TestCase(RedirectMode.Error, Place.SameSite)]
    [TestCase(RedirectMode.Manual, Place.CrossSite)]
    public void A_no_cors_request_whose_redirect_mode_is_not_follow_is_a_network_error_at_another_origin(RedirectMode redirect, Place target)
    {
        var @case = Case(Request() with { Mode = RequestMode.NoCors, Redirect = redirect }, redirect: new RedirectPlan(302, Place.Page, 1, [Acao("*")]),
            origins: new Topology(PageOrigin.Origin, target));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.ActualSent, Is.False, "nothing is sent");
            Assert.That(expected.Preflights, Is.Zero);
            Assert.That(expected.Trace.Select(t => t.Id), Has.Member("concept-main-fetch/12.no-cors.1"));
            Assert.That(@case.MayBeRefusedUnsent, Is.True, "the runner sends a control request");
        }
    }

    [Test]
    public void At_the_page_s_own_origin_the_same_origin_branch_comes_first_and_the_redirect_mode_applies_to_the_redirect()
    {
        var @case = Case(Request() with { Mode = RequestMode.NoCors, Redirect = RedirectMode.Manual }, redirect: new RedirectPlan(302, Place.CrossSite, 1, []),
            origins: new Topology(PageOrigin.Origin, Place.Page));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.ActualSent, Is.True);
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("opaqueredirect"));
            Assert.That(expected.Trace.Select(t => t.Id), Has.No.Member("concept-main-fetch/12.no-cors.1"));
            Assert.That(@case.MayBeRefusedUnsent, Is.False);
        }
    }

    // main fetch 12, "request's mode is "same-origin"": "Return a network error." — at the request's own URL on another
    // origin, or from an opaque origin (same origin with no URL) to the embedding page's.
    [TestCase(PageOrigin.Origin, Place.SameSite)]
    [TestCase(PageOrigin.Origin, Place.CrossSite)]
    [TestCase(PageOrigin.Null, Place.Page)]
    public void A_same_origin_request_to_another_origin_is_a_network_error_before_anything_is_sent(PageOrigin page, Place target)
    {
        var @case = Case(Request() with { Mode = RequestMode.SameOrigin }, actual: Ok(Acao("*")), origins: new Topology(page, target));
        var expected = Oracle.Expect(@case);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.ActualSent, Is.False);
            Assert.That(expected.Trace.Select(t => t.Id), Has.Member("concept-main-fetch/12.same-origin"));
            Assert.That(@case.MayBeRefusedUnsent, Is.True);
        }
    }
}

/// <summary>A fetch() whose own URL is about: or blob: — main fetch step 12's branches in order, then scheme fetch.</summary>
public sealed class LocalSchemeOracleTests
{
    private static Expectation Fetch(LocalUrl local, RequestSpec? request = null) =>
        Oracle.Expect(Case(request ?? Request(), origins: new Topology() { Local = local }));

    // Scheme fetch, "about": "If request's current URL's path is the string "blank", then return a new response whose status
    // message is `OK`, header list is « (`Content-Type`, `text/html;charset=utf-8`) », and body is the empty byte sequence"
    // — reached only through main fetch's no-cors branch ("Set request's response tainting to "opaque""): about:blank's origin
    // is opaque, so the same-origin branch never takes it, and in cors mode "request's current URL's scheme is not an
    // HTTP(S) scheme": "Return a network error".
    [TestCase(RequestMode.NoCors, Outcome.Allowed, "concept-scheme-fetch/3.about")]
    [TestCase(RequestMode.Cors, Outcome.Blocked, "concept-main-fetch/12.scheme")]
    [TestCase(RequestMode.SameOrigin, Outcome.Blocked, "concept-main-fetch/12.same-origin")]
    public void About_blank_is_answered_only_in_no_cors_mode_and_then_opaque(RequestMode mode, Outcome outcome, string step)
    {
        var expected = Fetch(LocalUrl.AboutBlank, Request() with { Mode = mode });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(outcome), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Has.Member(step));
            Assert.That(expected.ActualSent, Is.False, "no server takes part");
            if (outcome == Outcome.Allowed)
            {
                Assert.That((expected.Status, expected.Get(ObservedFields.ResponseType)), Is.EqualTo(((int?)0, (string?)"opaque")));
                Assert.That(expected.ReadableHeaders, Is.Empty);
            }
        }
    }

    // Any other about: URL matches no case of scheme fetch's switch: "Return a network error."
    [Test]
    public void Another_about_URL_is_a_network_error_even_in_no_cors_mode()
    {
        var expected = Fetch(LocalUrl.AboutOther, Request() with { Mode = RequestMode.NoCors });
        Assert.That((expected.Outcome, expected.Trace.Any(t => t.Id == "concept-scheme-fetch/4")), Is.EqualTo((Outcome.Blocked, true)));
    }

    // A blob: URL's origin is its blob's (the page's): main fetch's same-origin branch ("response tainting is "basic"") takes
    // it in every mode. Scheme fetch, "blob": "If request's method is not `GET` or blobURLEntry is null, then return a network
    // error"; else the header list « (`Content-Length`, …), (`Content-Type`, type) », all of which a basic response shows.
    [TestCase(RequestMode.Cors)]
    [TestCase(RequestMode.NoCors)]
    public void A_blob_URL_of_the_page_s_own_is_basic_in_every_mode(RequestMode mode)
    {
        var expected = Fetch(LocalUrl.Blob, Request() with { Mode = mode });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Get(ObservedFields.ResponseType), Is.EqualTo("basic"));
            Assert.That(expected.ReadableHeaders, Is.EqualTo(new[] { "content-length", "content-type" }));
            Assert.That(expected.Trace.Select(t => t.Id), Is.SupersetOf(new[] { "concept-main-fetch/12.basic", "concept-scheme-fetch/3.blob.13.4" }));
        }
    }

    [TestCase("HEAD", LocalUrl.Blob)]
    [TestCase("POST", LocalUrl.Blob)]
    [TestCase("GET", LocalUrl.RevokedBlob)]
    public void A_blob_URL_answers_GET_only_and_a_revoked_one_nothing(string method, LocalUrl local)
    {
        var expected = Fetch(local, Request(method, body: method == "POST" ? "x" : null));
        Assert.That((expected.Outcome, expected.Trace.Any(t => t.Id == "concept-scheme-fetch/3.blob.2")), Is.EqualTo((Outcome.Blocked, true)), expected.Reason);
    }
}
