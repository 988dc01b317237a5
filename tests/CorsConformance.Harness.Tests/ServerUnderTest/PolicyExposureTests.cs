using CorsConformance.Harness.Running;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>What a page may read is judged by the CORS filter with the policy's Access-Control-Expose-Headers: main fetch,
/// "If request's credentials mode is not "include" and headerNames contains `*`, then set response's CORS-exposed
/// header-name list to all unique header names in response's header list"; with credentials `*` is only the name `*`. A
/// policy whose exposedHeaders is `*` was read as exposing nothing, so a server keeping it failed with every header it
/// exposes "readable but not exposed".</summary>
public sealed class PolicyExposureTests
{
    private static readonly Uri Resource = new("http://127.0.0.1:18598/api");

    private static PolicyVerdict Judged(string policy, bool credentialed, string[] pageRead, params Header[] answer)
    {
        var @case = PolicyCases.Generate(PolicyReader.Read(policy, "test.json"), Resource)
            .First(c => c.Title.StartsWith(credentialed ? "a credentialed GET from https://app.example.com" : "a simple GET from https://app.example.com", StringComparison.Ordinal));
        var actual = new RawResponse(200, [new(HeaderNames.AccessControlAllowOrigin, "https://app.example.com"), .. answer], null) { Reached = true };
        return PolicyRunner.Judge(@case, new PageAttempt(true, 200, pageRead, null, false), null, null, actual);
    }

    [Test]
    public void A_policy_exposing_star_is_kept_by_a_server_exposing_every_header()
    {
        var verdict = Judged("""{ "allowedOrigins": ["https://app.example.com"], "exposedHeaders": ["*"] }""", credentialed: false,
            ["content-type", "x-total-count"], new("Access-Control-Expose-Headers", "*"), new("X-Total-Count", "3"), new("Content-Type", "text/plain"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict.ReadableButNotExposed, Is.Empty);
            Assert.That(verdict.Passed, Is.True, verdict.Describe("Chromium 1"));
        }
    }

    [Test]
    public void With_credentials_a_policy_s_star_exposes_only_the_name_star()
    {
        const string policy = """{ "allowedOrigins": ["https://app.example.com"], "exposedHeaders": ["*"], "allowCredentials": true }""";
        Header[] answer = [new("Access-Control-Allow-Credentials", "true"), new("Access-Control-Expose-Headers", "*"), new("X-Total-Count", "3")];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Judged(policy, credentialed: true, ["x-total-count"], answer).ReadableButNotExposed, Is.EqualTo(new[] { "x-total-count" }),
                "a browser reading X-Total-Count on a credentialed response exposed by `*` reads more than the policy promises");
            Assert.That(Judged(policy, credentialed: true, [], answer).Passed, Is.True);
        }
    }

    [Test]
    public void A_listed_header_the_page_cannot_read_still_fails()
    {
        var verdict = Judged("""{ "allowedOrigins": ["https://app.example.com"], "exposedHeaders": ["X-Total-Count"] }""", credentialed: false,
            [], new Header("X-Total-Count", "3"));
        Assert.That(verdict.ExposedButUnreadable, Is.EqualTo(new[] { "x-total-count" }));
    }
}
