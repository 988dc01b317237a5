using System.Text.Json.Serialization;
using CorsConformance.Harness.Browsers;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// report.json, schema version 2 (docs/report-schema.md): which engine did what on every case, against the Fetch Standard.
/// The same document is the main job's results file and a nightly report; a previous one is the baseline of the next.
/// Schema 1 files (no catalog, partial or history) are still read.
/// </summary>
/// <param name="Catalog">The cases the run was asked for (all shards together); null in a schema 1 file.</param>
/// <param name="Partial">When some engine that ran has no result on some case of the catalog: which shard(s) this is and
/// what it holds and lacks; null for a whole report.</param>
/// <param name="History">Previous nights' figures (with --history), oldest first; null without.</param>
public sealed record Report(
    int SchemaVersion,
    DateTimeOffset GeneratedAt,
    string Spec,
    IReadOnlyList<ReportEngine> Engines,
    IReadOnlyList<ReportCase> Cases,
    ReportChanges? Changes,
    IReadOnlyList<ReportStep>? StandardSteps = null,
    ReportServerUnderTest? ServerUnderTest = null,
    ReportCatalog? Catalog = null,
    ReportPartial? Partial = null,
    IReadOnlyList<HistoryNight>? History = null)
{
    public const int CurrentSchemaVersion = 2;

    /// <summary>The schema versions this suite reads: 1 (before shards and history) and the current one.</summary>
    public static readonly IReadOnlyList<int> ReadableSchemaVersions = [1, CurrentSchemaVersion];

    public ReportEngine? Engine(string name) => Engines.FirstOrDefault(e => e.Engine == name);
}

/// <summary>The catalog a run was asked for: every case id in catalog order, and a digest of the cases' definitions
/// (id, category, anchor, description, request, expectation), so reports of different catalogs are never merged.</summary>
public sealed record ReportCatalog(string Digest, IReadOnlyList<string> Cases);

/// <summary>A report that does not hold every engine's result on every catalog case.</summary>
/// <param name="Shards">The shards it holds ("2/4"); several after a merge; empty when it is partial for another reason.</param>
/// <param name="Holds">Per engine that ran: how many catalog cases it has a result on, the first and the last.</param>
/// <param name="Missing">Per engine that ran: how many catalog cases it has no result on, the first and the last.</param>
/// <param name="MissingShards">After a merge: the shards of a split ("4/4" of 1/4–3/4) that were not among the parts, whose
/// engines may be absent altogether; null or empty when none is.</param>
public sealed record ReportPartial(IReadOnlyList<string> Shards, IReadOnlyList<PartialEngine> Holds, IReadOnlyList<PartialEngine> Missing,
    IReadOnlyList<string>? MissingShards = null);

public sealed record PartialEngine(string Engine, int Cases, string? First, string? Last);

/// <summary>One engine of the run: how it was launched, with which cookie policy, and its counts.</summary>
/// <param name="PageFailures">Each failure of a runner page during the run (a renderer that crashed or was killed, a page that
/// hung): the page was replaced and the cases it held ran again alone; null when none failed.</param>
public sealed record ReportEngine(
    string Engine,
    bool Ran,
    string? Unavailable,
    string? Version,
    string? Description,
    ReportLaunch? Launch,
    CookiePolicy CookiePolicy,
    long LaunchMs,
    long WallMs,
    ReportSummary Summary,
    IReadOnlyList<string>? PageFailures = null)
{
    /// <summary>The build that ran, for a reader: the version with the description's words and the executable
    /// ("156.0.8078.114 (settings, full browser, CDP) /usr/bin/chromium"), so that two builds of one version are told apart.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Build
    {
        get
        {
            var described = Description is { } d && Version is { Length: > 0 } v && d.IndexOf(v, StringComparison.Ordinal) is >= 0 and var at ? d[at..] : Description ?? Version ?? "";
            return Launch?.ExecutablePath is { } path ? $"{described} {path}" : described;
        }
    }

    /// <summary>The build apart from its version (<see cref="ReportComparer"/>: another build of the same engine).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string BuildWithoutVersion => Version is { Length: > 0 } v ? Build.Replace(v, "", StringComparison.Ordinal) : Build;
}

