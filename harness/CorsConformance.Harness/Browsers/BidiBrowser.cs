using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// Stock Firefox driven over WebDriver BiDi by the harness itself. The session subscribes to the log only (the browser's
/// words about blocked requests): no network events and no response-body collection, which is what Playwright's BiDi
/// driver adds to every request and what bounded Firefox's speed (see <see cref="EngineSettings.UsesDirectBidi"/>). The
/// protocol used is small: user contexts (a fresh cookie jar and preflight cache per scope), storage.setCookie,
/// browsingContext.create/navigate/close and script.callFunction. Firefox runs headless on a throwaway profile whose
/// user.js holds the same preferences Playwright is given (host mapping, cookie policy) plus Firefox's own
/// recommended automation preferences.
/// </summary>
public sealed class BidiBrowser : IBrowserDriver
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly BidiConnection _connection;

    private BidiBrowser(Process process, string profile, BidiConnection connection, EngineSettings settings, string version, TimeSpan launchTime)
    {
        _process = process;
        _profile = profile;
        _connection = connection;
        Settings = settings;
        Version = version;
        LaunchTime = launchTime;
    }

    public EngineSettings Settings { get; }

    public string Version { get; }

    public string Driver => "WebDriver BiDi (direct)";

    public TimeSpan LaunchTime { get; }

    public string Description => $"{Engine.Firefox.DisplayName()} {Version} ({Settings.Source}, WebDriver BiDi)";

    /// <summary>Starts Firefox with its Remote Agent on a free loopback port and opens a session, or says why it cannot.</summary>
    public static async Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts = null)
    {
        var executable = settings.ExecutablePath ?? EngineSettings.DebianFirefox;
        var started = Stopwatch.StartNew();
        var profile = Directory.CreateTempSubdirectory("cors-firefox-").FullName;
        Process? process = null;
        BidiConnection? connection = null;
        try
        {
            var prefs = new Dictionary<string, object>(settings.FirefoxPrefs(hosts))
            {
                // The Remote Agent's own set for automation (no updates, no first-run pages, no background traffic).
                ["remote.prefs.recommended"] = true,
                ["browser.shell.checkDefaultBrowser"] = false,
                ["browser.startup.page"] = 0,
            };
            await File.WriteAllLinesAsync(Path.Combine(profile, "user.js"),
                prefs.Select(p => $"user_pref({JsonSerializer.Serialize(p.Key)}, {JsonSerializer.Serialize(p.Value)});"));
            var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            // Port 0: the Remote Agent binds a free loopback port and prints where.
            foreach (var arg in new[] { "--headless", "--remote-debugging-port=0", "--profile", profile, "--no-remote" }.Concat(settings.ExtraArgs))
            {
                info.ArgumentList.Add(arg);
            }
            process = Process.Start(info) ?? throw new InvalidOperationException("Firefox did not start");
            var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var early = new ConcurrentQueue<string>();
            process.ErrorDataReceived += (_, e) =>
            {
                const string marker = "WebDriver BiDi listening on ";
                if (e.Data is not { } line) return;
                if (line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0) endpoint.TrySetResult(line[(at + marker.Length)..].Trim());
                else if (early.Count < 20) early.Enqueue(line);
            };
            process.OutputDataReceived += (_, _) => { };
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => endpoint.TrySetException(new InvalidOperationException(
                $"Firefox exited before its Remote Agent listened: {string.Join(" / ", early).Trim()}"));
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var ws = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60));
            connection = await BidiConnection.ConnectAsync(new Uri(ws.TrimEnd('/') + "/session"));
            var session = await connection.SendAsync("session.new", new JsonObject
            {
                // The reference servers' certificate is made in memory at start: no browser trusts it.
                ["capabilities"] = new JsonObject { ["alwaysMatch"] = new JsonObject { ["acceptInsecureCerts"] = true } },
            });
            var version = session["capabilities"]?["browserVersion"]?.GetValue<string>() ?? "unknown";
            // Firefox reports a blocked request as a console message (CORS), or as an error: the reason text.
            await connection.SendAsync("session.subscribe", new JsonObject { ["events"] = new JsonArray("log.entryAdded") });
            return new LaunchResult(new BidiBrowser(process, profile, connection, settings, version, started.Elapsed), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException
                                      or WebSocketException or BidiException or IOException)
        {
            if (connection is not null) await connection.DisposeAsync();
            if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
            process?.Dispose();
            TryDelete(profile);
            return new LaunchResult(null, $"firefox could not be launched: {e.Message.Split('\n')[0].Trim()}. To install it: {settings.InstallHint}");
        }
    }

    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var created = await _connection.SendAsync("browser.createUserContext", new JsonObject());
        var userContext = created["userContext"]!.GetValue<string>();
        if (plantCookies)
        {
            await Task.WhenAll(Enum.GetValues<Place>().Select(place => new Uri(servers.OriginOf(place, Scheme.Http)).Host).Distinct().Select(host =>
                _connection.SendAsync("storage.setCookie", new JsonObject
                {
                    ["cookie"] = new JsonObject
                    {
                        ["name"] = ServerContract.CookieName,
                        ["value"] = new JsonObject { ["type"] = "string", ["value"] = "1" },
                        ["domain"] = host,
                        ["path"] = "/",
                        ["sameSite"] = "lax",
                    },
                    ["partition"] = new JsonObject { ["type"] = "storageKey", ["userContext"] = userContext },
                })));
        }
        return new Scope(_connection, userContext);
    }

    private sealed class Scope(BidiConnection connection, string userContext) : IBrowserScope
    {
        public async Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            var created = await connection.SendAsync("browsingContext.create", new JsonObject { ["type"] = "tab", ["userContext"] = userContext });
            var context = created["context"]!.GetValue<string>();
            var page = new Page(connection, context, pageOrigin);
            try
            {
                await connection.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = context, ["url"] = pageOrigin + "/pages/matrix.html", ["wait"] = "interactive" });
            }
            catch (BidiException e)
            {
                await page.DisposeAsync();
                throw new PageOpenException(e.Message, e);
            }
            return page;
        }

        public async ValueTask DisposeAsync() =>
            await connection.SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext });
    }

    private sealed class Page : IRunnerPage
    {
        private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);
        private readonly BidiConnection _connection;
        private readonly string _context;
        private readonly ConcurrentQueue<string> _messages;

        public Page(BidiConnection connection, string context, string pageOrigin)
        {
            _connection = connection;
            _context = context;
            PageOrigin = pageOrigin;
            _messages = connection.OpenMessages(context);
        }

        public string PageOrigin { get; }

        public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
        {
            var result = await _connection.SendAsync("script.callFunction", new JsonObject
            {
                ["functionDeclaration"] = "async json => { const results = await window.corsRun(JSON.parse(json)); await new Promise(resolve => setTimeout(resolve, 20)); return JSON.stringify(results); }",
                ["arguments"] = new JsonArray(new JsonObject { ["type"] = "string", ["value"] = JsonSerializer.Serialize(batch, PageJson) }),
                ["target"] = new JsonObject { ["context"] = _context },
                ["awaitPromise"] = true,
                ["resultOwnership"] = "none",
            });
            if (result["type"]?.GetValue<string>() != "success") throw new InvalidOperationException("the runner page failed: " + result.ToJsonString());
            var answer = result["result"]!["value"]!.GetValue<string>();
            var byId = (JsonSerializer.Deserialize<PageResult[]>(answer, PageJson) ?? []).ToDictionary(r => r.Id);
            return batch.Select(r => byId[r.Id]).ToList();
        }

        public string? ReasonFor(string token)
        {
            var found = _messages.Where(m => m.Contains(token, StringComparison.Ordinal)).Distinct().ToList();
            return BrowserMessages.WithUrlAsPlaceholder(found.Count == 0 ? null : string.Join(" | ", found), token);
        }

        public string? TakeMessages()
        {
            var taken = new List<string>();
            while (_messages.TryDequeue(out var message)) taken.Add(message);
            return taken.Count == 0 ? null : string.Join(" | ", taken.Distinct());
        }

        public async ValueTask DisposeAsync()
        {
            _connection.CloseMessages(_context);
            await _connection.SendAsync("browsingContext.close", new JsonObject { ["context"] = _context });
        }
    }

    /// <summary>Closes the browser through the protocol (Firefox writes and exits), and kills it if it has not within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.SendAsync("browser.close", new JsonObject()).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is BidiException or TimeoutException or WebSocketException or OperationCanceledException)
        {
        }
        await _connection.DisposeAsync();
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        TryDelete(_profile);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Firefox may still be writing its profile as it exits; a leftover temp directory is not an error.
        }
    }
}

