namespace CorsConformance.Specs.Verdicts;

/// <summary>One way an observation differs from the standard's expectation.</summary>
public sealed record Difference(string Field, string Expected, string Observed)
{
    public override string ToString() => $"{Field}: the standard says {Expected}, the browser did {Observed}";
}

/// <summary>Compares what a browser did with what the Fetch Standard says, field by field.</summary>
public static class Verdict
{
    /// <summary>The field names a difference (and a known deviation) can name.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["outcome", "preflights", "actualSent", "origin", "requestHeaders", "credentialsSent", "preflightCarriedCredentials", "status", "readableHeaders", "contentReadable"];

    /// <summary>How <paramref name="observed"/> differs from what the standard allows: nothing when it matches the expectation
    /// or one of its alternatives; otherwise the differences from the closest allowed behaviour, each saying every value the
    /// standard allows for that field.</summary>
    public static IReadOnlyList<Difference> Compare(Expectation expected, Observation observed) => Judge(expected, observed).Differences;

    /// <summary>The allowed behaviour the browser chose (the one it matches, or the closest when it matches none) and how it
    /// differs from it.</summary>
    public static (Expectation Chosen, IReadOnlyList<Difference> Differences) Judge(Expectation expected, Observation observed)
    {
        var allowed = expected.Allowed;
        var best = allowed.Select(e => (Expectation: e, Fields: Differing(e, observed)))
            .OrderBy(x => x.Fields.Count) // stable: the first allowed behaviour wins a tie
            .First();
        var differences = best.Fields
            .Select(f => new Difference(f.Name, string.Join(" or ", allowed.Select(e => f.Show(e)).Distinct()), f.Observed))
            .ToList();
        return (best.Expectation, differences);
    }

    /// <summary>A field that differs: its name, how to show the expected value of any allowed behaviour, and what the browser did.</summary>
    private sealed record Field(string Name, Func<Expectation, string> Show, string Observed);

    private static List<Field> Differing(Expectation expected, Observation observed)
    {
        var differing = new List<Field>();
        void Check<T>(string field, Func<Expectation, T> want, T got, Func<T?, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(want(expected), got)) differing.Add(new Field(field, e => show(want(e)), show(got)));
        }

        Check("outcome", e => e.Outcome, observed.Outcome, o => o.ToString().ToLowerInvariant());
        Check("preflights", e => e.Preflights, observed.Preflights, n => n == 1 ? "1 preflight" : $"{n} preflights");
        Check("actualSent", e => e.ActualSent, observed.ActualSent, b => b ? "the actual request reaches the server" : "no actual request");
        Check("origin", e => e.Origin, observed.Origin, o => o is null ? "no Origin header" : $"Origin: {o}");
        Check("requestHeaders", e => e.RequestHeaders, observed.RequestHeaders, h => h is null ? "no Access-Control-Request-Headers" : $"Access-Control-Request-Headers: {h}");
        Check("credentialsSent", e => e.CredentialsSent, observed.CredentialsSent, b => b ? "the cookie travels" : "no cookie");
        Check("preflightCarriedCredentials", _ => false, observed.PreflightCarriedCredentials, b => b ? "a preflight carrying credentials" : "preflights without credentials");
        if (expected.Outcome == Outcome.Allowed && observed.Outcome == Outcome.Allowed)
        {
            Check("status", e => e.Status, observed.Status, s => s?.ToString() ?? "no status");
            Check("readableHeaders", e => string.Join(", ", e.ReadableHeaders ?? []), string.Join(", ", observed.ReadableHeaders ?? []), s => $"readable [{s}]");
        }
        if (expected.ContentReadable is not null && observed.Outcome != Outcome.Unreached)
        {
            Check("contentReadable", e => e.ContentReadable, observed.ContentReadable,
                b => b switch { true => "the page reads the content", false => "the content is opaque to the page", null => "nothing observed" });
        }
        return differing;
    }
}
