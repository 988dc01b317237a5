using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Verdicts;

/// <summary>An answer the target sent other than its plan is a harness error, never a verdict: the issue's 500 that Kestrel
/// sent for a value it refused, while the case was judged as if the planned 200 had arrived.</summary>
public sealed class CaseVerdictTests
{
    private const string PageOrigin = "http://www.cors.test:4242";

    private static readonly CorsCase Case = new("raw-responses/demo", "header-value", "a demo", Topology.Default, RequestSpec.Get,
        new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, [new(HeaderNames.AccessControlAllowOrigin, "{origin}\v")])));

    private static CaseVerdict Judge(SentResponse sent)
    {
        var seen = new SeenRequest("GET", Scheme.Http, "api.cors.test:4242", "/target/t", 0, false, PageOrigin, null, null, false, false, null, null, null, sent.Status) { Sent = sent };
        // The browser blocked it, as the standard says for the planned bytes: only the wire check can tell the verdict is void.
        var observation = new Observation(Outcome.Blocked, 0, true, Placeholders.Origin, null, false, false, null, null);
        return CaseVerdict.Judge(new CaseRun(Case, "t", PageOrigin, observation, [seen]), "chromium", KnownDeviations.Empty);
    }

    [Test]
    public void A_500_sent_for_a_planned_200_is_a_harness_error_that_says_so()
    {
        var verdict = Judge(new SentResponse(500, "Internal Server Error", [new("Content-Length", "0")], Raw: false));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.WireDifferences, Has.Some.Contains("status 500, the plan says 200"));
            Assert.That(verdict.Describe("Chromium"), Does.StartWith("Harness error in Chromium").And.Contain("not a CORS verdict")
                .And.Contain("actual 200 [Access-Control-Allow-Origin: {origin}\\x0B]"));
        }
    }

    /// <summary>A browser that fixed a listed bug is reported conforming, not failing: a nightly counted it a new failure
    /// (known-deviation → fails) and exited 3 under --fail-on-regression, blaming the browser for the list's age.</summary>
    [Test]
    public void A_case_listed_as_a_deviation_that_now_conforms_is_reported_conforming()
    {
        var listed = KnownDeviations.Parse("""
            - engine: chromium
              case: raw-responses/demo
              fields: [outcome]
              reason: blocked a vertical tab
              link: https://crbug.com/0
            """, "known-deviations.yaml");
        var sent = new SentResponse(200, "OK", [new(HeaderNames.AccessControlAllowOrigin, PageOrigin + "\v"), new("Content-Length", "2")], Raw: true);
        var seen = new SeenRequest("GET", Scheme.Http, "api.cors.test:4242", "/target/t", 0, false, PageOrigin, null, null, false, false, null, null, null, sent.Status) { Sent = sent };
        var observation = new Observation(Outcome.Blocked, 0, true, Placeholders.Origin, null, false, false, null, null);
        var verdict = CaseVerdict.Judge(new CaseRun(Case, "t", PageOrigin, observation, [seen]), "chromium", listed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CorsConformance.Harness.Reports.ReportBuilder.VerdictOf(verdict), Is.EqualTo(CorsConformance.Harness.Reports.Verdicts.Conforms));
            Assert.That(verdict.Judgement.ListedButConforms, Is.True);
            Assert.That(verdict.Judgement.Summary, Does.EndWith("remove its entry from known-deviations.yaml"));
        }
    }

    [Test]
    public void The_planned_bytes_on_the_wire_leave_the_verdict_to_the_standard()
    {
        var verdict = Judge(new SentResponse(200, "OK", [new(HeaderNames.AccessControlAllowOrigin, PageOrigin + "\v"), new("Content-Length", "2")], Raw: true));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.IsHarnessError, Is.False);
            Assert.That(verdict.Judgement.Passed, Is.True, verdict.Describe("Chromium"));
        }
    }

    // A sequence's evidence says where each follow-up began, so a reader sees which request a preflight belongs to.
    private static readonly CorsCase Sequence = new("preflight/demo-sequence", "cors-preflight-fetch-0", "a demo", Topology.Default,
        new RequestSpec(Api.Fetch, "PUT", [], CredentialsMode.SameOrigin, Then: [new FollowUp("DELETE", [], CredentialsMode.SameOrigin)]),
        new ServerPlan(new ResponsePlan(200, []), new ResponsePlan(200, [])));

    private static SeenRequest Seen(string method, bool preflight, long sequence) =>
        new(method, Scheme.Http, "api.cors.test:4242", "/target/t", 0, preflight, PageOrigin, preflight ? "DELETE" : null, null, false, false, null, null, null, 200) { Sequence = sequence, Sent = new SentResponse(200, "OK", [], Raw: false) };

    [Test]
    public void A_sequences_journal_shows_where_each_follow_up_began()
    {
        var observation = new Observation(Outcome.Blocked, 2, false, null, null, false, false, null, null);
        var run = new CaseRun(Sequence, "t", PageOrigin, observation, [Seen("OPTIONS", true, 1), Seen("PUT", false, 2), Seen("OPTIONS", true, 4)]) { Marks = [new StepMark(1, 3)] };
        var text = CaseVerdict.Judge(run, "chromium", KnownDeviations.Empty).Describe("Chromium");
        Assert.That(text, Does.Contain("Then: DELETE").And.Match(@"PUT hop 0[^\n]*\n  follow-up 1 of request\.then:\n    preflight OPTIONS"));
    }

    [Test]
    public void A_sequence_whose_marks_did_not_arrive_is_a_harness_error_that_says_so()
    {
        var observation = new Observation(Outcome.Unreached, 2, false, null, null, false, false, null, null);
        var verdict = CaseVerdict.Judge(new CaseRun(Sequence, "t", PageOrigin, observation, [Seen("OPTIONS", true, 1)]), "chromium", KnownDeviations.Empty);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.IsHarnessError, Is.True);
            Assert.That(verdict.Describe("Chromium"), Does.StartWith("Harness error in Chromium").And.Contain("cannot be told apart"));
        }
    }
}
