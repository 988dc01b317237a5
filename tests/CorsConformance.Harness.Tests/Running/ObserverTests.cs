using System.Text.Json;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Running;

public sealed class ObserverTests
{
    private const string PageOrigin = "http://www.cors.test:4242";

    private static SeenRequest Seen(bool preflight, string? origin = PageOrigin, bool cookie = false, string? acrh = null, bool authorization = false) =>
        new("GET", Scheme.Http, "api.cors.test:4242", "/target/t", 0, preflight, origin, preflight ? "PUT" : null, acrh, cookie, authorization, null, null, null, 200)
        {
            HeaderLines = authorization ? SeenRequest.LinesOf([new(HeaderNames.Authorization, "Basic dTpw")]) : string.Empty,
        };

    /// <summary>A case that observes the fields its arguments ask for (each read from what reached the target).</summary>
    private static CorsCase Observing(bool authorization = false, bool referer = false, bool revalidation = false, bool caseCookie = false, bool preflightHeaders = false)
    {
        var request = RequestSpec.Get with
        {
            Api = authorization ? Api.Xhr : Api.Fetch,
            XhrUser = authorization ? "user" : null,
            Referrer = referer ? RequestSpec.ClientReferrer : null,
            Headers = preflightHeaders ? [new("X-Test", "1")] : [],
        };
        var actual = new ResponsePlan(200, caseCookie ? [new(HeaderNames.SetCookie, Placeholders.CaseCookie + "=1")] : []);
        var server = new ServerPlan(ResponsePlan.Empty, actual)
        {
            Then = revalidation ? [new ServerPlan(ResponsePlan.Empty, actual) { NotModified = new ResponsePlan(304, []) }] : null,
        };
        return new CorsCase("observer/case", "concept-cors-check", "a case", Topology.Default, request, server) { ObservesPreflightHeaders = preflightHeaders };
    }

    // fetch() rejects with a TypeError: the page has no status to report.
    private static PageResult Failed() => new("c", [new PageAttempt(false, null, [], "TypeError: Failed to fetch", false)]);

    private static PageResult Succeeded(params string[] headers) => new("c", [new PageAttempt(true, 200, headers, null, false)]);

    [Test]
    public void A_network_error_with_a_journal_entry_is_a_CORS_block()
    {
        var observation = Observer.Observe(Failed(), [Seen(false)], PageOrigin, null);
        Assert.That(observation.Outcome, Is.EqualTo(Outcome.Blocked));
    }

    [Test]
    public void A_network_error_that_reached_nothing_is_unreached_never_blocked()
    {
        var observation = Observer.Observe(Failed(), [], PageOrigin, null);
        Assert.That(observation.Outcome, Is.EqualTo(Outcome.Unreached));
    }

    [Test]
    public void A_request_the_API_refused_is_refused_only_while_the_target_saw_nothing()
    {
        var page = new PageResult("c", [new PageAttempt(false, 0, [], "TypeError: mode no-cors", false, Refused: true)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(page, [], PageOrigin, null).Outcome, Is.EqualTo(Outcome.Refused));
            Assert.That(Observer.Observe(page, [Seen(false)], PageOrigin, null).Outcome, Is.EqualTo(Outcome.Blocked));
        }
    }

    [Test]
    public void An_element_shows_no_status_or_headers_and_says_whether_its_content_was_readable()
    {
        var page = new PageResult("c", [new PageAttempt(true, null, null, null, false, Extra: new Dictionary<string, JsonElement> { ["contentReadable"] = JsonSerializer.SerializeToElement(false) })]);
        var observation = Observer.Observe(page, [Seen(false)], PageOrigin, null);
        Assert.That((observation.Status, observation.ReadableHeaders, observation.Get(ObservedFields.ContentReadable)), Is.EqualTo(((int?)null, (IReadOnlyList<string>?)null, (bool?)false)));
    }

