using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>`report merge`: shards of the recorded report joined give the whole back; what cannot be joined is refused
/// with the file, and the case and engine, named.</summary>
public sealed class ReportMergeTests
{
    private static readonly Report Whole = RecordedReports.CurrentWithCatalog;
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private static List<(string Name, Report Report)> Shards(int count) =>
        Enumerable.Range(1, count).Select(k => ($"shard-{k}.json", RecordedReports.Split(Whole, new Shard(k, count)))).ToList();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    public void Every_shard_joined_gives_the_whole_report_back(int count)
    {
        var parts = Shards(count);
        parts.Reverse();
        var merged = ReportMerge.Merge(parts, Now);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.Cases.Select(c => c.Id), Is.EqualTo(Whole.Cases.Select(c => c.Id)), "catalog order, whatever the order of the files");
            foreach (var c in Whole.Cases)
            {
                var joined = merged.Cases.Single(x => x.Id == c.Id);
                Assert.That(joined.Results.Keys, Is.EquivalentTo(c.Results.Keys), c.Id);
                foreach (var (engine, result) in c.Results) Assert.That(joined.Results[engine], Is.SameAs(result), $"{c.Id} {engine}");
            }
            Assert.That(merged.Engines.Select(e => (e.Engine, e.Version, e.Summary)), Is.EquivalentTo(Whole.Engines.Select(e => (e.Engine, e.Version, e.Summary))));
            Assert.That(merged.Partial, Is.Null, "a whole report is not partial");
            Assert.That(parts.Where(p => count > 1).Select(p => p.Report.Partial), Has.None.Null, "each shard says it is partial");
        }
    }

    [Test]
    public void A_shard_says_which_shard_it_is_and_which_cases_each_engine_has_and_lacks()
    {
        // 8 cases × 2 engines in 3: chromium's first 5 cases.
        var partial = RecordedReports.Split(Whole, new Shard(1, 3)).Partial!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(partial.Shards, Is.EqualTo(new[] { "1/3" }));
            Assert.That(partial.Holds, Is.EqualTo(new[] { new PartialEngine("chromium", 5, Whole.Cases[0].Id, Whole.Cases[4].Id) }));
            Assert.That(partial.Missing, Is.EqualTo(new[] { new PartialEngine("chromium", 3, Whole.Cases[5].Id, Whole.Cases[7].Id) }));
        }
    }

    [Test]
    public void The_same_cell_in_two_files_is_refused_naming_the_file_the_case_and_the_engine()
    {
        var parts = Shards(2);
        parts.Add(("again.json", parts[0].Report));
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge(parts, Now))!;
        Assert.That(error.Message, Does.StartWith("again.json: ").And.Contain($"case '{Whole.Cases[0].Id}' in engine 'chromium' is also in shard-1.json"));
    }

    [Test]
    public void Another_catalog_is_refused_naming_the_file_and_the_case_only_in_one()
    {
        var parts = Shards(2);
        var other = parts[1].Report;
        parts[1] = ("other.json", other with { Catalog = other.Catalog! with { Digest = "sha256:0", Cases = [.. other.Catalog.Cases, "cors-check/new-case"] } });
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge(parts, Now))!;
        Assert.That(error.Message, Does.StartWith("other.json: its catalog (9 cases").And.Contain("shard-1.json (8 cases").And.Contain("case 'cors-check/new-case' is only in this one"));
    }

    [Test]
    public void A_case_defined_differently_is_refused_naming_the_case()
    {
        // 16 cells in 3: the first shard is chromium on cases 0–4, the second chromium on 5–7 and firefox on 0–1, so
        // case 0 is in both files.
        var parts = Shards(3);
        var second = parts[1].Report;
        var changed = second.Cases[0] with { Expected = second.Cases[0].Expected with { Preflights = 9 } };
        var edited = second with { Cases = [changed, .. second.Cases.Skip(1)] };
        parts[1] = ("edited.json", edited with { Catalog = edited.Catalog! with { Digest = ReportBuilder.CatalogDigest(Whole.Cases.Select(c => c.Id == changed.Id ? changed : c).Select(ReportBuilder.Definition)) } });
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge(parts, Now))!;
        Assert.That(error.Message, Does.StartWith("edited.json: ").And.Contain($"case '{changed.Id}' is defined differently"));
    }

    // 2026-12-07: shard 1/2 run in Debian's headless shell and 2/2 in the full /usr/bin/chromium of the same version merged
    // into one report that said the headless shell ran all 87 cases, 14 of them harness errors the full browser made.
    [Test]
    public void One_engine_in_two_builds_of_one_version_is_refused_naming_both_builds()
    {
        var parts = Shards(3);
        var second = parts[1].Report;
        parts[1] = ("full.json", second with { Engines = second.Engines.Select(e => e.Engine == "chromium"
            ? e with { Description = $"Chromium {e.Version} (settings, full browser, CDP)", Launch = new ReportLaunch("/usr/bin/chromium", null, [], "settings") } : e).ToList() });
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge(parts, Now))!;
        Assert.That(error.Message, Does.StartWith("full.json: engine 'chromium' is").And.Contain("full browser").And.Contain("/usr/bin/chromium").And.Contain("shard-1.json").And.Contain("one build"));
        Assert.DoesNotThrow(() => ReportMerge.Merge(Shards(3), Now), "parts of one build merge");
    }

    [Test]
    public void One_engine_in_two_versions_is_refused_naming_the_engine_and_both_files()
    {
        var parts = Shards(3);
        var second = parts[1].Report;
        parts[1] = ("newer.json", second with { Engines = second.Engines.Select(e => e.Engine == "chromium" ? e with { Version = "157.0.1" } : e).ToList() });
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge(parts, Now))!;
        Assert.That(error.Message, Does.StartWith("newer.json: engine 'chromium' is version 157.0.1 here but 156.0.8078.79 in shard-1.json"));
    }

    [Test]
    public void A_schema_1_report_is_refused_because_it_does_not_name_its_catalog()
    {
        var error = Assert.Throws<ReportFileException>(() => ReportMerge.Merge([("old.json", RecordedReports.Current), ("new.json", Whole)], Now))!;
        Assert.That(error.Message, Does.StartWith("old.json: field 'catalog' is missing"));
    }

    [Test]
    public void A_shard_left_out_leaves_the_joined_report_partial_saying_what_is_not_checked()
    {
        var parts = Shards(3);
        parts.RemoveAt(2);
        var partial = ReportMerge.Merge(parts, Now).Partial;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(partial, Is.Not.Null);
            Assert.That(partial!.Shards, Is.EqualTo(new[] { "1/3", "2/3" }));
            Assert.That(partial.MissingShards, Is.EqualTo(new[] { "3/3" }));
            Assert.That(partial.Missing.Select(m => (m.Engine, m.Cases)), Is.EqualTo(new[] { ("firefox", 6) }));
        }
    }
}
