namespace CorsConformance.Harness.Reports;

/// <summary>
/// `--shard K/N`: the K-th of N near-equal parts of the run's cells (engine × case). Cells are taken engine by engine, each
/// engine's cases in catalog order, and cut into N contiguous runs, so a shard launches as few engines as it can and the
/// same catalog, engines and N always give the same parts.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The most parts a run may be cut into: far more machines than any nightly job has.</summary>
    public const int MaxCount = 10_000;

    public override string ToString() => $"{Index}/{Count}";

    /// <exception cref="ArgumentException">Not K/N with 1 ≤ K ≤ N: the words say what was given.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        // Digits alone, as ToString writes them: int.TryParse took " 1", "+1" and "01", and the report then said "1/2" of a
        // shard given otherwise (hostile-input round 3).
        if (parts.Length != 2 || !parts.All(Canonical) || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count))
        {
            throw new ArgumentException($"--shard takes K/N (the K-th of N parts, e.g. 2/4), not '{text}'");
        }
        if (count < 1 || index < 1 || index > count) throw new ArgumentException($"--shard {text}: K must be from 1 to N, and N at least 1");
        // `report merge` lists the shards of a split that are not among its parts: a report claiming 1/2147483647 had it
        // count to two billion (a hang).
        if (count > MaxCount) throw new ArgumentException($"--shard {text}: N is at most {MaxCount:N0}");
        return new Shard(index, count);
    }

    private static bool Canonical(string number) => number is [>= '1' and <= '9', ..] && number.All(char.IsAsciiDigit);

    /// <summary>This shard's cases of each engine (engines without a case in it are left out), in the engines' order.</summary>
    public IReadOnlyList<(TEngine Engine, IReadOnlyList<TCase> Cases)> Select<TEngine, TCase>(IReadOnlyList<TEngine> engines, IReadOnlyList<TCase> cases)
    {
        var total = (long)engines.Count * cases.Count;
        var start = total * (Index - 1) / Count;
        var end = total * Index / Count;
        var selected = new List<(TEngine, IReadOnlyList<TCase>)>();
        for (var e = 0; e < engines.Count; e++)
        {
            var from = Math.Max(start, (long)e * cases.Count);
            var to = Math.Min(end, (long)(e + 1) * cases.Count);
            if (from >= to) continue;
            selected.Add((engines[e], cases.Skip((int)(from - (long)e * cases.Count)).Take((int)(to - from)).ToList()));
        }
        return selected;
    }
}
