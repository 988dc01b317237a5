using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>A server-under-test report holds its protocol checks. It held only the browser cases, so against a server
/// whose only defect no browser shows (no Vary: Origin) or one admitting a disallowed origin (a protocol check, high) the
/// report read "Interop score 100 %" and "Every case does what the policy promises" while `dotnet test` failed.</summary>
public sealed class ServerUnderTestReportTests
{
    private static ReportProtocolCheck Check(string id, string outcome, string severity = "low") =>
        new("/api/items", id, $"title of {id}", $"https://fetch.spec.whatwg.org/#{id}", severity, outcome,
            $"{id} says why\n  request: GET http://127.0.0.1:5000/api/items\n  answer: 200", "curl -i http://127.0.0.1:5000/api/items");

    /// <summary>Every case of the recorded report conforms in every engine, as a server's clean browser run does.</summary>
    private static Report Clean(IReadOnlyList<ReportProtocolCheck>? checks)
    {
        var report = RecordedReports.Current;
        var cases = report.Cases.Select(c => c with
        {
            Results = c.Results.ToDictionary(r => r.Key, r => r.Value with { Verdict = Harness.Reports.Verdicts.Conforms, Differences = [], Deviation = null }),
        }).ToList();
        var engines = report.Engines.Select(e => e with
        {
            Summary = ReportBuilder.Summarize(cases.Where(c => c.Results.ContainsKey(e.Engine)).Select(c => c.Results[e.Engine].Verdict)),
        }).ToList();
        var sut = new ReportServerUnderTest("policy.json", "http://127.0.0.1:5000/api/items",
            new ReportPolicy(["https://app.example.com"], ["GET"], [], [], false, null, "https://evil.example"),
            [new ReportRoute("/api/items", "http://127.0.0.1:5000/api/items", ["GET"])], [], checks);
        return report with { Cases = cases, Engines = engines, Changes = null, History = null, ServerUnderTest = sut };
    }

