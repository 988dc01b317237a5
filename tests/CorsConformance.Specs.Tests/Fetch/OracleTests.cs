using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>One test (or one group of cases) per rule the oracle applies, each with inputs that fail if the rule is wrong.</summary>
public sealed class OracleTests
{
    private const string Origin = Oracle.PageOriginToken;

    // --- CORS check --------------------------------------------------------------------------------------------------

    [TestCase(null, CredentialsMode.SameOrigin, false)]
    [TestCase("*", CredentialsMode.SameOrigin, true)]
    [TestCase("*", CredentialsMode.Include, false)]
    [TestCase(Origin, CredentialsMode.SameOrigin, true)]
    [TestCase(Origin + "/", CredentialsMode.SameOrigin, false)]
    [TestCase("{ORIGIN}", CredentialsMode.SameOrigin, false)]
    [TestCase("null", CredentialsMode.SameOrigin, false)]
    public void The_CORS_check_matches_ACAO_byte_for_byte_or_star_without_credentials(string? acao, CredentialsMode credentials, bool ok)
    {
        IReadOnlyList<Header> headers = acao is null ? [] : [Acao(acao), Acac()];
        Assert.That(Oracle.CorsCheck(Origin, credentials, headers).Ok, Is.EqualTo(ok));
    }

    /// <summary>The failure names the byte difference when Access-Control-Allow-Origin names the origin in another form
    /// (fetch.bs "CORS check" step 4 compares the byte-serialized origin), so the reader need not spot a slash.</summary>
    [TestCase(Origin + "/", "trailing slash")]
    [TestCase("{ORIGIN}", "letter case")]
    [TestCase("https://app.example.com:443", "default port 443")]
    public void A_failed_CORS_check_names_how_the_value_differs_from_the_origin(string acao, string how)
    {
        var origin = acao.StartsWith("https://", StringComparison.Ordinal) ? "https://app.example.com" : Origin;
        var check = Oracle.CorsCheck(origin, CredentialsMode.SameOrigin, [Acao(acao)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Ok, Is.False);
            Assert.That(check.Reason, Does.Contain(how).And.Contain("compares bytes"));
        }
    }

    // "A header value is a byte sequence that … has no leading or trailing HTTP tab or space bytes": what the browser reads
    // from a response is normalized first, whichever CORS header it is.
    [TestCase(" " + Origin, CredentialsMode.SameOrigin)]
    [TestCase("\t" + Origin + "\t", CredentialsMode.Include)]
    [TestCase(Origin + " ", CredentialsMode.Include)]
    [TestCase(" *", CredentialsMode.SameOrigin)]
    public void Spaces_and_tabs_around_a_response_header_value_are_not_part_of_it(string acao, CredentialsMode credentials)
    {
        var expected = Oracle.Expect(Case(Request(credentials: credentials), actual: Ok(Acao(acao), Acac(" true\t"))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
    }

    [Test]
    public void Normalized_ACAM_ACAH_and_ACEH_values_are_read_as_their_tokens()
    {
        var expected = Oracle.Expect(Case(Request("PUT", headers: [H("X-Custom", "1")]),
            preflight: Ok(Acao(" " + Origin), H("Access-Control-Allow-Methods", "\tPUT "), H("Access-Control-Allow-Headers", " X-Custom\t")),
            actual: Ok(Acao(Origin + "\t"), H("Access-Control-Expose-Headers", " X-Exposed "), H("X-Exposed", "1"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.ReadableHeaders, Does.Contain("x-exposed"));
        }
    }

    [TestCase(" null")]
    [TestCase("null\t")]
    public void A_normalized_null_matches_an_opaque_origin(string acao)
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(acao)), origins: new Topology(PageOrigin.Null)));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
    }

    [Test]
    public void Normalizing_strips_only_HTTP_whitespace_at_the_ends()
    {
        Assert.That(Http.Normalize(" \t\r\na b\t \n"), Is.EqualTo("a b"));
        Assert.That(Http.Normalize("\va\f"), Is.EqualTo("\va\f"));
    }

    // Headers' append() and XHR's setRequestHeader(): "Normalize value." — the safelist judges the bare value.
    [TestCase("Range", " bytes=0-\t", 0)]
    [TestCase("Accept-Language", "en\t", 0)]
    [TestCase("Accept-Language", "en,\tde", 1)]
    public void A_request_header_value_is_normalized_before_the_safelist_judges_it(string name, string value, int preflights)
    {
        var expected = Oracle.Expect(Case(Request(headers: [H(name, value)]), preflight: Ok(Acao(), H("Access-Control-Allow-Headers", name)), actual: Ok(Acao())));
        Assert.That(expected.Preflights, Is.EqualTo(preflights));
    }

    [Test]
    public void Two_ACAO_lines_combine_into_one_value_that_matches_nothing()
    {
        Assert.That(Oracle.CorsCheck(Origin, CredentialsMode.SameOrigin, [Acao(), Acao()]).Ok, Is.False);
    }

    [TestCase(null, false)]
    [TestCase("true", true)]
    [TestCase("TRUE", false)]
    [TestCase("True", false)]
    [TestCase("false", false)]
    public void With_credentials_ACAC_must_be_exactly_true(string? acac, bool ok)
    {
        IReadOnlyList<Header> headers = acac is null ? [Acao()] : [Acao(), Acac(acac)];
        Assert.That(Oracle.CorsCheck(Origin, CredentialsMode.Include, headers).Ok, Is.EqualTo(ok));
    }

    // --- What needs a preflight ---------------------------------------------------------------------------------------

