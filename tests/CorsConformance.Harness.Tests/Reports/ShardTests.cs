using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>`--shard K/N`: every engine × case cell in exactly one shard, in near-equal contiguous parts, engine by engine.</summary>
public sealed class ShardTests
{
    private static readonly string[] Engines = ["chromium", "firefox", "webkitgtk"];
    private static readonly int[] Cases = Enumerable.Range(0, 811).ToArray();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(7)]
    [TestCase(2433)]
    public void Every_cell_is_in_exactly_one_shard_and_the_parts_differ_by_at_most_one(int count)
    {
        var parts = Enumerable.Range(1, count).Select(k => new Shard(k, count).Select(Engines, Cases)).ToList();
        var cells = parts.SelectMany(p => p.SelectMany(x => x.Cases.Select(c => (x.Engine, c)))).ToList();
        var sizes = parts.Select(p => p.Sum(x => x.Cases.Count)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cells, Is.Unique);
            Assert.That(cells, Has.Count.EqualTo(Engines.Length * Cases.Length));
            Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1), string.Join(", ", sizes));
        }
    }

    [Test]
    public void A_shard_takes_the_engines_in_order_and_each_engine_s_cases_in_catalog_order()
    {
        var second = new Shard(2, 4).Select(Engines, Cases);
        using (Assert.EnterMultipleScope())
        {
            // 2433 cells in 4: cells 608..1215, which are chromium's cases 608..810 and firefox's 0..404.
            Assert.That(second.Select(x => x.Engine), Is.EqualTo(new[] { "chromium", "firefox" }));
            Assert.That(second[0].Cases, Is.EqualTo(Enumerable.Range(608, 203)));
            Assert.That(second[1].Cases, Is.EqualTo(Enumerable.Range(0, 405)));
            Assert.That(new Shard(2, 4).Select(Engines, Cases).SelectMany(x => x.Cases), Is.EqualTo(second.SelectMany(x => x.Cases)), "the same every time");
        }
    }

    [TestCase("2/4", 2, 4)]
    [TestCase("1/1", 1, 1)]
    public void Parse_reads_k_of_n(string text, int index, int count) => Assert.That(Shard.Parse(text), Is.EqualTo(new Shard(index, count)));

    [TestCase("0/4")]
    [TestCase("5/4")]
    [TestCase("2/0")]
    [TestCase("2")]
    [TestCase("a/b")]
    [TestCase("1/2/3")]
    public void Anything_but_k_of_n_with_k_from_1_to_n_is_refused_with_what_was_given(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => Shard.Parse(text));
        Assert.That(error!.Message, Does.Contain(text).And.Contain("--shard"));
    }
}
