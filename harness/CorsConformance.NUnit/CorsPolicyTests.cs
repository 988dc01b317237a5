using System.Collections.Concurrent;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;
using NUnit.Framework;

namespace CorsConformance.NUnit;

/// <summary>
/// Holds <typeparamref name="TTarget"/> to its policy in real browsers: one test per case the policy implies, per engine
/// (<see cref="CorsEngines"/>), named as a sentence ("In Chromium, a credentialed GET from https://app.example.com is
/// allowed"). Each engine is launched once for all its cases; pages get the policy's origins from the suite's own
/// loopback servers, mapped inside the browser only. A failure carries what the browser did, what the policy promises,
/// what the Fetch Standard says of the server's real answers, the answers, and curl and fetch reproductions.
/// </summary>
/// <example><code>
/// public sealed class MyApi : AppTarget&lt;Program&gt;
/// {
///     public override CorsPolicy Policy =&gt; CorsPolicies.FromFile("cors-policy.json");
///     protected override string ResourcePath =&gt; "/api/items";
/// }
/// public sealed class MyApiCors : CorsPolicyTests&lt;MyApi&gt;;
/// </code></example>
public abstract class CorsPolicyTests<TTarget> where TTarget : CorsTarget, new()
{
    /// <summary>The ids and names of the cases do not depend on the resource's URL, which is known only once it started.</summary>
    private static readonly Uri NotStartedYet = new("http://server-under-test.invalid/");

    private readonly ConcurrentDictionary<Engine, Lazy<Task<PolicyEngineRun>>> _runs = new();
    private Lazy<Task<IReadOnlyList<ProtocolFinding>>>? _checks;
    private TTarget? _target;
    private ReferenceServers? _servers;
    private IReadOnlyList<PolicyCase> _cases = [];

    public static IEnumerable<TestCaseData> Cases()
    {
        var cases = PolicyCases.Generate(PolicyOf(new TTarget()), NotStartedYet);
        foreach (var engine in CorsEngines.Selected)
        {
            foreach (var @case in cases)
            {
                yield return new TestCaseData(engine, @case.Id).SetName($"In {engine.DisplayName()}, {@case.Title}");
            }
        }
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _target = new TTarget();
        var policy = PolicyOf(_target);
        // A target that returns no task or no URL, or a timeout no request can keep, threw a NullReferenceException or
        // an ArgumentOutOfRangeException in every test; each is said, naming the target, before anything starts.
        if (ServerUnderTestSettings.TimeoutProblem(_target.Timeout) is not null) Assert.Fail($"{typeof(TTarget).Name}.Timeout is {_target.Timeout}: give a positive time, at most an hour (the default is 10 s).");
        var start = _target.StartAsync(CancellationToken.None) ?? throw new InvalidOperationException($"{typeof(TTarget).Name}.StartAsync returned null: return a Task of the resource's URL.");
        var resource = await start;
        if (resource is null) Assert.Fail($"{typeof(TTarget).Name}'s resource is null: StartAsync (or UrlTarget.Url) must give the resource's absolute http(s) URL.");
        // A URL no page can call (user:pass@, port 0, not http(s)) fails every test saying so, before any browser runs.
        if (ResourceUrl.Problem(resource!) is { } problem) Assert.Fail($"{typeof(TTarget).Name}'s resource: {problem}");
        _cases = PolicyCases.Generate(policy, resource!);
        var timeout = _target.Timeout;
        var acceptAnyCertificate = _target.AcceptAnyCertificate;
        _checks = new Lazy<Task<IReadOnlyList<ProtocolFinding>>>(() =>
            ProtocolChecks.RunAsync(resource!, policy, Replay.CreateClient(acceptAnyCertificate), timeout));
        _servers = await ReferenceServers.StartAsync();
    }

    /// <summary>One test per server defect the protocol checks look for, named as a sentence ("The server has no
    /// missing-vary: …"): plain HTTP requests, no browser, so they run and count when no engine can launch. The server
    /// under test's run in the repository has the same checks; a team's run had only the browser cases, so a server that
    /// admits an origin its policy refuses on a request no case sends, or forgets Vary: Origin, passed here.</summary>
    public static IEnumerable<TestCaseData> Checks() =>
        ProtocolChecks.Defects.Select(d => new TestCaseData(d.Id).SetName($"The server has no {d.Id}: {d.Title}"));

    [TestCaseSource(nameof(Checks))]
    public async Task ProtocolCheck(string id)
    {
        PolicyAssert.Check((await _checks!.Value).Single(f => f.Defect.Id == id));
    }

    /// <summary>The target's policy; null (a property not filled in) threw a NullReferenceException from deep inside.</summary>
    private static CorsPolicy PolicyOf(TTarget target) => target.Policy
        ?? throw new InvalidOperationException($"{typeof(TTarget).Name}.Policy is null: return CorsPolicies.FromFile(\"cors-policy.json\") or CorsPolicies.Allow(...).");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_servers is not null) await _servers.DisposeAsync();
        if (_target is not null) await _target.DisposeAsync();
    }

    /// <summary>Fails, once, when the engines asked for (BROWSER, the runsettings Engine) cannot be read; absent otherwise.</summary>
    [TestCaseSource(typeof(CorsEngines), nameof(CorsEngines.Problems))]
    public void Engines_asked_for_are_known(string problem) => throw new PolicyFailure(problem);

    [TestCaseSource(nameof(Cases))]
    public async Task Case(Engine engine, string id)
    {
        var run = await RunAsync(engine);
        if (run.Unavailable is not null && !CorsEngines.Named)
        {
            // Under the default, an engine that cannot launch is skipped, unless none of them can.
            var outcomes = await Task.WhenAll(CorsEngines.Selected.Select(async e => (e, (await RunAsync(e)).Unavailable)));
            var failures = LaunchRule.Failures(outcomes, named: false, judged: null);
            Assert.That(failures, Is.Empty, () => string.Join("\n", failures));
        }
        PolicyAssert.Case(run, id);
    }

    /// <summary>Every case of the policy in one launch of the engine, the first time one of its tests asks.</summary>
    private Task<PolicyEngineRun> RunAsync(Engine engine) =>
        _runs.GetOrAdd(engine, e => new Lazy<Task<PolicyEngineRun>>(() =>
            PolicyRunner.RunEngineAsync(e, _servers!, _cases, _target!.Timeout, CorsEngines.Settings, acceptAnyCertificate: _target.AcceptAnyCertificate))).Value;
}
