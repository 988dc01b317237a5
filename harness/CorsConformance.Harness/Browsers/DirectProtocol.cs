using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>A browser's automation protocol (CDP, WebDriver BiDi) answered a command with an error, or the connection
/// closed before it answered.</summary>
public sealed class ProtocolException(string message) : Exception(message);

/// <summary>
/// A browser started by the harness itself for a direct protocol driver: the executable on a throwaway profile directory,
/// its automation endpoint read from what it prints on stderr when it listens (Chromium: "DevTools listening on ws://…",
/// Firefox: "WebDriver BiDi listening on ws://…"). Disposing waits for the browser to exit (after the driver has asked it
/// to close), kills it if it will not, and removes the profile. Where there is a POSIX shell the browser is started under a
/// small watchdog that holds the read end of a pipe from this process: however this process ends — killed, crashed, a test
/// host torn down — the pipe closes and the browser is ended, as Playwright's driver does for the browsers it launches;
/// then the watchdog removes the profile. Profiles live in this run's folder (<see cref="RunFolder"/>), so what a killed
/// watchdog could not remove goes at the next run's start.
/// </summary>
internal sealed class BrowserProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BrowserProcess(Process process, string profile, Uri endpoint)
    {
        _process = process;
        Profile = profile;
        Endpoint = endpoint;
    }

    public string Profile { get; }

    public Uri Endpoint { get; }

    private const string Shell = "/bin/sh";

    /// <summary>Runs the browser ("$@") and ends it when the shell's stdin — this process's pipe — reaches end of file, then
    /// removes the profile ($1). (A background list's stdin is /dev/null unless redirected, hence fd 3.) The shell ignores
    /// SIGINT, which a Ctrl-C sends the whole process group: it must outlive the harness to clean up after it.</summary>
    private const string Watchdog =
        "trap '' INT; profile=$1; shift; exec 3<&0; \"$@\" </dev/null 3<&- & browser=$!; "
        + "(while read -r _ <&3; do :; done; kill -TERM \"$browser\" 2>/dev/null) & watchdog=$!; "
        + "wait \"$browser\"; status=$?; kill \"$watchdog\" 2>/dev/null; rm -rf \"$profile\"; exit $status";

    /// <param name="arguments">The arguments, given the profile directory.</param>
    /// <param name="listening">What the browser prints before the endpoint's address.</param>
    /// <param name="prepare">Writes what the profile needs before the browser starts (Firefox's user.js).</param>
    public static async Task<BrowserProcess> StartAsync(string executable, Func<string, IEnumerable<string>> arguments, string listening, Func<string, Task>? prepare = null)
    {
        var profile = Directory.CreateDirectory(Path.Combine(RunFolder.Path, "profile-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        Process? process = null;
        try
        {
            if (prepare is not null) await prepare(profile);
            var info = new ProcessStartInfo(File.Exists(Shell) ? Shell : executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = File.Exists(Shell),
                UseShellExecute = false,
            };
            if (File.Exists(Shell))
            {
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add(Watchdog);
                info.ArgumentList.Add("browser");
                info.ArgumentList.Add(profile);
                info.ArgumentList.Add(executable);
            }
            foreach (var argument in arguments(profile)) info.ArgumentList.Add(argument);
            process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var said = new ConcurrentQueue<string>();
            var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    stderrClosed.TrySetResult();
                    return;
                }
                if (line.IndexOf(listening, StringComparison.Ordinal) is var at and >= 0) endpoint.TrySetResult(line[(at + listening.Length)..].Trim());
                else if (said.Count < 20) said.Enqueue(line);
            };
            process.OutputDataReceived += (_, _) => { };
            // The exit can be reported before the last lines it printed are read: judge once stderr is read to its end (or
            // after 5 s, should a helper of the browser still hold it open).
            process.Exited += async (_, _) =>
            {
                await Task.WhenAny(stderrClosed.Task, Task.Delay(TimeSpan.FromSeconds(5)));
                endpoint.TrySetException(new InvalidOperationException($"the browser exited before it listened for a driver: {string.Join(" / ", said).Trim()}"));
            };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var address = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new BrowserProcess(process, profile, new Uri(address));
        }
        catch
        {
            await Stop(process, TimeSpan.Zero);
            TryDelete(profile);
            throw;
        }
    }

    /// <summary>What the harness's death does to the watchdog: closes the pipe it watches (for the tests of it).</summary>
    internal void CloseLifeline() => _process.StandardInput.Close();

    public async ValueTask DisposeAsync()
    {
        await Stop(_process, TimeSpan.FromSeconds(10));
        TryDelete(Profile);
    }

    private static async Task Stop(Process? process, TimeSpan grace)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                using var wait = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        process.Dispose();
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A browser helper may still be writing as it exits; a leftover temp directory is not an error.
        }
    }
}

