using CorsConformance.Specs.Policies;

namespace CorsConformance.Specs.Tests.Policies;

/// <summary>Policy origins must be origins as browsers serialize them in Origin (issue 15, item 14).</summary>
public sealed class OriginSyntaxTests
{
    private const string File = "policy.json";

    [TestCase("https://bücher.example", "its ASCII (punycode) form", "'https://xn--bcher-kva.example'")]
    [TestCase("https://*.bücher.example", "its ASCII (punycode) form", "'https://*.xn--bcher-kva.example'")]
    [TestCase("https://user:pw@app.example.com", "no user name or password", "")]
    [TestCase("https://app.example.com/api", "no path, query or fragment", "'/api'")]
    [TestCase("https://app.example.com/", "not even a trailing slash", "")]
    [TestCase("https://app.example.com?x=1", "no path, query or fragment", "")]
    [TestCase("https://App.Example.com", "lowercase", "'https://app.example.com'")]
    [TestCase("https://app.example.com:443", "default port", "'https://app.example.com'")]
    [TestCase("http://app.example.com:99999", "port must be a number", "")]
    [TestCase("ftp://app.example.com", "http or https", "")]
    [TestCase("app.example.com", "no scheme", "")]
    [TestCase("https://app.*.example.com", "'*' may only start the host", "")]
    [TestCase("https://app..example.com", "not a host name", "")]
    public void An_origin_that_is_not_serialized_is_refused_with_the_rule(string origin, string rule, string suggestion)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read($$"""{ "allowedOrigins": ["{{origin}}"] }""", File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo("allowedOrigins"));
            Assert.That(e.Message, Does.StartWith(File).And.Contain($"'{origin}'").And.Contain(rule).And.Contain(suggestion));
        }
    }

    [Test]
    public void The_disallowed_origin_follows_the_same_rules_without_patterns()
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read("""{ "allowedOrigins": ["https://a.test"], "disallowedOrigin": "https://user@evil.example" }""", File))!;
        Assert.That(e.Field, Is.EqualTo("disallowedOrigin"));
        Assert.That(OriginSyntax.Problem("https://*.evil.example", pattern: false), Does.Contain("'*'"));
    }

    [TestCase("https://app.example.com")]
    [TestCase("http://localhost:5173")]
    [TestCase("https://xn--bcher-kva.example")]
    [TestCase("https://*.example.com")]
    [TestCase("http://127.0.0.1:8080")]
    [TestCase("http://[::1]:8080")]
    public void A_serialized_origin_or_pattern_is_accepted(string origin) =>
        Assert.That(OriginSyntax.Problem(origin, pattern: true), Is.Null);
}
