using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Tests.Fetch;

public sealed class RequestHeadersTests
{
    // XMLHttpRequest send(), string body: "If contentTypeRecord is not failure, contentTypeRecord's parameters["charset"]
    // exists, and parameters["charset"] is not an ASCII case-insensitive match for "UTF-8"", the charset becomes "UTF-8" and
    // the record is serialized again (MIME Sniffing: lowercase type, subtype and names; a value quoted only when it is not
    // all HTTP token code points).
    [TestCase("text/plain; charset=\"latin1\"", "text/plain;charset=UTF-8")]
    [TestCase("Text/Plain; Charset=latin1; A=\"b c\"", "text/plain;charset=UTF-8;a=\"b c\"")]
    [TestCase("text/plain; charset=utf-8", null)]
    [TestCase("text/plain; charset=\"UTF-8\"", null)]
    [TestCase("text/plain", null)]
    [TestCase("text/plain; charset", null)]
    [TestCase("charset=latin1", null)]
    public void An_xhr_string_body_gives_the_author_content_type_charset_utf_8(string value, string? sent) =>
        Assert.That(RequestHeaders.XhrUtf8ContentType(value), Is.EqualTo(sent));

    [TestCase((byte)0x09, false)]
    [TestCase((byte)0x1F, true)]
    [TestCase((byte)0x20, false)]
    [TestCase((byte)'"', true)]
    [TestCase((byte)'(', true)]
    [TestCase((byte)':', true)]
    [TestCase((byte)'@', true)]
    [TestCase((byte)'{', true)]
    [TestCase((byte)0x7F, true)]
    [TestCase((byte)'/', false)]
    [TestCase((byte)'=', false)]
    public void The_CORS_unsafe_request_header_bytes_are_exactly_the_listed_ones(byte b, bool unsafeByte)
    {
        Assert.That(RequestHeaders.IsUnsafeByte(b), Is.EqualTo(unsafeByte));
    }

    [Test]
    public void A_value_of_128_bytes_is_safelisted_and_129_is_not()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RequestHeaders.IsSafelisted("Accept", new string('a', 128)), Is.True);
            Assert.That(RequestHeaders.IsSafelisted("Accept", new string('a', 129)), Is.False);
        }
    }

    [TestCase("Accept", "text/html, */*;q=0.8", true)]
    [TestCase("Accept", "text/\"html\"", false)]
    [TestCase("Accept-Language", "en-US,en;q=0.9", true)]
    [TestCase("Accept-Language", "en_US", false)]
    [TestCase("Content-Language", "de/x", false)]
    [TestCase("Content-Type", "text/plain; charset=utf-8", true)]
    [TestCase("Content-Type", "TEXT/PLAIN", true)]
    [TestCase("Content-Type", "multipart/form-data; boundary=x", true)]
    [TestCase("Content-Type", "application/json", false)]
    [TestCase("Content-Type", "text", false)]
    [TestCase("Content-Type", "text/plain; charset=\"utf-8\"", false)]
    [TestCase("Range", "bytes=0-", true)]
    [TestCase("Range", "bytes=0-10", true)]
    [TestCase("Range", "bytes=-5", false)]
    [TestCase("Range", "bytes = 0-", false)]
    [TestCase("Range", "bytes=0-1,3-4", false)]
    [TestCase("Range", "Bytes=0-", false)]
    [TestCase("Range", "bytes=10-0", false)]
    [TestCase("X-Custom", "1", false)]
    [TestCase("Cache-Control", "no-cache", false)]
    public void Each_safelisted_name_has_its_own_value_rule(string name, string value, bool safelisted)
    {
        Assert.That(RequestHeaders.IsSafelisted(name, value), Is.EqualTo(safelisted));
    }

    [Test]
    public void Unsafe_names_are_lowercased_sorted_and_unique()
    {
        var names = RequestHeaders.UnsafeNames([new Header("X-Zeta", "1"), new Header("X-Alpha", "2"), new Header("x-zeta", "3"), new Header("Accept", "a")]);
        Assert.That(names, Is.EqualTo(new[] { "x-alpha", "x-zeta" }));
    }

    [Test]
    public void Safelisted_values_past_1024_bytes_in_total_all_become_unsafe()
    {
        var under = Enumerable.Range(0, 8).Select(_ => new Header("Accept", new string('a', 128))).ToList(); // 1024
        var over = under.Append(new Header("Accept-Language", "e")).ToList();                                    // 1025
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RequestHeaders.UnsafeNames(under), Is.Empty);
            Assert.That(RequestHeaders.UnsafeNames(over), Is.EqualTo(new[] { "accept", "accept-language" }));
        }
    }

    [TestCase("Authorization", true)]
    [TestCase("authorization", true)]
    [TestCase("X-Authorization", false)]
    public void Authorization_is_the_one_CORS_non_wildcard_request_header_name(string name, bool nonWildcard)
    {
        Assert.That(RequestHeaders.IsNonWildcardName(name), Is.EqualTo(nonWildcard));
    }

    [TestCase("Cookie", true)]
    [TestCase("Origin", true)]
    [TestCase("Proxy-Authorization", true)]
    [TestCase("Sec-Fetch-Mode", true)]
    [TestCase("X-Custom", false)]
    [TestCase("Authorization", false)]
    public void Forbidden_request_headers_are_names_a_page_cannot_set(string name, bool forbidden)
    {
        Assert.That(RequestHeaders.IsForbidden(name), Is.EqualTo(forbidden));
    }

    // "A header (name, value) is forbidden request-header if …": `X-HTTP-Method`, `X-HTTP-Method-Override` or
    // `X-Method-Override` whose value, got, decoded and split, holds a forbidden method.
    [TestCase("X-HTTP-Method-Override", "TRACE", true)]
    [TestCase("x-http-method-override", "trace", true)]
    [TestCase("X-HTTP-Method", "GET, CONNECT", true)]
    [TestCase("X-Method-Override", " track ", true)]
    [TestCase("X-HTTP-Method-Override", "PUT", false)]
    [TestCase("X-HTTP-Method-Override", "\"TRACE\"", false)]
    [TestCase("X-Custom", "TRACE", false)]
    public void A_method_override_header_naming_a_forbidden_method_is_forbidden(string name, string value, bool forbidden)
    {
        Assert.That(RequestHeaders.IsForbidden(name, value), Is.EqualTo(forbidden));
    }

    [TestCase("a, b", new[] { "a", "b" })]
    [TestCase("\"a, b\", c", new[] { "\"a, b\"", "c" })]
    [TestCase("\"a\\\"b\"", new[] { "\"a\\\"b\"" })]
    [TestCase("", new[] { "" })]
    public void Get_decode_and_split_keeps_a_quoted_string_whole_with_its_quotes(string value, string[] values)
    {
        Assert.That(RequestHeaders.GetDecodeAndSplit(value), Is.EqualTo(values));
    }

    [TestCase("bytes=99999999999999999999999-", true)]
    [TestCase("bytes=100000000000000000000-99999999999999999999", false)]
    [TestCase("bytes=000-001", true)]
    [TestCase("bytes=+0-", false)]
    [TestCase("bytes= 0-", false)]
    public void A_simple_range_header_value_has_digits_of_any_length_and_nothing_else(string value, bool safelisted)
    {
        Assert.That(RequestHeaders.IsSafelisted("Range", value), Is.EqualTo(safelisted));
    }
}
