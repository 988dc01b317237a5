using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>When engines that could not launch fail a run (issue 20): the rule itself, shared by the CLI and `dotnet test`.</summary>
public sealed class LaunchRuleTests
{
    private const string Missing = "chromium could not be launched: /nonexistent/chrome: not found. To install it: apt-get install -y chromium-headless-shell";

    [Test]
    public void A_named_engine_that_cannot_launch_fails_once_with_its_reason_and_install_command()
    {
        var failures = LaunchRule.Failures([(Engine.Chromium, Missing), (Engine.Firefox, null)], named: true, judged: 527);
        Assert.That(failures, Is.EqualTo(new[] { LaunchRule.NamedFailure(Engine.Chromium, Missing) }));
        Assert.That(failures[0], Does.Contain("apt-get install").And.Contain("Chromium was asked for"));
    }

    [Test]
    public void Under_all_an_engine_that_cannot_launch_is_skipped_while_another_runs()
    {
        Assert.That(LaunchRule.Failures([(Engine.Webkit, "webkit could not be launched"), (Engine.Chromium, null)], named: false, judged: 527), Is.Empty);
    }

    [Test]
    public void Under_all_no_engine_launching_fails_the_run()
    {
        var failures = LaunchRule.Failures([(Engine.Webkit, "webkit: no build"), (Engine.Chromium, Missing)], named: false, judged: 0);
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.StartWith("No engine could launch").And.Contain("webkit: no build").And.Contain(Missing));
    }

    [Test]
    public void A_run_that_judged_no_case_fails_even_when_every_engine_launched()
    {
        Assert.That(LaunchRule.Failures([(Engine.Chromium, null)], named: true, judged: 0), Has.Count.EqualTo(1));
    }

    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase(" ALL ", false)]
    [TestCase("chromium", true)]
    [TestCase("chromium,firefox", true)]
    public void Engines_are_named_unless_left_to_all_or_the_default(string? names, bool named) =>
        Assert.That(Engines.AreNamed(names), Is.EqualTo(named));
}
