using System.Text.RegularExpressions;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>A page kind is one <see cref="PageOrigin"/> (its word from <see cref="PageOrigins.Id"/>) and one entry of matrix.js's
/// <c>runners</c> table under that word: a case whose page has no runner would be a harness error in every engine.</summary>
public sealed partial class PageOriginsTests
{
    [GeneratedRegex(@"const runners = \{(?<body>[^}]*)\};")]
    private static partial Regex RunnerTable();

    [GeneratedRegex(@"^\s*(?:""(?<word>[^""]+)""|(?<word>[A-Za-z_][\w-]*))\s*:", RegexOptions.Multiline)]
    private static partial Regex TableEntry();

    [Test]
    public void Every_page_kind_has_its_runner_in_the_page_and_the_page_has_no_other()
    {
        var script = File.ReadAllText(Path.Join(AppContext.BaseDirectory, "fixtures", "pages", "matrix.js"));
        var table = RunnerTable().Match(script).Groups["body"].Value;
        var words = TableEntry().Matches(table).Select(m => m.Groups["word"].Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(words, Is.EquivalentTo(Enum.GetValues<PageOrigin>().Select(p => p.Id())), "matrix.js's runners and PageOrigins name the same words");
            Assert.That(Enum.GetValues<PageOrigin>().Count(p => p.IsDataContext()), Is.EqualTo(words.Count(w => w.StartsWith("data-", StringComparison.Ordinal))), "every data: context runs fetch and XHR only");
        }
    }
}
