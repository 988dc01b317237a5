using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Specs.Tests.Policies;

/// <summary>The forged origins: every kind made from an allowed origin, none the policy allows, each refused with and
/// without credentials.</summary>
public sealed class OriginForgeriesTests
{
    private static readonly Uri Resource = new("https://api.example.net/items");

    private static CorsPolicy Policy(params string[] origins) => PolicyReader.Read(
        $$"""{ "allowedOrigins": [{{string.Join(", ", origins.Select(o => $"\"{o}\""))}}], "allowedMethods": ["GET"], "allowCredentials": true }""", "policy.json");

    [Test]
    public void Every_kind_is_forged_from_an_exact_origin()
    {
        var forged = OriginForgeries.From("https://app.example.com");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forged.Select(f => f.Kind).Distinct(), Is.EquivalentTo(OriginForgeries.Kinds));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.PrefixMatch).Select(f => f.Origin), Is.EqualTo(new[] { "https://app.example.com.cors-audit-attacker.test" }));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.OtherPort).Select(f => f.Origin), Is.EqualTo(new[] { "https://app.example.com:8443" }));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.HttpOriginTrusted).Select(f => f.Origin), Is.EqualTo(new[] { "http://app.example.com" }));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.AnySubdomain).Select(f => f.Origin),
                Is.EqualTo(new[] { "https://cors-audit-probe.example.com", "https://cors-audit-probe.app.example.com" }));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.UnescapedDot).Select(f => f.Origin), Is.EqualTo(new[] { "https://appxexample.com" }));
        }
    }

    /// <summary>The port after the trusted one may be the scheme's default, which a serialized origin leaves out: from
    /// http://app.test:79 the forgery http://app.test:80 is no origin a browser sends (its page sends http://app.test), so the
    /// kind went unprobed; the next port is taken.</summary>
    [TestCase("http://app.test:79", "http://app.test:81")]
    [TestCase("https://app.test:442", "https://app.test:444")]
    [TestCase("http://app.test:3000", "http://app.test:3001")]
    public void Another_port_is_never_the_schemes_default(string trusted, string forged) =>
        Assert.That(OriginForgeries.From(trusted).Where(f => f.Kind == OriginForgeries.OtherPort).Select(f => f.Origin), Is.EqualTo(new[] { forged }));

    /// <summary>Forged from an IPv6, IPv4 or punycode origin, a forgery may be no origin a browser can have
    /// (`http://[::1].cors-audit-attacker.test`, `http://corsauditattacker0.1:3000`, `https://xn--bcher-kvaxexample`): the
    /// audit probed with Origins no page sends, and Firefox, asked to open a page at one for a policy allowing
    /// https://xn--bcher-kva.example, threw NS_ERROR_MALFORMED_URI and failed the whole run. Only origins browsers can
    /// send are forged.</summary>
    [TestCase("https://xn--bcher-kva.example", "https://xn--bcher-kvaxexample")]
    [TestCase("http://[::1]:8080", "http://[::1].cors-audit-attacker.test")]
    [TestCase("http://[::1]:8080", "http://[::1:8080")]
    [TestCase("http://127.0.0.1:3000", "http://corsauditattacker0.1:3000")]
    [TestCase("http://127.0.0.1:3000", "http://127.0.0.:3000")]
    [TestCase("https://app.example.com", "https://app.example.com^.cors-audit-attacker.test")]
    [TestCase("https://app.example.com", "https://app.example.com|.cors-audit-attacker.test")]
    public void Only_origins_a_browser_can_send_are_forged(string trusted, string unsendable)
    {
        var forged = OriginForgeries.From(trusted);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forged.Select(f => f.Origin), Does.Not.Contain(unsendable));
            Assert.That(forged.Where(f => f.Origin != "null").Select(f => f.Origin), Has.All.Matches<string>(o => o is not null && OriginSyntax.CanBeSent(o)));
            Assert.That(forged.Select(f => f.Kind), Does.Contain(OriginForgeries.OtherPort).And.Contain(OriginForgeries.ReflectedOrigin));
        }
    }

    [Test]
    public void A_port_is_kept_and_another_one_forged()
    {
        var forged = OriginForgeries.From("http://app.example.com:3000");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forged.Single(f => f.Kind == OriginForgeries.OtherPort).Origin, Is.EqualTo("http://app.example.com:3001"));
            Assert.That(forged.Single(f => f.Kind == OriginForgeries.UnescapedDot).Origin, Is.EqualTo("http://appxexample.com:3000"));
            Assert.That(forged.Where(f => f.Kind == OriginForgeries.HttpOriginTrusted), Is.Empty, "an http: origin has no http: forgery");
        }
    }

    [Test]
    public void The_policy_cases_refuse_each_forgery_with_and_without_credentials()
    {
        var cases = PolicyCases.Generate(Policy("https://app.example.com"), Resource);
        var forged = cases.Where(c => c.Id.Contains("/forged-", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forged.Select(c => c.Id.Split('/')[1]).Distinct(), Is.EquivalentTo(new[]
            {
                "forged-prefix-match", "forged-suffix-match", "forged-substring-match", "forged-any-subdomain", "forged-any-subdomain-2",
                "forged-unescaped-dot", "forged-http-origin-trusted", "forged-other-port", "forged-special-characters",
            }));
            Assert.That(forged.Count(c => c.Request.Credentials == Model.CredentialsMode.Include), Is.EqualTo(forged.Count / 2));
            Assert.That(forged.Select(c => Oracle.Expect(c.Model).Outcome), Has.All.EqualTo(Outcome.Blocked));
            Assert.That(cases.Single(c => c.Id == "https-app-example-com/forged-prefix-match/credentialed-get").Title,
                Does.Contain("https://app.example.com.cors-audit-attacker.test, forged from https://app.example.com (prefix-match"));
        }
    }

    [Test]
    public void A_forgery_the_policy_allows_is_not_a_hostile_origin()
    {
        // The pattern allows every subdomain level: neither subdomain forgery of its example host is hostile.
        var cases = PolicyCases.Generate(Policy("https://*.example.org"), Resource);
        var pages = cases.Where(c => c.Id.Contains("/forged-", StringComparison.Ordinal)).Select(c => c.PageOrigin).Distinct().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages, Does.Contain("https://cors-conformance.example.org.cors-audit-attacker.test"));
            Assert.That(pages, Does.Contain("http://cors-conformance.example.org"));
            Assert.That(pages, Does.Contain("https://cors-conformance.example.org:8443"));
            Assert.That(pages.Where(p => new CorsPolicy([], [new OriginRule("https://*.example.org")], false, [], [], [], false, null, "https://evil.example").IsOriginAllowed(p)), Is.Empty);
            Assert.That(cases.Where(c => c.Id.Contains("any-subdomain", StringComparison.Ordinal)), Is.Empty);
        }
    }

    [Test]
    public void Every_refusal_is_tried_credentialed_as_well()
    {
        var cases = PolicyCases.Generate(Policy("https://app.example.com"), Resource);
        var refusals = cases.Where(c => Oracle.Expect(c.Model).Outcome == Outcome.Blocked).ToList();
        var credentialed = refusals.Where(c => c.Request.Credentials == Model.CredentialsMode.Include).Select(c => c.Id).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(credentialed, Does.Contain("https-evil-example/credentialed-get"));
            Assert.That(credentialed, Does.Contain("null/credentialed-get"));
            Assert.That(credentialed, Does.Contain("https-app-example-com/unlisted-header/credentialed"));
            Assert.That(credentialed, Does.Contain("https-app-example-com/unlisted-method-patch/credentialed"));
            Assert.That(refusals.Count(c => c.Request.Credentials != Model.CredentialsMode.Include), Is.EqualTo(credentialed.Count));
        }
    }
}
