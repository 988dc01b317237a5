using System.Text;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Verdicts;

/// <summary>One case in one engine: what the standard expects, what the browser did, and the judgement.</summary>
/// <param name="Chosen">The behaviour the standard allows that the browser's matches (or comes closest to): the expectation
/// itself, or one of its alternatives where the standard leaves a choice.</param>
public sealed record CaseVerdict(CaseRun Run, Expectation Expected, Judgement Judgement, Expectation Chosen)
{
    public CorsCase Case => Run.Case;

    public Observation Observed => Run.Observation;

    /// <summary>A harness or network failure: nothing reached the target, or the target sent something other than the plan
    /// (<see cref="WireDifferences"/>). Never a CORS verdict.</summary>
    public bool IsHarnessError => Observed.Outcome == Outcome.Unreached || WireDifferences.Count > 0;

    /// <summary>How what the target sent differs from the case's plan (<see cref="WireCheck"/>); empty when as planned.</summary>
    public IReadOnlyList<string> WireDifferences => WireCheck.Differences(Case.Server, Run.Journal, Run.PageOrigin, Run.Marks);

    public static CaseVerdict Judge(CaseRun run, string engine, KnownDeviations deviations)
    {
        var expected = Oracle.Expect(run.Case);
        var (chosen, differences) = Verdict.Judge(expected, run.Observation);
        return new CaseVerdict(run, expected, deviations.Judge(engine, run.Case.Id, differences), chosen);
    }

    /// <summary>Where the standard leaves a choice: which conforming behaviour the browser showed, in the standard's words;
    /// "none of the allowed behaviours" when it matched none; null where the standard leaves nothing open.</summary>
    public string? ChoiceMade => Expected.Alternatives.Count == 0 ? null
        : Verdict.Compare(Chosen with { Alternatives = [] }, Observed).Count == 0 ? Chosen.Choice : "none of the allowed behaviours";

