using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// The one comparison of what the target sent (the journal's <see cref="SeenRequest.Sent"/>) with what the case's plan asks
/// for. A difference means the browser was judged on an answer nobody planned: a harness error, never a verdict.
/// </summary>
public static class WireCheck
{
    /// <summary>Headers every answer may carry besides the plan's (the target's baseline) and, on a redirect, the Location the
    /// target writes from the plan's destination.</summary>
    private static readonly IReadOnlyList<string> Baseline = [.. ServerContract.BaselineResponseHeaders];

    /// <summary>The plan's header lines with their placeholders filled.</summary>
    public static IReadOnlyList<Header> Filled(IReadOnlyList<Header> headers, PlaceholderValues values) =>
        [.. headers.Select(h => h with { Value = Placeholders.Fill(h.Value, values) })];

    /// <summary>
    /// How every answer in <paramref name="journal"/> differs from <paramref name="plan"/>: the status, the reason phrase (when
    /// the plan names one), and for each header name the plan names, its lines in order, byte for byte; and any line of a name
    /// the plan does not name beyond the baseline (and a redirect's Location). Empty when every answer is as planned.
    /// </summary>
    /// <param name="pageOrigin">The run's page origin, with its port (what {origin} stood for).</param>
    /// <param name="marks">The page's step marks (a sequence whose follow-ups meet answers of their own is checked step by
    /// step, each request against its step's plan); none for a case of one request.</param>
    public static IReadOnlyList<string> Differences(ServerPlan plan, IReadOnlyList<SeenRequest> journal, string pageOrigin, IReadOnlyList<StepMark>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(journal);
        var differences = new List<string>();
        foreach (var seen in journal)
        {
            var where = $"{(seen.IsPreflight ? "preflight " : "")}{seen.Method} hop {seen.Hop}";
            if (seen.Sent is not { } sent)
            {
                differences.Add($"{where}: the journal does not say what the target sent");
                continue;
            }
            var step = plan.Then is null ? 0 : Target.StepOf(marks ?? [], seen.Sequence);
            if (step > 0) where = $"follow-up {step}: {where}";
            var (response, isRedirect) = Target.PlanFor(plan.ForStep(step), seen.IsPreflight, seen.Hop, seen.IsConditional);
            var ownOrigin = $"{(seen.Scheme == Scheme.Https ? "https" : "http")}://{seen.Host}";
            var planned = Filled(response.Headers, Target.PlaceholdersFor(pageOrigin, seen.Origin, ownOrigin, seen.PathAndQuery));
            if (sent.Status != response.Status) differences.Add($"{where}: the target sent status {sent.Status}, the plan says {response.Status}");
            if (response.Reason is { } reason && sent.Reason != reason)
            {
                differences.Add($"{where}: the target sent the reason phrase '{SentResponse.Escape(sent.Reason)}', the plan says '{SentResponse.Escape(reason)}'");
            }
            foreach (var name in planned.Select(h => h.Name).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var want = planned.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                var got = sent.Lines.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                if (!want.SequenceEqual(got, StringComparer.Ordinal))
                {
                    differences.Add($"{where}: the target sent {name} [{string.Join(" | ", got.Select(SentResponse.Escape))}], the plan says [{string.Join(" | ", want.Select(SentResponse.Escape))}]");
                }
            }
            var extra = sent.Lines.Select(h => h.Name)
                .Where(n => !planned.Contains(n) && !Baseline.Contains(n, StringComparer.OrdinalIgnoreCase)
                            && !(isRedirect && n.Equals(HeaderNames.Location, StringComparison.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (extra.Count > 0) differences.Add($"{where}: the target sent [{string.Join(", ", extra)}], which the plan does not name");
        }
        return differences;
    }
}