    // Authorization is observed only where the case judges it (an XMLHttpRequest opened with a user or password), from the last
    // non-preflight request: a preflight's Authorization is preflightCarriedCredentials, not this.
    [Test]
    public void Authorization_on_the_actual_request_is_observed_only_when_asked_for()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Succeeded(), [Seen(false, authorization: true)], PageOrigin, null).Get(ObservedFields.AuthorizationSent), Is.Null);
            Assert.That(Observer.Observe(Succeeded(), [Seen(false, authorization: true)], PageOrigin, null, Observing(authorization: true)).Get(ObservedFields.AuthorizationSent), Is.True);
            Assert.That(Observer.Observe(Succeeded(), [Seen(true, authorization: true), Seen(false)], PageOrigin, null, Observing(authorization: true)).Get(ObservedFields.AuthorizationSent), Is.False);
            Assert.That(Observer.Observe(Failed(), [], PageOrigin, null, Observing(authorization: true)).Get(ObservedFields.AuthorizationSent), Is.False);
        }
    }

    // A request main fetch refuses before it is sent leaves the journal empty, as an unreachable server does: the page's
    // control request to the target's origin tells them apart; without it the case is a harness error, never a verdict.
    [Test]
    public void An_empty_journal_is_blocked_only_when_the_control_request_reached_the_target_s_host()
    {
        const string host = "api.cors.test:4242";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Failed(), [], PageOrigin, null, control: new ReachabilityControl(host, [host])).Outcome, Is.EqualTo(Outcome.Blocked));
            var missing = Observer.Observe(Failed(), [], PageOrigin, null, control: new ReachabilityControl(host, []));
            Assert.That(missing.Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(missing.PageError, Does.Contain("control request to api.cors.test:4242 did not arrive"));
            var elsewhere = Observer.Observe(Failed(), [], PageOrigin, null, control: new ReachabilityControl(host, ["www.cors.test:4242"]));
            Assert.That(elsewhere.Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(elsewhere.PageError, Does.Contain("it came to www.cors.test:4242"));
            // A missing control is a harness error even where the browser sent the request: the evidence is not whole.
            Assert.That(Observer.Observe(Succeeded(), [Seen(false)], PageOrigin, null, control: new ReachabilityControl(host, [])).Outcome, Is.EqualTo(Outcome.Unreached));
            // A browser that sent what the standard refuses is seen in the journal, whatever the control says.
            Assert.That(Observer.Observe(Succeeded(), [Seen(false)], PageOrigin, null, control: new ReachabilityControl(host, [host])).ActualSent, Is.True);
        }
    }

    // The preflight's lines of the names asked for, from the first preflight of the last request: Origin scrubbed, the
    // User-Agent shown as {user-agent} when it is the page's navigator.userAgent, the page's own headers when they arrived.
    [Test]
    public void The_preflight_s_headers_are_observed_only_when_asked_for()
    {
        var preflight = Seen(true) with
        {
            HeaderLines = SeenRequest.LinesOf([new("Accept", "*/*"), new("Access-Control-Request-Method", "PUT"), new("Origin", PageOrigin), new("User-Agent", "Mozilla/5.0 Test"),
                new("Accept-Language", "en"), new("X-Test", "1"), new("Connection", "keep-alive")]),
        };
        var page = Succeeded() with { UserAgent = "Mozilla/5.0 Test" };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(page, [preflight, Seen(false)], PageOrigin, null).Get(ObservedFields.PreflightHeaders), Is.Null);
            Assert.That(Observer.Observe(page, [preflight, Seen(false)], PageOrigin, null, Observing(preflightHeaders: true)).Get(ObservedFields.PreflightHeaders),
                Is.EqualTo(new[] { "accept: */*", "access-control-request-method: PUT", "origin: {origin}", "user-agent: {user-agent}", "x-test: 1" }));
            Assert.That(Observer.Observe(page with { UserAgent = "Other" }, [preflight], PageOrigin, null, Observing(preflightHeaders: true)).Get(ObservedFields.PreflightHeaders),
                Does.Contain("user-agent: Mozilla/5.0 Test"));
            Assert.That(Observer.Observe(page, [Seen(false)], PageOrigin, null, Observing(preflightHeaders: true)).Get(ObservedFields.PreflightHeaders), Is.Null, "no preflight, nothing observed");
        }
    }

    // The Referer is observed only for a case that gives a referrer: the last actual request's and the last preflight's,
    // the page origin scrubbed, "" for none, null where no such request arrived.
    [Test]
    public void The_referer_is_observed_only_when_asked_for_with_the_origin_scrubbed()
    {
        var preflight = Seen(true) with { HeaderLines = SeenRequest.LinesOf([new("Referer", PageOrigin + "/")]) };
        var actual = Seen(false) with { HeaderLines = SeenRequest.LinesOf([new("Referer", PageOrigin + "/pages/matrix.html")]) };
        var observed = Observer.Observe(Succeeded(), [preflight, actual], PageOrigin, null, Observing(referer: true));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Succeeded(), [preflight, actual], PageOrigin, null).Get(ObservedFields.Referer), Is.Null);
            Assert.That(observed.Get(ObservedFields.Referer), Is.EqualTo("{origin}/pages/matrix.html"));
            Assert.That(observed.Get(ObservedFields.PreflightReferer), Is.EqualTo("{origin}/"));
            Assert.That(Observer.Observe(Succeeded(), [Seen(false)], PageOrigin, null, Observing(referer: true)).Get(ObservedFields.Referer), Is.EqualTo(""), "no Referer header");
            Assert.That(Observer.Observe(Succeeded(), [Seen(false)], PageOrigin, null, Observing(referer: true)).Get(ObservedFields.PreflightReferer), Is.Null, "no preflight arrived");
        }
    }

    // Whether the browser revalidated is read from the journal alone: the last non-preflight request carried If-None-Match or
    // If-Modified-Since, or not; observed only for a case whose follow-up may be answered 304.
    [Test]
    public void A_revalidation_is_observed_from_the_last_request_being_conditional()
    {
        var conditional = Seen(false) with { HeaderLines = SeenRequest.LinesOf([new("If-None-Match", "\"v1\"")]) };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Succeeded(), [Seen(false), conditional], PageOrigin, null).Get(ObservedFields.Revalidated), Is.Null);
            Assert.That(Observer.Observe(Succeeded(), [Seen(false), conditional], PageOrigin, null, Observing(revalidation: true)).Get(ObservedFields.Revalidated), Is.True);
            Assert.That(Observer.Observe(Succeeded(), [conditional, Seen(false)], PageOrigin, null, Observing(revalidation: true)).Get(ObservedFields.Revalidated), Is.False);
            Assert.That(Observer.Observe(Succeeded(), [], PageOrigin, null, Observing(revalidation: true)).Get(ObservedFields.Revalidated), Is.False, "nothing arrived: no conditional request");
        }
    }

    // The case's own cookie is observed only where an answer of the case sets it, from the last non-preflight request.
    [Test]
    public void The_case_cookie_on_the_actual_request_is_observed_only_when_asked_for()
    {
        var carrying = Seen(false) with { HasCaseCookie = true };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Succeeded(), [carrying], PageOrigin, null).Get(ObservedFields.CaseCookieSent), Is.Null);
            Assert.That(Observer.Observe(Succeeded(), [carrying], PageOrigin, null, Observing(caseCookie: true)).Get(ObservedFields.CaseCookieSent), Is.True);
            Assert.That(Observer.Observe(Succeeded(), [carrying, Seen(false)], PageOrigin, null, Observing(caseCookie: true)).Get(ObservedFields.CaseCookieSent), Is.False);
            Assert.That(Observer.Observe(Succeeded(), [Seen(true) with { HasCaseCookie = true }], PageOrigin, null, Observing(caseCookie: true)).Get(ObservedFields.CaseCookieSent), Is.False);
        }
    }

    // A data: URL involves no server: a network error the page saw there is the browser's decision, not an unreached server.
    [Test]
    public void A_failed_request_to_no_server_is_blocked_but_a_timeout_is_still_unreached()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(Failed(), [], PageOrigin, null).Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(Observer.Observe(Failed(), [], PageOrigin, null, serverless: true).Outcome, Is.EqualTo(Outcome.Blocked));
            var timedOut = new PageResult("c", [new PageAttempt(false, null, [], "AbortError", TimedOut: true)]);
            Assert.That(Observer.Observe(timedOut, [], PageOrigin, null, serverless: true).Outcome, Is.EqualTo(Outcome.Unreached));
        }
    }

    // The full Chromium build (/usr/bin/chromium, 2026-12-07) does not start a SharedWorker from a data: URL; matrix.js then
    // answers the worker's cases as not issued. For 'null-origin/data-url/from-data-shared-worker' (a data: URL, no server)
    // that was judged "fails" (blocked) — a harness problem read as the browser's CORS decision.
    [Test]
    public void A_request_the_page_never_issued_is_unreached_even_with_no_server_or_a_control_that_arrived()
    {
        var notIssued = new PageResult("c", [new PageAttempt(false, null, [], "the data: shared worker failed: no message", false) { NotIssued = true }]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.Observe(notIssued, [], PageOrigin, null, serverless: true).Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(Observer.Observe(notIssued, [], PageOrigin, null, control: new ReachabilityControl("api.cors.test:1", ["api.cors.test:1"])).Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(Observer.Observe(notIssued, [], PageOrigin, null, serverless: true).PageError, Does.Contain("shared worker failed"));
        }
    }

    [Test]
    public void Matrix_js_marks_every_request_it_could_not_issue_and_the_harness_reads_the_mark()
    {
        var attempt = System.Text.Json.JsonSerializer.Deserialize<PageAttempt>("""{"ok":false,"status":null,"headers":[],"error":"x","timedOut":false,"notIssued":true}""",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.That(attempt.NotIssued, Is.True);
        var matrix = MatrixScript.Text;
        var notIssuedHelper = matrix.Split('\n').Single(line => line.StartsWith("const notIssued = ", StringComparison.Ordinal));
        Assert.That(notIssuedHelper, Does.Contain("notIssued: true"));
        Assert.That(matrix.Split('\n').Where(line => line.Contains("\"matrix.js has no initiator \"", StringComparison.Ordinal)), Has.All.Contain("notIssued: true"));
    }

    [Test]
    public void A_timed_out_request_is_unreached_even_if_the_target_saw_it()
    {
        var page = new PageResult("c", [new PageAttempt(false, 0, [], "AbortError", TimedOut: true)]);
        Assert.That(Observer.Observe(page, [Seen(false)], PageOrigin, null).Outcome, Is.EqualTo(Outcome.Unreached));
    }

    [Test]
    public void Preflights_and_the_actual_request_come_from_the_journal_and_the_origin_is_scrubbed()
    {
        var observation = Observer.Observe(Succeeded("Content-Type", "x-a", "x-a"), [Seen(true, acrh: "x-a"), Seen(false, cookie: true)], PageOrigin, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observation.Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(observation.Preflights, Is.EqualTo(1));
            Assert.That(observation.ActualSent, Is.True);
            Assert.That(observation.Origin, Is.EqualTo("{origin}"));
            Assert.That(observation.RequestHeaders, Is.EqualTo("x-a"));
            Assert.That(observation.CredentialsSent, Is.True);
            Assert.That(observation.PreflightCarriedCredentials, Is.False);
            Assert.That(observation.ReadableHeaders, Is.EqualTo(new[] { "content-type", "x-a" }));
        }
    }

    [Test]
    public void A_preflight_with_a_cookie_or_authorization_is_noticed()
    {
        Assert.That(Observer.Observe(Failed(), [Seen(true, authorization: true)], PageOrigin, null).PreflightCarriedCredentials, Is.True);
        Assert.That(Observer.Observe(Failed(), [Seen(true, cookie: true)], PageOrigin, null).PreflightCarriedCredentials, Is.True);
    }

    [Test]
    public void A_blocked_request_has_no_status_and_no_readable_headers()
    {
        var observation = Observer.Observe(Failed(), [Seen(false)], PageOrigin, "blocked at http://www.cors.test:4242");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observation.Status, Is.Null);
            Assert.That(observation.ReadableHeaders, Is.Null);
            Assert.That(observation.BrowserReason, Is.EqualTo("blocked at {origin}"));
        }
    }

    [TestCase(0)]
    [TestCase(403)]
    public void A_blocked_XMLHttpRequest_keeps_the_status_it_reported_so_a_leaked_status_shows(int status)
    {
        var xhr = new PageResult("c", [new PageAttempt(false, status, [], "XMLHttpRequest network error", false)]);
        Assert.That(Observer.Observe(xhr, [Seen(false)], PageOrigin, null).Status, Is.EqualTo(status));
    }

    private static SeenRequest Answered(bool preflight, int status, int hop = 0) =>
        Seen(preflight) with { Hop = hop, ResponseStatus = status, Sent = new SentResponse(status, "", [], Raw: true) };

    // RFC 9110 §9.2.2: after a 1xx the target closes the connection, and the browser may retry the idempotent request.
    [Test]
    public void HTTP_retries_after_an_interim_answer_are_one_request_of_the_fetch()
    {
        var observation = Observer.Observe(Failed(), [Answered(true, 100), Answered(true, 100), Answered(true, 100)], PageOrigin, null);
        Assert.That((observation.Outcome, observation.Preflights), Is.EqualTo((Outcome.Blocked, 1)));
    }

    [Test]
    public void Requests_after_a_final_answer_or_of_another_kind_are_counted()
    {
        var journal = new[] { Answered(true, 200), Answered(true, 200), Answered(false, 100), Answered(false, 100, hop: 1) };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Observer.WithoutHttpRetries(journal), Has.Count.EqualTo(4));
            Assert.That(Observer.Observe(Failed(), journal, PageOrigin, null).Preflights, Is.EqualTo(2));
        }
    }

    // request.then: "The verdict counts the preflights of every request; everything else is the last request's." A PUT that
    // went through (preflight and request), then a DELETE refused at its preflight: in the journal alone that reads as one
    // preflighted request, and the last actual request is the PUT's.
    private static readonly SeenRequest[] PutThenRefusedDelete =
    [
        Seen(true, cookie: false, acrh: "x-a") with { Sequence = 1 },
        Seen(false, cookie: true, authorization: true) with { Method = "PUT", Sequence = 2, HasCaseCookie = true },
        Seen(true, acrh: "x-b") with { Sequence = 4 },
    ];

    private static PageResult PutAllowedThenDeleteFailed() =>
        new("c", [new PageAttempt(true, 200, [], null, false), new PageAttempt(false, null, [], "TypeError: Failed to fetch", false)]);

    [Test]
    public void A_sequence_whose_last_request_is_refused_at_its_preflight_is_judged_by_that_request_alone()
    {
        var steps = new SequenceMarks(1, [new StepMark(1, 3)]);
        var observation = Observer.Observe(PutAllowedThenDeleteFailed(), PutThenRefusedDelete, PageOrigin, null, Observing(authorization: true, caseCookie: true), steps: steps);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observation.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(observation.Preflights, Is.EqualTo(2), "the preflights of every request are counted");
            Assert.That(observation.ActualSent, Is.False, "the DELETE never went out; the PUT's request is not the DELETE's");
            Assert.That(observation.Origin, Is.Null);
            Assert.That(observation.CredentialsSent, Is.False);
            Assert.That(observation.RequestHeaders, Is.EqualTo("x-b"), "the DELETE's own preflight, not the PUT's");
            Assert.That(observation.Get(ObservedFields.AuthorizationSent), Is.False);
            Assert.That(observation.Get(ObservedFields.CaseCookieSent), Is.False);
        }
    }

    // Without the marks, the same journal is the whole sequence's (what a case without request.then has).
    [Test]
    public void Without_marks_the_whole_journal_is_one_request()
    {
        var observation = Observer.Observe(PutAllowedThenDeleteFailed(), PutThenRefusedDelete, PageOrigin, null);
        Assert.That((observation.ActualSent, observation.Origin, observation.RequestHeaders), Is.EqualTo((true, (string?)"{origin}", (string?)"x-a")));
    }

    // A last request that left nothing in the journal, after one that reached the target, is unreached (a harness error),
    // not blocked: the earlier request's entries do not say that this one was answered.
    [Test]
    public void A_last_request_that_reached_nothing_is_unreached_whatever_the_earlier_ones_reached()
    {
        var steps = new SequenceMarks(1, [new StepMark(1, 5)]);
        var observation = Observer.Observe(PutAllowedThenDeleteFailed(), PutThenRefusedDelete, PageOrigin, null, steps: steps);
        Assert.That((observation.Outcome, observation.Preflights), Is.EqualTo((Outcome.Unreached, 2)));
    }

    // The last request's cache-served actual request carries no Access-Control-Request-Headers of its own.
    [Test]
    public void A_last_request_served_by_the_preflight_cache_has_no_request_headers()
    {
        var journal = new[] { Seen(true, acrh: "x-a") with { Sequence = 1 }, Seen(false) with { Sequence = 2 }, Seen(false) with { Sequence = 4 } };
        var page = new PageResult("c", [new PageAttempt(true, 200, [], null, false), new PageAttempt(true, 200, [], null, false)]);
        var observation = Observer.Observe(page, journal, PageOrigin, null, steps: new SequenceMarks(1, [new StepMark(1, 3)]));
        Assert.That((observation.Preflights, observation.ActualSent, observation.RequestHeaders), Is.EqualTo((1, true, (string?)null)));
    }

    // A mark missing, repeated or out of order: the steps cannot be told apart, so the case is a harness error, never a verdict.
    [TestCase(new int[0])]
    [TestCase(new[] { 1 })]
    [TestCase(new[] { 2, 1 })]
    [TestCase(new[] { 1, 1 })]
    [TestCase(new[] { 1, 2, 3 })]
    public void Marks_that_are_not_one_per_follow_up_in_order_are_a_harness_error(int[] marked)
    {
        var steps = new SequenceMarks(2, [.. marked.Select((step, i) => new StepMark(step, 10 + i))]);
        var observation = Observer.Observe(PutAllowedThenDeleteFailed(), PutThenRefusedDelete, PageOrigin, null, steps: steps);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observation.Outcome, Is.EqualTo(Outcome.Unreached));
            Assert.That(observation.PageError, Does.Contain("cannot be told apart"));
        }
    }
}
