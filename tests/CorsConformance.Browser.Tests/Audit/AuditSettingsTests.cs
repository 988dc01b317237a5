using CorsConformance.NUnit;

namespace CorsConformance.Browser.Tests.Audit;

/// <summary>The audit's NUnit tests read the engines as the rest of the suite does (<see cref="CorsEngines"/>).</summary>
[Category("Audit")]
public sealed class AuditSettingsTests
{
    /// <summary>BROWSER=chrome (no engine of the suite) with an audit URL set: AuditTests read BROWSER itself and threw
    /// "Unknown engine 'chrome'" out of its one-time setup, a stack trace in each of its nineteen cases, where the rest of the
    /// suite fails once naming the setting. It now lists no case and its setup does nothing; "The engines asked for are
    /// known" fails in its place.</summary>
    [Test]
    [NonParallelizable]
    public async Task An_engine_setting_naming_no_engine_gives_no_audit_case_and_no_stack_trace()
    {
        var before = (Browser: Environment.GetEnvironmentVariable("BROWSER"), Url: Environment.GetEnvironmentVariable("CORS_AUDIT_URL"));
        Environment.SetEnvironmentVariable("BROWSER", "chrome");
        Environment.SetEnvironmentVariable("CORS_AUDIT_URL", "http://127.0.0.1:1/api/items");
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(AuditTests.Classes().ToList(), Is.Empty);
                Assert.That(async () => await new AuditTests().AuditAsync(), Throws.Nothing);
                Assert.That(CorsEngines.Problems().Single().Arguments.Single(), Does.Contain("the BROWSER environment variable ('chrome')"));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("BROWSER", before.Browser);
            Environment.SetEnvironmentVariable("CORS_AUDIT_URL", before.Url);
        }
        Assert.That(AuditTests.Classes().ToList(), before.Url is null ? Is.Empty : Is.Not.Empty, "settings restored");
    }
}
