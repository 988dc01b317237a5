using System.Text.Json;
using System.Text.Json.Serialization;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Results;

/// <summary>
/// The JSON results file of a run (schema version 1): per engine, how it was launched and with which cookie policy, then per
/// case the standard's expectation, the observation, the verdict and, where listed, the known deviation.
/// </summary>
public static class ResultsFile
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize(IReadOnlyList<EngineRun> runs, int catalogCases) =>
        JsonSerializer.Serialize(new
        {
            SchemaVersion,
            Spec = Specs.FetchSpec.BaseUrl,
            CatalogCases = catalogCases,
            Engines = runs.Select(Engine),
        }, Options);

    public static async Task WriteAsync(string path, IReadOnlyList<EngineRun> runs, int catalogCases)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, Serialize(runs, catalogCases));
    }

    private static object Engine(EngineRun run) => new
    {
        Engine = run.Engine.ToString().ToLowerInvariant(),
        run.Ran,
        run.Unavailable,
        run.Version,
        run.Description,
        Launch = run.Settings is { } s ? new { s.ExecutablePath, s.Channel, Args = s.LaunchArgs(), s.Source } : null,
        run.CookiePolicy,
        LaunchMs = (long)run.LaunchTime.TotalMilliseconds,
        WallMs = (long)run.WallTime.TotalMilliseconds,
        Summary = Summary.Of(run),
        Cases = run.Verdicts.Select(Case),
    };

    private static object Case(CaseVerdict v) => new
    {
        v.Case.Id,
        v.Case.Category,
        Anchor = v.Case.AnchorUrl,
        v.Case.Description,
        Verdict = VerdictWord(v),
        Expected = new { v.Expected.Outcome, v.Expected.Preflights, v.Expected.ActualSent, v.Expected.Origin, v.Expected.RequestHeaders, v.Expected.CredentialsSent, v.Expected.Status, v.Expected.ReadableHeaders, v.Expected.Reason },
        Observed = v.Observed,
        Differences = v.Judgement.Differences,
        Deviation = v.Judgement.Deviation is { } d ? new { d.Reason, d.Link, d.Fields } : null,
    };

    /// <summary>conforms, known-deviation, fails or harness-error.</summary>
    public static string VerdictWord(CaseVerdict v) =>
        v.IsHarnessError ? "harness-error" : v.Judgement.Kind switch
        {
            JudgementKind.Conforms => "conforms",
            JudgementKind.KnownDeviation => "known-deviation",
            _ => "fails",
        };
}

/// <summary>Counts of one engine's verdicts.</summary>
public sealed record Summary(int Cases, int Conforms, int KnownDeviations, int Fails, int HarnessErrors)
{
    public static Summary Of(EngineRun run) => new(
        run.Verdicts.Count,
        run.Verdicts.Count(v => !v.IsHarnessError && v.Judgement.Kind == JudgementKind.Conforms),
        run.Verdicts.Count(v => !v.IsHarnessError && v.Judgement.Kind == JudgementKind.KnownDeviation),
        run.Verdicts.Count(v => !v.IsHarnessError && v.Judgement.Kind == JudgementKind.Fails),
        run.Verdicts.Count(v => v.IsHarnessError));

    public bool Clean => Fails == 0 && HarnessErrors == 0;
}
