using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Verdicts;

/// <summary>
/// The catalog's known deviations judge a case of a user's file only where it is the catalog's case itself: a case that
/// reuses a catalog id for another request would otherwise be called a known deviation of the engine instead of failing.
/// </summary>
public sealed class CatalogIdReuseTests
{
    private const string Id = "preflight/authorization/acah-star/same-origin";

    [Test]
    public void A_catalog_case_read_from_another_file_keeps_its_known_deviation()
    {
        var own = CaseCatalog.All.Single(c => c.Id == Id) with { Source = "my-cases.yaml", Description = "as I put it" };
        var deviations = KnownDeviations.LoadDefault().OnlyFor(KnownDeviations.CatalogCasesAmong([own]));
        Assert.That(deviations.Find("chromium", Id), Is.Not.Null);
    }

    // `run --cases specs/catalog/cases/…` reads the catalog's own files from disk: every case is the catalog's.
    [Test]
    public void The_catalog_files_read_from_disk_are_the_catalog_s_cases()
    {
        var root = RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone");
        var cases = Directory.GetFiles(Path.Combine(root, "specs", "catalog", "cases"), "*.yaml")
            .SelectMany(f => CaseFileReader.Read(File.ReadAllText(f), f)).ToList();
        Assert.That(KnownDeviations.CatalogCasesAmong(cases).Count(), Is.EqualTo(CaseCatalog.All.Count));
    }

    [Test]
    public void Another_request_under_a_catalog_id_is_judged_without_it()
    {
        var catalogs = CaseCatalog.All.Single(c => c.Id == Id);
        var other = catalogs with { Request = catalogs.Request with { Method = "PATCH" } };
        var deviations = KnownDeviations.LoadDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deviations.Find("chromium", Id), Is.Not.Null, "the catalog lists it");
            Assert.That(deviations.OnlyFor(KnownDeviations.CatalogCasesAmong([other])).Find("chromium", Id), Is.Null);
            Assert.That(KnownDeviations.CatalogCasesAmong([other with { Origins = other.Origins with { Target = Place.CrossSite } }]), Is.Empty);
        }
    }
}
