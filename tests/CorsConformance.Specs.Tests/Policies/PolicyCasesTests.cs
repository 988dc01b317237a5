using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
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

    /// <summary>Every method APIs take that the policy leaves out is tried, not only the first: a server answering a GET, PUT
    /// policy that allowed DELETE too was held only to refusing PATCH, and read as keeping its policy (a review on ASP.NET
    /// Core apps, 2026-12-06). PURGE stands in only when the policy lists all three.</summary>
    [Test]
    public void Each_common_method_the_policy_leaves_out_is_tried_as_refused()
    {
        var promises = Promises(Policy());
        var all = Promises(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT", "PATCH", "DELETE"] }""", "policy.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(promises.Keys.Where(k => k.StartsWith("https-app-example-com/unlisted-method-", StringComparison.Ordinal) && !k.EndsWith("/credentialed", StringComparison.Ordinal)),
                Is.EquivalentTo(new[] { "https-app-example-com/unlisted-method-patch", "https-app-example-com/unlisted-method-delete" }));
            Assert.That(promises["https-app-example-com/unlisted-method-delete"], Is.EqualTo(Outcome.Blocked));
            Assert.That(promises["https-app-example-com/unlisted-method-delete/credentialed"], Is.EqualTo(Outcome.Blocked));
            Assert.That(all.Keys.Where(k => k.Contains("/unlisted-method-", StringComparison.Ordinal)),
                Is.EquivalentTo(new[] { "https-app-example-com/unlisted-method-purge", "https-app-example-com/unlisted-method-purge/credentialed" }));
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

    /// <summary>A server that leaves Access-Control-Allow-Credentials off its preflight, or answers `*` there, breaks every
    /// credentialed call that needs a preflight; the cases tried each allowed method and header only without credentials,
    /// so such a server passed.</summary>
    [Test]
    public void With_allowCredentials_each_allowed_method_and_header_is_tried_with_credentials_too()
    {
        var cases = PolicyCases.Generate(Policy(), Resource).ToDictionary(c => c.Id);
        var put = cases["https-app-example-com/method-put/credentialed"];
        var header = cases["https-app-example-com/header-x-request-id/credentialed"];
        var origin = new Header(HeaderNames.AccessControlAllowOrigin, Placeholders.Echo);
        var credentials = new Header(HeaderNames.AccessControlAllowCredentials, "true");
        ServerPlan Answers(params Header[] preflight) => new(new ResponsePlan(204, preflight), new ResponsePlan(200, [origin, credentials]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(put.Request.Credentials, Is.EqualTo(CredentialsMode.Include));
            Assert.That(put.Title, Is.EqualTo("a credentialed PUT from https://app.example.com is allowed after a preflight"));
            Assert.That(Oracle.Expect(put.Model).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(Oracle.Expect(header.Model).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(Oracle.Expect(put.Model with { Server = Answers(origin, new Header(HeaderNames.AccessControlAllowMethods, "PUT")) }).Outcome,
                Is.EqualTo(Outcome.Blocked), "no Access-Control-Allow-Credentials on the preflight");
            Assert.That(Oracle.Expect(put.Model with { Server = Answers(origin, credentials, new Header(HeaderNames.AccessControlAllowMethods, "*")) }).Outcome,
                Is.EqualTo(Outcome.Blocked), "`*` is literal for a credentialed request");
            Assert.That(Oracle.Expect(header.Model with { Server = Answers(origin, credentials, new Header(HeaderNames.AccessControlAllowHeaders, "*")) }).Outcome,
                Is.EqualTo(Outcome.Blocked), "`*` is literal for a credentialed request");
            Assert.That(Promises(Policy(credentials: false)).Keys, Has.None.EndsWith("/method-put/credentialed"));
        }
    }

    /// <summary>A policy allowing any method or header (`*`) named no method or header to try, so no preflighted call was
    /// checked at all; each is now tried with one it does not name, and with credentials a server keeping the policy
    /// answers with the request's own method and names (a credentialed request reads `*` literally).</summary>
    [Test]
    public void A_policy_allowing_any_method_or_header_is_tried_with_one_it_does_not_name()
    {
        var policy = PolicyReader.Read("""
            { "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "*"], "allowedHeaders": ["*"], "allowCredentials": true }
            """, "policy.json");
        var cases = PolicyCases.Generate(policy, Resource).ToDictionary(c => c.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cases.Keys, Is.SupersetOf(new[]
            {
                "https-app-example-com/method-put", "https-app-example-com/method-put/credentialed",
                "https-app-example-com/header-x-cors-conformance-any", "https-app-example-com/header-x-cors-conformance-any/credentialed",
            }));
            Assert.That(cases["https-app-example-com/method-put"].Title, Does.EndWith("(allowedMethods: *)"));
            foreach (var id in new[] { "method-put", "method-put/credentialed", "header-x-cors-conformance-any", "header-x-cors-conformance-any/credentialed" })
            {
                Assert.That(Oracle.Expect(cases["https-app-example-com/" + id].Model).Outcome, Is.EqualTo(Outcome.Allowed), id);
            }
            Assert.That(cases["https-app-example-com/method-put"].Model.Server.Preflight.Headers, Has.Member(new Header(HeaderNames.AccessControlAllowMethods, "GET, *")));
            Assert.That(cases["https-app-example-com/method-put/credentialed"].Model.Server.Preflight.Headers, Has.Member(new Header(HeaderNames.AccessControlAllowMethods, "GET, PUT")));
            Assert.That(cases["https-app-example-com/header-x-cors-conformance-any/credentialed"].Model.Server.Preflight.Headers,
                Has.Member(new Header(HeaderNames.AccessControlAllowHeaders, "x-cors-conformance-any")));
        }
    }

    /// <summary>A simple GET or POST is never preflighted, so no policy refuses one; a route listing only GET (which may
    /// answer a POST 405 without CORS headers) was still promised "a simple POST is allowed", and failed.</summary>
    [Test]
    public void Simple_requests_are_promised_only_where_the_route_takes_their_method()
    {
        static HashSet<string> Ids(string methods) => PolicyCases.Generate(PolicyReader.Read($$"""
            { "allowedOrigins": ["https://app.example.com"], {{methods}} "exposedHeaders": ["X-Total-Count"], "allowCredentials": true }
            """, "policy.json"), Resource).Select(c => c.Id).ToHashSet();
        const string o = "https-app-example-com/";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids("""  "allowedMethods": ["GET", "PUT"], """), Does.Contain(o + "simple-get").And.Not.Contain(o + "simple-post"));
            Assert.That(Ids("""  "allowedMethods": ["POST"], """), Does.Contain(o + "simple-post").And.Not.Contain(o + "simple-get").And.Not.Contain(o + "credentialed-get"));
            Assert.That(Ids(""), Does.Contain(o + "simple-post").And.Contain(o + "simple-get"), "a policy that lists no methods takes the safelisted ones");
            Assert.That(Ids("""  "allowedMethods": ["*"], """), Does.Contain(o + "simple-post").And.Contain(o + "simple-get"));
        }
    }

    /// <summary>The allowed header Content-Type was always tried on a POST (application/json), whatever the route takes: gorilla's
    /// handlers.CORS configured with AllowedMethods GET and PUT, as the policy lists, answers that preflight 405 — it keeps the
    /// policy — and the suite failed it with "nothing on the server answers OPTIONS at this URL as a preflight". The header is
    /// tried on a method the route takes: POST where it takes POST, else a listed method with a body, else a GET.</summary>
    [TestCase("""["GET", "PUT"]""", "PUT")]
    [TestCase("""["GET", "POST", "PUT"]""", "POST")]
    [TestCase("""["GET"]""", "GET")]
    [TestCase("""["*"]""", "POST")]
    [TestCase("", "POST")]
    public void An_allowed_Content_Type_is_tried_on_a_method_the_route_takes(string methods, string expected)
    {
        var policy = PolicyReader.Read($$"""
            { "allowedOrigins": ["https://app.example.com"], {{(methods == "" ? "" : $"\"allowedMethods\": {methods},")}} "allowedHeaders": ["Content-Type"], "allowCredentials": true }
            """, "policy.json");
        var cases = PolicyCases.Generate(policy, Resource).ToDictionary(c => c.Id);
        using (Assert.EnterMultipleScope())
        {
            foreach (var id in new[] { "https-app-example-com/header-content-type", "https-app-example-com/header-content-type/credentialed" })
            {
                Assert.That(cases[id].Request.Method, Is.EqualTo(expected), id);
                Assert.That(cases[id].Request.Headers, Has.Member(new Header("Content-Type", "application/json")), id);
                Assert.That(Oracle.Expect(cases[id].Model).Outcome, Is.EqualTo(Outcome.Allowed), id);
                Assert.That(Oracle.Expect(cases[id].Model).Preflights, Is.EqualTo(1), id + ": application/json is not a safelisted Content-Type, so it is preflighted");
            }
        }
    }

    /// <summary>Each header the policy exposes has a case of its own that names it, so a header the server never sends is
    /// shown as not checked rather than hidden among passing cases.</summary>
    [Test]
    public void Each_exposed_header_has_a_case_that_must_read_it()
    {
        var cases = PolicyCases.Generate(Policy(), Resource).ToDictionary(c => c.Id);
        var exposed = cases["https-app-example-com/exposed-x-total-count"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exposed.MustRead, Is.EqualTo("x-total-count"));
            Assert.That(exposed.Request.Credentials, Is.EqualTo(CredentialsMode.Include), "a policy allowing credentials is read by a signed-in front end");
            Assert.That(Oracle.Expect(exposed.Model).Outcome, Is.EqualTo(Outcome.Allowed));
            Assert.That(cases.Values.Count(c => c.MustRead is not null), Is.EqualTo(1));
            Assert.That(PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "exposedHeaders": ["*"] }""", "policy.json"), Resource)
                .Where(c => c.MustRead is not null), Is.Empty, "a policy's `*` names no header to read");
            Assert.That(PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "exposedHeaders": ["Set-Cookie"] }""", "policy.json"), Resource)
                .Where(c => c.MustRead is not null), Is.Empty, "no exposure lets a page read Set-Cookie, a forbidden response-header name");
        }
    }

    [Test]
    public void Every_generated_case_has_a_title_that_reads_as_a_sentence()
    {
        Assert.That(PolicyCases.Generate(Policy(), Resource).Select(c => c.Title),
            Has.All.Matches<string>(t => t is not null && (t.Contains(" is allowed", StringComparison.Ordinal) || t.Contains(" is refused", StringComparison.Ordinal))));
    }
}
