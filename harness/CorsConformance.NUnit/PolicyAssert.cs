using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using NUnit.Framework;

namespace CorsConformance.NUnit;

/// <summary>How one policy case of one engine's run becomes a test result: passed, failed with the verdict's whole
/// evidence, or skipped with the reason it could not be judged — never passed on something not checked. The suite's own
/// server-under-test tests and <see cref="CorsPolicyTests{TTarget}"/> both judge through here.</summary>
public static class PolicyAssert
{
    public static void Case(PolicyEngineRun run, string id)
    {
        // An engine that cannot launch: the launch rule (a named engine fails; under the default it is skipped).
        if (run.Unavailable is { } unavailable)
        {
            if (CorsEngines.Named) throw new PolicyFailure(LaunchRule.NamedFailure(run.Engine, unavailable));
            Assert.Ignore(unavailable);
        }
        if (run.NothingJudged is { } nothing) Assert.Ignore(nothing);
        var verdict = run.Verdicts.SingleOrDefault(v => v.Case.Id == id)
            ?? throw new InvalidOperationException($"The run in {run.Description} has no case '{id}': the policy's cases changed between discovery and the run.");
        var description = run.Description ?? run.Engine.DisplayName();
        // A browser that failed under the run (relaunched, or not): every result of the run says so, a passed one too.
        foreach (var failure in run.PageFailures) TestContext.Out.WriteLine($"{description}: the browser failed under the run: {failure}");
        if (verdict.NotJudged is not null) Assert.Ignore(verdict.Describe(description));
        if (!verdict.Passed) throw new PolicyFailure(verdict.Describe(description));
    }

    /// <summary>How one protocol check becomes a test result: passed, failed with its evidence and rule, or skipped where
    /// it does not apply; a check that got no answer fails saying so (not checked is no pass).</summary>
    public static void Check(ProtocolFinding finding)
    {
        if (finding.Outcome == FindingOutcome.NotApplicable) Assert.Ignore(finding.Message);
        // The message ends with the request, the answer and the curl that reproduces it.
        if (finding.Outcome != FindingOutcome.Pass) throw new PolicyFailure($"{finding.Message}\n  rule: {finding.Defect.Url}");
    }
}

/// <summary>A case or a check the server does not keep: a failed test whose message is the whole evidence. Thrown rather
/// than asserted, and without a stack trace: NUnit printed "Expected: True But was: False" and the suite's own frames
/// (PolicyAssert.Case, the fixture) under every failure, a stack trace for what is a server's behaviour.</summary>
public sealed class PolicyFailure(string message) : AssertionException(message)
{
    public override string? StackTrace => null;
}
