using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Middlewares;

/// <summary>
/// Every middleware × every policy × every engine: each middleware is started once per policy, configured from it; the
/// policy's generated cases run in real browsers (one launch per engine for the whole matrix, through
/// <see cref="PolicyRunner"/>), its protocol checks and the surprise probes run without a browser.
/// </summary>
public static class MiddlewareMatrix
{
    /// <summary>An origin no policy of the matrix names: a server that admits it admits anyone.</summary>
    public const string UnlistedOrigin = "https://unlisted.example.net";

    public static async Task<MiddlewareMatrixResult> RunAsync(
        IReadOnlyList<ICorsMiddleware> middlewares, IReadOnlyList<MatrixPolicy> policies, IReadOnlyList<Engine> engines,
        ReferenceServers servers, Func<string, string?> settings, TimeSpan timeout, TextWriter? progress = null,
        CancellationToken cancellationToken = default)
    {
        var rows = middlewares.Select(m => new MatrixMiddleware(m.Id, m.Unavailable is null ? m.Name : m.Id, m.ConfiguredIn, m.Unavailable)).ToList();
        // Every middleware under every policy starts at once: each start is mostly a runtime's own start-up and a wait for
        // its port, which one after another cost the test run's lane ~10 s.
        foreach (var middleware in middlewares.Where(m => m.Unavailable is null)) progress?.WriteLine($"Starting {middleware.Id} once per policy…");
        var starts = middlewares.Where(m => m.Unavailable is null).SelectMany(m => policies.Select(p => StartAsync(m, p))).ToList();
        try
        {
            var started = await Task.WhenAll(starts);
            var client = Replay.CreateClient(acceptAnyCertificate: false);
            // The cells' protocol checks side by side (each its own server), then each engine's run side by side: an engine
            // has its own browser and pages, and a middleware answers each request alone. One engine after another, both
            // lanes of the test run waited ~90 s on this matrix (docs/speed.md).
            var cells = await Task.WhenAll(started.Select(async s =>
            {
                var key = new MatrixCellKey(s.Middleware.Id, s.Policy.Id);
                if (s.Server is null) return (Key: key, Findings: (IReadOnlyList<ProtocolFinding>)[], Surprises: (IReadOnlyList<Surprise>)[], s.NotRun);
                var (findings, surprises) = await CheckAsync(s.Server.Resource, s.Policy.Policy, client, timeout, cancellationToken);
                return (Key: key, Findings: findings, Surprises: surprises, NotRun: (string?)null);
            }));
            var cases = started.Where(s => s.Server is not null)
                .SelectMany(s => PolicyCases.Generate(s.Policy.Policy, s.Server!.Resource).Select(c => c with { Id = new MatrixCellKey(s.Middleware.Id, s.Policy.Id).Prefix + c.Id }))
                .ToList();

            foreach (var engine in engines.Where(_ => cases.Count > 0)) progress?.WriteLine($"Running {cases.Count} cases in {engine.Id()}…");
            var runs = await Task.WhenAll(engines.Select(async engine =>
                cases.Count == 0 ? null : await PolicyRunner.RunEngineAsync(engine, servers, cases, timeout, settings, cancellationToken)));
            var engineRuns = new List<MatrixEngine>();
            var verdicts = new Dictionary<(MatrixCellKey, Engine), IReadOnlyList<PolicyVerdict>>();
            foreach (var (engine, run) in engines.Zip(runs))
            {
                if (run is null)
                {
                    engineRuns.Add(new MatrixEngine(engine, null, "no middleware could be started, so there was nothing to run", null));
                    continue;
                }
                engineRuns.Add(new MatrixEngine(engine, run.Description, run.Unavailable, run.NothingJudged));
                foreach (var group in run.Verdicts.GroupBy(v => MatrixCellKey.Of(v.Case.Id)))
                {
                    verdicts[(group.Key, engine)] = group.Select(v => v with { Case = v.Case with { Id = v.Case.Id[group.Key.Prefix.Length..] } }).ToList();
                }
            }
            var result = cells.Select(c => new MatrixCell(c.Key.Middleware, c.Key.Policy, c.NotRun, c.Findings, c.Surprises,
                engineRuns.Where(e => e.Unavailable is null && verdicts.ContainsKey((c.Key, e.Engine)))
                    .ToDictionary(e => e.Engine, e => verdicts[(c.Key, e.Engine)]))).ToList();
            return new MiddlewareMatrixResult(rows, policies, engineRuns, result);
        }
        finally
        {
            // Every server that started is stopped, whatever failed (Task.WhenAll has let every start finish by then).
            foreach (var server in starts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.Server).OfType<IRunningMiddleware>()) await server.DisposeAsync();
        }
    }

    private static async Task<(ICorsMiddleware Middleware, MatrixPolicy Policy, IRunningMiddleware? Server, string? NotRun)> StartAsync(ICorsMiddleware middleware, MatrixPolicy policy)
    {
        try
        {
            return (middleware, policy, await middleware.StartAsync(policy.Policy), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // It could not start, whatever the reason (a missing runtime, a port taken, a bad app): said in the table with
            // the reason, never judged, never passed — and the others started still get stopped.
            return (middleware, policy, null, $"it did not start: {e.Message.Trim()}");
        }
    }

    /// <summary>Without a browser: the protocol checks of one started middleware, and the defaults that surprise.</summary>
    public static async Task<(IReadOnlyList<ProtocolFinding> Findings, IReadOnlyList<Surprise> Surprises)> CheckAsync(
        Uri resource, CorsPolicy policy, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var findings = await ProtocolChecks.RunAsync(resource, policy, client, timeout, cancellationToken);
        return (findings, await SurprisesAsync(resource, policy, findings, client, timeout, cancellationToken));
    }

    /// <summary>The defaults that surprise, from the protocol checks and a probe of our own. (No Vary on a preflight's answer
    /// is none: RFC 9110 §9.3.7, responses to OPTIONS are not cacheable, so no shared cache hands one origin's to another.)</summary>
    private static async Task<IReadOnlyList<Surprise>> SurprisesAsync(
        Uri resource, CorsPolicy policy, IReadOnlyList<ProtocolFinding> findings, ReplayClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var surprises = new List<Surprise>();
        bool Failed(ServerDefect defect) => findings.Any(f => f.Defect == defect && f.Outcome == FindingOutcome.Fail);

        using var unlisted = new HttpRequestMessage(HttpMethod.Get, resource);
        unlisted.Headers.TryAddWithoutValidation(HeaderNames.Origin, UnlistedOrigin);
        var answer = await Replay.SendAsync(client, unlisted, timeout, cancellationToken);
        if (answer.Headers.Get(HeaderNames.AccessControlAllowOrigin) == UnlistedOrigin)
        {
            surprises.Add(new Surprise(SurpriseKind.ReflectsAnyOrigin,
                $"a GET from {UnlistedOrigin}, which the policy {(policy.AnyOrigin ? "admits only as `*`" : "does not name")}, got Access-Control-Allow-Origin: {UnlistedOrigin}"
                + (answer.Headers.Get(HeaderNames.AccessControlAllowCredentials) == "true" ? " with Access-Control-Allow-Credentials: true" : "")));
        }
        if (Failed(ServerDefects.OptionsAnsweredAsPreflight))
        {
            surprises.Add(new Surprise(SurpriseKind.AnswersEveryOptionsAsPreflight,
                "an OPTIONS request without Access-Control-Request-Method got Access-Control-Allow-Methods/-Headers"));
        }
        if (findings.FirstOrDefault(f => f.Defect == ServerDefects.MissingVary && f.Outcome == FindingOutcome.Fail) is { } vary)
        {
            // Which answer lacks it, in the check's words (the allowed origin's, another origin's, or one without Origin).
            surprises.Add(new Surprise(SurpriseKind.ForgetsVary, vary.Message.StartsWith("the answer to ", StringComparison.Ordinal)
                ? "its " + vary.Message["the ".Length..].Split('\n')[0]
                : "its answer to a GET names the request's Origin in Access-Control-Allow-Origin without Vary: Origin"));
        }

        return surprises;
    }
}

