using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>Builds a <see cref="Report"/> from engine runs: cases in catalog order, each with every engine that ran.</summary>
public static class ReportBuilder
{
    /// <param name="catalog">The cases the run was asked for, all shards together; null: the cases that ran.</param>
    /// <param name="shard">The shard this run is, when it is one.</param>
    public static Report Build(IReadOnlyList<EngineRun> runs, DateTimeOffset generatedAt, IReadOnlyList<CorsCase>? catalog = null, Shard? shard = null)
    {
        var engines = runs.Select(Engine).ToList();
        var byCase = runs.Where(r => r.Ran)
            .SelectMany(r => r.Verdicts.Select(v => (Engine: r.Engine.Id(), Verdict: v)))
            .GroupBy(x => x.Verdict.Case.Id)
            .ToList();
        var cases = byCase.Select(g =>
        {
            var first = g.First().Verdict;
            return new ReportCase(first.Case.Id, first.Case.Category, first.Case.AnchorUrl, first.Case.Description, Describe(first.Case),
                Expectation(first.Expected), g.ToDictionary(x => x.Engine, x => Result(x.Verdict)),
                StepsOf(first.Expected));
        }).ToList();
        catalog ??= runs.SelectMany(r => r.Verdicts.Select(v => v.Case)).DistinctBy(c => c.Id).ToList();
        var order = catalog.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        cases = cases.OrderBy(c => order.GetValueOrDefault(c.Id, int.MaxValue)).ToList();
        var reportCatalog = new ReportCatalog(CatalogDigest(catalog.Select(c => Definition(c, Expectation(Specs.Fetch.Oracle.Expect(c))))), catalog.Select(c => c.Id).ToList());
        var report = new Report(Report.CurrentSchemaVersion, generatedAt, FetchSpec.BaseUrl, engines, cases, null, StandardSteps(), Catalog: reportCatalog);
        return report with { Partial = ReportPartiality.Of(report, shard is null ? [] : [shard.ToString()]) };
    }

    /// <summary>The map of the standard as report.json carries it (standardSteps).</summary>
    public static IReadOnlyList<ReportStep> StandardSteps() =>
        StandardMap.Steps.Select(s => new ReportStep(s.Id, s.Name, s.Url, s.Quote, s.Oracle, s.Exemption)).ToList();

    /// <summary>The map's steps a case's expectation went through (cases[].steps).</summary>
    public static IReadOnlyList<string> StepsOf(Expectation expected)
    {
        var mapped = StandardMap.Steps.Select(s => s.Id).ToHashSet();
        return StandardCoverage.StepsOf(expected).Where(mapped.Contains).ToList();
    }

    /// <summary>What makes a case the same case in two reports: everything but its results.</summary>
    public static string Definition(ReportCase c) => Definition(c.Id, c.Category, c.Anchor, c.Description, c.Request, c.Expected);

    private static string Definition(CorsCase c, ReportExpectation expected) => Definition(c.Id, c.Category, c.AnchorUrl, c.Description, Describe(c), expected);

    private static string Definition(string id, string category, string anchor, string description, string request, ReportExpectation expected) =>
        System.Text.Json.JsonSerializer.Serialize(new { id, category, anchor, description, request, expected });

    /// <summary>sha256 of the cases' definitions, in catalog order.</summary>
    public static string CatalogDigest(IEnumerable<string> definitions) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", definitions))));

    public static string VerdictOf(CaseVerdict v) =>
        v.IsHarnessError ? Verdicts.HarnessError : v.Judgement.Kind switch
        {
            JudgementKind.Conforms => Verdicts.Conforms,
            JudgementKind.KnownDeviation => Verdicts.KnownDeviation,
            _ => Verdicts.Fails,
        };

    public static ReportSummary Summarize(IEnumerable<string> verdicts)
    {
        var list = verdicts.ToList();
        return new ReportSummary(list.Count, list.Count(v => v == Verdicts.Conforms), list.Count(v => v == Verdicts.KnownDeviation),
            list.Count(v => v == Verdicts.Fails), list.Count(v => v == Verdicts.HarnessError));
    }

