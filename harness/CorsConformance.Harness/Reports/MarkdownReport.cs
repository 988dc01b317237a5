using System.Text;

namespace CorsConformance.Harness.Reports;

/// <summary>report.md: the summary (per category and the interop score), what changed since the baseline, the history
/// table, and every case where an engine differs from the standard.</summary>
public static partial class MarkdownReport
{
    public static string Render(Report report)
    {
        var md = new StringBuilder();
        md.AppendLine("# CORS conformance report").AppendLine();
        md.AppendLine(report.ServerUnderTest is null
            ? $"{report.Cases.Count} cases against the [Fetch Standard]({report.Spec}), {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC."
            : $"{report.Cases.Count} cases of a server under test against what its policy promises (the policy run through a model of the [Fetch Standard]({report.Spec})), {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC.").AppendLine();
        // A server-under-test report counts cases kept as the policy promises, whoever broke one (the server or the browser).
        md.AppendLine(report.ServerUnderTest is null ? "| engine | version | conform | known deviations | fail | harness errors |"
            : "| engine | version | as the policy promises | known deviations | not as promised | harness errors |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var e in report.Engines)
        {
            md.AppendLine(e.Ran
                ? $"| {Cell(e.Engine)} | {Cell(e.Build)} | {e.Summary.Conforms} | {e.Summary.KnownDeviations} | {e.Summary.Fails} | {e.Summary.HarnessErrors} |"
                : $"| {Cell(e.Engine)} | not run: {Cell(e.Unavailable)} | | | | |");
        }
        // A page that failed mid-run was replaced and its cases ran again alone: the counts stand, but the night says it.
        foreach (var e in report.Engines.Where(e => e.PageFailures is { Count: > 0 }))
        {
            md.AppendLine().AppendLine($"**{Cell(e.Engine)}: the browser failed under the run {e.PageFailures!.Count} time(s)** (a failed page or scope is replaced by a fresh one, and the cases it held run again alone; a case that could not is a harness error):");
            foreach (var failure in e.PageFailures) md.AppendLine($"- {Cell(failure)}");
        }
        RenderPartial(md, report);
        RenderSummary(md, report);
        if (report.ServerUnderTest is { } sut)
        {
            md.AppendLine().AppendLine($"## Server under test: {Cell(sut.Target)}").AppendLine();
            md.AppendLine($"Policy `{Cell(sut.PolicyFile)}`: origins {Cell(string.Join(", ", sut.Policy.AllowedOrigins))}; credentials {(sut.Policy.AllowCredentials ? "allowed" : "not allowed")}"
                + (sut.Policy.MaxAge is { } age ? $"; max-age {age}" : "") + ".").AppendLine();
            md.AppendLine("| route | URL | methods |");
            md.AppendLine("|---|---|---|");
            foreach (var r in sut.Routes) md.AppendLine($"| {Cell(r.Name)} | {Cell(r.Url)} | {Cell(string.Join(", ", r.AllowedMethods))} |");
            md.AppendLine().AppendLine("Credentialed cases carry: " + (sut.Authentication.Count == 0 ? "no header or cookie of yours." : Cell(string.Join("; ", sut.Authentication)) + " (values never written)."));
            RenderNotJudged(md, sut);
            RenderProtocolChecks(md, sut);
        }
        if (report.Changes is { } changes)
        {
            md.AppendLine().AppendLine($"## Changes since {Cell(changes.Baseline)} ({changes.BaselineGeneratedAt:yyyy-MM-dd})").AppendLine();
            if (changes.IsEmpty) md.AppendLine("Nothing changed.");
            foreach (var v in changes.EngineVersions) md.AppendLine($"- {Cell(v.Engine)}: " + (v.From is null ? $"not run in the baseline, now version {Cell(v.To ?? "unknown")}" : $"version {Cell(v.From)} → {Cell(v.To ?? "unknown")}"));
            foreach (var b in changes.EngineBuilds) md.AppendLine($"- **{Cell(b.Engine)}: another build" + (b.From.Split(' ')[0] == b.To.Split(' ')[0] ? " of the same version" : "") + $"** — {Cell(b.From)} → {Cell(b.To)}: what changed below in {Cell(b.Engine)} may be the build's doing");
            foreach (var e in changes.EnginesNotRun) md.AppendLine($"- **{Cell(e.Engine)} ran in the baseline (version {Cell(e.Version ?? "unknown")}) and did not run now** ({Cell(e.Why)}): **its {e.Judged} verdict(s) there are not checked now**, neither regressions nor fixes");
            Section(md, "New failures (regressions)", changes.NewFailures);
            Section(md, "Fixes", changes.Fixes);
            Section(md, "Behaviour changes", changes.BehaviourChanges);
            Section(md, "Harness errors (no verdict on one side: neither a regression nor a fix)", changes.HarnessErrors);
            if (changes.NoResultNow.Count > 0)
            {
                md.AppendLine().AppendLine($"**{changes.NoResultNow.Count} verdict(s) of the baseline have no result now (not checked: neither regressions nor fixes)**").AppendLine();
                foreach (var c in changes.NoResultNow.Take(ReportChangesText.ListedIds)) md.AppendLine($"- {Cell(c.Engine)} `{Cell(c.Case)}`: {c.From} → no result");
                if (changes.NoResultNow.Count > ReportChangesText.ListedIds) md.AppendLine($"- and {changes.NoResultNow.Count - ReportChangesText.ListedIds} more");
            }
            Section(md, "Known-deviations list changed (the browser did the same; its deviation was listed or unlisted)", changes.DeviationListChanges);
            Section(md, "Cases redefined (their request or expectation changed: the verdict moved with the case, not the browser)", changes.RedefinedCases);
            // Named, not only counted: a case renamed read "1 new, 1 removed", and a removed case's failure left the report
            // without a word of which case it was.
            if (changes.NewCases.Count > 0) md.AppendLine($"- {changes.NewCases.Count} new case(s): {Ids(changes.NewCases)}");
            if (changes.RemovedCases.Count > 0) md.AppendLine($"- {changes.RemovedCases.Count} removed case(s) (in the baseline, not in this catalog): {Ids(changes.RemovedCases)}");
        }
        RenderHistory(md, report);
        var engines = report.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();
        var differing = report.Cases.Where(c => c.Results.Values.Any(r => r.Verdict != Verdicts.Conforms)).ToList();
        md.AppendLine().AppendLine(report.ServerUnderTest is null ? "## Where engines differ from the standard" : "## Where browsers and the server differ from the policy").AppendLine();
        if (engines.Count == 0)
        {
            md.AppendLine("**No engine ran: no case was checked.**");
        }
        else if (differing.Count == 0)
        {
            md.AppendLine(report.ServerUnderTest is null ? "Every engine conforms on every case." : "Every case does what the policy promises in every engine"
                + ProtocolChecksClause(report.ServerUnderTest) + ".");
        }
        else
        {
            md.AppendLine($"| case | {(report.ServerUnderTest is null ? "standard" : "policy")} | " + string.Join(" | ", engines.Select(Cell)) + " |");
            md.AppendLine("|---|---|" + string.Concat(engines.Select(_ => "---|")));
            foreach (var c in differing)
            {
                md.AppendLine($"| {(SafeLink.Of(c.Anchor) is { } anchor ? $"[{Cell(c.Id)}]({Destination(anchor)})" : Cell(c.Id))} | {c.Expected.Outcome} | "
                    + string.Join(" | ", engines.Select(e => c.Results.TryGetValue(e, out var r) ? Cell(Summary(r)) : "")) + " |");
            }
        }
        RenderSteps(md, report, engines);
        var evidence = report.Cases.SelectMany(c => c.Results.Where(r => r.Value.Failed && r.Value.Evidence is not null).Select(r => (Case: c, Engine: r.Key, r.Value.Evidence))).ToList();
        if (evidence.Count > 0)
        {
            md.AppendLine().AppendLine("## Evidence").AppendLine();
            foreach (var (c, engine, text) in evidence)
            {
                md.AppendLine($"<details><summary>{Cell(engine)}: {Cell(c.Id)}</summary>").AppendLine();
                md.AppendLine("```text").AppendLine(Block(text!)).AppendLine("```").AppendLine().AppendLine("</details>").AppendLine();
            }
        }
        return md.ToString();
    }

    /// <summary>The standard, step by step: each step of the map with each engine's result on the cases behind it. Steps
    /// where every engine conforms on every case are counted, not listed, so the section shows where engines differ.</summary>
    private static void RenderSteps(StringBuilder md, Report report, IReadOnlyList<string> engines)
    {
        var rows = StepResults.Of(report);
        if (rows.Count == 0) return;
        md.AppendLine().AppendLine("## The standard, step by step").AppendLine();
        var differing = rows.Where(r => r.AnyDifference).ToList();
        var exempt = rows.Count(r => r.Step.Exemption is not null);
        md.AppendLine($"{rows.Count} steps of the Fetch Standard's CORS algorithms (specs/catalog/standard-map.yaml); {exempt} exempt (no case can exercise them); "
            + $"every engine conforms on every case behind {rows.Count(r => r.Cases.Count > 0 && !r.AnyDifference)} of them.");
        if (differing.Count == 0) return;
        md.AppendLine().AppendLine("| step | cases | " + string.Join(" | ", engines.Select(Cell)) + " |");
        md.AppendLine("|---|---:|" + string.Concat(engines.Select(_ => "---|")));
        foreach (var row in differing)
        {
            var step = SafeLink.Of(row.Step.Link) is { } link ? $"[{Cell(row.Step.Name)}]({Destination(link)})" : Cell(row.Step.Name);
            md.AppendLine($"| {step} | {row.Cases.Count} | " + string.Join(" | ", engines.Select(e => Cell(StepResults.Describe(row.Engines[e])))) + " |");
        }
    }

    /// <summary>The first <see cref="ReportChangesText.ListedIds"/> ids, each as code, and how many more.</summary>
    private static string Ids(IReadOnlyList<string> ids) => ReportChangesText.Listed(ids, id => $"`{Cell(id)}`");

    private static void Section(StringBuilder md, string title, IReadOnlyList<CaseChange> changes)
    {
        if (changes.Count == 0) return;
        md.AppendLine().AppendLine($"**{title}**").AppendLine();
        foreach (var c in changes)
        {
            md.AppendLine($"- {Cell(c.Engine)} `{Cell(c.Case)}`: {c.From} → {c.To}" + (c.Fields.Count > 0 ? $" ({string.Join(", ", c.Fields)})" : ""));
        }
    }

    private static string Summary(ReportResult r) =>
        r.Verdict + (r.Differences.Count > 0 ? ": " + string.Join("; ", r.Differences.Select(d => d.Field)) : "");

    /// <summary>Text for a table cell: pipes, backticks and markup characters cannot break out of it. Brackets are escaped
    /// too: a case id or a browser's words from a report.json handed to `render` made `[text](https://…)` a live link and
    /// `![](https://…)` an image every reader's viewer loaded; and a carriage return, a line end to Markdown, ended the row.</summary>
    public static string Cell(string? text) => ServerUnderTest.RawHead.EscapeControls(
        (text ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("`", "\\`", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal)
            .Replace("\r\n", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal));

    /// <summary>Text for a fenced block: its fence cannot close early, and a server's control characters (quoted in the
    /// evidence: an Access-Control-Allow-Origin ending in ESC [2J) are written as \xNN, so `cat report.md` runs none.</summary>
    private static string Block(string text) =>
        ServerUnderTest.RawHead.EscapeControls(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("```", "ʼʼʼ", StringComparison.Ordinal).TrimEnd());

    /// <summary>A link's destination (a <see cref="SafeLink"/>): a space or a parenthesis in it ended the link early and let
    /// the rest of an anchor from a report.json be read as Markdown (an image, another link).</summary>
    private static string Destination(string url) =>
        url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    /// <summary>What the protocol checks add to "every case does what the policy promises": never a clean sentence over
    /// checks that failed, or that did not run.</summary>
    internal static string ProtocolChecksClause(ReportServerUnderTest sut) =>
        sut.ProtocolChecks is null ? " (the protocol checks, which need no browser, are not in this report)"
        : sut.FailedChecks.Count > 0 ? $", but {sut.FailedChecks.Count} protocol check(s) find a server defect (see Protocol checks)"
        : sut.ProtocolChecks.Any(c => c.Outcome == ReportProtocolCheck.NotChecked) ? ", and no protocol check finds a defect, though some could not check theirs (see Protocol checks)"
        : ", and no protocol check finds a server defect";

    /// <summary>Why an engine that ran judged some cases and not the others: each reason once, with its count.</summary>
    private static void RenderNotJudged(StringBuilder md, ReportServerUnderTest sut)
    {
        if (sut.NotJudged is not { Count: > 0 } notJudged) return;
        md.AppendLine().AppendLine("### Not judged").AppendLine();
        md.AppendLine("Cases an engine ran but could not judge — something outside CORS stopped the call; no result, counted in neither share:").AppendLine();
        foreach (var n in notJudged) md.AppendLine($"- {Cell(n.Engine)}: {n.Cases} case(s), the first '{Cell(n.First)}': {Cell(n.Reason)}");
    }

    private static void RenderProtocolChecks(StringBuilder md, ReportServerUnderTest sut)
    {
        md.AppendLine().AppendLine("### Protocol checks (without a browser)").AppendLine();
        if (sut.ProtocolChecks is null)
        {
            md.AppendLine("Not in this report: the run it is of did not include them.");
            return;
        }
        var shown = sut.ProtocolChecks.Where(c => c.Outcome != ReportProtocolCheck.Pass).ToList();
        var passed = sut.ProtocolChecks.Count(c => c.Outcome == ReportProtocolCheck.Pass);
        md.AppendLine($"{passed} of {sut.ProtocolChecks.Count} pass" + (shown.Count == 0 ? "." : "; the others:")).AppendLine();
        if (shown.Count == 0) return;
        md.AppendLine("| route | check | severity | outcome | why |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var c in shown.OrderBy(c => c.Outcome == ReportProtocolCheck.Fail ? 0 : 1))
        {
            md.AppendLine($"| {Cell(c.Route)} | {(SafeLink.Of(c.Link) is { } link ? $"[`{Cell(c.Id)}`]({Destination(link)})" : $"`{Cell(c.Id)}`")} | {Cell(c.Severity)} | {Cell(c.Outcome)} | {Cell(c.Message.Split('\n')[0])} |");
        }
        foreach (var c in shown.Where(c => c.Outcome == ReportProtocolCheck.Fail))
        {
            md.AppendLine().AppendLine($"<details><summary>{Cell(c.Route)}: {Cell(c.Id)}</summary>").AppendLine();
            md.AppendLine("```text").AppendLine(Block(c.Message)).AppendLine("```").AppendLine().AppendLine("</details>");
        }
    }
}
