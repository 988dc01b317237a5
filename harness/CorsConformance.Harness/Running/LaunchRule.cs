using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Running;

/// <summary>
/// When engines that could not launch fail a run — the one rule behind `run`, `report`, `audit` and `dotnet test`, so a run
/// that checked nothing never passes:
/// an engine the user named (BROWSER, a runsettings Engine, --engines) that cannot launch fails the run; with `all` or the
/// default, an engine that cannot launch is skipped with its reason, unless none can launch; and a run that judged no case
/// at all fails, whatever ran.
/// </summary>
public static class LaunchRule
{
    /// <summary>One sentence per reason the run fails for what could not run (empty: nothing to fail for).</summary>
    /// <param name="engines">Each engine asked for, with why it could not launch (null: it launched).</param>
    /// <param name="named">Whether the user named the engines (<see cref="Engines.AreNamed"/>).</param>
    /// <param name="judged">How many cases the run judged (null: this run judges nothing itself, e.g. a launch check).</param>
    public static IReadOnlyList<string> Failures(IReadOnlyCollection<(Engine Engine, string? Unavailable)> engines, bool named, int? judged)
    {
        var failures = new List<string>();
        if (named)
        {
            failures.AddRange(engines.Where(e => e.Unavailable is not null).Select(e => NamedFailure(e.Engine, e.Unavailable!)));
        }
        else if (engines.Count > 0 && engines.All(e => e.Unavailable is not null))
        {
            failures.Add("No engine could launch, so nothing was tested: " + string.Join("; ", engines.Select(e => e.Unavailable)));
        }
        if (failures.Count == 0 && judged == 0) failures.Add("No case was judged: the run checked nothing, so it cannot pass.");
        return failures;
    }

    /// <summary>The failure of one named engine: that it was asked for, why it cannot launch and what installs it.</summary>
    public static string NamedFailure(Engine engine, string unavailable) =>
        $"{engine.DisplayName()} was asked for (BROWSER, the runsettings Engine or --engines) and cannot launch, so the run fails: {unavailable}";
}
