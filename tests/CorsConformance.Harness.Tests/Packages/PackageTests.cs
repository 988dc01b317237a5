using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Tests.Packages;

/// <summary>
/// The packages as a team meets them (issue 21): .ci/run packs CorsConformance.NUnit and CorsConformance.Tool into a
/// folder feed; this test makes a solution outside the repository (Packages/Consumer: a minimal API with ASP.NET Core's
/// CORS middleware, and a test project that adds CorsConformance.NUnit from the feed), runs its `dotnet test` in Chromium
/// and Firefox — the policy the API keeps passes, a policy it does not keep fails with the suite's words — then installs
/// the tool from the feed into a tool manifest and runs `cors-conformance --help` and `cors-conformance oracle`.
/// Without a packed feed it is skipped with the command that packs one; it never passes on packages it did not try.
/// </summary>
[Category("Packages")]
public sealed partial class PackageTests
{
    private const string FeedVariable = "CORS_PACKAGE_FEED";
    private string _directory = "";
    private string? _version;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("cors-consumer-").FullName;

    [TearDown]
    public void Clean()
    {
        Directory.Delete(_directory, recursive: true);
        // The feed's version is this run's own (.ci/run stamps it): drop it from the machine's package cache again.
        if (_version is null) return;
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "corsconformance.nunit", "corsconformance.harness", "corsconformance.specs", "corsconformance.tool" })
        {
            var folder = Path.Combine(cache, id, _version.ToLowerInvariant());
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The feed .ci/run packed (CORS_PACKAGE_FEED, else artifacts/feed in the clone) and the version in it.</summary>
    private static (string Feed, string Version) FeedOrIgnore()
    {
        var feed = Environment.GetEnvironmentVariable(FeedVariable) is { Length: > 0 } given
            ? given
            : RepositoryLayout.Root() is { } root ? Path.Combine(root, "artifacts", "feed") : null;
        const string how = "the packages were not packed: .ci/run packs them (dotnet pack CorsConformance.sln -p:PackageOutputPath=$PWD/artifacts/feed -p:CiPackageSuffix=ci.1)";
        if (feed is null || !Directory.Exists(feed)) Assert.Ignore($"No package feed at {feed ?? "(not in a clone, and " + FeedVariable + " unset)"}: {how}.");
        var nunit = Directory.GetFiles(feed!, "CorsConformance.NUnit.*.nupkg").Select(Path.GetFileName).Select(n => NUnitPackage().Match(n!)).FirstOrDefault(m => m.Success);
        if (nunit is null) Assert.Ignore($"No CorsConformance.NUnit package in {feed}: {how}.");
        var version = nunit!.Groups[1].Value;
        if (!File.Exists(Path.Combine(feed!, $"CorsConformance.Tool.{version}.nupkg"))) Assert.Ignore($"No CorsConformance.Tool {version} in {feed}: {how}.");
        return (feed!, version);
    }

    private static void BrowsersOrIgnore()
    {
        if (!File.Exists("/usr/lib/chromium/chromium-headless-shell") && !File.Exists("/usr/bin/chromium")) Assert.Ignore("Debian's Chromium is not installed here (apt-get install -y chromium-headless-shell)");
        if (!File.Exists("/usr/bin/firefox-esr")) Assert.Ignore("Debian's Firefox ESR is not installed here (apt-get install -y firefox-esr)");
    }

    [Test]
    public async Task A_team_s_test_project_holds_its_API_to_its_policy_in_Chromium_and_Firefox_and_the_tool_runs_from_a_manifest()
    {
        var (feed, version) = FeedOrIgnore();
        BrowsersOrIgnore();
        _version = version;
        var solution = Path.Combine(_directory, "solution");
        CopyTemplate(Path.Combine(AppContext.BaseDirectory, "Packages", "Consumer"), solution);
        await File.WriteAllTextAsync(Path.Combine(solution, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="cors-conformance" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(solution, "Directory.Build.props"),
            $"<Project><PropertyGroup><CorsConformanceVersion>{version}</CorsConformanceVersion></PropertyGroup></Project>");

        // The team's `dotnet test`, both fixtures at once: it fails (the wrong policy), and the results say which cases.
        // The tool's install and runs (below) go on meanwhile, in their own folder: most of either is waiting.
        var results = Path.Combine(_directory, "results");
        var tool = ToolAsync(feed, version);
        var test = await DotnetAsync(Path.Combine(solution, "Api.Tests"), "test", "--disable-build-servers", "--logger", "trx;LogFileName=consumer.trx", "--results-directory", results);
        var (manifest, install, help, oracle) = await tool;
        var trx = Path.Combine(results, "consumer.trx");
        Assert.That(File.Exists(trx), Is.True, "dotnet test wrote no results:\n" + test.Output);
        var outcomes = XDocument.Load(trx).Descendants().Where(e => e.Name.LocalName == "UnitTestResult")
            .Select(e => (Fixture: FixtureOf(e), Name: (string)e.Attribute("testName")!, Outcome: (string)e.Attribute("outcome")!,
                Message: e.Descendants().FirstOrDefault(m => m.Name.LocalName == "Message")?.Value ?? ""))
            .ToList();
        var kept = outcomes.Where(o => o.Fixture == "ApiCors").ToList();
        var wrong = outcomes.Where(o => o.Fixture == "WrongPolicyCors").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(test.Code, Is.Not.Zero, "the wrong policy must fail the team's run:\n" + test.Output);
            // The protocol checks, without a browser, one test each: ASP.NET Core allowing one origin names it only to that
            // origin and sends no Vary: Origin (fetch.bs, "CORS protocol and HTTP caches"), which the team's run now shows.
            var checks = kept.Where(o => o.Name.StartsWith("The server has no ", StringComparison.Ordinal)).ToList();
            Assert.That(checks.Select(o => o.Name["The server has no ".Length..].Split(':')[0]), Is.EquivalentTo(ProtocolChecks.Defects.Select(d => d.Id)), test.Output);
            Assert.That(checks.Where(o => o.Outcome == "Failed").Select(o => o.Name.Split(':')[0]), Is.EqualTo(new[] { "The server has no missing-vary" }), test.Output);
            Assert.That(checks.Single(o => o.Name.StartsWith("The server has no missing-vary:", StringComparison.Ordinal)).Message, Does.Contain("Vary does not name Origin").And.Contain("curl "));
            foreach (var engine in new[] { "Chromium", "Firefox" })
            {
                var ofEngine = kept.Where(o => o.Name.StartsWith($"In {engine}, ", StringComparison.Ordinal)).ToList();
                Assert.That(ofEngine, Has.Count.GreaterThanOrEqualTo(10), $"{engine}: one test per policy case:\n{test.Output}");
                Assert.That(ofEngine.Where(o => o.Outcome != "Passed").Select(o => $"{o.Name}: {o.Outcome}\n{o.Message}"), Is.Empty, $"{engine}: the policy the API keeps");
                var partner = wrong.SingleOrDefault(o => o.Name == $"In {engine}, a simple GET from https://partner.example is allowed");
                Assert.That(partner.Outcome, Is.EqualTo("Failed"), $"{engine}: an origin the API never allowed:\n{test.Output}");
                Assert.That(partner.Message, Does.Contain("blocked the request, but the policy promises it is allowed").And.Contain("Reproduce:").And.Contain("curl "));
                Assert.That(wrong.Single(o => o.Name == $"In {engine}, DELETE from https://app.example.com is allowed after a preflight").Outcome, Is.EqualTo("Failed"), $"{engine}: a method the API never allowed");
                Assert.That(wrong.Single(o => o.Name == $"In {engine}, a simple GET from https://app.example.com is allowed").Outcome, Is.EqualTo("Passed"), $"{engine}: what the API does keep");
            }
        }

        Assert.That(manifest.Code, Is.Zero, manifest.Output);
        Assert.That(install.Code, Is.Zero, install.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(help.Code, Is.Zero, help.Output);
            Assert.That(help.Output, Does.Contain("Usage:\n  cors-conformance [command] [options]").And.Contain("oracle <FILE.yaml>"));
            Assert.That(oracle.Code, Is.Zero, oracle.Output);
            Assert.That(oracle.Output, Does.StartWith("mine/put-refused: blocked"));
        }
    }

    /// <summary>The tool, from the same feed, into a local tool manifest: `--help`, and `oracle` on a case file of the team's.</summary>
    private async Task<((int Code, string Output) Manifest, (int Code, string Output) Install, (int Code, string Output) Help, (int Code, string Output) Oracle)> ToolAsync(string feed, string version)
    {
        var tool = Path.Combine(_directory, "tool");
        Directory.CreateDirectory(tool);
        var manifest = await DotnetAsync(tool, "new", "tool-manifest");
        var install = await DotnetAsync(tool, "tool", "install", "CorsConformance.Tool", "--version", version, "--add-source", feed);
        var help = await DotnetAsync(tool, "tool", "run", "cors-conformance", "--", "--help");
        var cases = Path.Combine(tool, "mine.yaml");
        await File.WriteAllTextAsync(cases, """
            cases:
              - id: mine/put-refused
                anchor: cors-preflight-fetch-0
                description: a PUT that the preflight does not list
                request: { method: PUT }
                server:
                  preflight: { headers: { Access-Control-Allow-Origin: "{origin}", Access-Control-Allow-Methods: GET } }
            """);
        var oracle = await DotnetAsync(tool, "tool", "run", "cors-conformance", "--", "oracle", cases);
        return (manifest, install, help, oracle);
    }

    /// <summary>The fixture class of a TRX result: the last part of its test's className.</summary>
    private static string FixtureOf(XElement result)
    {
        var id = (string)result.Attribute("testId")!;
        var definition = result.Document!.Descendants().First(e => e.Name.LocalName == "UnitTest" && (string?)e.Attribute("id") == id);
        var className = (string)definition.Descendants().First(e => e.Name.LocalName == "TestMethod").Attribute("className")!;
        return className[(className.LastIndexOf('.') + 1)..];
    }

    private static void CopyTemplate(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>`dotnet ARGS` in a folder, as a person would type it: none of this test host's MSBuild or VSTest variables.</summary>
    private static async Task<(int Code, string Output)> DotnetAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
            || k is "DOTNET_HOST_PATH" or "BROWSER" || k.StartsWith("CORS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["BROWSER"] = "chromium,firefox";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lockObject) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lockObject) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(" ", args)} did not finish in 10 minutes:\n{output}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString().Replace("\r\n", "\n"));
    }

    [GeneratedRegex(@"^CorsConformance\.NUnit\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex NUnitPackage();
}
