using System.Text.RegularExpressions;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>How the page hands a fetch() case's header lines to new Request(): the oracle models each line as its own
/// header-list entry (the Request constructor's "fill" appends each pair of a sequence), so a repeated name is judged entry by
/// entry by the safelist and only the 1024-byte total sees them together. A Headers object passed as init.headers is not
/// that: WebIDL converts it to HeadersInit through its iterator, whose value pairs are "sort and combine" of its header list,
/// so two Accept lines would reach the Request as one combined entry (and every engine was held to a limit it met).</summary>
public sealed class PageHeadersTests
{
    private static string DoFetch()
    {
        var match = Regex.Match(MatrixScript.Text, @"function doFetch\(req\) \{(?<body>.*?)\n\}\n", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, "matrix.js has no doFetch(req)");
        return match.Groups["body"].Value;
    }

    [Test]
    public void DoFetch_passes_the_header_lines_to_new_Request_as_a_sequence_of_pairs_not_a_Headers_object()
    {
        var body = DoFetch();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body, Does.Not.Contain("new Headers("), "a Headers object is combined by its iterator before new Request() sees it");
            Assert.That(body, Does.Match(@"const headers = req\.headers\.map\(\(\[name, value\]\) => \[name, value\]\);"), "the case's lines, one pair each");
            Assert.That(body, Does.Match(@"const init = \{[^}]*\bheaders\b"), "init.headers is that sequence");
        }
    }
}
