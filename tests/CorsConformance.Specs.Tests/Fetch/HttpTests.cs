using CorsConformance.Specs.Fetch;

namespace CorsConformance.Specs.Tests.Fetch;

public sealed class HttpTests
{
    [Test]
    public void An_absent_list_header_is_null_not_empty()
    {
        Assert.That(Http.ExtractTokenList(null), Is.EqualTo((true, (IReadOnlyList<string>?)null)));
    }

    [TestCase("GET, PUT", new[] { "GET", "PUT" })]
    [TestCase("  PUT  ", new[] { "PUT" })]
    [TestCase("PUT,,GET,", new[] { "PUT", "GET" })]
    [TestCase("*", new[] { "*" })]
    public void A_token_list_splits_on_commas_trims_whitespace_and_skips_empty_elements(string value, string[] expected)
    {
        var (ok, values) = Http.ExtractTokenList(value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok, Is.True);
            Assert.That(values, Is.EqualTo(expected));
        }
    }

    [TestCase("PUT;")]
    [TestCase("GET PUT")]
    [TestCase("X-A, X B")]
    public void A_list_element_that_is_not_a_token_is_failure(string value)
    {
        Assert.That(Http.ExtractTokenList(value).Ok, Is.False);
    }

    [TestCase("600", true, 600L)]
    [TestCase(" 0 ", true, 0L)]
    [TestCase("-1", false, null)]
    [TestCase("ten", false, null)]
    [TestCase("10, 20", false, null)]
    [TestCase("", false, null)]
    public void Max_age_is_delta_seconds_or_failure(string value, bool ok, long? seconds)
    {
        Assert.That(Http.ExtractMaxAge(value), Is.EqualTo((ok, seconds)));
    }
}
