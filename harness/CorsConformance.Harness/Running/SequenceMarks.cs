using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// Where a case's requests begin, for a case with <c>request.then</c>: the marks the page made at its own origin's server
/// before each follow-up (<see cref="Journal.Mark"/>), in arrival order. The journal alone cannot tell the requests of a
/// sequence apart (a request refused at its preflight followed by a simple one reads like one preflighted request), the
/// marks can: the journal stamps them and the target's requests from one arrival counter.
/// </summary>
/// <param name="FollowUps">How many follow-ups the case has (so how many marks the page must have made).</param>
/// <param name="Marks">The marks that arrived, in arrival order.</param>
public sealed record SequenceMarks(int FollowUps, IReadOnlyList<StepMark> Marks)
{
    /// <summary>A case of one request (with its repetitions): no follow-up, no mark, the whole journal is its request's.</summary>
    public static SequenceMarks None { get; } = new(0, []);

    /// <summary>Why the marks cannot split the journal (one missing, repeated or out of order: a harness failure), or null.</summary>
    public string? Problem => Marks.Select(m => m.Step).SequenceEqual(Enumerable.Range(1, FollowUps))
        ? null
        : $"the page's step marks arrived as [{string.Join(", ", Marks.Select(m => m.Step))}], not [{string.Join(", ", Enumerable.Range(1, FollowUps))}] "
          + $"(one before each of the {FollowUps} follow-ups): the requests of the sequence cannot be told apart";

    /// <summary>The entries of the last request of the sequence (after the last mark); the whole journal when there is no
    /// follow-up.</summary>
    /// <exception cref="InvalidOperationException">The marks are not whole (<see cref="Problem"/>).</exception>
    public IReadOnlyList<SeenRequest> LastStep(IReadOnlyList<SeenRequest> journal)
    {
        if (Problem is { } problem) throw new InvalidOperationException(problem);
        return Marks.Count == 0 ? journal : [.. journal.Where(seen => seen.Sequence > Marks[^1].Sequence)];
    }
}