public sealed record ReportLaunch(string? ExecutablePath, string? Channel, IReadOnlyList<string> Args, string Source);

public sealed record ReportSummary(int Cases, int Conforms, int KnownDeviations, int Fails, int HarnessErrors);

/// <summary>One case: what it asks, what the standard expects, and each engine's result by engine name.</summary>
public sealed record ReportCase(
    string Id,
    string Category,
    string Anchor,
    string Description,
    string Request,
    ReportExpectation Expected,
    IReadOnlyDictionary<string, ReportResult> Results,
    IReadOnlyList<string>? Steps = null);

/// <summary>One step of the map of the standard (specs/catalog/standard-map.yaml): the cases behind it are those whose
/// <c>steps</c> name its id.</summary>
/// <param name="Id"><c>anchor/step</c>.</param>
/// <param name="Name">"CORS-preflight fetch, step 7.3".</param>
/// <param name="Exemption">Why no case can exercise the step; null when cases must.</param>
public sealed record ReportStep(string Id, string Name, string Link, string Quote, IReadOnlyList<string> Oracle, string? Exemption = null);

/// <param name="Choice">Where the standard leaves a choice, the one this expectation follows; null otherwise.</param>
/// <param name="Alternatives">The other behaviours the standard allows (each with its choice); null or empty when none.</param>
public sealed record ReportExpectation(
    string Outcome, int Preflights, bool ActualSent, string? Origin, string? RequestHeaders, bool CredentialsSent,
    int? Status, IReadOnlyList<string>? ReadableHeaders, string Reason,
    string? Choice = null, IReadOnlyList<ReportExpectation>? Alternatives = null) : IJsonOnDeserialized
{
    /// <summary>The predicted fields carried by name (<see cref="ObservedFields.Extra"/>), written beside the others as
    /// <c>"name": value</c>; a field without a prediction is absent.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; init; }

    void IJsonOnDeserialized.OnDeserialized() => ReportExtra.Read(Extra);
}

/// <summary>One engine's result on one case.</summary>
/// <param name="Verdict">conforms, known-deviation, fails or harness-error.</param>
/// <param name="Chose">Where the standard leaves a choice: which allowed behaviour the engine showed; null otherwise.</param>
/// <param name="Observes">When present (a server-under-test report), the only fields of <see cref="Observed"/> that were
/// observed; the others hold their zero value and mean nothing (there is no journal of your server).</param>
/// <param name="Evidence">A server-under-test result's evidence: the failure text with the raw answers and a reproduction,
/// secrets redacted.</param>
public sealed record ReportResult(
    string Verdict,
    ReportObservation Observed,
    IReadOnlyList<Difference> Differences,
    ReportDeviation? Deviation,
    string? BrowserReason,
    IReadOnlyList<ReportJournalEntry> Journal,
    string? Chose = null,
    IReadOnlyList<string>? Observes = null,
    string? Evidence = null)
{
    public bool Failed => Verdict is not (Verdicts.Conforms or Verdicts.KnownDeviation);
}

public sealed record ReportObservation(
    string Outcome, int Preflights, bool ActualSent, string? Origin, string? RequestHeaders, bool CredentialsSent,
    bool PreflightCarriedCredentials, int? Status, IReadOnlyList<string>? ReadableHeaders) : IJsonOnDeserialized
{
    /// <summary>The observed fields carried by name (<see cref="ObservedFields.Extra"/>), written beside the others as
    /// <c>"name": value</c>; a field not observed is absent.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; init; }

    void IJsonOnDeserialized.OnDeserialized() => ReportExtra.Read(Extra);
}

public sealed record ReportDeviation(string Reason, string Link, IReadOnlyList<string> Fields);

/// <summary>What reached the target, without anything unstable (no host port, no token).</summary>
public sealed record ReportJournalEntry(string Method, int Hop, bool Preflight, int Status, string? Origin, string? RequestMethod, string? RequestHeaders, bool Cookie);

