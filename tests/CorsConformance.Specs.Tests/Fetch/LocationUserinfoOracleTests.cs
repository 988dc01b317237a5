using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>A redirect Location with userinfo. HTTP-redirect fetch step 9: "If request's mode is "cors", locationURL
/// includes credentials, and request's origin is not same origin with locationURL's origin, then return a network error";
/// step 10: "If request's response tainting is "cors" and locationURL includes credentials, then return a network error."
/// URL: "A URL includes credentials if its username or password is not the empty string."</summary>
public sealed class LocationUserinfoOracleTests
{
    private static RedirectPlan To(Place to, string userinfo) => new(307, to, 1, [Acao("*")]) { Userinfo = userinfo };

    [TestCase("user:pass")]
    [TestCase("user:")]
    [TestCase("user")]
    [TestCase(":pass")]
    public void A_Location_whose_user_name_or_password_is_not_empty_includes_credentials_and_is_refused(string userinfo)
    {
        var expected = Oracle.Expect(Case(redirect: To(Place.CrossSite, userinfo), actual: Ok(Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Contain("http-redirect-fetch/9"));
        }
    }

    [TestCase(":")]
    [TestCase("")]
    public void A_Location_whose_user_name_and_password_are_both_empty_includes_no_credentials_and_is_followed(string userinfo)
    {
        var expected = Oracle.Expect(Case(redirect: To(Place.CrossSite, userinfo), actual: Ok(Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
            Assert.That(expected.Trace.Select(t => t.Id), Does.Not.Contain("http-redirect-fetch/9").And.Not.Contain("http-redirect-fetch/10"));
        }
    }

    [TestCase("user:pass", true)]
    [TestCase("user:", true)]
    [TestCase(":pass", true)]
    [TestCase(":", false)]
    [TestCase("", false)]
    public void Includes_credentials_is_a_non_empty_user_name_or_password(string userinfo, bool includes)
    {
        Assert.That(To(Place.SameSite, userinfo).LocationIncludesCredentials, Is.EqualTo(includes));
    }
}