    [TestCase("GET", 0)]
    [TestCase("get", 0)]
    [TestCase("POST", 0)]
    [TestCase("PUT", 1)]
    [TestCase("patch", 1)]
    public void A_preflight_is_sent_for_a_method_that_is_not_safelisted_after_normalization(string method, int preflights)
    {
        var expected = Oracle.Expect(Case(Request(method), preflight: Ok(Acao(), H("Access-Control-Allow-Methods", "PUT, patch")), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Preflights, Is.EqualTo(preflights));
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
        }
    }

    [Test]
    public void A_preflight_announces_the_unsafe_names_lowercased_sorted_and_comma_separated()
    {
        var expected = Oracle.Expect(Case(Request(headers: [H("X-Zeta", "1"), H("X-Alpha", "2"), H("Accept", "a")]),
            preflight: Ok(Acao(), H("Access-Control-Allow-Headers", "*")), actual: Ok(Acao())));
        Assert.That(expected.RequestHeaders, Is.EqualTo("x-alpha,x-zeta"));
    }

    [Test]
    public void A_forbidden_request_header_is_dropped_and_cannot_trigger_a_preflight()
    {
        var expected = Oracle.Expect(Case(Request(headers: [H("Proxy-Authorization", "x")]), actual: Ok(Acao())));
        Assert.That(expected.Preflights, Is.Zero);
    }

    [Test]
    public void A_string_body_adds_a_safelisted_text_plain_content_type()
    {
        var expected = Oracle.Expect(Case(Request("POST", body: "x"), actual: Ok(Acao())));
        Assert.That(expected.Preflights, Is.Zero);
    }

