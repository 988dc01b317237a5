using System.Net;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

public sealed class PageAssetsTests : ReferenceServersFixture
{
    private const string Secret = "the secret beside the pages";

    private string root = null!;
    private ReferenceServers walled = null!;

    /// <summary>Servers whose pages directory has a secret file right beside it, for traversal to reach for.</summary>
    [OneTimeSetUp]
    public async Task StartWalledServersAsync()
    {
        root = Directory.CreateTempSubdirectory("cors-pages-").FullName;
        Directory.CreateDirectory(Path.Join(root, "pages"));
        await File.WriteAllTextAsync(Path.Join(root, "pages", "page.html"), "<!doctype html><title>page</title>");
        await File.WriteAllTextAsync(Path.Join(root, "secret.html"), Secret);
        walled = await ReferenceServers.StartAsync(new ReferenceServerOptions { PagesDirectory = Path.Join(root, "pages") });
    }

    [OneTimeTearDown]
    public async Task StopWalledServersAsync()
    {
        await walled.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [TestCase("matrix.html", "text/html; charset=utf-8", "<script src=\"matrix.js\"></script>")]
    [TestCase("matrix.js", "text/javascript; charset=utf-8", "\"use strict\";")]
    public async Task PageAssetsAreServedWithTheirTypeAndNeverCached(string file, string contentType, string excerpt)
    {
        using var response = await SendAsync("GET", $"{Servers.OriginOf(Place.Page, Scheme.Https)}/pages/{file}");
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(contentType));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(body, Does.Contain(excerpt));
            Assert.That(Servers.PagesDirectory, Is.EqualTo(Path.Join(AppContext.BaseDirectory, "fixtures", "pages")));
        }
    }

    [Test]
    public async Task ThePagesDirectoryCanBeChosen()
    {
        var raw = await RawHttp.SendAsync(walled.HttpPort, HostNames.Page, "GET", "/pages/page.html");

        Assert.That(raw.Body, Does.Contain("<title>page</title>"), raw.ToString());
    }

    [TestCase("/pages/..%2Fsecret.html")]
    [TestCase("/pages/..%2fsecret.html")]
    [TestCase("/pages/%2e%2e%2fsecret.html")]
    [TestCase("/pages/..%5Csecret.html")]
    [TestCase("/pages/../secret.html")]
    [TestCase("/pages/%2E%2E/secret.html")]
    [TestCase("/pages/..")]
    [TestCase("/pages/.%2E")]
    [TestCase("/pages/%2Fetc%2Fpasswd")]
    [TestCase("/secret.html")]
    public async Task NoPathReachesOutsideThePagesDirectory(string target)
    {
        var raw = await RawHttp.SendAsync(walled.HttpPort, HostNames.Page, "GET", target);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.Match("^HTTP/1.1 4[0-9][0-9] "), raw.ToString());
            Assert.That(raw.Body, Does.Not.Contain(Secret));
        }
    }

    [TestCase("missing.html")]
    [TestCase("matrix.txt")]
    [TestCase(".hidden.js")]
    public async Task OnlyExistingFilesOfAKnownTypeAreServed(string file)
    {
        using var response = await SendAsync("GET", $"{Servers.OriginOf(Place.Page, Scheme.Http)}/pages/{file}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