    /// <summary>A failure message that reads as a sentence and carries the evidence.</summary>
    public string Describe(string engineDescription)
    {
        var text = new StringBuilder();
        if (WireDifferences.Count > 0)
        {
            text.AppendLine($"Harness error in {engineDescription}: for '{Case.Id}' the target did not send what the plan says. This is not a CORS verdict.");
            foreach (var difference in WireDifferences) text.AppendLine($"  ! {difference}");
        }
        else if (IsHarnessError && Observed.PageError is { } failed && failed.StartsWith(CaseRunner.PageFailedPrefix, StringComparison.Ordinal))
        {
            // Its requests may have reached the target before the page failed: what reached it is not judged.
            text.AppendLine($"Harness error in {engineDescription}: '{Case.Id}' was not observed ({failed}). This is not a CORS verdict.");
        }
        else if (IsHarnessError && Observed.PageError is { } gone && gone.StartsWith(CaseRunner.BrowserFailedPrefix, StringComparison.Ordinal))
        {
            // A sequence the browser never ran has no step marks either: the browser's failure is the cause, not the marks
            // (WebKitGTK's session deleted "because of page crash or hang" read "the page's step marks arrived as []").
            text.AppendLine($"Harness error in {engineDescription}: the request for '{Case.Id}' never reached the target ({gone}). This is not a CORS verdict.");
        }
        else if (IsHarnessError && new SequenceMarks(Case.Request.Then?.Count ?? 0, Run.Marks).Problem is { } unmarked)
        {
            text.AppendLine($"Harness error in {engineDescription}: for '{Case.Id}' {unmarked}. This is not a CORS verdict.");
        }
        else if (IsHarnessError)
        {
            text.AppendLine($"Harness error in {engineDescription}: the request for '{Case.Id}' never reached the target ({Observed.PageError ?? "no error text"}). This is not a CORS verdict.");
        }
        else
        {
            text.AppendLine($"{engineDescription} {Judgement.Summary} on '{Case.Id}': {Case.Description}.");
        }
        foreach (var difference in Judgement.Differences) text.AppendLine($"  - {difference}");
        text.AppendLine($"Spec: {Case.AnchorUrl}");
        text.AppendLine($"The standard: {Chosen.Outcome.ToString().ToLowerInvariant()}, because {Chosen.Reason}.");
        if (Expected.Alternatives.Count > 0)
        {
            text.AppendLine($"The standard leaves a choice; it allows {Expected.Allowed.Count} behaviours:");
            foreach (var allowed in Expected.Allowed) text.AppendLine($"    - {allowed.Choice}: {allowed.Outcome.ToString().ToLowerInvariant()}, {allowed.Preflights} preflight(s)");
            text.AppendLine($"The browser chose: {ChoiceMade}. The steps of the closest:");
        }
        foreach (var step in Chosen.Steps) text.AppendLine($"    · {step}");
        var request = Case.Request;
        text.AppendLine($"Request: {request.Initiator.Word} {request.Method} credentials={request.Credentials} from {Case.Origins}"
            + (request.Headers.Count > 0 ? $" headers [{string.Join("; ", request.Headers)}]" : "")
            + (request.BodyShown is { } body ? $" body {body}" : "") + (request.Repeat > 1 ? $" ×{request.Repeat}" : ""));
        text.AppendLine($"Server: preflight {Describe(Case.Server.Preflight)}; actual {Describe(Case.Server.Actual)}"
            + (Case.Server.Redirect is { } r ? $"; redirect {r.Status} {r.DescribeDestinations()} [{Lines(r.Headers)}]" : "")
            + (Case.Server.Redirect?.Preflight is { } rp ? $"; preflight after the redirect {Describe(rp)}" : ""));
        if (request.Then is { Count: > 0 } then)
        {
            text.AppendLine($"Then: {string.Join("; then ", then.Select(f => $"{f.Method} credentials={f.Credentials}" + (f.Target is { } place ? $" to {place}" : "") + (f.Headers.Count > 0 ? $" headers [{string.Join("; ", f.Headers)}]" : "") + (f.DelayMs > 0 ? $" after {f.DelayMs} ms" : "")))}");
            foreach (var (step, i) in (Case.Server.Then ?? []).Select((step, i) => (step, i + 1)))
            {
                text.AppendLine($"Server at follow-up {i}: preflight {Describe(step.Preflight)}; actual {Describe(step.Actual)}"
                    + (step.Redirect is { } sr ? $"; redirect {sr.Status} {sr.DescribeDestinations()} [{Lines(sr.Headers)}]" : "")
                    + (step.Redirect?.Preflight is { } sp ? $"; preflight after the redirect {Describe(sp)}" : ""));
            }
        }
        text.AppendLine("Journal (what reached the target):");
        if (Run.Journal.Count == 0) text.AppendLine("    (nothing)");
        var marks = new Queue<StepMark>(Run.Marks);
        foreach (var seen in Run.Journal)
        {
            while (marks.TryPeek(out var mark) && mark.Sequence < seen.Sequence) text.AppendLine($"  follow-up {marks.Dequeue().Step} of request.then:");
            text.AppendLine($"    {(seen.IsPreflight ? "preflight " : "")}{seen.Method} hop {seen.Hop} → {(seen.Sent is { } sent ? Observer.Scrub(sent.ToString(), Run.PageOrigin) : seen.ResponseStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))}; Origin: {Observer.Scrub(seen.Origin, Run.PageOrigin) ?? "(none)"}"
                + (seen.AccessControlRequestMethod is { } m ? $"; ACRM: {m}" : "")
                + (seen.AccessControlRequestHeaders is { } h ? $"; ACRH: {h}" : "")
                + (seen.HasCookie ? "; cookie" : "") + (seen.HasAuthorization ? "; authorization" : ""));
        }
        foreach (var mark in marks) text.AppendLine($"  follow-up {mark.Step} of request.then: (nothing)");
        if (Observed.PageError is { } error) text.AppendLine($"Page error: {error}");
        if (Observed.BrowserReason is { } reason) text.AppendLine($"Browser's reason: {reason}");
        return text.ToString();
    }

    private static string Describe(ResponsePlan plan) =>
        $"{plan.Status}{(plan.Reason is { } reason ? $" '{SentResponse.Escape(reason)}'" : "")} [{Lines(plan.Headers)}]";

    /// <summary>Header lines for people, each byte outside visible ASCII written as \xNN (a VT or a NUL would not show).</summary>
    private static string Lines(IEnumerable<Header> headers) => string.Join("; ", headers.Select(h => $"{h.Name}: {SentResponse.Escape(h.Value)}"));
}