    [Test]
    public void XHR_combines_repeated_headers_so_two_100_byte_values_exceed_128_bytes_while_fetch_keeps_them_apart()
    {
        Header[] twoLines = [H("Accept", new string('a', 100)), H("Accept", new string('b', 100))];
        var plan = (preflight: Ok(Acao(), H("Access-Control-Allow-Headers", "Accept")), actual: Ok(Acao()));
        var xhr = Oracle.Expect(Case(Request(api: Api.Xhr, headers: twoLines), plan.preflight, plan.actual));
        var fetch = Oracle.Expect(Case(Request(api: Api.Fetch, headers: twoLines), plan.preflight, plan.actual));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(xhr.Preflights, Is.EqualTo(1));
            Assert.That(fetch.Preflights, Is.Zero);
        }
    }

    // --- CORS-preflight fetch ------------------------------------------------------------------------------------------

    [TestCase(200, Outcome.Allowed)]
    [TestCase(204, Outcome.Allowed)]
    [TestCase(299, Outcome.Allowed)]
    [TestCase(301, Outcome.Blocked)]
    [TestCase(404, Outcome.Blocked)]
    [TestCase(500, Outcome.Blocked)]
    public void The_preflight_needs_an_ok_status(int status, Outcome outcome)
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(status, [Acao(), H("Access-Control-Allow-Methods", "PUT")]), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(outcome));
            Assert.That(expected.ActualSent, Is.EqualTo(outcome == Outcome.Allowed));
        }
    }

    [Test]
    public void The_preflight_itself_must_pass_the_CORS_check()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: Ok(H("Access-Control-Allow-Methods", "PUT")), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(expected.ActualSent, Is.False);
            Assert.That(expected.Preflights, Is.EqualTo(1));
        }
    }

    [TestCase("PUT", "PUT", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("PUT", "put", CredentialsMode.SameOrigin, Outcome.Blocked)]
    [TestCase("patch", "PATCH", CredentialsMode.SameOrigin, Outcome.Blocked)]
    [TestCase("patch", "patch", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("PUT", "*", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("PUT", "*", CredentialsMode.Include, Outcome.Blocked)]
    [TestCase("PUT", "GET, PUT", CredentialsMode.Include, Outcome.Allowed)]
    [TestCase("PUT", "PUT;", CredentialsMode.SameOrigin, Outcome.Blocked)]
    public void ACAM_lists_methods_byte_for_byte_and_star_is_literal_with_credentials(string method, string acam, CredentialsMode credentials, Outcome outcome)
    {
        var expected = Oracle.Expect(Case(Request(method, credentials),
            preflight: Ok(Acao(), Acac(), H("Access-Control-Allow-Methods", acam)), actual: Ok(Acao(), Acac())));
        Assert.That(expected.Outcome, Is.EqualTo(outcome));
    }

    [TestCase("X-Custom", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("x-CUSTOM", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("X-Other", CredentialsMode.SameOrigin, Outcome.Blocked)]
    [TestCase("*", CredentialsMode.SameOrigin, Outcome.Allowed)]
    [TestCase("*", CredentialsMode.Include, Outcome.Blocked)]
    [TestCase("X-A X-B", CredentialsMode.SameOrigin, Outcome.Blocked)]
    public void ACAH_lists_header_names_case_insensitively_and_star_is_literal_with_credentials(string acah, CredentialsMode credentials, Outcome outcome)
    {
        var expected = Oracle.Expect(Case(Request(credentials: credentials, headers: [H("X-Custom", "1")]),
            preflight: Ok(Acao(), Acac(), H("Access-Control-Allow-Headers", acah)), actual: Ok(Acao(), Acac())));
        Assert.That(expected.Outcome, Is.EqualTo(outcome));
    }

    [TestCase("*", Outcome.Blocked)]
    [TestCase("Authorization", Outcome.Allowed)]
    [TestCase("*, Authorization", Outcome.Allowed)]
    public void A_wildcard_never_covers_Authorization(string acah, Outcome outcome)
    {
        var expected = Oracle.Expect(Case(Request(headers: [H("Authorization", "Bearer x")]),
            preflight: Ok(Acao(), H("Access-Control-Allow-Headers", acah)), actual: Ok(Acao())));
        Assert.That(expected.Outcome, Is.EqualTo(outcome));
    }

    // --- The preflight cache ------------------------------------------------------------------------------------------

    [TestCase(null, 1)]
    [TestCase("0", 2)]
    [TestCase("600", 1)]
    [TestCase("ten", 1)]
    [TestCase("-1", 1)]
    [TestCase(" 0", 2)]
    [TestCase("0\t", 2)]
    public void A_repeated_request_reuses_the_preflight_for_max_age_seconds_defaulting_to_5(string? maxAge, int preflights)
    {
        var preflight = maxAge is null
            ? Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"))
            : Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", maxAge));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 2), preflight, Ok(Acao())));
        Assert.That(expected.Preflights, Is.EqualTo(preflights));
    }

    // "The user agent may remove entries from the CORS-preflight cache before they expire" (its entries "may be removed
    // before that moment arrives"), "an imposed limit on max-age", and "if the user agent does not provide for a cache":
    // a repetition may be preflighted again. Each choice is an allowed behaviour, named.
    [TestCase(null)]
    [TestCase("600")]
    [TestCase("ten")]
    [TestCase("-1")]
    public void A_cacheable_preflight_may_be_sent_again_because_the_cache_may_drop_its_entries(string? maxAge)
    {
        var preflight = maxAge is null
            ? Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"))
            : Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", maxAge));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 2), preflight, Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Preflights), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(expected.Allowed.Select(e => e.Outcome), Is.All.EqualTo(Outcome.Allowed));
            Assert.That(expected.Choice, Does.Contain("kept its entries"));
            Assert.That(expected.Alternatives.Single().Choice, Does.Contain("kept nothing"));
            Assert.That(expected.Alternatives.Single().Steps, Has.Some.Contains("emptied its preflight cache"));
        }
    }

    [Test]
    public void Max_age_zero_leaves_nothing_open_every_repetition_is_preflighted()
    {
        var preflight = Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "0"));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 3), preflight, Ok(Acao())));
        Assert.That((expected.Preflights, expected.Alternatives.Count, expected.Choice), Is.EqualTo((3, 0, (string?)null)));
    }

    [Test]
    public void Three_repetitions_allow_one_two_or_three_preflights_each_named_by_when_the_cache_was_emptied()
    {
        var preflight = Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600"));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 3), preflight, Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => (e.Preflights, e.Choice)), Is.EqualTo(new (int, string?)[]
        {
            (1, "the preflight cache kept its entries"),
            (2, "the preflight cache was emptied before repetition 2"),
            (3, "the preflight cache kept nothing (no cache, or max-age capped to 0)"),
        }));
    }

    [Test]
    public void A_verdict_conforms_on_any_allowed_behaviour_and_names_every_allowed_value_when_none_matches()
    {
        var preflight = Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600"));
        var expected = Oracle.Expect(Case(Request("PUT", repeat: 2), preflight, Ok(Acao())));
        Observation Did(int preflights) => new Observation(Outcome.Allowed, preflights, true, Origin, null, false, false, 200, ["content-length", "content-type"])
            .With(ObservedFields.ResponseType, "cors");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Verdict.Compare(expected, Did(1)), Is.Empty);
            var (chosen, differences) = Verdict.Judge(expected, Did(2));
            Assert.That(differences, Is.Empty);
            Assert.That(chosen.Choice, Does.Contain("kept nothing"));
            var wrong = Verdict.Compare(expected, Did(3)).Single();
            Assert.That(wrong.ToString(), Is.EqualTo("preflights: the standard says 1 preflight or 2 preflights, the browser did 3 preflights"));
        }
    }

    // "cache entry match": "one of: entry's credentials is true; entry's credentials is false and request's credentials mode
    // is not "include"".
    [TestCase(CredentialsMode.Omit, CredentialsMode.Include, 2)]
    [TestCase(CredentialsMode.SameOrigin, CredentialsMode.Include, 2)]
    [TestCase(CredentialsMode.Include, CredentialsMode.Omit, 1)]
    [TestCase(CredentialsMode.Include, CredentialsMode.SameOrigin, 1)]
    [TestCase(CredentialsMode.Omit, CredentialsMode.SameOrigin, 1)]
    public void An_entry_made_with_credentials_serves_any_request_one_made_without_serves_only_requests_without(CredentialsMode first, CredentialsMode second, int preflights)
    {
        var request = Request("PUT", credentials: first) with { Then = [new FollowUp("PUT", [], second)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), Acac(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600")), Ok(Acao(), Acac())));
        Assert.That(expected.Preflights, Is.EqualTo(preflights));
    }

    // concept-cache-match-method: "its method is method or `*`"; concept-cache-match-header: "its header name is `*` and
    // headerName is not a CORS non-wildcard request-header name". Neither reads the request's credentials mode: a
    // credentialed preflight whose `*` was only a literal name (and so allowed nothing) still creates a `*` entry, and that
    // entry serves a credentialed follow-up as a wildcard. The cache "may" drop it, so a second preflight (which fails here,
    // `*` being literal with credentials) conforms too.
    [Test]
    public void A_star_method_entry_made_with_credentials_serves_a_credentialed_request_of_another_method()
    {
        var request = Request("PUT", credentials: CredentialsMode.Include) with { Then = [new FollowUp("DELETE", [], CredentialsMode.Include)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), Acac(), H("Access-Control-Allow-Methods", "PUT, *"), H("Access-Control-Max-Age", "600")), Ok(Acao(), Acac())));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.EquivalentTo(new[] { (Outcome.Allowed, 1), (Outcome.Blocked, 2) }));
    }

    [Test]
    public void A_star_header_name_entry_made_with_credentials_serves_a_credentialed_request_of_another_header()
    {
        var request = Request("GET", headers: [H("X-A", "1")], credentials: CredentialsMode.Include)
            with { Then = [new FollowUp("GET", [H("X-B", "1")], CredentialsMode.Include)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), Acac(), H("Access-Control-Allow-Headers", "X-A, *"), H("Access-Control-Max-Age", "600")), Ok(Acao(), Acac())));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights)), Is.EquivalentTo(new[] { (Outcome.Allowed, 1), (Outcome.Blocked, 2) }));
    }

    [Test]
    public void A_follow_up_request_is_served_by_the_entries_of_another_method_and_header_name()
    {
        var request = Request("PUT", headers: [H("X-A", "1")]) with { Then = [new FollowUp("DELETE", [H("X-B", "1")], CredentialsMode.SameOrigin)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), H("Access-Control-Allow-Methods", "PUT, DELETE"), H("Access-Control-Allow-Headers", "X-A, X-B"), H("Access-Control-Max-Age", "600")), Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => e.Preflights), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(expected.Alternatives.Single().Choice, Does.Contain("kept nothing"));
    }

    // request.then: "The verdict counts the preflights of every request; everything else is the last request's." A PUT its
    // preflight allows, then a DELETE the same preflight answer (Access-Control-Allow-Methods: PUT) refuses: the DELETE is
    // never sent, so nothing of the PUT's request is the verdict's, and the Access-Control-Request-Headers is the DELETE's.
    [Test]
    public void A_sequence_is_judged_by_its_last_request_save_for_the_preflight_count()
    {
        var request = Request("PUT", headers: [H("X-A", "1")], credentials: CredentialsMode.Include)
            with { Then = [new FollowUp("DELETE", [H("X-B", "1")], CredentialsMode.Include)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), Acac(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Allow-Headers", "X-A, X-B"), H("Access-Control-Max-Age", "600")), Ok(Acao(), Acac())));
        Assert.That(expected.Allowed.Select(e => (e.Outcome, e.Preflights, e.ActualSent, e.Origin, e.RequestHeaders, e.CredentialsSent)),
            Is.EqualTo(new[] { (Outcome.Blocked, 2, false, (string?)null, (string?)"x-b", false) }));
    }

    // The follow-up's actual request served by the cache carries no Access-Control-Request-Headers: none is expected, though
    // the first request's preflight had one.
    [Test]
    public void A_last_request_the_cache_serves_expects_no_request_headers()
    {
        var request = Request("GET", headers: [H("X-A", "1")]) with { Then = [new FollowUp("GET", [H("X-B", "1")], CredentialsMode.SameOrigin)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), H("Access-Control-Allow-Headers", "X-A, X-B"), H("Access-Control-Max-Age", "600")), Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => (e.Preflights, e.RequestHeaders)), Is.EqualTo(new[] { (1, (string?)null), (2, (string?)"x-b") }));
    }

    // request.repeat keeps the first preflight's Access-Control-Request-Headers (its repetitions are one request, sent again).
    [Test]
    public void Repetitions_keep_the_first_preflights_request_headers()
    {
        var expected = Oracle.Expect(Case(Request("GET", headers: [H("X-A", "1")], repeat: 2), Ok(Acao(), H("Access-Control-Allow-Headers", "X-A"), H("Access-Control-Max-Age", "600")), Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => (e.Preflights, e.RequestHeaders)), Is.EqualTo(new[] { (1, (string?)"x-a"), (2, (string?)"x-a") }));
    }

    [TestCase(2000, new[] { 2 })]
    [TestCase(999, new[] { 1, 2 })]
    [TestCase(1000, new[] { 2 })]
    public void Once_its_max_age_has_passed_an_entry_is_gone_and_the_request_must_be_preflighted_again(int delayMs, int[] allowed)
    {
        var request = Request("PUT") with { Then = [new FollowUp("PUT", [], CredentialsMode.SameOrigin, DelayMs: delayMs)] };
        var expected = Oracle.Expect(Case(request, Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "1")), Ok(Acao())));
        Assert.That(expected.Allowed.Select(e => e.Preflights), Is.EqualTo(allowed));
    }

    [Test]
    public void A_cached_star_method_covers_requests_without_credentials_only()
    {
        var preflight = Ok(Acao(), Acac(), H("Access-Control-Allow-Methods", "*"), H("Access-Control-Max-Age", "600"));
        var omit = Oracle.Expect(Case(Request("PUT", repeat: 2), preflight, Ok(Acao())));
        Assert.That(omit.Preflights, Is.EqualTo(1));
    }

    // --- Same origin ----------------------------------------------------------------------------------------------------
    // main fetch: "request's current URL's origin is same origin with request's origin, and request's response tainting is
    // "basic"" — no CORS protocol; "append a request Origin header" only for a method that is neither GET nor HEAD; the
    // basic filter hides only the forbidden response-header names.

    private static readonly Topology SameOrigin = new(Target: Place.Page);

    [TestCase("GET", null)]
    [TestCase("HEAD", null)]
    [TestCase("POST", Origin)]
    [TestCase("PUT", Origin)]
    public void A_same_origin_request_is_never_preflighted_and_carries_Origin_only_for_an_unsafe_method(string method, string? origin)
    {
        var expected = Oracle.Expect(Case(Request(method, headers: [H("X-Custom", "1")]), origins: SameOrigin));
        Assert.That((expected.Outcome, expected.Preflights, expected.Origin), Is.EqualTo((Outcome.Allowed, 0, origin)));
    }

    [TestCase(CredentialsMode.Omit, false)]
    [TestCase(CredentialsMode.SameOrigin, true)]
    [TestCase(CredentialsMode.Include, true)]
    public void A_same_origin_request_carries_the_cookie_unless_credentials_are_omitted(CredentialsMode credentials, bool sent)
    {
        Assert.That(Oracle.Expect(Case(Request(credentials: credentials), origins: SameOrigin)).CredentialsSent, Is.EqualTo(sent));
    }

    [Test]
    public void A_same_origin_response_is_basic_every_header_but_Set_Cookie_is_readable()
    {
        var expected = Oracle.Expect(Case(actual: Ok(H("X-Custom", "1"), H("Set-Cookie", "a=b")), origins: SameOrigin));
        Assert.That(expected.ReadableHeaders, Is.EqualTo(new[] { "content-length", "content-type", "date", "x-custom" }));
    }

    [Test]
    public void A_redirect_from_the_page_origin_starts_the_CORS_protocol_with_an_untainted_Origin()
    {
        var redirect = new RedirectPlan(302, Place.CrossSite, 1, []);
        using (Assert.EnterMultipleScope())
        {
            // The redirect response itself is basic: no CORS check on it. The next URL is cross-origin: the CORS check applies,
            // and the hop left a URL same origin with the request's origin, so the Origin is not tainted.
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(Acao()), origins: SameOrigin)).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(Acao("null")), origins: SameOrigin)).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(), origins: SameOrigin)).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(Oracle.Expect(Case(Request(credentials: CredentialsMode.SameOrigin), redirect: new RedirectPlan(302, Place.SameSite, 1, []),
                actual: Ok(Acao()), origins: SameOrigin)).CredentialsSent, Is.False, "a cors-tainted request with credentials same-origin sends no cookie");
        }
    }

    // append-a-request-origin-header 4.1: "If request's mode is not "cors", then switch on request's referrer policy" —
    // the request's policy at the time, which HTTP-redirect fetch's "set request's referrer policy on redirect" may have
    // changed: a no-cors POST redirected (307) from the page's origin by a response with Referrer-Policy no-referrer (or
    // same-origin, to another origin) carries Origin `null` at the next URL, whatever policy the page gave.
    [TestCase("no-referrer", "null")]
    [TestCase("same-origin", "null")]
    [TestCase("unsafe-url", Placeholders.Origin)]
    public void A_redirects_referrer_policy_governs_the_origin_header_of_a_no_cors_request(string hopPolicy, string origin)
    {
        var request = Request("POST", body: "x") with { Mode = RequestMode.NoCors };
        var redirect = new RedirectPlan(307, Place.CrossSite, 1, [H("Referrer-Policy", hopPolicy)]);
        var expected = Oracle.Expect(Case(request, redirect: redirect, actual: Ok(), origins: SameOrigin));
        Assert.That((expected.Outcome, expected.Origin), Is.EqualTo((Outcome.Allowed, origin)), expected.Reason);
    }

    // An XMLHttpRequest POST of a string whose author Content-Type has a quoted charset other than UTF-8: send() rewrites it
    // to `text/plain;charset=UTF-8` before the fetch, so the header that reaches the safelist holds no `"` and needs no
    // preflight; fetch() sends the author's value, whose 0x22 bytes are CORS-unsafe request-header bytes.
    [TestCase(Api.Xhr, 0)]
    [TestCase(Api.Fetch, 1)]
    public void An_xhr_string_body_rewrites_a_content_type_charset_before_the_safelist(Api api, int preflights)
    {
        var request = Request("POST", api: api, body: "x", headers: [H("Content-Type", "text/plain; charset=\"latin1\"")]);
        var expected = Oracle.Expect(Case(request, Ok(Acao(), H("Access-Control-Allow-Headers", "Content-Type")), Ok(Acao())));
        Assert.That((expected.Outcome, expected.Preflights), Is.EqualTo((Outcome.Allowed, preflights)), expected.Reason);
    }

    // fetch, before main fetch: "If request's header list does not contain `Accept`, then: Let value be `*/*`. … Append
    // (`Accept`, value) to request's header list." cors-unsafe-request-header-names 5: "If safelistValueSize is greater than
    // 1024, then for each name of potentiallyUnsafeNames, append name to unsafeNames." Eight 128-byte Accept-Language
    // entries (the last shortened) of 1022 bytes or more pass 1024 with the `*/*` fetch appends, so both names are unsafe.
    [TestCase(1021, false)]
    [TestCase(1022, true)]
    [TestCase(1024, true)]
    public void The_accept_fetch_appends_counts_toward_the_1024_byte_total(int total, bool preflighted)
    {
        var values = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 128)).ToList();
        values[^1] = values[^1][..(128 - (1024 - total))];
        var headers = values.Select(v => H("Accept-Language", v)).ToArray();
        var expected = Oracle.Expect(Case(Request(headers: headers), Ok(Acao(), H("Access-Control-Allow-Headers", "Accept, Accept-Language")), Ok(Acao())));
        Assert.That((expected.Outcome, expected.Preflights, expected.RequestHeaders),
            Is.EqualTo(preflighted ? (Outcome.Allowed, 1, (string?)"accept,accept-language") : (Outcome.Allowed, 0, (string?)null)), expected.Reason);
    }

    // fetch, before main fetch: "If request's header list does not contain `Accept-Language`, then user agents should append
    // (`Accept-Language`, an appropriate header value) to request's header list." A "should": a user agent that appends a
    // (CORS-safelisted, so at most 128-byte) value before main fetch counts it toward the 1024-byte total, one that appends
    // it later or not at all does not; both conform. Author Accept values of T bytes: within 128 of the total, either
    // behaviour; further, appending changes nothing the page or the server can tell; past it already, the appended name is
    // listed in the preflight's Access-Control-Request-Headers.
    [TestCase(896, null)]
    [TestCase(897, "accept,accept-language")]
    [TestCase(1024, "accept,accept-language")]
    public void The_accept_language_a_user_agent_should_append_may_count_toward_the_1024_byte_total(int total, string? appendedListed)
    {
        var expected = Oracle.Expect(Case(Request(headers: AcceptEntries(total)), Ok(Acao(), H("Access-Control-Allow-Headers", "Accept, Accept-Language")), Ok(Acao())));
        var appended = expected.Alternatives.SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((expected.Outcome, expected.Preflights, expected.RequestHeaders), Is.EqualTo((Outcome.Allowed, 0, (string?)null)), expected.Reason);
            Assert.That(expected.Alternatives, Has.Count.EqualTo(appendedListed is null ? 0 : 1));
            Assert.That((appended?.Preflights, appended?.RequestHeaders), Is.EqualTo(appendedListed is null ? (null, null) : ((int?)1, appendedListed)), appended?.Reason);
        }
    }

    [TestCase(false, "accept")]
    [TestCase(true, "accept,accept-language")]
    public void Past_the_total_an_appended_accept_language_is_one_more_unsafe_name_unless_the_page_set_its_own(bool alternative, string listed)
    {
        var expected = Oracle.Expect(Case(Request(headers: AcceptEntries(1100)), Ok(Acao(), H("Access-Control-Allow-Headers", "Accept")), Ok(Acao())));
        var judged = alternative ? expected.Alternatives.Single() : expected;
        Assert.That((judged.Outcome, judged.Preflights, judged.RequestHeaders),
            Is.EqualTo(alternative ? (Outcome.Blocked, 1, listed) : (Outcome.Allowed, 1, listed)), judged.Reason);
        var own = Oracle.Expect(Case(Request(headers: [.. AcceptEntries(1100), H("Accept-Language", "en")]), Ok(Acao(), H("Access-Control-Allow-Headers", "Accept, Accept-Language")), Ok(Acao())));
        Assert.That((own.Alternatives.Count, own.RequestHeaders), Is.EqualTo((0, "accept,accept-language")), "a page's own Accept-Language leaves the user agent nothing to append");
    }

    /// <summary>Accept entries of up to 128 bytes (each CORS-safelisted) whose values total <paramref name="total"/> bytes.</summary>
    private static Header[] AcceptEntries(int total) =>
        [.. Enumerable.Range(0, (total + 127) / 128).Select(i => H("Accept", new string((char)('a' + i), Math.Min(128, total - i * 128))))];

    [Test]
    public void An_opaque_page_is_same_origin_with_no_URL_not_even_its_embedders()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao()), origins: new Topology(PageOrigin.Null, Place.Page)));
        Assert.That((expected.Outcome, expected.Origin), Is.EqualTo((Outcome.Blocked, "null")));
    }

    // --- Redirects ------------------------------------------------------------------------------------------------------

    [TestCase(Place.SameSite, Origin)]
    [TestCase(Place.CrossSite, "null")]
    [TestCase(Place.Page, "null")]
    public void A_cross_origin_hop_from_a_cross_origin_URL_taints_the_origin(Place to, string origin)
    {
        var expected = Oracle.Expect(Case(redirect: new RedirectPlan(302, to, 1, [Acao("*")]), actual: Ok(Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Origin, Is.EqualTo(origin));
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
        }
    }

    [Test]
    public void After_a_tainting_redirect_only_null_or_star_or_a_reflection_is_shared()
    {
        var redirect = new RedirectPlan(302, Place.CrossSite, 1, [Acao("*")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(Acao()))).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(Acao("null")))).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(Oracle.Expect(Case(redirect: redirect, actual: Ok(Acao(Placeholders.Echo)))).Outcome, Is.EqualTo(Outcome.Allowed));
        }
    }

    [Test]
    public void The_redirect_response_itself_must_pass_the_CORS_check()
    {
        var expected = Oracle.Expect(Case(redirect: new RedirectPlan(302, Place.SameSite, 1, []), actual: Ok(Acao("*"))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
    }

    [TestCase(302, 0)]
    [TestCase(307, 0)]
    public void A_POST_with_a_safelisted_body_needs_no_preflight_before_or_after_a_redirect(int status, int preflights)
    {
        var expected = Oracle.Expect(Case(Request("POST", body: "x", headers: [H("Content-Type", "text/plain")]),
            redirect: new RedirectPlan(status, Place.SameSite, 1, [Acao()]), actual: Ok(Acao())));
        Assert.That(expected.Preflights, Is.EqualTo(preflights));
    }

    // HTTP-redirect fetch: "If request's current URL's origin is not same origin with locationURL's origin, then for each
    // headerName of CORS non-wildcard request-header name, delete headerName from request's header list."
    [TestCase(Place.SameSite, 2, true)]
    [TestCase(Place.CrossSite, 1, false)]
    [TestCase(Place.Page, 1, false)]
    public void A_cross_origin_redirect_deletes_Authorization_so_the_next_URL_needs_no_preflight_for_it(Place to, int preflights, bool stepNamed)
    {
        var expected = Oracle.Expect(Case(Request(headers: [H("Authorization", "Bearer x")]),
            preflight: Ok(Acao("*"), H("Access-Control-Allow-Headers", "Authorization")),
            redirect: new RedirectPlan(307, to, 1, [Acao("*")]), actual: Ok(Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Preflights, Is.EqualTo(preflights));
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(expected.Steps.Any(s => s.Contains("deletes Authorization", StringComparison.Ordinal)), Is.EqualTo(!stepNamed));
        }
    }

    [Test]
    public void A_cross_origin_redirect_keeps_the_other_unsafe_headers()
    {
        var expected = Oracle.Expect(Case(Request(headers: [H("Authorization", "Bearer x"), H("X-Custom", "1")]),
            preflight: Ok(Acao("*"), H("Access-Control-Allow-Headers", "Authorization, X-Custom")),
            redirect: new RedirectPlan(307, Place.CrossSite, 1, [Acao("*")]), actual: Ok(Acao("*"))));
        Assert.That((expected.Preflights, expected.RequestHeaders), Is.EqualTo((2, "authorization,x-custom")));
    }

    [Test]
    public void Each_redirect_hop_is_a_new_URL_with_no_preflight_cache_entry()
    {
        var expected = Oracle.Expect(Case(Request("PUT"),
            preflight: Ok(Acao(), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600")),
            redirect: new RedirectPlan(307, Place.SameSite, 1, [Acao()]), actual: Ok(Acao())));
        Assert.That(expected.Preflights, Is.EqualTo(2));
    }

    // --- The CORS filter -----------------------------------------------------------------------------------------------

    [TestCase(null, CredentialsMode.SameOrigin, new[] { "content-length", "content-type" })]
    [TestCase("X-Custom", CredentialsMode.SameOrigin, new[] { "content-length", "content-type", "x-custom" })]
    [TestCase("*", CredentialsMode.SameOrigin, new[] { "access-control-allow-credentials", "access-control-allow-origin", "access-control-expose-headers", "content-length", "content-type", "date", "x-custom" })]
    [TestCase("*", CredentialsMode.Include, new[] { "content-length", "content-type" })]
    [TestCase("Set-Cookie, X-Custom", CredentialsMode.Include, new[] { "content-length", "content-type", "x-custom" })]
    public void The_page_reads_safelisted_headers_plus_exposed_ones_never_Set_Cookie(string? aceh, CredentialsMode credentials, string[] readable)
    {
        var headers = new List<Header> { Acao(), Acac(), H("X-Custom", "1"), H("Set-Cookie", "a=1") };
        if (aceh is not null) headers.Add(H("Access-Control-Expose-Headers", aceh));
        var expected = Oracle.Expect(Case(Request(credentials: credentials), actual: new ResponsePlan(200, headers)));
        Assert.That(expected.ReadableHeaders, Is.EqualTo(readable));
    }

    [Test]
    public void A_204_response_has_no_Content_Length_to_read()
    {
        var expected = Oracle.Expect(Case(actual: new ResponsePlan(204, [Acao()])));
        Assert.That(expected.ReadableHeaders, Is.EqualTo(new[] { "content-type" }));
    }

    // --- Origins and credentials ----------------------------------------------------------------------------------------

    [Test]
    public void A_null_origin_page_sends_Origin_null_and_only_null_star_or_reflection_match()
    {
        var nullPage = new Topology(PageOrigin.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Oracle.Expect(Case(origins: nullPage, actual: Ok(Acao("null")))).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(Oracle.Expect(Case(origins: nullPage, actual: Ok(Acao()))).Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(Oracle.Expect(Case(origins: nullPage, actual: Ok(Acao()))).Origin, Is.EqualTo("null"));
        }
    }

    [TestCase(CredentialsMode.Omit, Place.SameSite, false)]
    [TestCase(CredentialsMode.SameOrigin, Place.SameSite, false)]
    [TestCase(CredentialsMode.Include, Place.SameSite, true)]
    [TestCase(CredentialsMode.Include, Place.CrossSite, false)]
    public void The_SameSite_Lax_cookie_travels_only_with_include_to_a_same_site_target(CredentialsMode credentials, Place target, bool sent)
    {
        var expected = Oracle.Expect(Case(Request(credentials: credentials), actual: Ok(Acao(Placeholders.Echo), Acac()), origins: new Topology(Target: target)));
        Assert.That(expected.CredentialsSent, Is.EqualTo(sent));
    }

    [Test]
    public void Fetch_and_XHR_get_the_same_verdict_for_the_same_request()
    {
        var preflight = Ok(Acao(), H("Access-Control-Allow-Methods", "DELETE"));
        var fetch = Oracle.Expect(Case(Request("DELETE", api: Api.Fetch), preflight, Ok(Acao())));
        var xhr = Oracle.Expect(Case(Request("DELETE", api: Api.Xhr), preflight, Ok(Acao())));
        Assert.That(xhr with { Steps = [] }, Is.EqualTo(fetch with { Steps = [] }).Using<Expectation>((a, b) => a is not null && b is not null &&
            a.Outcome == b.Outcome && a.Preflights == b.Preflights && a.Origin == b.Origin && a.Status == b.Status));
    }

    [Test]
    public void Every_step_of_an_expectation_names_an_anchor()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: Ok(Acao(), H("Access-Control-Allow-Methods", "PUT")), actual: Ok(Acao())));
        Assert.That(expected.Steps, Is.Not.Empty.And.All.Matches<string>(s => s is not null && s.EndsWith(']') && s.Contains(" [", StringComparison.Ordinal)));
    }

    // --- Initiators -----------------------------------------------------------------------------------------------------

    private static CorsCase NoCors(string method, string? body = null, params Header[] headers) =>
        Case(Request(method, body: body, headers: headers) with { Mode = RequestMode.NoCors });

    // new Request(): "If init["method"] exists: … If method is not a method or method is a forbidden method, then throw a
    // TypeError" (a forbidden method is a byte-case-insensitive match for CONNECT, TRACE or TRACK), in every mode.
    [TestCase("TRACE", RequestMode.Cors)]
    [TestCase("track", RequestMode.Cors)]
    [TestCase("CoNnEcT", RequestMode.Cors)]
    [TestCase("TRACE", RequestMode.NoCors)]
    public void A_fetch_with_a_forbidden_method_is_refused_by_new_Request_before_anything_is_sent(string method, RequestMode mode)
    {
        var expected = Oracle.Expect(Case(Request(method) with { Mode = mode },
            preflight: Ok(Acao(), H("Access-Control-Allow-Methods", method)), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Refused));
            Assert.That(expected.ActualSent, Is.False);
            Assert.That(expected.Preflights, Is.Zero);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("dom-request/25.2"));
        }
    }

    [TestCase("PUT")]
    [TestCase("delete")]
    [TestCase("patch")]
    public void A_no_cors_request_with_an_unsafe_method_is_refused_before_anything_is_sent(string method)
    {
        var expected = Oracle.Expect(NoCors(method));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Refused));
            Assert.That(expected.ActualSent, Is.False);
            Assert.That(expected.Preflights, Is.Zero);
        }
    }

    [TestCase("GET", null)]
    [TestCase("HEAD", null)]
    [TestCase("POST", Origin)]
    public void A_no_cors_request_is_opaque_and_only_an_unsafe_method_carries_Origin(string method, string? origin)
    {
        var expected = Oracle.Expect(NoCors(method, method == "POST" ? "x" : null));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), "no CORS check: the plan's empty answer is fine");
            Assert.That(expected.Origin, Is.EqualTo(origin));
            Assert.That(expected.Status, Is.Zero);
            Assert.That(expected.ReadableHeaders, Is.Empty);
        }
    }

    [Test]
    public void A_no_cors_request_drops_headers_that_are_not_no_CORS_safelisted_so_no_preflight_is_sent()
    {
        var expected = Oracle.Expect(NoCors("POST", "x", H("X-Custom", "1"), H("Content-Type", "application/json")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Preflights, Is.Zero);
            Assert.That(expected.RequestHeaders, Is.Null);
            Assert.That(expected.Steps, Has.Some.Contains("drop [x-custom,content-type]"));
        }
    }

    /// <summary>Fetch, "append" to a Headers object: "If headers's guard is "request-no-cors": Let temporaryValue be the
    /// result of getting name from headers's header list. If temporaryValue is null, then set temporaryValue to value.
    /// Otherwise, set temporaryValue to temporaryValue, followed by 0x2C 0x20, followed by value. If (name, temporaryValue)
    /// is not a no-CORS-safelisted request-header, then return." A repeated name is judged by its combined value.</summary>
    [Test]
    public void A_no_cors_request_judges_a_repeated_header_by_the_value_it_would_combine_to()
    {
        var half = new string('a', 100);
        var expected = Oracle.Expect(NoCors("GET", null, H("Accept", half), H("Accept", half), H("Content-Language", "en"), H("Content-Language", "de")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(expected.Steps, Has.Some.Contains("drop [accept]"), "100 + 2 + 100 bytes is over 128: the second Accept is not appended");
            Assert.That(expected.Steps, Has.None.Contains("drop [accept,"), "`en, de` is a safelisted Content-Language: both are appended");
        }
    }

    /// <summary>The Request constructor fills the no-cors request's Headers (under the guard "request-no-cors") before the
    /// body: "If type is non-null and this's headers's header list does not contain `Content-Type`, then append
    /// (`Content-Type`, type) to this's headers." An author Content-Type the guard refused leaves the body's in.</summary>
    [Test]
    public void A_no_cors_request_whose_author_Content_Type_is_dropped_gets_the_body_s_Content_Type()
    {
        var expected = Oracle.Expect(NoCors("POST", "x", H("Content-Type", "application/json")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Steps, Has.Some.Contains("drop [content-type]"));
            Assert.That(expected.Steps, Has.Some.Contains("a string body adds Content-Type: text/plain;charset=UTF-8"));
        }
    }

    [Test]
    public void An_upload_listener_forces_a_preflight_whose_missing_ACAM_allows_the_request_method()
    {
        var request = Request("POST", api: Api.Xhr, body: "x") with { UploadListener = true };
        var expected = Oracle.Expect(Case(request, preflight: Ok(Acao()), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Preflights, Is.EqualTo(1));
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed));
        }
        var without = Oracle.Expect(Case(request with { UploadListener = false }, actual: Ok(Acao())));
        Assert.That(without.Preflights, Is.Zero);
    }

    [Test]
    public void An_upload_listener_preflight_is_cached_by_the_method_entry_it_made()
    {
        var request = Request("POST", api: Api.Xhr, body: "x", repeat: 2) with { UploadListener = true };
        var cached = Oracle.Expect(Case(request, preflight: Ok(Acao(), H("Access-Control-Max-Age", "600")), actual: Ok(Acao())));
        var uncached = Oracle.Expect(Case(request, preflight: Ok(Acao(), H("Access-Control-Max-Age", "0")), actual: Ok(Acao())));
        Assert.That((cached.Preflights, uncached.Preflights), Is.EqualTo((1, 2)));
    }

    [TestCase(Api.Img, RequestMode.Cors, "{origin}", true)]
    [TestCase(Api.Img, RequestMode.Cors, null, false)]
    [TestCase(Api.Img, RequestMode.NoCors, "{origin}", false)]
    [TestCase(Api.Script, RequestMode.Cors, "*", true)]
    [TestCase(Api.Script, RequestMode.NoCors, null, false)]
    [TestCase(Api.ModuleScript, RequestMode.Cors, "{origin}", true)]
    [TestCase(Api.Preload, RequestMode.Cors, "{origin}", null)]
    [TestCase(Api.EventSource, RequestMode.Cors, "{origin}", null)]
    public void An_element_shows_no_status_or_headers_and_its_content_is_readable_only_when_CORS_same_origin(Api api, RequestMode mode, string? acao, bool? readable)
    {
        var credentials = mode == RequestMode.NoCors ? CredentialsMode.Include : CredentialsMode.SameOrigin;
        var request = Request(credentials: credentials, api: api) with { Mode = mode };
        var expected = Oracle.Expect(Case(request, actual: acao is null ? Ok() : Ok(Acao(acao))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Get(ObservedFields.ContentReadable), Is.EqualTo(readable));
            Assert.That(expected.Status, Is.Null);
            Assert.That(expected.ReadableHeaders, Is.Null);
            Assert.That(expected.Origin, Is.EqualTo(mode == RequestMode.NoCors ? null : Origin));
        }
    }
}
