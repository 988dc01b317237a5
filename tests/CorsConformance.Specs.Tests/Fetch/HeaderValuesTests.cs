using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>What a user agent makes of the bytes a server sends, before any CORS rule reads them.</summary>
public sealed class HeaderValuesTests
{
    // RFC 9112 §5.2: "A user agent that receives an obs-fold in a response message … MUST replace each received obs-fold
    // with one or more SP octets prior to interpreting the field value."
    [TestCase("a,\r\n b", "a, b")]
    [TestCase("a,\r\n\tb", "a, b")]
    [TestCase("a \t\r\n  \t b", "a b")]
    [TestCase("\r\n {origin}", " {origin}")]
    [TestCase("a\r\n b\r\n c", "a b c")]
    [TestCase("no fold", "no fold")]
    public void An_obs_fold_becomes_one_space(string raw, string unfolded)
    {
        Assert.That(HeaderValues.Unfold(raw), Is.EqualTo(unfolded));
    }

    // "A header value is a byte sequence that … Has no leading or trailing HTTP tab or space bytes."
    [TestCase("\r\n {origin}", "{origin}")]
    [TestCase(" X-A,\r\n\tX-B\t", "X-A, X-B")]
    public void A_received_value_is_unfolded_then_normalized(string raw, string received)
    {
        Assert.That(HeaderValues.Received(raw), Is.EqualTo(received));
    }

    // Fetch's header value excludes only NUL, CR and LF; RFC 9110 §5.5 lets a recipient retain other CTLs: a vertical tab,
    // a form feed or a byte 0x80–0xFF stays part of the value, and is not HTTP whitespace to trim.
    [TestCase("{origin}\v")]
    [TestCase("\f{origin}")]
    [TestCase("{origin}\x80")]
    [TestCase("\xff")]
    public void Other_bytes_are_kept_as_they_are(string raw)
    {
        Assert.That(HeaderValues.Received(raw), Is.EqualTo(raw));
    }

    [Test]
    public void Only_crlf_followed_by_a_space_or_tab_is_a_fold()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HeaderValues.HasObsFold("a\r\n b"), Is.True);
            Assert.That(HeaderValues.HasObsFold("a\r\nb"), Is.False);
            Assert.That(HeaderValues.HasObsFold("a\r\n"), Is.False);
            Assert.That(HeaderValues.HasObsFold("a\n b"), Is.False);
        }
    }

    // "A header value is a byte sequence that … Contains no 0x00 (NUL) or HTTP newline bytes"; RFC 9110 §5.5: "a recipient
    // of CR, LF, or NUL within a field value MUST either reject the message or replace each of those characters with SP".
    [Test]
    public void A_nul_in_any_value_makes_the_response_a_network_error()
    {
        Assert.That(HeaderValues.NetworkError(200, [new("X-Other", "a\0b")]), Does.Contain("X-Other").And.Contain("NUL"));
    }

    // Fetch's "extract a length" returns failure for two Content-Length values that differ, and RFC 9112 §6.3 makes such
    // framing an unrecoverable error a user agent answers by discarding the response (Chromium:
    // net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH). The same value twice, or a Transfer-Encoding that overrides it, is no error.
    [TestCase("14", "11")]
    [TestCase("14, 11", null)]
    public void Content_length_values_that_differ_make_the_response_a_network_error(string first, string? second)
    {
        List<Header> headers = [new("Content-Length", first)];
        if (second is not null) headers.Add(new("content-length", second));
        Assert.That(HeaderValues.NetworkError(200, headers), Does.Contain("Content-Length").And.Contain("14").And.Contain("11"));
    }

    [Test]
    public void The_same_content_length_twice_or_one_transfer_encoding_overrides_is_a_response()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HeaderValues.NetworkError(200, [new("Content-Length", "11"), new("Content-Length", "11")]), Is.Null);
            Assert.That(HeaderValues.NetworkError(200, [new("Content-Length", "11, 11")]), Is.Null);
            Assert.That(HeaderValues.NetworkError(200, [new("Transfer-Encoding", "chunked"), new("Content-Length", "14"), new("Content-Length", "11")]), Is.Null);
        }
    }

    // HTTP-network fetch: "If status is in the range 100 to 199, inclusive: … Continue." — a 1xx is never the response.
    [TestCase(100)]
    [TestCase(101)]
    [TestCase(103)]
    [TestCase(199)]
    public void An_interim_status_as_the_answer_is_a_network_error(int status)
    {
        Assert.That(HeaderValues.NetworkError(status, []), Does.Contain("interim"));
    }

    // "A status is an integer in the range 0 to 999, inclusive."
    [TestCase(200)]
    [TestCase(304)]
    [TestCase(599)]
    [TestCase(600)]
    [TestCase(999)]
    public void A_final_status_with_plain_values_is_a_response(int status)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HeaderValues.NetworkError(status, [new("X-A", "\v\f\x80")]), Is.Null);
            Assert.That(HeaderValues.IsStatus(status), Is.True);
        }
    }

    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(999, true)]
    [TestCase(1000, false)]
    public void A_status_is_0_to_999(int status, bool isStatus)
    {
        Assert.That(HeaderValues.IsStatus(status), Is.EqualTo(isStatus));
    }

    [TestCase(100, true)]
    [TestCase(200, false)]
    [TestCase(999, false)]
    public void A_plan_is_raw_for_an_interim_status(int status, bool raw)
    {
        Assert.That(new ResponsePlan(status, []).IsRaw(), Is.EqualTo(raw));
    }

    [TestCase("plain value, with \t tab", false)]
    [TestCase("a\vb", true)]
    [TestCase("a\0b", true)]
    [TestCase("\x80", true)]
    [TestCase("a\r\n b", true)]
    public void A_plan_is_raw_for_a_byte_other_than_tab_space_and_visible_ascii(string value, bool raw)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new ResponsePlan(200, [new("X-A", value)]).IsRaw(), Is.EqualTo(raw));
            Assert.That(new ResponsePlan(200, []) { Reason = "Fine" }.IsRaw(), Is.True);
        }
    }
}
