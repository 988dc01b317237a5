using System.Diagnostics;
using System.Net.WebSockets;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// What the two direct drivers share (<see cref="CdpBrowser"/>, <see cref="BidiBrowser"/>): a browser process of the
/// harness's own, one protocol connection to it, a launch that reports an engine that cannot start as unavailable with
/// its install command, and a close that asks the browser first and kills it only if it will not go.
/// </summary>
public abstract class DirectBrowser : IBrowserDriver
{
    private readonly BrowserProcess _process;
    private readonly ProtocolClient _client;

    /// <summary>What lives as long as the browser and goes with it (the host proxy a Firefox is pointed at), or null.</summary>
    private protected IAsyncDisposable? Companion { get; init; }

    private protected DirectBrowser(BrowserProcess process, ProtocolClient client, EngineSettings settings, string version, TimeSpan launchTime)
    {
        _process = process;
        _client = client;
        Settings = settings;
        Version = version;
        LaunchTime = launchTime;
    }

    public EngineSettings Settings { get; }

    /// <summary>The browser's process (tests find its renderers among its descendants).</summary>
    internal int ProcessId => _process.Id;

    public string Version { get; }

    public TimeSpan LaunchTime { get; }

    public abstract string Driver { get; }

    /// <summary>"Chromium 156.0.8078.108 (debian package, CDP)": the driver is part of the column's name.</summary>
    public abstract string Description { get; }

    public abstract Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true);

    /// <summary>Starts the browser, connects, and opens the driver with <paramref name="open"/>; any failure on the way is the
    /// engine being unavailable, with the reason and the install command.</summary>
    private protected static async Task<LaunchResult> TryLaunchAsync<TClient>(
        EngineSettings settings,
        string executable,
        Func<string, IEnumerable<string>> arguments,
        string listening,
        Func<string, Task>? prepare,
        Func<Uri, Uri> endpointOf,
        Func<BrowserProcess, TClient, Stopwatch, Task<DirectBrowser>> open,
        Action<string>? afterExit = null)
        where TClient : ProtocolClient, new()
    {
        var started = Stopwatch.StartNew();
        BrowserProcess? process = null;
        TClient? client = null;
        try
        {
            process = await BrowserProcess.StartAsync(executable, arguments, listening, prepare, afterExit);
            client = new TClient();
            await client.ConnectAsync(endpointOf(process.Endpoint));
            return new LaunchResult(await open(process, client, started), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException
                                      or ProtocolException or WebSocketException or IOException)
        {
            if (client is not null) await client.DisposeAsync();
            if (process is not null) await process.DisposeAsync();
            var why = e.Message.Split('\n')[0].Trim();
            // A browser that started and listened, then failed as its session opened (killed, crashed), is installed: the
            // install command would send its user the wrong way.
            return new LaunchResult(null, process is not null
                ? $"{settings.Engine.Id()} could not be launched: {executable} started, then failed as its session opened ({why}); it is installed, so run again, and if it keeps failing, run it by hand to see why"
                : $"{settings.Engine.Id()} could not be launched: {why}. To install it: {settings.InstallHint}");
        }
    }

    /// <summary>Asks the browser to close, killed if it has not within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.CloseBrowserAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is ProtocolException or TimeoutException)
        {
            // gone already (the close may not be answered before the connection drops), or stuck: killed below
        }
        await _client.DisposeAsync();
        await _process.DisposeAsync();
        if (Companion is not null) await Companion.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
