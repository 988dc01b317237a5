using CorsConformance.NUnit;
using CorsConformance.Specs.Policies;
using NUnit.Framework.Internal;

namespace CorsConformance.Browser.Tests.ServerUnderTest;

/// <summary>
/// CorsConformance.NUnit misused from a team's test project (a hostile-input sweep): a null policy, a target that gives
/// no URL or no task, a timeout no request can keep, a policy path that is empty or a folder, an AppTarget path that
/// leaves the app. Each threw .NET's own words (a NullReferenceException in every test, "Parameter 'path2'", a negative
/// delay per case) or ran against another server; each now says what to give, naming the target. No browser runs:
/// every one is refused in the fixture's setup, before the engines are asked for.
/// </summary>
public sealed class PackageMisuseTests
{
    private static readonly CorsPolicy Policy = CorsPolicies.Allow(["https://app.example.com"]);

    public sealed class NullPolicy : UrlTarget
    {
        public override CorsPolicy Policy => null!;
        protected override Uri Url => new("http://127.0.0.1:9/");
    }

    public sealed class NullUrl : UrlTarget
    {
        public override CorsPolicy Policy => PackageMisuseTests.Policy;
        protected override Uri Url => null!;
    }

    public sealed class NullTask : CorsTarget
    {
        public override CorsPolicy Policy => PackageMisuseTests.Policy;
        public override Task<Uri> StartAsync(CancellationToken cancellationToken) => null!;
    }

    public sealed class NegativeTimeout : UrlTarget
    {
        public override CorsPolicy Policy => PackageMisuseTests.Policy;
        protected override Uri Url => new("http://127.0.0.1:9/");
        public override TimeSpan Timeout => TimeSpan.FromSeconds(-1);
    }

    /// <summary>30 days: CancelAfter throws past 2^31 - 1 ms, and the page's setTimeout fires at once (found by the fuzz campaign).</summary>
    public sealed class MonthTimeout : UrlTarget
    {
        public override CorsPolicy Policy => PackageMisuseTests.Policy;
        protected override Uri Url => new("http://127.0.0.1:9/");
        public override TimeSpan Timeout => TimeSpan.FromDays(30);
    }

    public sealed class RelativeUrl : UrlTarget
    {
        public override CorsPolicy Policy => PackageMisuseTests.Policy;
        protected override Uri Url => new("/api/items", UriKind.Relative);
    }

    /// <summary>The fixture's setup run in a context of its own: its Assert.Fail is this test's to read, not its result.</summary>
    private static async Task<string> SetUpFailure<TTarget>() where TTarget : CorsTarget, new()
    {
        var fixture = new Fixture<TTarget>();
        try
        {
            using (new TestExecutionContext.IsolatedContext())
            {
                await fixture.StartAsync();
            }
            return "no failure";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            await fixture.StopAsync();
        }
    }

    private sealed class Fixture<TTarget> : CorsPolicyTests<TTarget> where TTarget : CorsTarget, new();

    [Test]
    public async Task A_target_that_gives_no_policy_url_task_or_usable_timeout_is_named_in_the_setup()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await SetUpFailure<NullPolicy>(), Does.Contain("NullPolicy.Policy is null: return CorsPolicies.FromFile"));
            Assert.That(await SetUpFailure<NullUrl>(), Does.Contain("NullUrl's resource is null"));
            Assert.That(await SetUpFailure<NullTask>(), Does.Contain("NullTask.StartAsync returned null"));
            Assert.That(await SetUpFailure<NegativeTimeout>(), Does.Contain("NegativeTimeout.Timeout is -00:00:01: give a positive time"));
            Assert.That(await SetUpFailure<MonthTimeout>(), Does.Contain("MonthTimeout.Timeout is 30.00:00:00: give a positive time, at most an hour"));
            Assert.That(await SetUpFailure<RelativeUrl>(), Does.Contain("'/api/items' is not an absolute http(s) URL"));
        }
        Assert.That(() => Fixture<NullPolicy>.Cases().ToList(), Throws.InvalidOperationException.With.Message.Contains("NullPolicy.Policy is null"));
    }

    [Test]
    public void A_policy_path_that_is_empty_null_or_a_folder_is_said_to_be_so()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => CorsPolicies.FromFile(null!), Throws.ArgumentException.With.Message.Contains("needs the path of the policy file"));
            Assert.That(() => CorsPolicies.FromFile(""), Throws.ArgumentException.With.Message.Contains("needs the path of the policy file"));
            Assert.That(() => CorsPolicies.FromFile("a\0b.json"), Throws.ArgumentException.With.Message.Contains("holds a character no path may hold"));
            Assert.That(() => CorsPolicies.FromFile(Path.GetTempPath()), Throws.InstanceOf<FileNotFoundException>().With.Message.Contains("is a folder"));
            Assert.That(() => CorsPolicies.Allow(null!), Throws.ArgumentNullException.With.Message.Contains("the origins your front end uses"));
        }
    }

    /// <summary>Origins written in code go through the policy file's rules: a team's `http://127.1` promised cases about an
    /// Origin no browser sends (browsers send http://127.0.0.1); each form is refused with the one to write.</summary>
    [TestCase("http://127.1:3000", "'http://127.0.0.1:3000'")]
    [TestCase("http://[0:0::1]:3000", "'http://[::1]:3000'")]
    [TestCase("https://app.example.com/", "not even a trailing slash")]
    [TestCase("https://App.Example.com", "'https://app.example.com'")]
    public void An_origin_in_code_that_browsers_serialize_otherwise_is_refused_with_its_serialized_form(string origin, string said) =>
        Assert.That(() => CorsPolicies.Allow([origin]), Throws.InstanceOf<PolicyException>()
            .With.Message.StartsWith("the policy in code").And.Message.Contains("allowedOrigins").And.Message.Contains(said));

    /// <summary>BROWSER=chrome (no engine of the suite) threw "Unknown engine 'chrome'" out of every test source that lists
    /// the engines — NUnit's reflection frames in each fixture, the setting unnamed (found by the fuzz campaign). The
    /// sources now list no engine and one test fails naming the setting, without a stack trace.</summary>
    [Test]
    [NonParallelizable]
    public void An_engine_setting_naming_no_engine_fails_once_naming_the_setting()
    {
        var before = Environment.GetEnvironmentVariable("BROWSER");
        Environment.SetEnvironmentVariable("BROWSER", "chromium,chrome");
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(() => Fixture<NullUrl>.Cases().ToList(), Is.Empty);
                Assert.That(() => EngineLaunchTests.SelectedEngines().ToList(), Is.Empty);
                var problem = CorsEngines.Problems().Single();
                Assert.That(problem.Arguments.Single(), Does.Contain("the BROWSER environment variable ('chromium,chrome')").And.Contain("Unknown engine 'chrome'"));
                Assert.That(new PolicyFailure((string)problem.Arguments.Single()!).StackTrace, Is.Null);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("BROWSER", before);
        }
        Assert.That(CorsEngines.Problems(), Is.Empty, "BROWSER restored");
    }
}