/// <summary>A WebDriver BiDi command answered with an error, or the connection closed before it answered.</summary>
public sealed class BidiException(string message) : Exception(message);

/// <summary>
/// One WebDriver BiDi connection: commands matched to answers by id; log entries kept for the open pages. An entry from a
/// page's own context is that page's; one from anywhere else (its sandboxed or data: frame, a worker) goes to every open
/// page — messages are matched to cases by the token in their URL, so a stranger's message matches no case.
/// </summary>
internal sealed class BidiConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _messages = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiver;
    private long _nextId;

    private BidiConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = Task.Run(ReceiveAsync);
    }

    public static async Task<BidiConnection> ConnectAsync(Uri endpoint)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(endpoint, CancellationToken.None);
        return new BidiConnection(socket);
    }

    public ConcurrentQueue<string> OpenMessages(string context) => _messages.GetOrAdd(context, _ => new());

    public void CloseMessages(string context) => _messages.TryRemove(context, out _);

    public async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
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
                var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
                if (node is null) continue;
                if (node["id"] is { } idNode && _pending.TryRemove(idNode.GetValue<long>(), out var waiter))
                {
                    if (node["type"]?.GetValue<string>() == "error") waiter.TrySetException(new BidiException($"{node["error"]}: {node["message"]}"));
                    else waiter.TrySetResult(node["result"] ?? new JsonObject());
                }
                else if (node["method"]?.GetValue<string>() == "log.entryAdded" && node["params"] is { } entry)
                {
                    var level = entry["level"]?.GetValue<string>();
                    var context = entry["source"]?["context"]?.GetValue<string>();
                    var text = entry["text"]?.GetValue<string>();
                    if (text is not null && level is "error" or "warn")
                    {
                        var line = text.Split('\n')[0].Trim();
                        if (context is not null && _messages.TryGetValue(context, out var own)) own.Enqueue(line);
                        else foreach (var queue in _messages.Values) queue.Enqueue(line);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        foreach (var waiter in _pending.Values) waiter.TrySetException(new BidiException("the BiDi connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try { await _receiver; } catch (Exception) { }
        _socket.Dispose();
    }
}