/// <summary>The surprising defaults the matrix looks for, each with the sentence the table uses.</summary>
public enum SurpriseKind
{
    ReflectsAnyOrigin,
    AnswersEveryOptionsAsPreflight,
    ForgetsVary,
}

public sealed record Surprise(SurpriseKind Kind, string Evidence)
{
    /// <summary>What it means (for the table's section) and its short name (for a matrix cell), once per kind — total: a
    /// new kind without its words throws rather than render blank.</summary>
    public static (string Short, string Meaning) Words(SurpriseKind kind) => kind switch
    {
        SurpriseKind.ReflectsAnyOrigin => ("reflects any origin",
            "Reflects any origin: Access-Control-Allow-Origin echoes an Origin the policy does not name (under a `*` policy, the echo takes the place of `*`)"),
        SurpriseKind.AnswersEveryOptionsAsPreflight => ("every OPTIONS is a preflight",
            "Answers every OPTIONS as a preflight: a plain OPTIONS request (no Access-Control-Request-Method) gets the preflight's headers: the middleware does not tell a preflight from a plain OPTIONS call (whether or not it passes the request on to the application, the answer claims methods and headers for a preflight that was never sent)"),
        SurpriseKind.ForgetsVary => ("no Vary: Origin",
            "Forgets Vary: Origin on the response: the value of Access-Control-Allow-Origin depends on the Origin, but a shared cache is not told"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a surprise without its words"),
    };
}

public sealed record MatrixMiddleware(string Id, string Name, string ConfiguredIn, string? Unavailable);

/// <summary>One engine of the matrix: what ran, or why it could not launch, or why it could judge nothing.</summary>
public sealed record MatrixEngine(Engine Engine, string? Description, string? Unavailable, string? NothingJudged);

/// <summary>One middleware under one policy: why it did not run, or its protocol findings, surprises and verdicts per engine.</summary>
public sealed record MatrixCell(
    string Middleware, string Policy, string? NotRun, IReadOnlyList<ProtocolFinding> Findings, IReadOnlyList<Surprise> Surprises,
    IReadOnlyDictionary<Engine, IReadOnlyList<PolicyVerdict>> Verdicts)
{
    public IEnumerable<PolicyVerdict> Failures(Engine engine) =>
        Verdicts.TryGetValue(engine, out var verdicts) ? verdicts.Where(v => !v.Passed && v.NotJudged is null) : [];
}

public sealed record MiddlewareMatrixResult(
    IReadOnlyList<MatrixMiddleware> Middlewares, IReadOnlyList<MatrixPolicy> Policies, IReadOnlyList<MatrixEngine> Engines, IReadOnlyList<MatrixCell> Cells)
{
    /// <summary>
    /// Why this run cannot stand as the table (empty: it can): the launch rule's (<see cref="LaunchRule"/>: a named engine
    /// that cannot launch, none launching, no case judged), and every middleware that could not be installed or started —
    /// the table says so too, but a table with a hole is not a pass.
    /// </summary>
    public IReadOnlyList<string> Failures(bool enginesNamed) =>
        LaunchRule.Failures(Engines.Select(e => (e.Engine, e.Unavailable)).ToList(), enginesNamed, Judged)
            .Concat(Middlewares.Where(m => m.Unavailable is not null).Select(m => $"{m.Id} was not run: {m.Unavailable}"))
            .Concat(Cells.Where(c => c.NotRun is not null).Select(c => $"{c.Middleware} under {c.Policy} was not run: {c.NotRun}"))
            .ToList();

    /// <summary>How many browser cases were judged (neither not judged nor a harness error), over every cell and engine.</summary>
    public int Judged => Cells.Sum(c => c.Verdicts.Values.Sum(v => v.Count(x => x.NotJudged is null && !x.IsHarnessError)));
}

/// <summary>A cell's case-id prefix: <c>middleware/policy:</c>.</summary>
internal sealed record MatrixCellKey(string Middleware, string Policy)
{
    public string Prefix => $"{Middleware}/{Policy}:";

    public static MatrixCellKey Of(string caseId)
    {
        var head = caseId[..caseId.IndexOf(':', StringComparison.Ordinal)];
        var slash = head.IndexOf('/', StringComparison.Ordinal);
        return new MatrixCellKey(head[..slash], head[(slash + 1)..]);
    }
}
