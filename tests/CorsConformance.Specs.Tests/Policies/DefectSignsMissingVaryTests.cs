using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Specs.Tests.Policies;

/// <summary>
/// missing-vary's sentence names what the other answer carried. HAProxy's `http-response set-header
/// Access-Control-Allow-Origin "%[var(txn.origin)]"` without a condition sends the line with an empty value to every origin
/// it does not admit (seen against HAProxy 2.6): the sentence read "(a GET from https://cors-audit-attacker.test gets )".
/// </summary>
public sealed class DefectSignsMissingVaryTests
{
    private static ResourceAnswer Answer(string asker, string? acao) => new(asker, 200,
        acao is null ? [new Header("Content-Type", "application/json")] : [new Header("Access-Control-Allow-Origin", acao)]);

    [TestCase("", "an empty Access-Control-Allow-Origin")]
    [TestCase(" ", "an empty Access-Control-Allow-Origin")]
    [TestCase(null, "none")]
    [TestCase("https://evil.example", "https://evil.example")]
    public void The_sentence_names_what_the_other_origin_got(string? theirs, string expected)
    {
        var gap = DefectSigns.MissingVary("https://app.example.com",
            Answer("https://app.example.com", "https://app.example.com"), Answer("a GET from https://evil.example", theirs), null);
        Assert.That(gap, Is.Not.Null);
        Assert.That(gap!.Message, Does.Contain($"(a GET from https://evil.example gets {expected})"));
    }

    [Test]
    public void An_empty_value_on_a_cached_answer_is_named_as_empty()
    {
        // The allowed origin's answer varies; a request without Origin got an empty line a cache keeps for an hour.
        var allowed = new ResourceAnswer("https://app.example.com", 200,
            [new Header("Access-Control-Allow-Origin", "https://app.example.com"), new Header("Vary", "Origin")]);
        var without = new ResourceAnswer(ResourceAnswer.WithoutOrigin, 200,
            [new Header("Access-Control-Allow-Origin", ""), new Header("Cache-Control", "max-age=3600")]);
        var gap = DefectSigns.MissingVary("https://app.example.com", allowed, null, without);
        Assert.That(gap, Is.Not.Null);
        Assert.That(gap!.Message, Does.Contain("has an empty Access-Control-Allow-Origin and no Vary: Origin"));
    }

    /// <summary>A reflection no browser accepts (a folded line that makes it a list, a NUL after the origin) lacks Vary all
    /// the same, but the sentence said "(browsers still allow this request)" beside the audit's multiple-acao, which says
    /// browsers block every answer: it now says only what is true of every answer, that the CORS check does not read Vary.</summary>
    [TestCase("https://app.example.com , https://evil.example")]
    [TestCase("https://app.example.com\0")]
    [TestCase("https://app.example.com")]
    public void The_sentence_claims_no_outcome_of_the_browser_s_check(string acao)
    {
        var gap = DefectSigns.MissingVary("https://app.example.com", Answer("https://app.example.com", acao), Answer("a GET from https://evil.example", acao.Replace("app.example.com", "evil.example")), null);
        Assert.That(gap, Is.Not.Null);
        Assert.That(gap!.Message, Does.Not.Contain("allow this request").And.EndWith("(browsers do not read Vary in the CORS check: the request is allowed or blocked as without it)"));
    }
}