    private static ReportEngine Engine(EngineRun run) => new(
        run.Engine.Id(), run.Ran, run.Unavailable, run.Version, run.Description,
        run.Settings is { } s ? new ReportLaunch(s.ExecutablePath, s.Channel, s.LaunchArgs(), s.Source) : null,
        run.CookiePolicy, (long)run.LaunchTime.TotalMilliseconds, (long)run.WallTime.TotalMilliseconds,
        Summarize(run.Verdicts.Select(VerdictOf)),
        run.PageFailures.Count == 0 ? null : run.PageFailures);

    /// <summary>The oracle's expectation as a report writes it: every predicted field (those carried by name too), the
    /// reason, and the other behaviours the standard allows.</summary>
    public static ReportExpectation Expectation(Expectation e) =>
        new(Word(e.Outcome), e.Preflights, e.ActualSent, e.Origin, e.RequestHeaders, e.CredentialsSent, e.Status, e.ReadableHeaders, e.Reason,
            e.Choice, e.Alternatives.Count == 0 ? null : e.Alternatives.Select(Expectation).ToList())
        {
            Extra = ReportExtra.Of(e.Extra),
        };

    /// <summary>An observation as a report writes it (every observed field, those carried by name too).</summary>
    public static ReportObservation Observation(Observation o) =>
        new(Word(o.Outcome), o.Preflights, o.ActualSent, o.Origin, o.RequestHeaders, o.CredentialsSent, o.PreflightCarriedCredentials, o.Status, o.ReadableHeaders)
        {
            Extra = ReportExtra.Of(o.Extra),
        };

    private static ReportResult Result(CaseVerdict v) => new(
        VerdictOf(v),
        Observation(v.Observed),
        v.Judgement.Differences,
        // A conforming case still listed as a deviation carries none: the report says what the browser did, not the list.
        v.Judgement.Deviation is { } d && !v.Judgement.ListedButConforms ? new ReportDeviation(d.Reason, d.Link, d.Fields) : null,
        v.Observed.BrowserReason,
        v.Run.Journal.Select(j => new ReportJournalEntry(j.Method, j.Hop, j.IsPreflight, j.ResponseStatus,
            Observer.Scrub(j.Origin, v.Run.PageOrigin), j.AccessControlRequestMethod, j.AccessControlRequestHeaders, j.HasCookie)).ToList(),
        v.ChoiceMade);

    private static string Word(Outcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>The request in one line: "fetch PUT, credentials include, from the page to a same-site target over http [X-A: 1]".</summary>
    public static string Describe(CorsCase @case)
    {
        var r = @case.Request;
        var from = @case.Origins.Page == PageOrigin.Origin ? "the page" : "a " + @case.Origins.Page.Describe();
        var to = @case.Origins.Target switch
        {
            Place.Page => "a target at the page's own origin",
            Place.SameSite => "a same-site target",
            Place.CrossSite => "a cross-site target",
            Place.SameHost => "a target on the page's host at another port",
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case.Origins.Target, "not a place of the topology"),
        };
        return $"{r.Initiator.Description} {r.Method}, credentials {r.Credentials.ToString().ToLowerInvariant()}, from {from} to {to} over {@case.Origins.Scheme.ToString().ToLowerInvariant()}"
            + (@case.Origins.CrossScheme && !@case.Origins.DataUrl ? $" (the target over {@case.Origins.TargetScheme.ToString().ToLowerInvariant()})" : "")
            + (r.Headers.Count > 0 ? $" [{string.Join("; ", r.Headers)}]" : "")
            + (r.BodyShown is { } body ? $", body {body}" : "")
            + (r.Repeat > 1 ? $", {r.Repeat} times" : "")
            + (@case.Server.Redirect is { } redirect ? $", redirected {redirect.Status} {redirect.DescribeDestinations()}" : "");
    }
}
