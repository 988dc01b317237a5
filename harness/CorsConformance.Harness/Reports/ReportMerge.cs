namespace CorsConformance.Harness.Reports;

/// <summary>
/// `report merge`: joins reports of one catalog run on different machines (shards, or whole runs of different engines) into
/// one. Refused, with the file and the case or engine named: a report without a catalog (schema 1), another catalog or
/// spec, one engine in two builds, and a case × engine present twice.
/// </summary>
public static class ReportMerge
{
    /// <param name="parts">Each report with the name its errors carry (its file).</param>
    /// <exception cref="ReportFileException">Reports that cannot be joined: the file, and the case and engine, named.</exception>
    public static Report Merge(IReadOnlyList<(string Name, Report Report)> parts, DateTimeOffset generatedAt)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to merge", nameof(parts));
        var (firstName, first) = parts[0];
        foreach (var (name, report) in parts)
        {
            if (report.Catalog is null)
            {
                throw new ReportFileException(name, $"field 'catalog' is missing: a schema {report.SchemaVersion} report does not say which catalog it ran, so it cannot be merged (write it again with this version's run or report)");
            }
            if (report.Catalog.Digest != first.Catalog!.Digest)
            {
                throw new ReportFileException(name, $"its catalog ({report.Catalog.Cases.Count} cases, {report.Catalog.Digest}) is not the one of {firstName} ({first.Catalog.Cases.Count} cases, {first.Catalog.Digest})"
                    + FirstDifference(first, report));
            }
            // The digest covers the ids, so two lists under one digest are a part that contradicts itself: merged, the
            // first part's list decided what counted as missing and the other's cases were joined unchecked.
            if (!report.Catalog.Cases.SequenceEqual(first.Catalog.Cases))
            {
                throw new ReportFileException(name, $"field 'catalog.cases' ({report.Catalog.Cases.Count} cases) is not the list of {firstName} ({first.Catalog.Cases.Count} cases) under the same digest {first.Catalog.Digest}"
                    + FirstDifference(first, report));
            }
            if (report.Spec != first.Spec) throw new ReportFileException(name, $"field 'spec' is {report.Spec}, but {first.Spec} in {firstName}");
            foreach (var shard in report.Partial?.Shards ?? [])
            {
                try { Shard.Parse(shard); }
                catch (ArgumentException e) { throw new ReportFileException(name, $"field 'partial.shards': {e.Message}"); }
            }
        }

        // Engines: one entry each, every part that ran it from the same build.
        var engines = new List<ReportEngine>();
        var engineSource = new Dictionary<string, string>();
        foreach (var (name, report) in parts)
        {
            foreach (var e in report.Engines)
            {
                var at = engines.FindIndex(x => x.Engine == e.Engine);
                if (at < 0)
                {
                    engines.Add(e);
                    if (e.Ran) engineSource[e.Engine] = name;
                    continue;
                }
                var known = engines[at];
                if (known.Ran && e.Ran && known.Version != e.Version)
                {
                    throw new ReportFileException(name, $"engine '{e.Engine}' is version {e.Version ?? "unknown"} here but {known.Version ?? "unknown"} in {engineSource[e.Engine]}; the parts of one engine must come from one build");
                }
                // Another build of the same version (the full browser and the headless shell, another driver or executable):
                // the merged report named one build for cases the other ran.
                if (known.Ran && e.Ran && known.BuildWithoutVersion != e.BuildWithoutVersion)
                {
                    throw new ReportFileException(name, $"engine '{e.Engine}' is {e.Build} here but {known.Build} in {engineSource[e.Engine]}; the parts of one engine must come from one build");
                }
                // Summed checked: two parts claiming 2⁶³−1 ms wrapped round to a report of −2 ms.
                var (launchMs, wallMs) = (Sum(name, e.Engine, "launchMs", known.LaunchMs, e.LaunchMs), Sum(name, e.Engine, "wallMs", known.WallMs, e.WallMs));
                engines[at] = (known.Ran, e.Ran) switch
                {
                    (true, true) => known with { LaunchMs = launchMs, WallMs = wallMs, PageFailures = Both(known.PageFailures, e.PageFailures) },
                    (false, true) => e with { LaunchMs = launchMs, WallMs = wallMs },
                    _ => known,
                };
                if (!known.Ran && e.Ran) engineSource[e.Engine] = name;
            }
        }