/// <summary>The verdict words.</summary>
public static class Verdicts
{
    public const string Conforms = "conforms";
    public const string KnownDeviation = "known-deviation";
    public const string Fails = "fails";
    public const string HarnessError = "harness-error";

    public static readonly IReadOnlyList<string> All = [Conforms, KnownDeviation, Fails, HarnessError];
}

/// <summary>What a server-under-test report was about: the policy file and what it says, the routes, what the
/// credentialed cases carried (names and sources only, never a value), and the protocol checks of each route (no browser):
/// null when they did not run in the run the report is of, so a report never reads as "the server keeps its policy" on
/// checks it does not hold. <paramref name="NotJudged"/>: per engine that judged some case, why it judged none of the others
/// (a case it could not judge has no result, and the summary's "not judged" count alone said "a harness error or no result":
/// against a plain-HTTP API, WebKitGTK's 64 of 68 cases blocked as mixed content read so, the reason only in dotnet test's
/// output); null in a report written before it.</summary>
public sealed record ReportServerUnderTest(
    string PolicyFile,
    string Target,
    ReportPolicy Policy,
    IReadOnlyList<ReportRoute> Routes,
    IReadOnlyList<string> Authentication,
    IReadOnlyList<ReportProtocolCheck>? ProtocolChecks = null,
    IReadOnlyList<ReportNotJudged>? NotJudged = null)
{
    /// <summary>The protocol checks that found their defect.</summary>
    public IReadOnlyList<ReportProtocolCheck> FailedChecks => ProtocolChecks?.Where(c => c.Outcome == ReportProtocolCheck.Fail).ToList() ?? [];

    /// <summary>One line for a report's summary: what the protocol checks found, next to the cases' interop score (which
    /// counts browser cases only, so a server with a defect no browser shows would otherwise read 100 %).</summary>
    public string ProtocolChecksHeadline()
    {
        if (ProtocolChecks is null) return "Protocol checks (without a browser): not in this report — the run it is of did not include them.";
        var failed = FailedChecks;
        var notChecked = ProtocolChecks.Count(c => c.Outcome == ReportProtocolCheck.NotChecked);
        var notCheckedNote = notChecked > 0 ? $"; {notChecked} could not check theirs (each says why under Protocol checks)" : "";
        return failed.Count > 0
            ? $"Protocol checks (without a browser): {failed.Count} of {ProtocolChecks.Count} find a server defect — {string.Join(", ", failed.Select(c => $"{c.Id} ({c.Severity}, {c.Route})").Distinct())}{notCheckedNote}."
            : $"Protocol checks (without a browser): none of {ProtocolChecks.Count} finds a server defect{notCheckedNote}.";
    }
}

/// <summary>One protocol check of one route: the server defect it looks for (id, title, rule, severity), its outcome, and
/// the evidence (the message ends with the request and the answer; the curl reproduces it).</summary>
public sealed record ReportProtocolCheck(string Route, string Id, string Title, string Link, string Severity, string Outcome, string Message, string Curl)
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string NotApplicable = "not-applicable";
    public const string NotChecked = "not-checked";

    public static readonly IReadOnlyList<string> Outcomes = [Pass, Fail, NotApplicable, NotChecked];
}

/// <summary>Cases one engine ran but could not judge for one reason (something outside CORS stopped the call: mixed
/// content, a page it would not open at an origin, a cookie jar it cannot take): how many, the first one's title, and why.</summary>
public sealed record ReportNotJudged(string Engine, int Cases, string First, string Reason);

public sealed record ReportPolicy(
    IReadOnlyList<string> AllowedOrigins, IReadOnlyList<string> AllowedMethods, IReadOnlyList<string> AllowedHeaders,
    IReadOnlyList<string> ExposedHeaders, bool AllowCredentials, long? MaxAge, string DisallowedOrigin);

/// <summary>One route: its name (as the policy lists it), its URL and the methods it allows.</summary>
public sealed record ReportRoute(string Name, string Url, IReadOnlyList<string> AllowedMethods);
