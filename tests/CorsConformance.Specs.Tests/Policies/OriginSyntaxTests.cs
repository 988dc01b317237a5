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
    [TestCase("https://app!.example.com", "not a host name", "")]
    [TestCase("HTTPS://App.Example.com", "lowercase", "'https://app.example.com'")]
    [TestCase(" https://app.example.com ", "white space", "'https://app.example.com'")]
    [TestCase("null", "opaque origin", "")]
    [TestCase("https://app.example.com.", "trailing dot", "'https://app.example.com'")]
    [TestCase("https://*.example.com.", "trailing dot", "'https://*.example.com'")]
    [TestCase("http://127.1", "IPv4 address 127.0.0.1", "'http://127.0.0.1'")]
    [TestCase("http://0x7f.0.0.1:8080", "IPv4 address 127.0.0.1", "'http://127.0.0.1:8080'")]
    [TestCase("http://2130706433", "IPv4 address 127.0.0.1", "'http://127.0.0.1'")]
    [TestCase("http://999.1.1.1", "no IPv4 address", "")]
    [TestCase("http://a.b.c.1", "no IPv4 address", "")]
    [TestCase("http://[0:0::1]:8080", "IPv6", "'http://[::1]:8080'")]
    [TestCase("http://[::FFFF:127.0.0.1]", "IPv6", "'http://[::ffff:7f00:1]'")]
    [TestCase("http://[::1%25eth0]", "not an IPv6 address", "")]
    [TestCase("https://xn--zz.example", "no punycode", "")]
    [TestCase("https://*.127.0.0.1", "not an IP address", "")]
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
    [TestCase("http://[::ffff:7f00:1]")]
    [TestCase("http://[2001:db8::1:0:0:1]")]
    [TestCase("http://10.0.0.255")]
    [TestCase("http://my_app.test:3000")]
    [TestCase("https://*.dev_env.example")]
    public void A_serialized_origin_or_pattern_is_accepted(string origin) =>
        Assert.That(OriginSyntax.Problem(origin, pattern: true), Is.Null);

    /// <summary>Header bytes are read one byte a character: a UTF-8 value quoted as read showed `bÃ¼cher` for `bücher`.</summary>
    [TestCase("https://app.example.com", "https://app.example.com")]
    [TestCase("https://bÃ¼cher.example", "https://bücher.example (UTF-8 bytes)")]
    [TestCase("https://b\u00FCcher.example", "https://b\\xfccher.example")]
    [TestCase("https://a.test\t", "https://a.test\\x09")]
    public void A_header_value_is_quoted_with_its_bytes_readable(string value, string shown) =>
        Assert.That(Specs.Fetch.Http.Shown(value), Is.EqualTo(shown));

    /// <summary>UTF-8 bytes that decode to what a reader cannot see or that reorders the text around it — a C1 control (C2 9B,
    /// a terminal's CSI), RIGHT-TO-LEFT OVERRIDE (E2 80 AE), a zero-width space (E2 80 8B) — were shown decoded as they were:
    /// a server could make the quoted value read as another origin. Shown as \u{…}. (The values are built from their bytes:
    /// a test name holding them is not run.)</summary>
    [TestCase("https://a.test", new byte[] { 0xC2, 0x9B }, "", "https://a.test\\u{009B} (UTF-8 bytes)")]
    [TestCase("https://", new byte[] { 0xE2, 0x80, 0xAE }, "tset.a", "https://\\u{202E}tset.a (UTF-8 bytes)")]
    [TestCase("https://a", new byte[] { 0xE2, 0x80, 0x8B }, ".test", "https://a\\u{200B}.test (UTF-8 bytes)")]
    public void A_header_value_shows_what_a_reader_cannot_see_as_its_code_point(string before, byte[] bytes, string after, string shown) =>
        Assert.That(Specs.Fetch.Http.Shown(before + System.Text.Encoding.Latin1.GetString(bytes) + after), Is.EqualTo(shown));

    /// <summary>What a server's Access-Control-Allow-Origin does that browsers reject, said in words: the CORS check compares
    /// bytes, and "'https://app.example.com/' is not 'https://app.example.com'" left the reader to spot the slash.</summary>
    [TestCase("https://app.example.com/", "https://app.example.com", "trailing slash")]
    [TestCase("https://App.Example.com", "https://app.example.com", "only in letter case")]
    [TestCase("HTTPS://APP.EXAMPLE.COM", "https://app.example.com", "only in letter case")]
    [TestCase("https://app.example.com:443", "https://app.example.com", "default port 443")]
    [TestCase("http://www.cors.test:80", "http://www.cors.test", "default port 80")]
    [TestCase("https://app.example.com/index.html", "https://app.example.com", "no path")]
    [TestCase("https://bÃ¼cher.example", "https://xn--bcher-kva.example", "Unicode")]
    [TestCase("https://bücher.example", "https://xn--bcher-kva.example", "Unicode")]
    [TestCase("http://[0:0::1]:8080", "http://[::1]:8080", "another form")]
    [TestCase("https://app.example.com:0443", "https://app.example.com", "default port")]
    // A control byte the server wrote into the value (a NUL from a C string, a DEL): the audit told the user to run it
    // again "with --origin set to the origin your front end uses", which it was.
    [TestCase("https://app.example.com\0", "https://app.example.com", "control byte \\x00")]
    [TestCase("https://app.example.com\x7f", "https://app.example.com", "control byte \\x7f")]
    // A line folded in the middle of the value (obs-fold: "https://app.\r\n example.com"), which a user agent reads with a
    // space: every browser blocked it, and the protocol checks passed it all while the audit said to give another --origin.
    [TestCase("https://app. example.com", "https://app.example.com", "white space inside")]
    [TestCase("https://app.example.com:\t8443", "https://app.example.com:8443", "white space inside")]
    // A byte past ASCII around the origin (a stray Latin-1 byte, half a UTF-8 sequence): no serialized origin holds one.
    [TestCase("https://app.example.com\xff", "https://app.example.com", "byte \\xff")]
    [TestCase("\xa0https://app.example.com", "https://app.example.com", "byte \\xa0")]
    // In quotation marks (a configuration line that quotes the value twice): every engine blocked every call of a stand-in
    // server answering so, while every protocol check passed it.
    [TestCase("\"https://app.example.com\"", "https://app.example.com", "in quotation marks")]
    [TestCase("'https://app.example.com'", "https://app.example.com", "in quotation marks")]
    public void A_value_naming_the_origin_in_another_form_is_said_how(string value, string origin, string how) =>
        Assert.That(OriginSyntax.Difference(value, origin), Does.Contain(how).And.Contain("compares bytes"));

    [TestCase("https://app.example.com", "https://app.example.com")]
    [TestCase("https://other.example", "https://app.example.com")]
    [TestCase("*", "https://app.example.com")]
    [TestCase("null", "https://app.example.com")]
    [TestCase("https://app.example.com.cors-audit-attacker.test", "https://app.example.com")]
    [TestCase("http://app.example.com", "https://app.example.com")]
    [TestCase("not a url", "https://app.example.com")]
    [TestCase("https://app.ex\u00e4mple.com", "https://app.example.com")]
    public void Another_origin_or_the_origin_itself_is_no_difference_of_form(string value, string origin) =>
        Assert.That(OriginSyntax.Difference(value, origin), Is.Null);

    [TestCase("http://[::ffff:127.0.0.1]:8080/x", "http://[::ffff:7f00:1]:8080")]
    [TestCase("http://[0:0:0:0:0:0:0:1]/", "http://[::1]")]
    [TestCase("http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]")]
    [TestCase("http://127.1/", "http://127.0.0.1")]
    [TestCase("HTTPS://App.Example.COM:443/", "https://app.example.com")]
    public void An_origin_is_serialized_as_the_URL_Standard_does(string url, string origin) =>
        Assert.That(OriginSyntax.Of(new Uri(url)), Is.EqualTo(origin));

    /// <summary>The URL Standard's IPv4 parser drops one trailing dot: a page at http://127.0.0.1.:8080 sends Origin
    /// http://127.0.0.1:8080 (a domain keeps its dot). .NET's Uri keeps it, and the audit took http://127.0.0.1.:8080 for
    /// the URL's own origin, which no browser sends.</summary>
    [TestCase("http://127.0.0.1.:8080/x", "http://127.0.0.1:8080")]
    [TestCase("http://10.0.0.1./", "http://10.0.0.1")]
    [TestCase("http://app.example.com./", "http://app.example.com.")]
    public void An_IPv4_host_with_a_trailing_dot_is_serialized_without_it(string url, string origin) =>
        Assert.That(OriginSyntax.Of(new Uri(url)), Is.EqualTo(origin));

    /// <summary>Edges of the URL Standard's host parser a policy origin meets: each refused with the rule that holds for it,
    /// and the form to write only where browsers have one.</summary>
    [TestCase("http://127.0.0.1.", "IPv4 address 127.0.0.1", "'http://127.0.0.1'")]
    [TestCase("http://0x7f.1.:3000", "IPv4 address 127.0.0.1", "'http://127.0.0.1:3000'")]
    [TestCase("http://1.2.3.4.5.", "no IPv4 address", "")]
    [TestCase("http://*.1.2", "needs a domain name", "")]
    [TestCase("http://*.a.b.1", "needs a domain name", "")]
    [TestCase("http://[::1.2.3.04]", "not an IPv6 address", "")]
    [TestCase("http://[::01.2.3.4]", "not an IPv6 address", "")]
    [TestCase("http://xn--a.test", "no punycode", "")]
    [TestCase("http://xn--abc-.test", "no punycode", "")]
    [TestCase("http://xn--.test", "no punycode", "")]
    [TestCase("http://xn--a-wbb.test", "no punycode", "")] // U+0301 a: a label may not start with a combining mark
    [TestCase("http://xn--ab-g1t.test", "no punycode", "")] // a U+200B b: ignored by the mapping, so not valid in a label
    [TestCase("http://xn--ab-5da.test", "no punycode", "")] // a U+00AD b (soft hyphen)
    [TestCase("http://xn--x-ro7g.test", "no punycode", "")] // U+E000 x: private use
    [TestCase("http://xn--x-la.test", "no punycode", "")] // x U+0085: a C1 control
    [TestCase("http://xn--a-din.test", "no punycode", "")] // U+2028 a: a line separator
    [TestCase("http://xn--bc-bz3n.test", "no punycode", "")] // U+FF41 b c: fullwidth, which the mapping folds to ASCII
    public void A_host_parser_edge_is_refused_with_its_rule(string origin, string rule, string suggestion)
    {
        var problem = OriginSyntax.Problem(origin, pattern: true);
        Assert.That(problem, Is.Not.Null.And.Contain(rule).And.Contain(suggestion));
        Assert.That(problem, Does.Not.Contain("keep the dot"));
    }

    /// <summary>Labels browsers take: punycode of letters, of a CJK name, of an emoji (UTS #46 keeps those valid with the URL
    /// Standard's flags), and of ß (nontransitional processing keeps it).</summary>
    [TestCase("http://xn--bcher-kva.test")]
    [TestCase("http://xn--wgv71a.test")]
    [TestCase("http://xn--ls8h.la")]
    [TestCase("http://xn--zca.de")]
    [TestCase("http://xn--nxasmq6b.com")]
    // IANA's IDN test names (Hindi with vowel signs after a letter, Arabic, Hebrew, Cyrillic, Japanese, Korean, Chinese, Thai).
    [TestCase("https://xn--hlcj6aya9esc7a.xn--11b5bs3a9aj6g")]
    [TestCase("https://xn--mgbh0fb.xn--kgbechtv")]
    [TestCase("https://xn--deba0ad")]
    [TestCase("https://xn--e1afmkfd.xn--80akhbyknj4f")]
    [TestCase("https://xn--zckzah.xn--zckzah")]
    [TestCase("https://xn--9n2bp8q.xn--9t4b11yi5a")]
    [TestCase("https://xn--fsqu00a.xn--0zwm56d")]
    [TestCase("https://xn--12c1fe0br")]
    [TestCase("http://[::102:304]")]
    [TestCase("http://[1:0:1:0:1:0:1:0]")]
    public void A_host_browsers_parse_as_written_is_accepted(string origin) =>
        Assert.That(OriginSyntax.Problem(origin, pattern: false), Is.Null);

    /// <summary>CanBeSent says whether a browser sends the text in Origin as it is: a forgery is kept only so. An uppercase
    /// host, a default, empty, zero, padded or out-of-range port, no host at all: none is any page's serialized origin.</summary>
    [TestCase("http://a.test", true)]
    [TestCase("http://a_b.test:8080", true)]
    [TestCase("https://a{.b", true)]
    [TestCase("http://[::1]:8080", true)]
    [TestCase("http://A.test", false)]
    [TestCase("HTTP://a.test", false)]
    [TestCase("ftp://a.test", false)]
    [TestCase("http://a.test:80", false)]
    [TestCase("https://a.test:443", false)]
    [TestCase("http://a.test:", false)]
    [TestCase("http://a.test:0", false)]
    [TestCase("http://a.test:080", false)]
    [TestCase("http://a.test:65536", false)]
    [TestCase("http://a.test:abc", false)]
    [TestCase("http://", false)]
    [TestCase("http://:8080", false)]
    [TestCase("http://a.test/", false)]
    [TestCase("http://u@a.test", false)]
    [TestCase("http://xn--a.test", false)]
    [TestCase("http://[::1.2.3.04]", false)]
    public void Only_an_origin_a_browser_sends_as_it_is_can_be_sent(string origin, bool sendable) =>
        Assert.That(OriginSyntax.CanBeSent(origin), Is.EqualTo(sendable));

    [TestCase("999.1.1.1")]
    [TestCase("1.2.3.4.5")]
    [TestCase("foo.0x10")]
    [TestCase("xn--zz.example")]
    public void A_host_no_browser_can_parse_is_said_so(string host) =>
        Assert.That(OriginSyntax.HostProblem(host), Does.Contain("browsers refuse the URL"));
}
