using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// The control request of a case whose request the standard may refuse before anything is sent
/// (<see cref="Specs.Model.CorsCase.MayBeRefusedUnsent"/>): once the case's requests are done, the page sends a no-cors GET to
/// the target's own origin (<c>/control/{token}</c>, <see cref="Journal.Control"/>). A request refused before it is sent and
/// a server that cannot be reached both leave the target's journal empty and give the page the same TypeError; the control
/// tells them apart. Like the step marks (<see cref="SequenceMarks"/>) it is never evidence of the case: it only says whether
/// the journal can be believed.
/// </summary>
/// <param name="ExpectedHost">The Host (with its port) of the target's own URL, where the control must arrive.</param>
/// <param name="ArrivedAt">The Host of each control request that arrived, in arrival order.</param>
public sealed record ReachabilityControl(string ExpectedHost, IReadOnlyList<string> ArrivedAt)
{
    /// <summary>Why the journal cannot be believed (the control did not arrive at the target's host: a harness failure,
    /// never a verdict), or null.</summary>
    public string? Problem => ArrivedAt.Contains(ExpectedHost, StringComparer.OrdinalIgnoreCase)
        ? null
        : $"the page's control request to {ExpectedHost} did not arrive{(ArrivedAt.Count > 0 ? $" (it came to {string.Join(", ", ArrivedAt)})" : "")}: "
          + "an empty journal cannot be told from a target the browser could not reach";
}
