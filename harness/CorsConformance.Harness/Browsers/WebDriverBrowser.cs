using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A browser driven over W3C WebDriver through Selenium: WebKitGTK's MiniBrowser, driven by WebKitWebDriver, under an Xvfb
/// display of its own when the machine has none. WebKitWebDriver serves one session per process, so every scope (a fresh
/// cookie jar and preflight cache) is its own driver process and browser. Host names reach loopback through
/// <see cref="HostProxy"/>, the system proxy of the driver and its browser; the in-memory certificate is accepted through
/// <c>acceptInsecureCerts</c>; the planted cookie is added with WebDriver's Add Cookie on each host of the topology.
/// <para>Classic WebDriver has no console, so the browser's own words about a blocked request are not recorded.</para>
/// </summary>
public sealed class WebDriverBrowser : IBrowserDriver
{
    private readonly HostProxy _proxy;
    private readonly Process? _xvfb;
    private readonly string _display;
    private Session? _spare;

    private WebDriverBrowser(EngineSettings settings, HostProxy proxy, Process? xvfb, string display, Session first, TimeSpan launchTime)
    {
        Settings = settings;
        _proxy = proxy;
        _xvfb = xvfb;
        _display = display;
        _spare = first;
        Version = first.BrowserVersion;
        LaunchTime = launchTime;
    }

    public EngineSettings Settings { get; }

    public string Version { get; }

    public string Driver => "WebDriver (WebKitWebDriver, Selenium " + (typeof(IWebDriver).Assembly.GetName().Version?.ToString(3) ?? "") + ")";

    public TimeSpan LaunchTime { get; }

    /// <summary>The X display the browsers use: the machine's own ($DISPLAY), or an Xvfb this launch started.</summary>
    public string Display => _display;

