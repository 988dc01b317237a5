using System.Diagnostics;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// Makes sure the engines are there before a run. Debian's packages first where apt-get can run as root (they work without
/// internet), then Playwright's own download (which needs internet); otherwise it says exactly what to run.
/// </summary>
public static class BrowserInstaller
{
    /// <returns>Each engine with why it is still missing (null: it is there).</returns>
    public static async Task<IReadOnlyList<(Engine Engine, string? Missing)>> EnsureAsync(IEnumerable<Engine> engines, Func<string, string?> settings, TextWriter log)
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var outcomes = new List<(Engine, string?)>();
        foreach (var engine in engines)
        {
            if (engine.IsWebDriver())
            {
                outcomes.Add((engine, await EnsureWebDriverEngineAsync(engine, settings, log)));
                continue;
            }
            var type = engine switch { Engine.Chromium => playwright.Chromium, Engine.Firefox => playwright.Firefox, _ => playwright.Webkit };
            var resolved = EngineSettings.Resolve(engine, settings, type.ExecutablePath);
            var executable = resolved.ExecutablePath ?? type.ExecutablePath;
            if (File.Exists(executable))
            {
                log.WriteLine($"{engine.Id()}: {executable} ({resolved.Source})");
                outcomes.Add((engine, null));
                continue;
            }
            if (CanAptGet() && await FirstInstalledAsync(DebianPackages(engine), log) is { } package)
            {
                log.WriteLine($"{engine.Id()}: installed Debian package {package}");
                outcomes.Add((engine, null));
                continue;
            }
            if (!await CanReachPlaywrightDownloadsAsync())
            {
                var why = $"{engine.Id()}: not installed, and Playwright's download host cannot be reached from here. To install it: {resolved.InstallHint}";
                log.WriteLine(why);
                outcomes.Add((engine, why));
                continue;
            }
            log.WriteLine($"{engine.Id()}: not installed; trying Playwright's download…");
            if (Microsoft.Playwright.Program.Main(["install", engine.Id()]) == 0)
            {
                log.WriteLine($"{engine.Id()}: installed Playwright's build");
                outcomes.Add((engine, null));
                continue;
            }
            var failed = $"{engine.Id()}: could not be installed here. To install it: {resolved.InstallHint}";
            log.WriteLine(failed);
            outcomes.Add((engine, failed));
        }
        return outcomes;
    }

    /// <summary>A WebDriver engine is a browser, its WebDriver server and (without a display) Xvfb; Playwright downloads none
    /// of them, so the Debian packages are the only automatic way.</summary>
    private static async Task<string?> EnsureWebDriverEngineAsync(Engine engine, Func<string, string?> settings, TextWriter log)
    {
        // Resolved again after an install: the browser's path is found by looking for it.
        EngineSettings Resolved() => EngineSettings.Resolve(engine, settings, null);
        bool Present(EngineSettings s) =>
            File.Exists(s.DriverPath) && File.Exists(s.ExecutablePath)
            && (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) || File.Exists(EngineSettings.DebianXvfb));
        var resolved = Resolved();
        if (Present(resolved))
        {
            log.WriteLine($"{engine.Id()}: {resolved.ExecutablePath} driven by {resolved.DriverPath} ({resolved.Source})");
            return null;
        }
        if (CanAptGet() && await FirstInstalledAsync(DebianPackages(engine), log) is { } package && Present(Resolved()))
        {
            log.WriteLine($"{engine.Id()}: installed Debian packages {package}");
            return null;
        }
        var missing = $"{engine.Id()}: not installed. To install it: {resolved.InstallHint}";
        log.WriteLine(missing);
        return missing;
    }

    /// <summary>Whether Playwright's browser download host resolves: without it the download can only fail, noisily.</summary>
    private static async Task<bool> CanReachPlaywrightDownloadsAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            return (await System.Net.Dns.GetHostAddressesAsync("cdn.playwright.dev", timeout.Token)).Length > 0;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The Debian packages that give an engine, best first: Chromium's headless shell (what Playwright runs for headless
    /// Chromium, and the faster) where the release has it, else the full browser.</summary>
    private static string[] DebianPackages(Engine engine) => engine switch
    {
        Engine.Chromium => ["chromium-headless-shell", "chromium"],
        Engine.Firefox => ["firefox-esr"],
        Engine.WebkitGtk => ["webkit2gtk-driver xvfb"],
        _ => [],
    };

    private static async Task<string?> FirstInstalledAsync(IEnumerable<string> packages, TextWriter log)
    {
        foreach (var package in packages)
        {
            if (await AptInstallAsync(package, log)) return package;
        }
        return null;
    }

    /// <summary>apt-get install, with one `apt-get update` first when the package lists are missing or stale.</summary>
    private static async Task<bool> AptInstallAsync(string package, TextWriter log) =>
        await RunAsync("apt-get", $"install -y -q {package}", log) == 0
        || (await RunAsync("apt-get", "update -q", log) == 0 && await RunAsync("apt-get", $"install -y -q {package}", log) == 0);

    private static bool CanAptGet() =>
        OperatingSystem.IsLinux() && File.Exists("/usr/bin/apt-get") && Environment.UserName == "root";

    private static async Task<int> RunAsync(string file, string arguments, TextWriter log)
    {
        log.WriteLine($"$ {file} {arguments}");
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) log.WriteLine((await stderr).Trim());
        _ = await stdout;
        return process.ExitCode;
    }
}
