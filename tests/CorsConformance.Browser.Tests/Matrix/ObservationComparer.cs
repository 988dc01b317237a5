using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>Observations compared by value, the readable-header list included (a record compares lists by reference).</summary>
public sealed class ObservationComparer : IEqualityComparer<Observation>
{
    public static ObservationComparer Instance { get; } = new();

    public bool Equals(Observation? x, Observation? y) =>
        x is not null && y is not null
        && (x with { ReadableHeaders = null }) == (y with { ReadableHeaders = null })
        && (x.ReadableHeaders ?? []).SequenceEqual(y.ReadableHeaders ?? [])
        && (x.ReadableHeaders is null) == (y.ReadableHeaders is null);

    public int GetHashCode(Observation obj) => HashCode.Combine(obj.Outcome, obj.Preflights, obj.ActualSent);
}
