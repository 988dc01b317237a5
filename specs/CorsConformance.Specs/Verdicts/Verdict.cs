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
    public static IReadOnlyList<string> Fields => ObservedFields.Names;

    /// <summary>How <paramref name="observed"/> differs from what the standard allows: nothing when it matches the expectation
    /// or one of its alternatives; otherwise the differences from the closest allowed behaviour, each saying every value the
    /// standard allows for that field — and, where the browser's value is one another allowed behaviour has, what that
    /// behaviour requires with it (the combination is what does not conform).</summary>
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
            .Select(f => new Difference(f.Name, ExpectedText(f, best.Expectation, allowed, observed), f.Observed))
            .ToList();
        return (best.Expectation, differences);
    }

    /// <summary>
    /// Every value the standard allows for <paramref name="field"/>. When the browser's own value is what another allowed
    /// behaviour has (it revalidated, say, where the closest behaviour did not), the field is not wrong alone: that behaviour
    /// is named with what else it requires, so the message does not read "the standard says A or B, the browser did B".
    /// </summary>
    private static string ExpectedText(Field field, Expectation closest, IReadOnlyList<Expectation> allowed, Observation observed)
    {
        var values = string.Join(" or ", allowed.Select(e => field.Show(e)).Distinct());
        var other = allowed.Where(e => !ReferenceEquals(e, closest) && field.Matches(e))
            .Select(e => (Behaviour: e, Others: Differing(e, observed).Where(f => f.Name != field.Name).ToList()))
            .FirstOrDefault(x => x.Others.Count > 0);
        return other.Behaviour is null
            ? values
            : $"{values}; {field.Observed} only where {other.Behaviour.Choice ?? "another allowed behaviour"}, and then "
              + string.Join(", ", other.Others.Select(f => $"{f.Name} {f.Show(other.Behaviour)}"))
              + $" (the browser: {string.Join(", ", other.Others.Select(f => f.Observed))})";
    }

    /// <summary>A field that differs: its name, how to show the expected value of any allowed behaviour, whether an allowed
    /// behaviour expects what the browser did, and what the browser did.</summary>
    private sealed record Field(string Name, Func<Expectation, string> Show, Func<Expectation, bool> Matches, string Observed);

    private static List<Field> Differing(Expectation expected, Observation observed) =>
        ObservedFields.All
            .Where(f => f.Judged(expected, observed) && !ObservedField.Same(f.Expected(expected), f.Observed(observed)))
            .Select(f => new Field(f.Name, e => f.Show(f.Expected(e)), e => f.Judged(e, observed) && ObservedField.Same(f.Expected(e), f.Observed(observed)), f.Show(f.Observed(observed))))
            .ToList();
}
