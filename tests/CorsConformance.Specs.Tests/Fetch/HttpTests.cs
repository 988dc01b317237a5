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

    /// <summary>RFC 9111, 4.2: what lets a cache reuse an answer without asking the server. An explicit expiration (max-age,
    /// Expires) decides alone, so a stale one is not made fresh by a heuristic; heuristics apply to heuristically
    /// cacheable statuses only (RFC 9110, 15.1).</summary>
    [TestCase("Cache-Control: max-age=600", null, "Cache-Control: max-age=600")]
    [TestCase("Cache-Control: private, max-age=60", 200, "Cache-Control: max-age=60")]
    [TestCase("Cache-Control: s-maxage=60", 200, "Cache-Control: s-maxage=60 (shared caches)")]
    [TestCase("Cache-Control: max-age=600, no-cache", 200, null)]
    [TestCase("Cache-Control: no-store|Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 200, null)]
    [TestCase("Cache-Control: max-age=0|Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 200, null)]
    [TestCase("Expires: Thu, 01 Jan 2099 00:00:00 GMT", 403, "Expires: Thu, 01 Jan 2099 00:00:00 GMT")]
    [TestCase("Expires: Thu, 01 Jan 2004 00:00:00 GMT|Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 200, null)]
    [TestCase("Expires: 0|Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 200, null)]
    [TestCase("Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 404, "a Last-Modified header (heuristic freshness)")]
    [TestCase("Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT", 403, null)]
    [TestCase("Cache-Control: public", 200, "Cache-Control: public")]
    [TestCase("", 200, null)]
    public void Freshness_is_what_lets_a_cache_reuse_an_answer_without_asking(string lines, int? status, string? expected)
    {
        var headers = lines.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(": ", 2)).Select(p => new Model.Header(p[0], p[1])).ToList();
        Assert.That(Http.Freshness(headers, status), Is.EqualTo(expected));
    }
}
