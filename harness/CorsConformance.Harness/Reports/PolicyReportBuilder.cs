using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// The server-under-test run as a report.json of the nightly schema (so `render`, report.md and report.html serve it
/// too): each case per engine, grouped by route (its category), judged against what the policy promises, with the
/// evidence; and the policy, the routes and what the credentialed cases carried, in `serverUnderTest`. A case an engine
/// could not judge (see <see cref="PolicyVerdict.NotJudged"/>) has no result for that engine, and an engine that judged
/// none is "not run" with the reason.
/// </summary>
public static class PolicyReportBuilder
{
    /// <summary>The fields of <see cref="ReportObservation"/> a browser run against a server under test observes.</summary>
    public static readonly IReadOnlyList<string> ObservedFields = ["outcome", "readableHeaders"];

    /// <param name="protocolChecks">Each route's protocol checks (by route name), or null when they did not run.</param>
    public static Report Build(ServerUnderTestSettings settings, IReadOnlyList<PolicyEngineRun> runs, DateTimeOffset generatedAt,
        IReadOnlyDictionary<string, IReadOnlyList<ProtocolFinding>>? protocolChecks = null)
    {
        var engines = runs.Select(Engine).ToList();
        var judged = runs.Where(r => r.Unavailable is null && r.NothingJudged is null).ToList();
        var cases = settings.Cases().Select(@case =>
        {
            var results = judged
                .Select(r => (Engine: r.Engine.Id(), Verdict: r.Verdicts.FirstOrDefault(v => v.Case.Id == @case.Id), Run: r))
                .Where(x => x.Verdict is { NotJudged: null })
                .ToDictionary(x => x.Engine, x => Result(x.Verdict!, x.Run.Description ?? x.Run.Engine.DisplayName(), settings.Authentication));
            var promised = Oracle.Expect(@case.Model);
            return new ReportCase(@case.Id, @case.Route ?? settings.Target.AbsolutePath, @case.Model.AnchorUrl, @case.Title, Describe(@case),
                ReportBuilder.Expectation(promised), results);
        }).ToList();
        var policy = settings.Policy;
        var serverUnderTest = new ReportServerUnderTest(
            settings.PolicyPath,
            settings.Target.ToString(),
            new ReportPolicy(policy.AnyOrigin ? ["*", .. policy.AllowedOrigins.Select(o => o.Text)] : policy.AllowedOrigins.Select(o => o.Text).ToList(),
                policy.AllowedMethods, policy.AllowedHeaders, policy.ExposedHeaders, policy.AllowCredentials, policy.MaxAge, policy.DisallowedOrigin),
            settings.Routes.Select(r => new ReportRoute(r.Name, r.Url.ToString(), r.Policy.AllowedMethods)).ToList(),
            [
                .. settings.Authentication.Headers.Select(h => $"header {h.Name} from ${h.Variable}"),
                .. settings.Authentication.Cookies.Select(c => $"cookie {c.Name} for {c.Domain}{c.Path}"),
            ],
            protocolChecks is null ? null : settings.Routes.SelectMany(r => protocolChecks.GetValueOrDefault(r.Name, []).Select(f => new ReportProtocolCheck(
                r.Name, f.Defect.Id, f.Defect.Title, f.Defect.Url, f.Defect.Severity.ToString().ToLowerInvariant(), Outcome(f.Outcome),
                settings.Authentication.Redact(f.Message), settings.Authentication.Redact(f.Curl)))).ToList(),
            // An engine that judged none says why in its own row (unavailable); one that judged some says here why not the rest.
            judged.SelectMany(r => r.Verdicts.Where(v => v.NotJudged is not null).GroupBy(v => v.NotJudged!)
                .Select(g => new ReportNotJudged(r.Engine.Id(), g.Count(), g.First().Case.Title, settings.Authentication.Redact(g.Key)))).ToList());
        return new Report(Report.CurrentSchemaVersion, generatedAt, FetchSpec.BaseUrl, engines, cases, null, ServerUnderTest: serverUnderTest);
    }

    private static string Outcome(FindingOutcome outcome) => outcome switch
    {
        FindingOutcome.Pass => ReportProtocolCheck.Pass,
        FindingOutcome.Fail => ReportProtocolCheck.Fail,
        FindingOutcome.NotApplicable => ReportProtocolCheck.NotApplicable,
        FindingOutcome.NotChecked => ReportProtocolCheck.NotChecked,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "a protocol check outcome without its word"),
    };

    public static string VerdictOf(PolicyVerdict v) => v.IsHarnessError ? Verdicts.HarnessError : v.Passed ? Verdicts.Conforms : Verdicts.Fails;

    private static ReportEngine Engine(PolicyEngineRun run)
    {
        var unavailable = run.Unavailable ?? run.NothingJudged;
        var verdicts = run.Verdicts.Where(v => v.NotJudged is null).Select(VerdictOf);
        return new ReportEngine(run.Engine.Id(), unavailable is null, unavailable, run.Version, run.Description, null,
            CookiePolicy.For(run.Engine) with { PlantedCookie = "the cookie jar's cookies, if any (see serverUnderTest.authentication)" },
            (long)run.LaunchTime.TotalMilliseconds, (long)run.WallTime.TotalMilliseconds,
            ReportBuilder.Summarize(unavailable is null ? verdicts : []), run.PageFailures.Count == 0 ? null : run.PageFailures);
    }

    private static ReportResult Result(PolicyVerdict v, string engine, Authentication authentication)
    {
        var differences = new List<Difference>();
        if (!v.IsHarnessError && v.Browser != v.Promised.Outcome) differences.Add(new Difference("outcome", Word(v.Promised.Outcome), Word(v.Browser)));
        if (!v.IsHarnessError && v.Browser == v.Promised.Outcome && v.SentThoughRefused) differences.Add(new Difference("actualSent", "false (refused at the preflight)", "true (the server's preflight answer admits it)"));
        if (v.ExposedButUnreadable.Count > 0) differences.Add(new Difference("readableHeaders", "readable: " + string.Join(", ", v.ExposedButUnreadable), "not readable"));
        if (v.ReadableButNotExposed.Count > 0) differences.Add(new Difference("readableHeaders", "not readable: " + string.Join(", ", v.ReadableButNotExposed), "readable"));
        return new ReportResult(
            VerdictOf(v),
            new ReportObservation(Word(v.Browser), 0, false, null, null, false, false, null, v.ReadableHeaders),
            differences,
            null,
            v.BrowserReason,
            [],
            Observes: ObservedFields,
            Evidence: authentication.Redact(v.Describe(engine)));
    }

    private static string Word(Outcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>"fetch PUT, credentials include, from https://app.example.com to https://api.example.com/items [X-A: 1]".</summary>
    private static string Describe(PolicyCase @case)
    {
        var r = @case.Request;
        return $"fetch {r.Method}, credentials {r.Credentials.ToString().ToLowerInvariant()}, from {(@case.PageOrigin == "null" ? "an opaque (null) origin" : @case.PageOrigin)} to {@case.Resource}"
            + (r.Headers.Count > 0 ? $" [{string.Join("; ", r.Headers)}]" : "")
            + (r.Body is null ? "" : $", body '{r.Body}'");
    }
}
