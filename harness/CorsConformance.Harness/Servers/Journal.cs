namespace CorsConformance.Harness.Servers;

/// <summary>
/// Every request the target saw, by token, in arrival order. The target records a request before it answers, so once
/// a response has arrived its request is in the journal. Thread-safe.
/// </summary>
public sealed class Journal
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<SeenRequest>> byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> lastArrival = new(StringComparer.Ordinal);
    private long lastSequence;

    /// <summary>Adds <paramref name="seen"/> under <paramref name="token"/>, stamped with the next <see cref="SeenRequest.Sequence"/> (the one it carries is ignored).</summary>
    public void Record(string token, SeenRequest seen)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(seen);
        lock (gate)
        {
            if (!byToken.TryGetValue(token, out var list)) byToken[token] = list = [];
            list.Add(seen with { Sequence = ++lastSequence });
            lastArrival[token] = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    /// <summary>How long ago the token's last request arrived; null when none has.</summary>
    public TimeSpan? SinceLast(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate) return lastArrival.TryGetValue(token, out var at) ? System.Diagnostics.Stopwatch.GetElapsedTime(at) : null;
    }

    /// <summary>A copy of the token's requests in arrival order; empty when none arrived.</summary>
    public IReadOnlyList<SeenRequest> For(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate) return byToken.TryGetValue(token, out var list) ? [.. list] : [];
    }

    public void Forget(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate)
        {
            byToken.Remove(token);
            lastArrival.Remove(token);
        }
    }
}
