using System.Xml.Linq;
using CorsConformance.Harness;

namespace CorsConformance.Harness.Tests.Running;

/// <summary>
/// NUnit's adapter runs the whole assembly, and reports only the filtered tests, when a filter selects more tests than its
/// AssemblySelectLimit (2,000 unless told): `dotnet test --filter FullyQualifiedName~CatalogMatrixTests` (4 x 1,433 tests)
/// started every fixture's browsers, servers and middlewares, 4.5 minutes for a 1-minute matrix. Every settings file a
/// run can take (runsettings/, and the default Directory.Build.props names) tells it to honour any filter.
/// </summary>
public sealed class RunSettingsTests
{
    private static string Root => RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone");

    [Test]
    public void Every_settings_file_lets_a_filter_select_the_whole_matrix()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "runsettings"), "*.runsettings");
        Assert.That(files.Select(Path.GetFileName), Does.Contain("default.runsettings"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in files)
            {
                var limit = XDocument.Load(file).Root?.Element("NUnit")?.Element("AssemblySelectLimit")?.Value;
                Assert.That(int.TryParse(limit, out var value) && value >= 100_000, Is.True, $"{Path.GetFileName(file)}: NUnit.AssemblySelectLimit is '{limit}'");
            }
        }
    }

    [Test]
    public void Dotnet_test_without_settings_reads_the_default_file()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var path = props.Descendants("RunSettingsFilePath").Single().Value;
        Assert.That(path.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.Ordinal), Is.EqualTo("runsettings/default.runsettings"));
    }
}
