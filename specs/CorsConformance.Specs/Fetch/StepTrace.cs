using System.Runtime.CompilerServices;

namespace CorsConformance.Specs.Fetch;

/// <summary>
/// Which numbered steps of the Fetch Standard an evaluation of the oracle took, as the oracle goes: each rule says
/// <c>StepTrace.Took("cors-preflight-fetch-0", "7.5")</c> where it applies a step (a step with a condition when the
/// condition holds; one without whenever it runs). The ids are those of specs/catalog/standard-map.yaml
/// (<c>anchor/step</c>), so the map's case lists come from what the oracle did on each case, not from lists kept by hand.
/// Pure: a recording lives on the thread for the length of one evaluation, and a rule called outside one records nothing.
/// </summary>
public static class StepTrace
{
    [ThreadStatic] private static Recording? _current;

    /// <summary>Records that the calling rule applied <paramref name="step"/> of the algorithm at <paramref name="anchor"/>.</summary>
    /// <param name="method">The oracle method that applied it, and <paramref name="file"/> the source file it is in (both
    /// filled in by the compiler): the map's lint holds the map's <c>oracle</c> field to them.</param>
    public static void Took(string anchor, string step, [CallerMemberName] string method = "", [CallerFilePath] string file = "") =>
        _current?.Add(new TracedStep(StepId(anchor, step), Where(file, method)));

    /// <summary>"File.Method": the source file a rule is in (one type, or one outer type, per file) and the method.</summary>
    public static string Where(string file, string method) =>
        Path.GetFileNameWithoutExtension(file.Replace('\\', '/').Split('/')[^1]) + "." + method;

    /// <summary>A step's id in the map: <c>anchor/step</c>.</summary>
    public static string StepId(string anchor, string step) => anchor + "/" + step;

    /// <summary>Starts recording on this thread until the recording is disposed (recordings nest: the outer one resumes).</summary>
    internal static Recording Record() => new();

    internal sealed class Recording : IDisposable
    {
        private readonly Recording? _outer = _current;
        private readonly List<TracedStep> _steps = [];
        private readonly HashSet<TracedStep> _seen = [];

        public Recording() => _current = this;

        public IReadOnlyList<TracedStep> Steps => _steps.ToList();

        public void Add(TracedStep step)
        {
            if (_seen.Add(step)) _steps.Add(step);
        }

        public void Dispose() => _current = _outer;
    }
}

/// <summary>One step the oracle took: its id in the standard's map (<c>anchor/step</c>) and where the oracle took it
/// ("Oracle.Preflight": the source file, then the method).</summary>
public sealed record TracedStep(string Id, string Method);
