using System.Diagnostics;
using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// A server under test that is down or hangs: the run checks it once first, so every case fails at once with that reason
/// (a harness error, never a CORS verdict and never clean), and a hung server costs one timeout, not one per case.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class UnreachableServerTests(Engine engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task A_down_server_fails_every_case_at_once_with_the_reason()
    {
        var cases = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), new Uri("http://127.0.0.1:9/api/items"));
        var verdicts = await RunAsync(cases);
        Assert.That(verdicts.Select(v => (v.IsHarnessError, v.Actual.Failure?.Contains("not reached before any case ran", StringComparison.Ordinal))),
            Has.All.EqualTo((true, (bool?)true)));
    }

    [Test]
    public async Task A_hung_server_costs_one_timeout_for_all_its_cases()
    {
        await using var silent = new SilentServer();
        var cases = PolicyCases.Generate(FixturePolicies.Load("aspnetcore"), silent.Resource);
        var clock = Stopwatch.StartNew();
        var verdicts = await RunAsync(cases);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Has.Count.EqualTo(cases.Count).And.All.Matches<PolicyVerdict>(v => v!.IsHarnessError));
            // One timeout for the check, and the browser's launch: not one timeout per case.
            Assert.That(clock.Elapsed, Is.LessThan(Timeout * 2 + TimeSpan.FromSeconds(20)), $"{cases.Count} cases");
        }
    }

    private async Task<IReadOnlyList<PolicyVerdict>> RunAsync(IReadOnlyList<PolicyCase> cases)
    {
        var run = await PolicyRunner.RunEngineAsync(engine, ReferenceServersSetup.Servers, cases, Timeout, EngineSelection.Settings);
        if (run.Unavailable is not null) Assert.Ignore(run.Unavailable);
        return run.Verdicts;
    }
}