    public static async Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts)
    {
        var engine = settings.Engine;
        string Unavailable(string why) => $"{engine.Id()} could not be launched: {why}. To install it: {settings.InstallHint}";
        if (settings.DriverPath is not { } driver || !File.Exists(driver)) return new(null, Unavailable($"no WebDriver server at {settings.DriverPath}"));
        if (settings.ExecutablePath is not { } browser || !File.Exists(browser)) return new(null, Unavailable($"no MiniBrowser at {settings.ExecutablePath ?? "/usr/lib/<arch>/webkit2gtk-4.1/MiniBrowser"}"));
        var started = Stopwatch.StartNew();
        Process? xvfb = null;
        HostProxy? proxy = null;
        try
        {
            var display = Environment.GetEnvironmentVariable("DISPLAY");
            if (string.IsNullOrEmpty(display))
            {
                if (!File.Exists(EngineSettings.DebianXvfb)) return new(null, Unavailable("no display ($DISPLAY is empty) and no Xvfb to make one"));
                (xvfb, display) = await StartXvfbAsync();
            }
            proxy = HostProxy.Start(hosts ?? HostMapping.Topology);
            var first = await Session.StartAsync(settings, display, proxy);
            return new(new WebDriverBrowser(settings, proxy, xvfb, display, first, started.Elapsed), null);
        }
        catch (Exception e) when (e is WebDriverException or InvalidOperationException or IOException or TimeoutException or System.ComponentModel.Win32Exception or HttpRequestException)
        {
            if (proxy is not null) await proxy.DisposeAsync();
            Stop(xvfb);
            var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
            return new(null, Unavailable(first));
        }
    }

    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var session = Interlocked.Exchange(ref _spare, null) ?? await Session.StartAsync(Settings, _display, _proxy);
        return await WebDriverScope.OpenAsync(session, servers, plantCookies);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare) await spare.DisposeAsync();
        await _proxy.DisposeAsync();
        Stop(_xvfb);
    }

    /// <summary>Starts Xvfb on a display it picks itself (-displayfd) and returns once the display is ready.</summary>
    private static async Task<(Process, string)> StartXvfbAsync()
    {
        var process = Process.Start(new ProcessStartInfo(EngineSettings.DebianXvfb, "-displayfd 1 -screen 0 1280x1024x24 -nolisten tcp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Xvfb did not start");
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (!int.TryParse(line, out var number)) throw new InvalidOperationException("Xvfb did not say which display it took");
            return (process, ":" + number);
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    private static void Stop(Process? process) => ProcessTree.Stop(process, TimeSpan.FromSeconds(5));

    /// <summary>One WebKitWebDriver process and the one session it serves.</summary>
    private sealed class Session : IWebDriverSession
    {
        private readonly Process _driver;
        private readonly ProcessOutputTail _driverOutput;

        private Session(Process driver, ProcessOutputTail driverOutput, RemoteWebDriver webDriver)
        {
            _driver = driver;
            _driverOutput = driverOutput;
            WebDriver = webDriver;
            BrowserVersion = webDriver.Capabilities.GetCapability("browserVersion")?.ToString() ?? "unknown";
        }

        public RemoteWebDriver WebDriver { get; }

        public string BrowserVersion { get; }

        public static async Task<Session> StartAsync(EngineSettings settings, string display, HostProxy proxy)
        {
            var port = FreeLoopbackPort();
            var info = new ProcessStartInfo(settings.DriverPath!, $"--port={port} --host=local")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["DISPLAY"] = display;
            // The browser (a child of the driver) reaches every host through the host proxy, named the way libproxy reads
            // it. WebKitGTK takes the W3C sslProxy as an HTTPS proxy (TLS to the proxy itself, which it then refuses to
            // trust), so the session asks for the system proxy and the system is these variables: HTTPS goes as CONNECT.
            // Loopback stays direct: the driver talks to the browser's inspector there, and servers under test live there.
            var proxyUrl = "http://" + proxy.Address;
            foreach (var name in new[] { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY" }) info.Environment[name] = proxyUrl;
            foreach (var name in new[] { "no_proxy", "NO_PROXY" }) info.Environment[name] = proxy.DirectLoopback;
            foreach (var name in new[] { "all_proxy", "ALL_PROXY", "ftp_proxy", "FTP_PROXY" }) info.Environment.Remove(name);
            info.Environment["GIO_USE_PROXY_RESOLVER"] = "libproxy";
            var driver = Process.Start(info) ?? throw new InvalidOperationException("WebKitWebDriver did not start");
            var output = ProcessOutputTail.Attach(driver);
            var endpoint = new Uri($"http://127.0.0.1:{port}/");
            try
            {
                await WaitUntilListeningAsync(driver, endpoint, output);
                var options = new WebKitGtkOptions(settings.ExecutablePath!, settings.ExtraArgs);
                var webDriver = await Task.Run(() => new RemoteWebDriver(endpoint, options.ToCapabilities(), TimeSpan.FromSeconds(60)));
                return new Session(driver, output, webDriver);
            }
            catch
            {
                Stop(driver);
                throw;
            }
        }

        private static async Task WaitUntilListeningAsync(Process driver, Uri endpoint, ProcessOutputTail output)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                if (driver.HasExited)
                {
                    throw new InvalidOperationException($"WebKitWebDriver exited ({driver.ExitCode}): {output}");
                }
                try
                {
                    using var status = await client.GetAsync(new Uri(endpoint, "status"));
                    if (status.IsSuccessStatusCode) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(25);
            }
            throw new TimeoutException("WebKitWebDriver did not listen within 15 s");
        }

        public string RecentDriverOutput() => _driverOutput.ToString();

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Task.Run(WebDriver.Quit).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is WebDriverException or TimeoutException or InvalidOperationException)
            {
                // The browser is going anyway: the driver process is stopped below.
            }
            try
            {
                // Selenium's Dispose sends Quit again where the first did not finish (a loaded machine), and throws when that
                // times out too: the driver process must be stopped whatever it does (a WebKitWebDriver and its MiniBrowser
                // were left running after a test run at load 37).
                WebDriver.Dispose();
            }
            catch (Exception e) when (e is WebDriverException or TimeoutException or InvalidOperationException or HttpRequestException)
            {
            }
            finally
            {
                Stop(_driver);
            }
        }
    }

    /// <summary>A loopback port free a moment ago (the driver binds it; a test asks for one nothing listens on).</summary>
    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>MiniBrowser in automation mode, on the system proxy (the host proxy, through the driver's environment),
    /// accepting the in-memory certificate, with a deliberate cookie policy (third-party cookies blocked, as in the other
    /// engines).</summary>
    private sealed class WebKitGtkOptions : DriverOptions
    {
        public WebKitGtkOptions(string binary, IReadOnlyList<string> extraArgs)
        {
            BrowserName = "MiniBrowser";
            AcceptInsecureCertificates = true;
            Proxy = new Proxy { Kind = ProxyKind.System };
            // The page runs a batch in one script call; its requests have their own timeouts well inside this one.
            ScriptTimeout = TimeSpan.FromMinutes(10);
            PageLoadTimeout = TimeSpan.FromSeconds(30);
            // Navigation waits for the load event: with the eager strategy (DOMContentLoaded) WebKitWebDriver 2.50 timed
            // out navigations after 30 s now and then while other browsers ran beside it (three tests in one run).
            PageLoadStrategy = PageLoadStrategy.Normal;
            AddAdditionalOption("webkitgtk:browserOptions", new Dictionary<string, object>
            {
                ["binary"] = binary,
                ["args"] = new List<object> { "--automation", "--cookies-policy=no-third-party" }.Concat(extraArgs).ToList(),
            });
        }

        public override ICapabilities ToCapabilities() => GenerateDesiredCapabilities(true);
    }
}
