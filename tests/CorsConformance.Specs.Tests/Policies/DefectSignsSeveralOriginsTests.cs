using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Specs.Tests.Policies;

/// <summary>
/// multiple-acao's finding says its usual cause, from the lines' shape. HAProxy's `add-header` in front of an application
/// that sets Access-Control-Allow-Origin itself gave two lines (seen against HAProxy 2.6), and the finding said only that
/// browsers block the answer; a list of origins in one line is the other common shape.
/// </summary>
public sealed class DefectSignsSeveralOriginsTests
{
    private static Header Acao(string value) => new("Access-Control-Allow-Origin", value);

    [Test]
    public void Two_lines_are_said_to_be_two_layers_adding_the_header()
    {
        Assert.That(DefectSigns.SeveralAllowOriginsCause([Acao("https://app.example.com"), Acao("https://app.example.com")]), Does.Contain("two layers"));
    }

    /// <summary>Caddy's `header` in front of a Tornado app that answers CORS itself (fifth review, 2026-12-06) doubled both
    /// Access-Control-Allow-Origin and -Allow-Credentials; the proxies named were nginx, Apache and HAProxy only.</summary>
    [Test]
    public void Two_lines_name_Caddy_s_header_directive_among_the_proxies()
    {
        Assert.That(DefectSigns.SeveralAllowOriginsCause([Acao("https://app.example.com"), Acao("https://app.example.com")]), Does.Contain("Caddy's header"));
    }

    [Test]
    public void A_list_in_one_line_is_said_to_be_a_list_where_one_origin_belongs()
    {
        Assert.That(DefectSigns.SeveralAllowOriginsCause([Acao("https://a.example, https://b.example")]), Does.Contain("holds one origin"));
    }

    [Test]
    public void One_origin_has_no_cause_to_give()
    {
        Assert.That(DefectSigns.SeveralAllowOriginsCause([Acao("https://app.example.com")]), Is.Null);
    }
}
