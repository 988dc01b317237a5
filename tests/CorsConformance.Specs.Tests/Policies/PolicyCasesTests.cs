using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Policies;

public sealed class PolicyCasesTests
{
    private static readonly Uri Resource = new("http://127.0.0.1:5000/api/items");

    private static CorsPolicy Policy(bool credentials = true) => PolicyReader.Read($$"""
        { "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowedHeaders": ["X-Request-Id"],
          "exposedHeaders": ["X-Total-Count"], "allowCredentials": {{(credentials ? "true" : "false")}} }
        """, "policy.json");

    private static Dictionary<string, Outcome> Promises(CorsPolicy policy) =>
        PolicyCases.Generate(policy, Resource).ToDictionary(c => c.Id, c => Oracle.Expect(c.Model).Outcome);

    [Test]
    public void An_allowed_origin_may_do_what_the_policy_lists_and_nothing_else()
    {
        var promises = Promises(Policy());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(promises["https-app-example-com/simple-get"], Is.EqualTo(Outcome.Allowed));
            Assert.That(promises["https-app-example-com/method-put"], Is.EqualTo(Outcome.Allowed));
            Assert.That(promises["https-app-example-com/header-x-request-id"], Is.EqualTo(Outcome.Allowed));
            Assert.That(promises["https-app-example-com/credentialed-get"], Is.EqualTo(Outcome.Allowed));
            Assert.That(promises["https-app-example-com/unlisted-method-patch"], Is.EqualTo(Outcome.Blocked));
            Assert.That(promises["https-app-example-com/unlisted-header"], Is.EqualTo(Outcome.Blocked));
        }
    }

    [Test]
    public void Other_origins_and_the_null_origin_are_refused()
    {
        var promises = Promises(Policy());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(promises["https-evil-example/simple-get"], Is.EqualTo(Outcome.Blocked));
            Assert.That(promises["null/simple-get"], Is.EqualTo(Outcome.Blocked));
        }
    }

    [Test]
    public void Without_allowCredentials_a_credentialed_request_is_refused()
    {
        Assert.That(Promises(Policy(credentials: false))["https-app-example-com/credentialed-get"], Is.EqualTo(Outcome.Blocked));
    }

    [Test]
    public void Every_generated_case_has_a_title_that_reads_as_a_sentence()
    {
        Assert.That(PolicyCases.Generate(Policy(), Resource).Select(c => c.Title),
            Has.All.Matches<string>(t => t is not null && (t.Contains(" is allowed", StringComparison.Ordinal) || t.Contains(" is refused", StringComparison.Ordinal))));
    }
}
