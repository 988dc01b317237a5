namespace CorsConformance.Harness.Reports;

/// <summary>One previous night in a report's history: each engine's share of conforming cases and version, and the interop score.</summary>
/// <param name="Source">The file it was read from (its name only).</param>
public sealed record HistoryNight(DateTimeOffset GeneratedAt, string Source, IReadOnlyList<HistoryEngine> Engines, Share Interop);

/// <param name="Build">The build that ran (<see cref="ReportEngine.Build"/>, "156.0.8078.114 (settings, full browser, CDP)
/// /usr/bin/chromium"); null in nights recorded before 2026-12-07.</param>
public sealed record HistoryEngine(string Engine, string? Version, Share Share, string? Build = null)
{
    /// <summary>The build apart from its version: another build of one version (the full browser for the headless shell).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? BuildWithoutVersion => Build is null ? null : Version is { Length: > 0 } v ? Build.Replace(v, "", StringComparison.Ordinal) : Build;
}

/// <summary>`--history DIR`: the previous nights' report.json files (schema 1 or 2), read into figures, oldest first.</summary>
public static class ReportHistory
{
    /// <exception cref="ReportFileException">The folder is missing, or a file in it is not a report: the file and the field named.</exception>
    public static IReadOnlyList<HistoryNight> Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new ReportFileException(folder, "the history folder does not exist");
        var nights = Files(folder)
            .Order(StringComparer.Ordinal)
            .Select(path => Night(ReportFile.Load(path), Path.GetRelativePath(folder, path)))
            .OrderBy(n => n.GeneratedAt)
            .ToList();
        // One night in two files (the night's report.json kept beside its dated copy) was drawn as two nights: it is one
        // night, both files named; two files of one generatedAt whose figures differ cannot both be that night.
        return nights.GroupBy(n => n.GeneratedAt).Select(same =>
        {
            var first = same.First();
            foreach (var other in same.Skip(1).Where(o => Figures(o) != Figures(first)))
            {
                throw new ReportFileException(Path.Combine(folder, other.Source),
                    $"field 'generatedAt': {other.GeneratedAt:yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz} is also the night of {first.Source}, whose figures differ; one night cannot be two reports");
            }
            return same.Count() == 1 ? first : first with { Source = $"{first.Source} (also {string.Join(", ", same.Skip(1).Select(o => o.Source))})" };
        }).ToList();
    }

    private static string Figures(HistoryNight night) =>
        System.Text.Json.JsonSerializer.Serialize(new { night.Engines, night.Interop });

    /// <summary>The folder's *.json files, its subfolders' too, but not through a link to a folder: a link back up
    /// (`loop -> ..`) was followed until the path grew too long, and every night was drawn 41 times.
    /// A folder that cannot be listed (`--history /`, whose /proc holds such folders) threw out of the command, exit 134:
    /// it is named, as a file that cannot be read is.</summary>
    private static IReadOnlyList<string> Files(string folder)
    {
        try
        {
            return [.. Directory.EnumerateFiles(folder, "*.json"),
                .. Directory.EnumerateDirectories(folder).Where(d => new DirectoryInfo(d).LinkTarget is null).SelectMany(Files)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportFileException(folder, $"a folder of the history cannot be listed: {e.Message}");
        }
    }

    public static HistoryNight Night(Report report, string source)
    {
        var engines = ReportFigures.RanEngines(report);
        return new HistoryNight(report.GeneratedAt, source,
            engines.Select(e => new HistoryEngine(e, report.Engine(e)!.Version, ReportFigures.Engine(report.Cases, e), report.Engine(e)!.Build)).ToList(),
            ReportFigures.Interop(report.Cases, engines));
    }

    /// <summary>The history and this report (last), oldest first: what the chart and the table draw.</summary>
    public static IReadOnlyList<HistoryNight> WithTonight(Report report) =>
        [.. report.History ?? [], Night(report, "this report")];

    /// <summary>The engines in order of first appearance over the nights.</summary>
    public static IReadOnlyList<string> Engines(IReadOnlyList<HistoryNight> nights) =>
        nights.SelectMany(n => n.Engines.Select(e => e.Engine)).Distinct().ToList();

    /// <summary>Whether the engine's version on night i differs from the last night before it that ran the engine.</summary>
    public static (string? From, string? To)? VersionChange(IReadOnlyList<HistoryNight> nights, int i, string engine)
    {
        var now = nights[i].Engines.FirstOrDefault(e => e.Engine == engine);
        if (now is null) return null;
        for (var j = i - 1; j >= 0; j--)
        {
            if (nights[j].Engines.FirstOrDefault(e => e.Engine == engine) is { } before)
            {
                return before.Version != now.Version ? (before.Version, now.Version) : null;
            }
        }
        return null;
    }

    /// <summary>Whether night i ran another build of the engine than the last night before it that ran the engine (both
    /// nights naming their build): the builds, from and to.</summary>
    public static (string From, string To)? BuildChange(IReadOnlyList<HistoryNight> nights, int i, string engine)
    {
        var now = nights[i].Engines.FirstOrDefault(e => e.Engine == engine);
        if (now?.Build is null) return null;
        for (var j = i - 1; j >= 0; j--)
        {
            if (nights[j].Engines.FirstOrDefault(e => e.Engine == engine) is { } before)
            {
                return before.Build is not null && before.BuildWithoutVersion != now.BuildWithoutVersion ? (before.Build, now.Build) : null;
            }
        }
        return null;
    }

    /// <summary>"97.9 % (156.0.8078.79)": the share, and the version where it changed from the night before (or first appears);
    /// another build where one replaced the night before's, and the cases not judged (a share of 100 % over 72 of 87 cases
    /// read as the 100 % of the night before, 2026-12-07).</summary>
    public static string Cell(IReadOnlyList<HistoryNight> nights, int i, string engine)
    {
        if (nights[i].Engines.FirstOrDefault(e => e.Engine == engine) is not { } e) return "not run";
        var first = !nights.Take(i).Any(n => n.Engines.Any(x => x.Engine == engine));
        var changed = ReportHistory.VersionChange(nights, i, engine) is not null;
        var build = BuildChange(nights, i, engine);
        return e.Share.Percent
            + (e.Share.NotJudged > 0 ? $", {e.Share.NotJudged} not judged" : "")
            + (first || changed ? $" ({e.Version ?? "version unknown"}{(changed ? ", new" : "")})" : "")
            + (build is { } b ? $" (another build: {b.To})" : "");
    }
}
