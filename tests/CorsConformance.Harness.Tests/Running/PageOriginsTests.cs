using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>A page kind is one <see cref="PageOrigin"/> (its word from <see cref="PageOrigins.Id"/>) and one entry of matrix.js's
/// <c>runners</c> table under that word: a case whose page has no runner would be a harness error in every engine.</summary>
public sealed class PageOriginsTests
{
    [Test]
    public void Every_page_kind_has_its_runner_in_the_page_and_the_page_has_no_other()
    {
        var words = MatrixScript.Table("runners").Keys.ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(words, Is.EquivalentTo(Enum.GetValues<PageOrigin>().Select(p => p.Id())), "matrix.js's runners and PageOrigins name the same words");
            Assert.That(Enum.GetValues<PageOrigin>().Where(p => p.IsDataContext()).Select(p => p.Id()), Is.EquivalentTo(words.Where(w => w.StartsWith("data-", StringComparison.Ordinal))), "the data: contexts run fetch and XHR only");
        }
    }
}
