using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>
/// The CORS check on values built from the page's host ({host}, {host-upper}, {host-parent} inside longer text). Fetch,
/// "CORS check", step 4: "If the result of byte-serializing a request origin with request is not origin, then return
/// failure." The serialization is "scheme://host:port" (HTML, "serialization of an origin"), so a value is the origin
/// exactly when its bytes spell that, however the case built it.
/// </summary>
public sealed class HostInValueOracleTests
{
    private static Outcome OutcomeOf(string acao, Scheme scheme = Scheme.Http, PageOrigin page = PageOrigin.Origin, Place target = Place.SameSite)
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(acao)), origins: new Topology(page, target, scheme)));
        return expected.Outcome;
    }

    // The bytes of the serialized origin, built from parts: the CORS check passes.
    [TestCase("http://{host}", Scheme.Http)]
    [TestCase("https://{host}", Scheme.Https)]
    [TestCase("http://www.{host-parent}", Scheme.Http)]
    [TestCase(" http://{host}\t", Scheme.Http)]
    public void A_value_that_spells_the_origin_from_the_host_is_the_origin(string acao, Scheme scheme)
    {
        Assert.That(OutcomeOf(acao, scheme), Is.EqualTo(Outcome.Allowed));
    }

    // Anything else is not the origin's bytes: another scheme, a scheme in another case, another separator, the host's
    // letters in another case, another host (a subdomain of the page's, its parent domain, a wildcard).
    [TestCase("http://{host}", Scheme.Https)]
    [TestCase("https://{host}", Scheme.Http)]
    [TestCase("//{host}", Scheme.Http)]
    [TestCase("://{host}", Scheme.Http)]
    [TestCase("ftp://{host}", Scheme.Http)]
    [TestCase("http:://{host}", Scheme.Http)]
    [TestCase("http:/{host}", Scheme.Http)]
    [TestCase("http:{host}", Scheme.Http)]
    [TestCase("HTTP://{host}", Scheme.Http)]
    [TestCase("http://{host-upper}", Scheme.Http)]
    [TestCase("{host}", Scheme.Http)]
    [TestCase("http://sub.{host}", Scheme.Http)]
    [TestCase("{host-parent}", Scheme.Http)]
    [TestCase(".{host-parent}", Scheme.Http)]
    [TestCase("*.{host-parent}", Scheme.Http)]
    [TestCase("http://{host-parent}", Scheme.Http)]
    [TestCase("http://.{host-parent}", Scheme.Http)]
    [TestCase("http://*.{host-parent}", Scheme.Http)]
    [TestCase("http://{host}/", Scheme.Http)]
    public void A_value_built_from_the_host_that_is_not_the_origin_fails_the_check(string acao, Scheme scheme)
    {
        Assert.That(OutcomeOf(acao, scheme), Is.EqualTo(Outcome.Blocked));
    }

    // An opaque origin serializes as "null" ("byte-serializing a request origin"): the page's host spells nothing it has.
    [Test]
    public void From_an_opaque_origin_the_host_spells_no_origin_of_the_request()
    {
        Assert.That(OutcomeOf("http://{host}", page: PageOrigin.Null), Is.EqualTo(Outcome.Blocked));
    }

    [Test]
    public void The_reason_names_the_value_as_the_case_wrote_it_never_the_port_mark()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao("ftp://{host}"))));
        Assert.That(expected.Reason, Does.Contain("'ftp://{host}'").And.Not.Contain(PageAddress.PortMark));
    }

    [Test]
    public void The_target_and_the_oracle_fill_the_host_placeholders_alike()
    {
        var values = new PlaceholderValues("http://www.cors.test:41234", null, "www.cors.test:41234", "http://api.cors.test:41234", "", "");
        Assert.That(Placeholders.Fill("{host-parent}|{host-upper}|{host}", values), Is.EqualTo("cors.test:41234|WWW.CORS.TEST:41234|www.cors.test:41234"));
    }
}
