using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Tests.Catalog;

/// <summary><c>origins.target: same-host</c> and <c>origins.target-scheme</c>: read into the topology, and every bad value
/// or combination refused naming the file, the case and the field.</summary>
public sealed class OriginRelationsReaderTests
{
    private const string File = "mine.yaml";

    private static CorsCase Read(string origins, string rest = "") =>
        CaseFileReader.Read($"cases:\n  - id: demo/x\n    anchor: concept-cors-check\n    description: d\n    origins: {origins}\n{rest}", File).Single();

    private static CaseFileException Refused(string origins, string rest = "") =>
        Assert.Throws<CaseFileException>(() => Read(origins, rest))!;

    [Test]
    public void Same_host_is_the_pages_host_at_another_port_over_the_pages_scheme()
    {
        var topology = Read("{ target: same-host }").Origins;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(topology.Target, Is.EqualTo(Place.SameHost));
            Assert.That(topology.TargetScheme, Is.EqualTo(Scheme.Http));
            Assert.That(topology.CrossScheme, Is.False);
        }
    }

    [TestCase("{ target: same-host, target-scheme: https }", Place.SameHost)]
    [TestCase("{ target: same-site, target-scheme: https }", Place.SameSite)]
    [TestCase("{ target: cross-site, target-scheme: https, page: null }", Place.CrossSite)]
    public void An_http_page_may_name_a_target_over_https(string origins, Place place)
    {
        var topology = Read(origins).Origins;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(topology.Target, Is.EqualTo(place));
            Assert.That(topology.Scheme, Is.EqualTo(Scheme.Http));
            Assert.That(topology.TargetScheme, Is.EqualTo(Scheme.Https));
            Assert.That(topology.CrossScheme, Is.True);
        }
    }

    [Test]
    public void A_target_scheme_equal_to_the_pages_is_the_default_and_changes_nothing() =>
        Assert.That(Read("{ scheme: https, target: same-site, target-scheme: https }").Origins, Is.EqualTo(Read("{ scheme: https, target: same-site }").Origins));

    [Test]
    public void A_redirect_may_lead_to_the_pages_host_at_another_port()
    {
        var redirect = Read("{ target: same-site }", "    server: { redirect: { to: [same-host, page] } }").Server.Redirect!;
        Assert.That(redirect.Chain, Is.EqualTo(new[] { Place.SameHost, Place.Page }));
    }

    [TestCase("{ target-scheme: ftp }", "origins.target-scheme", "ftp")]
    [TestCase("{ target: same-hostname }", "origins.target", "same-host")]
    [TestCase("{ scheme: https, target: same-site, target-scheme: http }", "origins.target-scheme", "mixed content")]
    [TestCase("{ scheme: https, target: same-host, target-scheme: http }", "origins.target-scheme", "mixed content")]
    [TestCase("{ target: same-origin, target-scheme: https }", "origins.target-scheme", "same-host")]
    [TestCase("{ target: data, target-scheme: https }", "origins.target-scheme", "data:")]
    [TestCase("{ target-schema: https }", "origins.target-schema", "target-scheme")]
    public void A_bad_value_is_refused_naming_the_file_the_case_and_the_field(string origins, string field, string says)
    {
        var e = Refused(origins);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.File, Is.EqualTo(File));
            Assert.That(e.CaseId, Is.EqualTo("demo/x"));
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.Contain(File).And.Contain("demo/x").And.Contain(field).And.Contain(says));
        }
    }

    [Test]
    public void A_redirect_to_an_unknown_place_names_same_host_among_the_choices() =>
        Assert.That(Refused("{ target: same-site }", "    server: { redirect: { to: [same-host, elsewhere] } }").Message,
            Does.Contain("server.redirect.to[1]").And.Contain("same-host"));

    [Test]
    public void A_raw_answer_is_refused_when_the_target_is_over_https_though_the_page_is_not()
    {
        var e = Refused("{ target: same-host, target-scheme: https }", "    server: { actual: { status: 200, reason: Fine } }");
        Assert.That(e.Field, Is.EqualTo("server.actual"));
    }
}
