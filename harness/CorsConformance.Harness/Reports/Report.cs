using CorsConformance.Harness.Browsers;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// report.json, schema version 1 (docs/report-schema.md): which engine did what on every case, against the Fetch Standard.
/// The same document is the main job's results file and a nightly report; a previous one is the baseline of the next.
/// </summary>
public sealed record Report(
    int SchemaVersion,
    DateTimeOffset GeneratedAt,
    string Spec,
    IReadOnlyList<ReportEngine> Engines,
    IReadOnlyList<ReportCase> Cases,
    ReportChanges? Changes,
    IReadOnlyList<ReportStep>? StandardSteps = null,
    ReportServerUnderTest? ServerUnderTest = null)
{
    public const int CurrentSchemaVersion = 1;

    public ReportEngine? Engine(string name) => Engines.FirstOrDefault(e => e.Engine == name);
}

/// <summary>One engine of the run: how it was launched, with which cookie policy, and its counts.</summary>
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
    ReportSummary Summary);

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
    int? Status, IReadOnlyList<string>? ReadableHeaders, string Reason, bool? ContentReadable = null,
    string? Choice = null, IReadOnlyList<ReportExpectation>? Alternatives = null);

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
    bool PreflightCarriedCredentials, int? Status, IReadOnlyList<string>? ReadableHeaders, bool? ContentReadable = null);

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

/// <summary>What a server-under-test report was about: the policy file and what it says, the routes, and what the
/// credentialed cases carried (names and sources only, never a value).</summary>
public sealed record ReportServerUnderTest(
    string PolicyFile,
    string Target,
    ReportPolicy Policy,
    IReadOnlyList<ReportRoute> Routes,
    IReadOnlyList<string> Authentication);

public sealed record ReportPolicy(
    IReadOnlyList<string> AllowedOrigins, IReadOnlyList<string> AllowedMethods, IReadOnlyList<string> AllowedHeaders,
    IReadOnlyList<string> ExposedHeaders, bool AllowCredentials, long? MaxAge, string DisallowedOrigin);

/// <summary>One route: its name (as the policy lists it), its URL and the methods it allows.</summary>
public sealed record ReportRoute(string Name, string Url, IReadOnlyList<string> AllowedMethods);
