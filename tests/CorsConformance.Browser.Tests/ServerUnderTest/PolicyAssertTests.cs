using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.NUnit;
using CorsConformance.Specs.Policies;
using NUnit.Framework.Internal;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// How a server's misbehaviour reads in a team's `dotnet test` (CorsConformance.NUnit) and the server-under-test run: its
/// failure carries the evidence and nothing else. Every failing case and check printed "Assert.That(verdict.Passed,
/// Is.True) Expected: True But was: False" and a "Stack Trace:" of the suite's own frames (PolicyAssert.Case, the fixture)
/// under the server's evidence — a stack trace for a server behaviour (found by the hostile-server sweep). No browser runs.
/// </summary>
public sealed class PolicyAssertTests
{
    [Test]
    public async Task A_check_the_server_fails_reads_as_its_evidence_without_a_stack_trace()
    {
        await using var server = ScriptedServer.Unhandled(503);
        var findings = await ProtocolChecks.RunAsync(server.Resource, CorsPolicies.Allow(["https://app.example.com"]), Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5));
        var notChecked = findings.First(f => f.Outcome == FindingOutcome.NotChecked);
        Exception? failure = null;
        using (new TestExecutionContext.IsolatedContext())
        {
            failure = Assert.Catch(() => PolicyAssert.Check(notChecked));
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.InstanceOf<AssertionException>(), "a failed test, not an error");
            Assert.That(failure!.Message, Does.StartWith("not checked: the URL answers 503").And.Contain("rule: https://fetch.spec.whatwg.org/"));
            Assert.That(failure.Message, Does.Not.Contain("Expected:").And.Not.Contain("But was:").And.Not.Contain("Assert.That"));
            Assert.That(failure.StackTrace, Is.Null.Or.Empty);
        }
    }
}
