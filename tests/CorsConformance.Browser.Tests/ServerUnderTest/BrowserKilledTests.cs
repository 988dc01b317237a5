using CorsConformance.Fixtures;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// The browser of a server under test's run killed in the middle of it (its whole process tree, as a crash or the OOM
/// killer ends it). Killing Chromium so had failed every test of the run with a stack trace: the scope's close threw out of
/// the run. The calls it never made, and the one it was making, are now made in a browser launched again with the same
/// host mapping, so a server that keeps its policy passes every call, and the run says what happened.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class BrowserKilledTests(Engine engine)
{
    private const string Allowed = "https://app.example.com";

    [Test]
    public async Task A_browser_killed_mid_run_is_launched_again_and_every_call_is_judged()
    {
        var policy = PolicyReader.Read($$"""{ "allowedOrigins": ["{{Allowed}}"], "allowedMethods": ["GET", "PUT"] }""", "policy.json");
        Action? kill = null;
        var requests = 0;
        // The server keeps the policy; its sixth request (the browser's or the replay's) kills the browser.
        await using var server = new ScriptedServer(r =>
        {
            if (Interlocked.Increment(ref requests) == 6) kill?.Invoke();
            var admitted = r.Header("Origin") == Allowed ? $"\r\nAccess-Control-Allow-Origin: {Allowed}" : "";
            return r.Method == "OPTIONS"
                ? $"204 No Content{admitted}{(admitted.Length > 0 ? "\r\nAccess-Control-Allow-Methods: GET, PUT" : "")}\r\nVary: Origin"
                : $"200 OK{admitted}\r\nVary: Origin";
        });
        var cases = PolicyCases.Generate(policy, server.Resource);
        var servers = ReferenceServersSetup.Servers;
        var settings = PolicyRunner.AsDesktopBrowser(engine, EngineSelection.Settings);
        var mappings = PolicyRunner.MappingsFor(cases, servers);
        // A browser of its own: the pool's is other fixtures' too.
        var launch = await BrowserLauncher.TryLaunchOwnAsync(engine, settings, mappings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            return;
        }
        await using (session)
        {
            if (session is not DirectBrowser direct)
            {
                Assert.Ignore($"{session.Description}: a WebDriver session's browser is the driver's child, not a process of the harness's to kill");
                return;
            }
            var killed = false;
            kill = () =>
            {
                System.Diagnostics.Process.GetProcessById(direct.ProcessId).Kill(entireProcessTree: true);
                killed = true;
            };
            var replay = new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
            var first = await PolicyRunner.RunCallsAsync(session, servers, cases, replay, CancellationToken.None);
            var (verdicts, said) = await PolicyRunner.RunLostAgainAsync(first, servers, replay,
                async () => await BrowserLauncher.TryLaunchOwnAsync(engine, settings, mappings), CancellationToken.None);
            string All() => string.Join("\n", verdicts.Select(v => $"{v.Case.Id}: {(v.Passed ? "passed" : v.NotJudged ?? v.Actual.Failure ?? "failed")}"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(killed, Is.True, "the browser was not killed");
                Assert.That(first.PagesGone, Is.Not.Null, "the run did not notice its browser was gone");
                Assert.That(first.NotRun, Is.Not.Empty);
                Assert.That(said.Single(), Does.EndWith($"launched again, it made {first.NotRun.Count} of them"));
                Assert.That(verdicts.Where(v => v.NotJudged is null).Select(v => v.Passed), Has.All.True, All);
                Assert.That(verdicts.Count(v => v.NotJudged is null), Is.GreaterThan(cases.Count / 2), All);
            }
        }
    }
}
