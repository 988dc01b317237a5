using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;
using static CorsConformance.Specs.Tests.Fetch.Build;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Main fetch, step 19: "should internalResponse to request be blocked due to its MIME type" and "… due to nosniff"
/// make a response a network error after the server answered, for a script-like or "style" destination only.</summary>
public sealed class MimeTypeChecksTests
{
    private static Header[] Type(string value) => [H("Content-Type", value)];

    // "extract a MIME type": each value of "get, decode, and split"; "If temporaryMimeType is failure or its essence is
    // "*/*", then continue"; the last one that parses wins. The example table: "text/plain;charset=gbk, text/html" gives
    // text/html; "text/html" then "cannot-parse" gives text/html.
    [TestCase("text/plain;charset=gbk, text/html", "text/html")]
    [TestCase("text/html, cannot-parse", "text/html")]
    [TestCase("text/html, */*", "text/html")]
    [TestCase("cannot-parse", null)]
    [TestCase("IMAGE/PNG", "image/png")]
    [TestCase("text/plain; a=\"x,y\", image/gif", "image/gif")]
    public void Extract_a_MIME_type_takes_the_last_value_that_parses(string value, string? essence) =>
        Assert.That(MimeTypeChecks.ExtractMimeEssence(Type(value)), Is.EqualTo(essence));

    [Test]
    public void Get_decode_and_split_keeps_a_quoted_comma_inside_its_value() =>
        Assert.That(MimeTypeChecks.GetDecodeAndSplit("a, \"b,c\" , d"), Is.EqualTo(new[] { "a", "\"b,c\"", "d" }));

    // "If destination is script-like and one of the following is true, then return blocked: mimeType's essence starts with
    // "audio/", "image/", or "video/"; mimeType's essence is "text/csv"." "If mimeType is failure, then return allowed."
    [TestCase("script", "image/png", true)]
    [TestCase("script", "audio/mpeg", true)]
    [TestCase("script", "video/mp4", true)]
    [TestCase("script", "text/csv", true)]
    [TestCase("script", "text/plain", false)]
    [TestCase("script", "not a type", false)]
    [TestCase("style", "image/png", false)]
    [TestCase("image", "text/csv", false)]
    public void Only_a_script_like_destination_is_blocked_by_its_MIME_type(string destination, string type, bool blocked) =>
        Assert.That(MimeTypeChecks.BlockedDueToMimeType(destination, Type(type)) is not null, Is.EqualTo(blocked));

    // "determine nosniff": "If values[0] is an ASCII case-insensitive match for "nosniff", then return true." Then: "If
    // destination is script-like and mimeType is failure or is not a JavaScript MIME type, then return blocked. If destination
    // is "style" and mimeType is failure or its essence is not "text/css", then return blocked."
    [TestCase("nosniff", "script", "text/plain", true)]
    [TestCase("NoSniff", "script", "application/json", true)]
    [TestCase("nosniff", "script", "text/javascript; charset=utf-8", false)]
    [TestCase("nosniff", "script", "application/x-javascript", false)]
    [TestCase("other, nosniff", "script", "text/plain", false)]
    [TestCase("nosniff", "style", "text/plain", true)]
    [TestCase("nosniff", "style", "text/css", false)]
    [TestCase("nosniff", "image", "text/plain", false)]
    public void Nosniff_requires_a_JavaScript_type_for_scripts_and_text_css_for_styles(string options, string destination, string type, bool blocked) =>
        Assert.That(MimeTypeChecks.BlockedDueToNosniff(destination, [H("X-Content-Type-Options", options), .. Type(type)]) is not null, Is.EqualTo(blocked));

    // Step 19 runs on the response whatever its tainting, after the CORS check: a cors script whose check passed is still a
    // network error when its type is an image's, and the target's own type for the initiator (text/javascript) never blocks.
    [Test]
    public void A_script_the_CORS_check_let_through_is_still_blocked_by_an_image_type()
    {
        var script = RequestSpec.Get with { Api = Api.Script };
        var blocked = Oracle.Expect(Case(request: script, actual: Ok(Acao("*"), H("Content-Type", "image/png"))));
        var own = Oracle.Expect(Case(request: script, actual: Ok(Acao("*"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blocked.Outcome, Is.EqualTo(Outcome.Blocked), blocked.Reason);
            Assert.That(blocked.ActualSent, Is.True);
            Assert.That(own.Outcome, Is.EqualTo(Outcome.Allowed), own.Reason);
        }
    }
    /// <summary>main fetch clears the preflight cache only in the branch that runs HTTP fetch with makeCORSPreflight true:
    /// "If corsWithPreflightResponse is a network error, then clear cache entries using request." Step 19's network error
    /// ("should internalResponse to request be blocked due to its MIME type … then set response and internalResponse to a
    /// network error") comes after that branch has returned a response: the entries the preflight made stay. (No initiator of
    /// the catalog sends a preflighted request to a script-like destination; the rule is the standard's all the same.)</summary>
    [Test]
    public void A_response_blocked_for_its_MIME_type_leaves_the_preflight_cache_as_it_was()
    {
        var script = RequestSpec.Get with { Api = Api.Script, Method = "PUT", Repeat = 2 };
        var expected = Oracle.Expect(Case(request: script,
            preflight: Ok(Acao("*"), H("Access-Control-Allow-Methods", "PUT"), H("Access-Control-Max-Age", "600")),
            actual: Ok(Acao("*"), H("Content-Type", "image/png"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Outcome, Is.EqualTo(Outcome.Blocked), expected.Reason);
            Assert.That(expected.Preflights, Is.EqualTo(1), "the second PUT finds the entries the first preflight made");
            Assert.That(expected.Steps, Has.None.Contains("preflight cache's entries for this URL are cleared"));
        }
    }
}
