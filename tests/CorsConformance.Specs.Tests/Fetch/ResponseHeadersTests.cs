using CorsConformance.Specs.Fetch;

namespace CorsConformance.Specs.Tests.Fetch;

public sealed class ResponseHeadersTests
{
    [TestCase("Cache-Control")]
    [TestCase("content-language")]
    [TestCase("Content-Length")]
    [TestCase("Content-Type")]
    [TestCase("Expires")]
    [TestCase("Last-Modified")]
    [TestCase("Pragma")]
    public void The_seven_safelisted_response_header_names_need_no_exposure(string name)
    {
        Assert.That(ResponseHeaders.IsSafelisted(name, []), Is.True);
    }

    [Test]
    public void Other_names_need_to_be_exposed_and_matching_is_case_insensitive()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ResponseHeaders.IsSafelisted("X-Custom", []), Is.False);
            Assert.That(ResponseHeaders.IsSafelisted("X-Custom", ["x-custom"]), Is.True);
            Assert.That(ResponseHeaders.IsSafelisted("Date", ["X-Custom"]), Is.False);
        }
    }

    [Test]
    public void Set_Cookie_is_never_readable_even_when_exposed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ResponseHeaders.IsSafelisted("Set-Cookie", ["Set-Cookie"]), Is.False);
            Assert.That(ResponseHeaders.IsSafelisted("set-cookie2", ["set-cookie2"]), Is.False);
        }
    }
}
