using CorsConformance.Harness.Reports;

namespace CorsConformance.Harness.Tests.Reports;

/// <summary>`--history DIR`: previous nights read oldest first, schema 1 files included; a bad file is named.</summary>
public sealed class ReportHistoryTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-history-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void The_nights_are_read_in_the_order_they_were_generated_whatever_their_file_names()
    {
        foreach (var file in Directory.GetFiles(RecordedReports.HistoryFolder))
        {
            // Names that sort the other way round.
            File.Copy(file, Path.Combine(_directory, "z-" + (30 - int.Parse(Path.GetFileNameWithoutExtension(file)[^2..])) + ".json"));
        }
        var nights = ReportHistory.Load(_directory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(nights.Select(n => n.GeneratedAt.Day), Is.EqualTo(new[] { 21, 22, 23 }));
            Assert.That(nights[0].Engines.Select(e => (e.Engine, e.Version, e.Share)), Is.EqualTo(new[]
            {
                ("chromium", (string?)"154.0.7900.5", new Share(5, 7, 1)), ("firefox", "153.6.0", new Share(5, 8, 0)),
            }));
        }
    }

    /// <summary>Subfolders were walked through links to folders too: a link back up (`loop -> ..`) was followed until the
    /// path grew too long, and each night was drawn 41 times. A real subfolder still counts.</summary>
    [Test]
    public void A_link_to_a_folder_is_not_followed_so_a_loop_draws_each_night_once()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_directory, "2026-11")).FullName;
        foreach (var file in Directory.GetFiles(RecordedReports.HistoryFolder)) File.Copy(file, Path.Combine(nested, Path.GetFileName(file)));
        Directory.CreateSymbolicLink(Path.Combine(nested, "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(_directory, "again"), nested);
        Assert.That(ReportHistory.Load(_directory).Select(n => n.Source), Is.EqualTo(new[] { "2026-11/2026-11-21.json", "2026-11/2026-11-22.json", "2026-11/2026-11-23.json" }));
    }

    [TestCase("empty.json", "the file is empty")]
    [TestCase("schema-3.json", "field 'schemaVersion' is 3")]
    [TestCase("missing-expected.json", "field 'cases[1]")]
    public void A_bad_file_in_the_folder_is_named_with_its_field(string bad, string field)
    {
        File.Copy(RecordedReports.PathOf("baseline.json"), Path.Combine(_directory, "good.json"));
        var path = Path.Combine(_directory, bad);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "BadInputs", "reports", bad), path);
        var error = Assert.Throws<ReportFileException>(() => ReportHistory.Load(_directory))!;
        Assert.That(error.Message, Does.StartWith(path + ": ").And.Contain(field));
    }

    [Test]
    public void A_missing_folder_is_named()
    {
        var missing = Path.Combine(_directory, "nope");
        Assert.That(() => ReportHistory.Load(missing), Throws.TypeOf<ReportFileException>().With.Message.EqualTo($"{missing}: the history folder does not exist"));
    }

    [Test]
    public void Schema_2_round_trips_its_catalog_partial_and_history_and_schema_1_is_still_read()
    {
        var shard = RecordedReports.Split(RecordedReports.CurrentWithCatalog, new Shard(2, 3)) with { History = ReportHistory.Load(RecordedReports.HistoryFolder) };
        var again = ReportFile.Parse(ReportFile.Serialize(shard), "shard.json");
        var old = RecordedReports.Current;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.SchemaVersion, Is.EqualTo(2));
            Assert.That(again.Catalog!.Digest, Is.EqualTo(shard.Catalog!.Digest));
            Assert.That(again.Catalog.Cases, Is.EqualTo(shard.Catalog.Cases));
            Assert.That(again.Partial!.Shards, Is.EqualTo(new[] { "2/3" }));
            Assert.That(again.Partial.Holds, Is.EqualTo(shard.Partial!.Holds));
            Assert.That(again.History!.Select(n => (n.GeneratedAt, n.Source, n.Interop)), Is.EqualTo(shard.History!.Select(n => (n.GeneratedAt, n.Source, n.Interop))));
            Assert.That(ReportFile.Serialize(again), Is.EqualTo(ReportFile.Serialize(shard)));
            Assert.That((old.SchemaVersion, old.Catalog, old.Partial, old.History), Is.EqualTo((1, (ReportCatalog?)null, (ReportPartial?)null, (IReadOnlyList<HistoryNight>?)null)));
        }
    }
}

/// <summary>The history holds the nights before the report: the report itself, or a later one, in the folder is left out.</summary>
public sealed class HistoryBeforeTheReportTests
{
    [Test]
    public void The_report_itself_and_later_nights_in_the_folder_are_not_previous_nights()
    {
        var folder = Directory.CreateTempSubdirectory("cors-history-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(RecordedReports.HistoryFolder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            File.Copy(RecordedReports.PathOf("current.json"), Path.Combine(folder, "2026-11-24.json"));
            // Rendering the 23rd's report with that folder: the 21st and the 22nd only.
            var report = ReportOutput.Complete(RecordedReports.Baseline, null, folder);
            Assert.That(report.History!.Select(n => n.Source), Is.EqualTo(new[] { "2026-11-21.json", "2026-11-22.json" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