/// <summary>
/// This process's folder for browser profiles, `cors-run-*` in the temp directory, made on first use: it holds a lock file
/// that this process keeps open (an exclusive lock, released by the kernel however the process ends), and goes when the
/// process exits. At its making, every other run's folder whose lock nobody holds — a run that was killed — is removed.
/// </summary>
internal static class RunFolder
{
    public const string Prefix = "cors-run-";
    private const string LockName = ".lock";
    private static readonly Lazy<string> LazyPath = new(Create);
    private static FileStream? _lock;

    public static string Path => LazyPath.Value;

    private static string Create()
    {
        var root = System.IO.Path.GetTempPath();
        RemoveStale(root);
        // Locked before it takes its name, so another run's start never sees this folder unlocked.
        var making = Directory.CreateTempSubdirectory("cors-making-").FullName;
        _lock = new FileStream(System.IO.Path.Combine(making, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var folder = System.IO.Path.Combine(root, Prefix + System.IO.Path.GetFileName(making)["cors-making-".Length..]);
        Directory.Move(making, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            _lock.Dispose();
            BrowserProcess.TryDelete(folder);
        };
        return folder;
    }

    /// <summary>Removes the run folders under <paramref name="root"/> that no live process holds; returns how many.</summary>
    internal static int RemoveStale(string root)
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            try
            {
                // Opening the lock exclusively succeeds only when its run is gone (or never took it: a folder half made).
                using (new FileStream(System.IO.Path.Combine(folder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                }
                BrowserProcess.TryDelete(folder);
                if (!Directory.Exists(folder)) removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A live run's folder, or someone else's: leave it.
            }
        }
        return removed;
    }
}

/// <summary>
/// JSON messages over one WebSocket, as CDP and WebDriver BiDi both use them: each command gets an id and its answer is
/// the message that carries the id back; every other message is an event, handed to <c>onEvent</c> on the receiving
/// thread (in the order the browser sent them).
/// </summary>
internal sealed class ProtocolSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Action<JsonObject> _onEvent;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private long _lastId;

    private ProtocolSocket(ClientWebSocket socket, Action<JsonObject> onEvent)
    {
        _socket = socket;
        _onEvent = onEvent;
        _receiving = Task.Run(ReceiveAsync);
    }

    public static async Task<ProtocolSocket> ConnectAsync(Uri endpoint, Action<JsonObject> onEvent)
    {
        var socket = new ClientWebSocket();
        // Answers to a batch of 200 cases run to a few hundred kilobytes.
        socket.Options.SetBuffer(1 << 16, 1 << 16);
        await socket.ConnectAsync(endpoint, CancellationToken.None);
        return new ProtocolSocket(socket, onEvent);
    }

    /// <summary>Sends <paramref name="command"/> with a fresh id and returns the whole answer.</summary>
    public async Task<JsonObject> SendAsync(JsonObject command)
    {
        var id = Interlocked.Increment(ref _lastId);
        command["id"] = id;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(command.ToJsonString());
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (WebSocketException e)
        {
            _pending.TryRemove(id, out _);
            throw new ProtocolException("the browser's connection is gone: " + e.Message);
        }
        finally
        {
            _sending.Release();
        }
        return await answer.Task;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                message.SetLength(0);
                if (node is null) continue;
                if (node["id"] is JsonValue id && id.TryGetValue<long>(out var number) && _pending.TryRemove(number, out var waiter))
                {
                    waiter.TrySetResult(node);
                }
                else
                {
                    _onEvent(node);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // closed: every command still waiting fails below
        }
        foreach (var waiter in _pending.Values) waiter.TrySetException(new ProtocolException("the browser closed its connection"));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
        _closing.Dispose();
    }
}

/// <summary>
/// The browser's words (console errors and warnings, uncaught errors) for the open pages. A message from a page's own
/// context is that page's; one from anywhere else (its sandboxed or data: frame, a worker) goes to every open page:
/// messages are matched to cases by the token in their URL, so a stranger's message matches no case of another page.
/// </summary>
internal sealed class PageMessages
{
    private readonly ConcurrentDictionary<string, BrowserMessages> _open = new();

