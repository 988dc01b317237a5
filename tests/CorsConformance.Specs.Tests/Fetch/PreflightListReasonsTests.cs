using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>
/// A refused preflight's reason says why a list that seems to allow the request does not: CORS-preflight fetch step 7.5
/// looks the request's method up in Access-Control-Allow-Methods byte for byte ("request's method is not in methods"), and
/// fetch normalizes only DELETE, GET, HEAD, OPTIONS, POST and PUT of the request (never the list), so `put` there refuses a
/// PUT; with credentials `*` in either list is literal. "method 'PUT' is not allowed by Access-Control-Allow-Methods [put]"
/// read as a contradiction (Express + cors with methods: 'get,put' sends such a list).
/// </summary>
public sealed class PreflightListReasonsTests
{
    [TestCase("PUT", "get, put", CredentialsMode.SameOrigin, "(methods compare byte for byte: 'put' is not 'PUT')")]
    [TestCase("patch", "PATCH", CredentialsMode.SameOrigin, "(methods compare byte for byte: 'PATCH' is not 'patch')")]
    [TestCase("PUT", "*", CredentialsMode.Include, "(for a request with credentials `*` is a method named `*`, not every method)")]
    [TestCase("PUT", "GET, POST", CredentialsMode.Include, null)]
    public void A_refused_method_says_why_the_list_does_not_hold_it(string method, string acam, CredentialsMode credentials, string? note)
    {
        var expected = Oracle.Expect(Case(Request(method, credentials),
            Ok(Acao(), Acac(), H(HeaderNames.AccessControlAllowMethods, acam)), Ok(Acao(), Acac())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(expected.Reason, note is null ? Does.Not.Contain("(") : Does.EndWith(note));
        }
    }

    [TestCase(CredentialsMode.Include, true)]
    [TestCase(CredentialsMode.SameOrigin, false)]
    public void A_header_refused_by_a_star_says_the_star_is_literal_with_credentials(CredentialsMode credentials, bool refused)
    {
        var expected = Oracle.Expect(Case(Request("GET", credentials, headers: H("X-Custom", "1")),
            Ok(Acao(), Acac(), H(HeaderNames.AccessControlAllowHeaders, "*")), Ok(Acao(), Acac())));
        Assert.That(expected.Reason, refused
            ? Does.EndWith("[*] (for a request with credentials `*` is a header named `*`, not every header)")
            : Does.Not.Contain("not allowed"));
    }
}
