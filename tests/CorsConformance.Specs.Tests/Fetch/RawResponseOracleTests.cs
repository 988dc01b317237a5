using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>The oracle on the bytes a response can carry and the statuses it can have (<see cref="HeaderValues"/>).</summary>
public sealed class RawResponseOracleTests
{
    private const string Origin = Placeholders.Origin;

    // A vertical tab, a form feed or a byte 0x80–0xFF is no HTTP whitespace: it stays in the value, which then is not the origin.
    [TestCase(Origin + "\v")]
    [TestCase("\f" + Origin)]
    [TestCase(Origin + "\x80")]
    [TestCase("\xa0" + Origin)]
    public void A_control_or_high_byte_around_the_origin_is_part_of_the_value(string acao)
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(acao))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
    }

    [Test]
    public void Such_bytes_in_a_header_the_CORS_protocol_does_not_read_change_nothing()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(), H("X-Other", "\v\f\x80\xff"))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
    }

    // RFC 9112 §5.2: the user agent replaces each obs-fold with SP before it interprets the value.
    [TestCase("\r\n " + Origin)]
    [TestCase("\r\n\t" + Origin)]
    public void A_folded_origin_is_unfolded_then_normalized(string acao)
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(acao))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Allowed), expected.Reason);
    }

    [Test]
    public void A_fold_inside_the_origin_leaves_a_space_in_it()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(Origin + "\r\n x"))));
        Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
    }

    [Test]
    public void A_folded_expose_list_exposes_every_name()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(), H("Access-Control-Expose-Headers", "X-A,\r\n X-B"), H("X-A", "1"), H("X-B", "2"))));
        Assert.That(expected.ReadableHeaders, Is.SupersetOf(new[] { "x-a", "x-b" }), expected.Reason);
    }

    // "A header value is a byte sequence that … Contains no 0x00 (NUL)": the response is rejected, whatever header holds it.
    [TestCase("Access-Control-Allow-Origin", Origin + "\0")]
    [TestCase("X-Other", "a\0b")]
    public void A_nul_in_any_value_is_a_network_error(string name, string value)
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(), H(name, value))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(expected.ActualSent, Is.True);
            Assert.That(expected.Reason, Does.Contain("NUL"));
            Assert.That(expected.Steps, Has.Some.Contains("[concept-http-network-fetch]"));
        }
    }

    // Two Content-Length values that differ: the response is discarded (RFC 9112 §6.3), whatever its CORS headers say.
    [Test]
    public void Content_length_values_that_differ_block_an_answer_that_otherwise_passes()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(), H("Content-Length", "14"), H("Content-Length", "11"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That(expected.Reason, Does.Contain("Content-Length"));
        }
    }

    [Test]
    public void A_nul_in_the_preflight_fails_it()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: Ok(Acao(), H("Access-Control-Allow-Methods", "PUT\0")), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked));
            Assert.That((expected.Preflights, expected.ActualSent), Is.EqualTo((1, false)));
        }
    }

    // HTTP-network fetch: a 1xx is interim, "eventually followed by a final HTTP response"; the target closes without one.
    [TestCase(100)]
    [TestCase(101)]
    [TestCase(199)]
    public void An_interim_status_as_the_answer_is_a_network_error(int status)
    {
        var actual = Oracle.Expect(Case(actual: new ResponsePlan(status, [Acao()])));
        var preflight = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(status, [Acao(), H("Access-Control-Allow-Methods", "PUT")]), actual: Ok(Acao())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((actual.Outcome, actual.ActualSent), Is.EqualTo((Outcome.Blocked, true)), actual.Reason);
            Assert.That((preflight.Outcome, preflight.Preflights, preflight.ActualSent), Is.EqualTo((Outcome.Blocked, 1, false)), preflight.Reason);
        }
    }

    // "A status is an integer in the range 0 to 999, inclusive": 600–999 are statuses like any other.
    [TestCase(299, Outcome.Allowed)]
    [TestCase(399, Outcome.Blocked)]
    [TestCase(600, Outcome.Blocked)]
    [TestCase(999, Outcome.Blocked)]
    public void A_preflight_passes_on_an_ok_status_only(int status, Outcome outcome)
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(status, [Acao(), H("Access-Control-Allow-Methods", "PUT")]), actual: Ok(Acao())));
        Assert.That(expected.Outcome, Is.EqualTo(outcome), expected.Reason);
    }

    [TestCase(304)]
    [TestCase(399)]
    [TestCase(680)]
    [TestCase(999)]
    public void An_actual_response_with_any_final_status_is_shared_with_its_status(int status)
    {
        var expected = Oracle.Expect(Case(actual: new ResponsePlan(status, [Acao()])));
        Assert.That((expected.Outcome, expected.Status), Is.EqualTo((Outcome.Allowed, (int?)status)), expected.Reason);
    }

    // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon" — a server must reject such a request, a
    // proxy must remove the whitespace from such a response; what a user agent does is not said. Chromium reads
    // "Access-Control-Allow-Origin : …" as the header, Firefox and WebKitGTK do not (a stand-in server, all three engines):
    // both readings conform, the stricter first.
    [Test]
    public void A_header_name_with_white_space_before_its_colon_may_be_read_either_way()
    {
        var expected = Oracle.Expect(Case(actual: Ok(H("Access-Control-Allow-Origin ", Origin))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Outcome), Is.EqualTo(new[] { Outcome.Blocked, Outcome.Allowed }));
            Assert.That(expected.Choice, Does.Contain("white space before its colon"));
            Assert.That(expected.Alternatives.Single().Choice, Does.Contain("removed the white space"));
        }
    }

    // RFC 9110 §5.5: "a recipient of CR, LF, or NUL within a field value MUST either reject the message or replace each of
    // those characters with SP": both are conforming, rejecting first.
    [Test]
    public void A_nul_may_also_be_replaced_by_a_space()
    {
        var expected = Oracle.Expect(Case(actual: Ok(Acao(Origin + "\0"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Allowed.Select(e => e.Outcome), Is.EqualTo(new[] { Outcome.Blocked, Outcome.Allowed }));
            Assert.That(expected.Choice, Does.Contain("rejected"));
            Assert.That(expected.Alternatives.Single().Choice, Does.Contain("replaced each NUL"));
        }
    }

    // HTTP's own retry of an idempotent request after the connection closes is not a second CORS-preflight fetch: the
    // harness does not count it, and the oracle expects one preflight.
    [Test]
    public void A_preflight_answered_with_a_1xx_is_one_preflight_and_leaves_no_choice()
    {
        var expected = Oracle.Expect(Case(Request("PUT"), preflight: new ResponsePlan(100, [Acao()]), actual: Ok(Acao())));
        Assert.That((expected.Preflights, expected.Alternatives.Count), Is.EqualTo((1, 0)));
    }
}