    public BrowserMessages Open(string page) => _open.GetOrAdd(page, _ => new());

    public void Close(string page) => _open.TryRemove(page, out _);

    /// <param name="page">The page the message came from, when it came from a page's own context.</param>
    public void Add(string? page, string text)
    {
        if (page is not null && _open.TryGetValue(page, out var own)) own.Add(text);
        else foreach (var messages in _open.Values) messages.Add(text);
    }
}

/// <summary>A protocol client (CDP, WebDriver BiDi) on a <see cref="ProtocolSocket"/>: what it hears for the open pages.</summary>
internal abstract class ProtocolClient : IAsyncDisposable
{
    private ProtocolSocket? _socket;

    public PageMessages Messages { get; } = new();

    protected ProtocolSocket Socket => _socket ?? throw new InvalidOperationException("not connected");

    public async Task ConnectAsync(Uri endpoint) => _socket = await ProtocolSocket.ConnectAsync(endpoint, OnEvent);

    /// <summary>Every message that is not an answer, on the receiving thread, in the order the browser sent them.</summary>
    protected abstract void OnEvent(JsonObject message);

    /// <summary>Asks the browser to close itself.</summary>
    public abstract Task CloseBrowserAsync();

    public ValueTask DisposeAsync() => _socket?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// What the two direct drivers share (<see cref="CdpBrowser"/>, <see cref="BidiBrowser"/>): a browser process of the
/// harness's own, one protocol connection to it, a launch that reports an engine that cannot start as unavailable with
/// its install command, and a close that asks the browser first and kills it only if it will not go.
/// </summary>
public abstract class DirectBrowser : IBrowserDriver
{
    private readonly BrowserProcess _process;
    private readonly ProtocolClient _client;

    private protected DirectBrowser(BrowserProcess process, ProtocolClient client, EngineSettings settings, string version, TimeSpan launchTime)
    {
        _process = process;
        _client = client;
        Settings = settings;
        Version = version;
        LaunchTime = launchTime;
    }

    public EngineSettings Settings { get; }

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
        Func<BrowserProcess, TClient, Stopwatch, Task<DirectBrowser>> open)
        where TClient : ProtocolClient, new()
    {
        var started = Stopwatch.StartNew();
        BrowserProcess? process = null;
        TClient? client = null;
        try
        {
            process = await BrowserProcess.StartAsync(executable, arguments, listening, prepare);
            client = new TClient();
            await client.ConnectAsync(endpointOf(process.Endpoint));
            return new LaunchResult(await open(process, client, started), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException
                                      or ProtocolException or WebSocketException or IOException)
        {
            if (client is not null) await client.DisposeAsync();
            if (process is not null) await process.DisposeAsync();
            return new LaunchResult(null, $"{settings.Engine.Id()} could not be launched: {e.Message.Split('\n')[0].Trim()}. To install it: {settings.InstallHint}");
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
        GC.SuppressFinalize(this);
    }
}

/// <summary>A runner page of a direct driver: the browser's words about it, kept under its key while it is open.</summary>
internal abstract class DirectPage(PageMessages messages, string key, string pageOrigin) : IRunnerPage
{
    private readonly BrowserMessages _messages = messages.Open(key);

    /// <summary>What the protocol calls the page: its BiDi browsing context, its CDP session.</summary>
    protected string Key => key;

    public string PageOrigin => pageOrigin;

    public abstract Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch);

    public string? ReasonFor(string token) => _messages.ReasonFor(token);

    public string? TakeMessages() => _messages.Drain();

    /// <summary>Closes the page in the browser.</summary>
    protected abstract Task CloseAsync();

    /// <summary>Loads the runner page with <paramref name="load"/>; a page the browser will not load (the protocol says
    /// no) is closed and reported as <see cref="PageOpenException"/>.</summary>
    public async Task<IRunnerPage> LoadAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (ProtocolException e)
        {
            await DisposeAsync();
            throw new PageOpenException(e.Message, e);
        }
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        messages.Close(key);
        await CloseAsync();
    }
}
