using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>An initiator is one entry in <see cref="Initiators.All"/> and one function in matrix.js, keyed by the same
/// word: neither may exist without the other, or a case would run as something it is not.</summary>
public sealed class InitiatorsTests
{
    private static Dictionary<string, string> PageTable() => MatrixScript.Table("initiators");

    [Test]
    public void Every_API_has_one_initiator_and_every_word_is_unique()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Initiators.All.Select(i => i.Api), Is.EquivalentTo(Enum.GetValues<Api>()), "one descriptor per Api value");
            Assert.That(Initiators.All.Select(i => i.Word), Is.Unique);
        }
    }

    [Test]
    public void Every_initiator_has_its_page_code_and_the_page_has_no_other()
    {
        var page = PageTable();
        var script = MatrixScript.Text;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Keys, Is.EquivalentTo(Initiators.All.Select(i => i.Word)), "matrix.js's initiator table and Initiators.All name the same words");
            foreach (var function in page.Values.Distinct())
            {
                Assert.That(script, Does.Contain($"function {function}("), $"matrix.js defines {function}");
            }
        }
    }

    [Test]
    public void An_initiator_that_reads_content_or_loads_is_an_element_and_the_body_it_needs_is_sent()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var initiator in Initiators.All)
            {
                if (initiator.Observes is Observes.LoadAndContent) Assert.That(initiator.Body, Is.Not.Null, $"{initiator.Word}: content to read");
                if (initiator.Observes is Observes.Load or Observes.LoadAndContent) Assert.That(initiator.IsElement, Is.True, initiator.Word);
                // An element is issued once, but a classic script: HTML fetches each <script> anew (no list of available images
                // or module map to answer a second one of the same URL), so a second one shows the HTTP cache's revalidation.
                if (initiator.IsElement) Assert.That(initiator.Sequences, Is.EqualTo(initiator.Api == Api.Script), $"{initiator.Word}: an element is issued once, but a classic script");
            }
        }
    }

    // A case's data: URL holds the body the target would have sent the same initiator (its type and bytes), and a script's
    // ends in a comment unique to the case, since the page knows a script's error details by its URL.
    [Test]
    public void Every_initiator_that_fetches_data_URLs_gets_one_holding_its_body()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var initiator in Initiators.All.Where(i => i.FetchesDataUrls))
            {
                var url = initiator.DataUrl("0123abcd");
                Assert.That(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == "data", Is.True, $"{initiator.Word}: {url}");
                if (initiator.Body is not { } body)
                {
                    Assert.That(url, Does.StartWith("data:text/plain,"), initiator.Word);
                    continue;
                }
                var bytes = Convert.FromBase64String(url[(url.IndexOf(";base64,", StringComparison.Ordinal) + ";base64,".Length)..]);
                Assert.That(url, Does.StartWith($"data:{body.ContentType.Replace(" ", "", StringComparison.Ordinal)};base64,"), initiator.Word);
                Assert.That(bytes.Take(body.Bytes.Length), Is.EqualTo(body.Bytes), initiator.Word);
                if (initiator.Api is Api.Script or Api.ModuleScript) Assert.That(System.Text.Encoding.UTF8.GetString(bytes), Does.EndWith("// 0123abcd\n"));
            }
            Assert.That(Initiators.Of(Api.Beacon).FetchesDataUrls, Is.False, "sendBeacon throws for a URL that is not http(s)");
        }
    }
}
