using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>CORS-preflight fetch steps 7–8 on one answer (<see cref="Oracle.JudgePreflightAnswer"/>), the rule the oracle's
/// preflights and the server-under-test checks share: ok status and CORS check, the lists parsed, the method byte-exact
/// with `*` a wildcard only without credentials, Authorization listed by name, max-age 5 when absent or unparsable.</summary>
public sealed class PreflightAnswerTests
{
    private const string Origin = "http://app.example:8080";

    private static PreflightAnswer Judge(int status, CredentialsMode credentials, string method, string[] names, params Header[] headers) =>
        Oracle.JudgePreflightAnswer(status, headers, Origin, credentials, method, names);

    [TestCase(CredentialsMode.SameOrigin, true)]
    [TestCase(CredentialsMode.Include, false)]
    public void Star_in_allow_methods_covers_every_method_only_without_credentials(CredentialsMode credentials, bool passes)
    {
        var judged = Judge(200, credentials, "PUT", [], Acao(Origin), Acac(), H(HeaderNames.AccessControlAllowMethods, "*"));
        Assert.That(judged.Failure is null, Is.EqualTo(passes), judged.Failure);
    }

    [TestCase("put", false)]
    [TestCase("PUT", true)]
    public void A_method_matches_byte_for_byte(string listed, bool passes)
    {
        var judged = Judge(204, CredentialsMode.SameOrigin, "PUT", [], Acao(Origin), H(HeaderNames.AccessControlAllowMethods, listed));
        Assert.That(judged.Failure is null, Is.EqualTo(passes), judged.Failure);
    }

    [TestCase("*", false)]
    [TestCase("Authorization", true)]
    public void Authorization_must_be_named_and_star_does_not_cover_it(string listed, bool passes)
    {
        var judged = Judge(200, CredentialsMode.SameOrigin, "GET", ["authorization"], Acao(Origin), H(HeaderNames.AccessControlAllowHeaders, listed));
        Assert.That(judged.Failure is null, Is.EqualTo(passes), judged.Failure);
    }

    [Test]
    public void A_passing_preflight_without_max_age_is_cached_for_five_seconds_for_what_it_lists()
    {
        var judged = Judge(200, CredentialsMode.SameOrigin, "PUT", ["x-a"], Acao(Origin), H(HeaderNames.AccessControlAllowMethods, "PUT, DELETE"), H(HeaderNames.AccessControlAllowHeaders, "X-A"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Failure, Is.Null);
            Assert.That(judged.MaxAge, Is.EqualTo(5));
            Assert.That(judged.Methods, Is.EqualTo(new[] { "PUT", "DELETE" }));
            Assert.That(judged.HeaderNames, Is.EqualTo(new[] { "X-A" }));
        }
    }

    [TestCase(404)]
    [TestCase(302)]
    public void A_status_that_is_not_ok_fails_with_cors_headers_present(int status)
    {
        var judged = Judge(status, CredentialsMode.SameOrigin, "PUT", [], Acao(Origin), H(HeaderNames.AccessControlAllowMethods, "PUT"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Check.Ok, Is.True);
            Assert.That(judged.Failure, Does.Contain($"{status} is not an ok status"));
        }
    }

    [Test]
    public void An_unparsable_list_fails_even_when_the_request_needs_nothing_from_it()
    {
        var judged = Judge(200, CredentialsMode.SameOrigin, "PUT", [], Acao(Origin), H(HeaderNames.AccessControlAllowMethods, "PUT"), H(HeaderNames.AccessControlAllowHeaders, "x a"));
        Assert.That(judged.Failure, Does.Contain("Access-Control-Allow-Headers does not parse"));
    }
}
