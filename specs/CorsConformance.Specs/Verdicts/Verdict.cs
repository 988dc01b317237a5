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

    public static IReadOnlyList<Difference> Compare(Expectation expected, Observation observed)
    {
        var differences = new List<Difference>();
        void Check<T>(string field, T want, T got, Func<T?, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(want, got)) differences.Add(new Difference(field, show(want), show(got)));
        }

        Check("outcome", expected.Outcome, observed.Outcome, o => o.ToString().ToLowerInvariant());
        Check("preflights", expected.Preflights, observed.Preflights, n => n == 1 ? "1 preflight" : $"{n} preflights");
        Check("actualSent", expected.ActualSent, observed.ActualSent, b => b ? "the actual request reaches the server" : "no actual request");
        Check("origin", expected.Origin, observed.Origin, o => o is null ? "no Origin header" : $"Origin: {o}");
        Check("requestHeaders", expected.RequestHeaders, observed.RequestHeaders, h => h is null ? "no Access-Control-Request-Headers" : $"Access-Control-Request-Headers: {h}");
        Check("credentialsSent", expected.CredentialsSent, observed.CredentialsSent, b => b ? "the cookie travels" : "no cookie");
        Check("preflightCarriedCredentials", false, observed.PreflightCarriedCredentials, b => b ? "a preflight carrying credentials" : "preflights without credentials");
        if (expected.Outcome == Outcome.Allowed && observed.Outcome == Outcome.Allowed)
        {
            Check("status", expected.Status, observed.Status, s => s?.ToString() ?? "no status");
            var want = string.Join(", ", expected.ReadableHeaders ?? []);
            var got = string.Join(", ", observed.ReadableHeaders ?? []);
            Check("readableHeaders", want, got, s => $"readable [{s}]");
        }
        if (expected.ContentReadable is not null && observed.Outcome != Outcome.Unreached)
        {
            Check("contentReadable", expected.ContentReadable, observed.ContentReadable,
                b => b switch { true => "the page reads the content", false => "the content is opaque to the page", null => "nothing observed" });
        }
        return differences;
    }
}
