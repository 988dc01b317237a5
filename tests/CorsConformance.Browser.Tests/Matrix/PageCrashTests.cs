using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// The browser's page processes killed in the middle of a run (as a crash or the OOM killer ends them): Chromium's headless
/// shell over CDP left the batch's evaluate unanswered and the run waiting for good at 429 of 1,713 cases (2026-12-07); a
/// Firefox tab's content process killed made the tab a crash page; WebKitGTK's WebDriver deleted its session. Each crashed
/// page (or dead scope) is now replaced and the cases it held run again alone, so the run ends with every case judged as the
/// matrix's own run judged it, and says the browser failed under it.
/// </summary>
[TestFixtureSource(typeof(EngineSelection), nameof(EngineSelection.Fixtures))]
public sealed class PageCrashTests(Engine engine)
{
    [Test]
    public async Task Renderers_killed_mid_run_cost_no_verdict_and_change_none()
    {
        var matrix = await MatrixRuns.OfAsync(engine);
        if (!matrix.Ran) Assert.Ignore(matrix.Unavailable!);
        var launch = await BrowserLauncher.TryLaunchOwnAsync(engine, EngineSelection.Settings);
        if (launch.Session is not { } session)
        {
            Assert.Ignore(launch.Unavailable!);
            return;
        }
        await using (session)
        {
            // The browser's own page processes: a direct driver's descendants; WebKitGTK's web processes on the X display its
            // launch started (WebKitGTK's WebDriver deletes the whole session when one dies: the scope is replaced).
            Func<IReadOnlyList<int>> kill = session switch
            {
                DirectBrowser direct => () => KillPageProcesses(Descendants(direct.ProcessId)),
                WebDriverBrowser webDriver when webDriver.Display != Environment.GetEnvironmentVariable("DISPLAY") => () => KillPageProcesses(OnDisplay(webDriver.Display)),
                _ => () => [],
            };
            if (session is not (DirectBrowser or WebDriverBrowser))
            {
                Assert.Ignore($"{session.Description}: no page process of its own to kill here");
                return;
            }
            var cases = CaseCatalog.All.Where((_, i) => i % 20 == 7).ToList();
            var killed = new List<int>();
            var runner = new CaseRunner(ReferenceServersSetup.Servers, session) { BatchSize = 10, Parallelism = 1 };
            // Once the first batch is observed, while the next are in flight.
            var progress = new OnFirstReport(() => killed.AddRange(kill()));
            var runs = await runner.RunAsync(cases, progress);
            var observed = await MatrixRuns.ObservedAsync(engine);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(killed, Is.Not.Empty, "no page process of the browser was found to kill");
                Assert.That(runner.PageFailures, Is.Not.Empty, "the run did not say its page failed");
                if (session is CdpBrowser)
                {
                    // Told by the browser at once, not found out after the page's budget.
                    Assert.That(runner.PageFailures, Has.Some.Contains("Inspector.targetCrashed"), string.Join("\n", runner.PageFailures));
                }
                foreach (var run in runs)
                {
                    Assert.That(run.Observation.PageError ?? "", Does.Not.Contain("runner page failed").And.Not.Contain("browser failed"), run.Case.Id);
                    var expected = Specs.Fetch.Oracle.Expect(run.Case);
                    Assert.That(Verdict.Compare(expected, run.Observation).Select(d => d.ToString()),
                        Is.EqualTo(Verdict.Compare(expected, observed[run.Case.Id].Observation).Select(d => d.ToString())),
                        $"{run.Case.Id}: judged otherwise than in the matrix's run");
                }
            }
        }
    }

    /// <summary>The processes whose environment names X display <paramref name="display"/>.</summary>
    private static IReadOnlyList<int> OnDisplay(string display) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0 && EnvironmentOf(pid).Contains("DISPLAY=" + display))];

    private static string[] EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Every descendant of <paramref name="root"/>.</summary>
    private static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after its last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }
        var descendants = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                descendants.Add(child);
                frontier.Enqueue(child);
            }
        }
        return descendants;
    }

    /// <summary>Kills those of <paramref name="candidates"/> that are a browser's page processes (Chromium's renderers,
    /// Firefox's tab content processes, WebKitGTK's web processes); their ids.</summary>
    private static IReadOnlyList<int> KillPageProcesses(IReadOnlyList<int> candidates)
    {
        var killed = new List<int>();
        foreach (var pid in candidates)
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            // Chromium's renderers; Firefox's tab content processes.
            if (!commandLine.Contains("--type=renderer") && !commandLine.Contains("WebKitWebProcess")
                && !(commandLine.Contains("-contentproc") && commandLine.TrimEnd().EndsWith(" tab", StringComparison.Ordinal))) continue;
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
                killed.Add(pid);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone meanwhile
            }
        }
        return killed;
    }

    /// <summary>Calls <paramref name="first"/> on the first report, on the reporting thread.</summary>
    private sealed class OnFirstReport(Action first) : IProgress<int>
    {
        private int _reported;

        public void Report(int value)
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0) first();
        }
    }
}
