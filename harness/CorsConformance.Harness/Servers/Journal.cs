namespace CorsConformance.Harness.Servers;

/// <summary>
/// Every request the target saw, by token, in arrival order. The target records a request before it answers, so once
/// a response has arrived its request is in the journal. Thread-safe.
/// Beside them, apart, the step marks of a sequence (<see cref="Mark"/>): stamped from the same arrival counter, so they
/// fall between the requests of the steps they separate, but never among the target's requests (<see cref="For"/>).
/// </summary>
public sealed class Journal
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<SeenRequest>> byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StepMark>> marksByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> lastArrival = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> controlsByToken = new(StringComparer.Ordinal);
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

    /// <summary>Records that the page has finished step <paramref name="step"/> - 1 of the token's sequence and is about to
    /// send step <paramref name="step"/> (the page's marker request, <c>/mark/{token}/{step}</c>), stamped with the next
    /// <see cref="SeenRequest.Sequence"/>. Not a request of the case: <see cref="For"/> never lists it.</summary>
    public void Mark(string token, int step)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate)
        {
            if (!marksByToken.TryGetValue(token, out var list)) marksByToken[token] = list = [];
            list.Add(new StepMark(step, ++lastSequence));
        }
    }

    /// <summary>A copy of the token's step marks in arrival order; empty when none arrived.</summary>
    public IReadOnlyList<StepMark> MarksFor(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate) return marksByToken.TryGetValue(token, out var list) ? [.. list] : [];
    }

    /// <summary>Records the page's control request for the token (<c>/control/{token}</c>), which arrived with the Host
    /// <paramref name="host"/>: the page sends it once the case's requests are done, to the target's own origin, when the
    /// standard may refuse the case's request before anything is sent. Not a request of the case: <see cref="For"/> never
    /// lists it.</summary>
    public void Control(string token, string host)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(host);
        lock (gate)
        {
            if (!controlsByToken.TryGetValue(token, out var list)) controlsByToken[token] = list = [];
            list.Add(host);
        }
    }

    /// <summary>The Host of each control request that arrived for the token, in arrival order; empty when none did.</summary>
    public IReadOnlyList<string> ControlsFor(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (gate) return controlsByToken.TryGetValue(token, out var list) ? [.. list] : [];
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
            marksByToken.Remove(token);
            controlsByToken.Remove(token);
            lastArrival.Remove(token);
        }
    }
}

/// <summary>The page's word, between two requests of a sequence, that the next one starts now.</summary>
/// <param name="Step">The request about to be sent, counted from 0 (the case's own request and its repetitions are step 0,
/// the first follow-up of <c>request.then</c> step 1).</param>
/// <param name="Sequence">Its place in the journal's arrival order: every request of an earlier step has a smaller
/// <see cref="SeenRequest.Sequence"/>, every request of this or a later step a greater one.</param>
public sealed record StepMark(int Step, long Sequence);