    [Test]
    public void A_failing_protocol_check_is_in_every_format_and_the_summary_does_not_read_clean()
    {
        var report = Clean([Check("missing-vary", ReportProtocolCheck.Fail), Check("disallowed-origin-admitted", ReportProtocolCheck.Fail, "high"), Check("multiple-acao", ReportProtocolCheck.Pass)]);
        var json = ReportFile.Serialize(report);
        var parsed = ReportFile.Parse(json, "report.json");
        var markdown = MarkdownReport.Render(parsed);
        var html = HtmlReport.Render(parsed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.ServerUnderTest!.ProtocolChecks!.Select(c => (c.Id, c.Outcome)), Is.EqualTo(report.ServerUnderTest!.ProtocolChecks!.Select(c => (c.Id, c.Outcome))));
            Assert.That(markdown, Does.Contain("**Protocol checks (without a browser): 2 of 3 find a server defect — missing-vary (low, /api/items), disallowed-origin-admitted (high, /api/items).**"));
            Assert.That(markdown, Does.Contain("Every case does what the policy promises in every engine, but 2 protocol check(s) find a server defect"));
            Assert.That(markdown, Does.Contain("| /api/items | [`disallowed-origin-admitted`](https://fetch.spec.whatwg.org/#disallowed-origin-admitted) | high | fail | disallowed-origin-admitted says why |"));
            Assert.That(markdown, Does.Contain("| engine | version | as the policy promises | known deviations | not as promised | harness errors |"));
            Assert.That(html, Does.Contain("id=\"protocol-checks-headline\"").And.Contain("data-outcome=\"fail\""));
        }
    }

    [Test]
    public void Protocol_checks_that_did_not_run_or_could_not_check_are_said_so()
    {
        var notRun = MarkdownReport.Render(Clean(null));
        var unanswered = MarkdownReport.Render(Clean([Check("missing-vary", ReportProtocolCheck.NotChecked), Check("multiple-acao", ReportProtocolCheck.Pass)]));
        var clean = MarkdownReport.Render(Clean([Check("multiple-acao", ReportProtocolCheck.Pass)]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notRun, Does.Contain("Protocol checks (without a browser): not in this report").And.Contain("(the protocol checks, which need no browser, are not in this report)"));
            // Not "(no answer)": a check is not checked on a redirect, a 429 or a preflight that fails in browsers too (Apache's
            // `RewriteRule … [R=200]` answered, and the headline said it had not).
            Assert.That(unanswered, Does.Contain("none of 2 finds a server defect; 1 could not check theirs (each says why under Protocol checks)").And.Contain("| not-checked |"));
            Assert.That(unanswered, Does.Not.Contain("(no answer)"));
            Assert.That(clean, Does.Contain("Every case does what the policy promises in every engine, and no protocol check finds a server defect."));
        }
    }

    [Test]
    public void A_protocol_check_outcome_that_is_not_one_of_the_four_words_is_refused_naming_the_field()
    {
        var json = ReportFile.Serialize(Clean([Check("missing-vary", "perfect")]));
        var error = Assert.Throws<ReportFileException>(() => ReportFile.Parse(json, "report.json"));
        Assert.That(error!.Message, Does.Contain("serverUnderTest.protocolChecks[0].outcome").And.Contain("'perfect' is not an outcome"));
    }

    /// <summary>Against a plain-HTTP API (hono's cors on @hono/node-server, 127.0.0.1), WebKitGTK judged 4 of 68 cases and
    /// blocked the other 64 as mixed content: the report said "64 case(s) not judged in every engine (a harness error or no
    /// result)" and nowhere why — the reason was only in dotnet test's output, not in the report attached to a pull request.</summary>
    [Test]
    public void A_report_says_why_an_engine_that_judged_some_cases_did_not_judge_the_others()
    {
        var policyPath = Path.Combine(Path.GetTempPath(), $"not-judged-{Guid.NewGuid():N}.json");
        File.WriteAllText(policyPath, """{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"] }""");
        try
        {
            var settings = ServerUnderTestSettings.Load(key => key switch { "TargetUrl" => "http://127.0.0.1:18599/api/items", "PolicyPath" => policyPath, _ => null });
            var cases = settings.Cases();
            const string mixedContent = "an https page's requests to http://127.0.0.1 are blocked as mixed content";
            var verdicts = cases.Select((c, i) => i < 2
                ? new PolicyVerdict(c, Oracle.Expect(c.Model).Outcome, null, Oracle.Expect(c.Model), null, null, new RawResponse(200, [], null) { Reached = true }, null, [], [])
                : new PolicyVerdict(c, Outcome.Unreached, null, Oracle.Expect(c.Model), null, null, new RawResponse(null, [], null), null, [], [], mixedContent)).ToList();
            var run = new PolicyEngineRun(Engine.WebkitGtk, "WebKitGTK 2 (test)", null, verdicts) { Version = "2" };
            var report = ReportFile.Parse(ReportFile.Serialize(PolicyReportBuilder.Build(settings, [run], DateTimeOffset.UnixEpoch, new Dictionary<string, IReadOnlyList<ProtocolFinding>>())), "report.json");
            var markdown = MarkdownReport.Render(report);
            var html = HtmlReport.Render(report);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(report.ServerUnderTest!.NotJudged, Has.Count.EqualTo(1));
                Assert.That(report.ServerUnderTest.NotJudged![0], Is.EqualTo(new ReportNotJudged("webkitgtk", cases.Count - 2, cases[2].Title, mixedContent)));
                Assert.That(markdown, Does.Contain($"not judged in every engine** (a harness error or no result; why: under Not judged)"));
                Assert.That(markdown, Does.Contain($"- webkitgtk: {cases.Count - 2} case(s), the first '{MarkdownReport.Cell(cases[2].Title)}': {mixedContent}"));
                Assert.That(html, Does.Contain("id=\"not-judged\"").And.Contain(mixedContent));
            }
        }
        finally
        {
            File.Delete(policyPath);
        }
    }
}
