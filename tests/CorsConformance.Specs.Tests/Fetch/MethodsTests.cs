using CorsConformance.Specs.Fetch;

namespace CorsConformance.Specs.Tests.Fetch;

public sealed class MethodsTests
{
    [TestCase("get", "GET")]
    [TestCase("pUt", "PUT")]
    [TestCase("delete", "DELETE")]
    [TestCase("options", "OPTIONS")]
    [TestCase("patch", "patch")]
    [TestCase("Patch", "Patch")]
    [TestCase("PURGE", "PURGE")]
    public void Only_the_six_named_methods_are_upper_cased_by_normalization(string written, string sent)
    {
        Assert.That(Methods.Normalize(written), Is.EqualTo(sent));
    }

    [TestCase("GET", true)]
    [TestCase("HEAD", true)]
    [TestCase("POST", true)]
    [TestCase("PUT", false)]
    [TestCase("get", false)]
    [TestCase("OPTIONS", false)]
    public void GET_HEAD_and_POST_are_the_CORS_safelisted_methods_byte_for_byte(string method, bool safelisted)
    {
        Assert.That(Methods.IsCorsSafelisted(method), Is.EqualTo(safelisted));
    }

    [TestCase("CONNECT", true)]
    [TestCase("trace", true)]
    [TestCase("Track", true)]
    [TestCase("PATCH", false)]
    public void CONNECT_TRACE_and_TRACK_are_forbidden_in_any_case(string method, bool forbidden)
    {
        Assert.That(Methods.IsForbidden(method), Is.EqualTo(forbidden));
    }
}