        // Cases: one entry each, in catalog order, each case × engine from exactly one part.
        var cases = new Dictionary<string, (ReportCase Case, Dictionary<string, ReportResult> Results, Dictionary<string, string> From)>();
        foreach (var (name, report) in parts)
        {
            foreach (var c in report.Cases)
            {
                if (!cases.TryGetValue(c.Id, out var entry))
                {
                    entry = (c, new Dictionary<string, ReportResult>(), new Dictionary<string, string>());
                    cases[c.Id] = entry;
                }
                else if (ReportBuilder.Definition(entry.Case) != ReportBuilder.Definition(c))
                {
                    throw new ReportFileException(name, $"case '{c.Id}' is defined differently from {entry.From.Values.First()} (its request, anchor or expectation)");
                }
                foreach (var (engine, result) in c.Results)
                {
                    if (entry.From.TryGetValue(engine, out var other))
                    {
                        throw new ReportFileException(name, $"case '{c.Id}' in engine '{engine}' is also in {other}; shards must not overlap");
                    }
                    entry.Results[engine] = result;
                    entry.From[engine] = name;
                }
            }
        }
        var order = first.Catalog!.Cases.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var merged = cases.Values.OrderBy(x => order.GetValueOrDefault(x.Case.Id, int.MaxValue))
            .Select(x => x.Case with { Results = x.Results })
            .ToList();
        engines = engines.Select(e => e.Ran
            ? e with { Summary = ReportBuilder.Summarize(merged.Where(c => c.Results.ContainsKey(e.Engine)).Select(c => c.Results[e.Engine].Verdict)) }
            : e).ToList();
        var joined = new Report(Report.CurrentSchemaVersion, generatedAt, first.Spec, engines, merged, null, first.StandardSteps, Catalog: first.Catalog);
        var shards = parts.SelectMany(p => p.Report.Partial?.Shards ?? []).Distinct().ToList();
        var absent = MissingShards(shards);
        var partial = ReportPartiality.Of(joined, []);
        if (partial is null && absent.Count == 0) return joined;
        partial ??= new ReportPartial([], [], []);
        return joined with { Partial = partial with { Shards = shards, MissingShards = absent.Count > 0 ? absent : null } };
    }

    /// <summary>The page failures of two parts of one engine, in order; null when neither had one.</summary>
    private static IReadOnlyList<string>? Both(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null or { Count: 0 } ? b is null or { Count: 0 } ? null : b : b is null or { Count: 0 } ? a : [.. a, .. b];

    private static long Sum(string name, string engine, string field, long a, long b)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw new ReportFileException(name, $"engine '{engine}': field '{field}' ({b}) and the other parts' ({a}) add up past any duration");
        }
    }

    /// <summary>For each split the shards name (their N), the K of 1..N not among them.</summary>
    public static IReadOnlyList<string> MissingShards(IReadOnlyList<string> shards)
    {
        var parsed = shards.Select(Shard.Parse).ToList();
        return parsed.Select(s => s.Count).Distinct().Order()
            .SelectMany(n => Enumerable.Range(1, n).Where(k => !parsed.Contains(new Shard(k, n))).Select(k => new Shard(k, n).ToString()))
            .ToList();
    }

    /// <summary>Which case makes two catalogs differ, as far as the two files tell.</summary>
    private static string FirstDifference(Report a, Report b)
    {
        if (b.Catalog!.Cases.Except(a.Catalog!.Cases).FirstOrDefault() is { } onlyB) return $"; case '{onlyB}' is only in this one";
        if (a.Catalog.Cases.Except(b.Catalog.Cases).FirstOrDefault() is { } onlyA) return $"; case '{onlyA}' is only in the other";
        var other = a.Cases.ToDictionary(c => c.Id);
        if (b.Cases.FirstOrDefault(c => other.TryGetValue(c.Id, out var o) && ReportBuilder.Definition(o) != ReportBuilder.Definition(c)) is { } changed)
        {
            return $"; case '{changed.Id}' is defined differently (its request, anchor or expectation)";
        }
        return "; the same case ids, so the request, anchor or expectation of a case neither file holds results on differs";
    }
}
