using System.Collections.Concurrent;
using System.Diagnostics;
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
/// user.js holds the preferences Playwright is given (host mapping, cookie policy) and the Remote Agent's recommended ones.
/// </summary>
public sealed class BidiBrowser : IBrowserDriver
{
    private readonly BrowserProcess _process;
    private readonly Bidi _bidi;

    private BidiBrowser(BrowserProcess process, Bidi bidi, EngineSettings settings, string version, TimeSpan launchTime)
    {
        _process = process;
        _bidi = bidi;
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
        var started = Stopwatch.StartNew();
        BrowserProcess? process = null;
        Bidi? bidi = null;
        try
        {
            var prefs = new Dictionary<string, object>(settings.FirefoxPrefs(hosts))
            {
                // The Remote Agent's own set for automation (no updates, no first-run pages, no background traffic).
                ["remote.prefs.recommended"] = true,
                ["browser.shell.checkDefaultBrowser"] = false,
                ["browser.startup.page"] = 0,
            };
            process = await BrowserProcess.StartAsync(
                settings.ExecutablePath ?? EngineSettings.DebianFirefox,
                // Port 0: the Remote Agent binds a free loopback port and says where.
                profile => ["--headless", "--remote-debugging-port=0", "--profile", profile, "--no-remote", .. settings.ExtraArgs],
                "WebDriver BiDi listening on ",
                profile => File.WriteAllLinesAsync(Path.Combine(profile, "user.js"),
                    prefs.Select(p => $"user_pref({JsonSerializer.Serialize(p.Key)}, {JsonSerializer.Serialize(p.Value)});")));
            bidi = await Bidi.ConnectAsync(new Uri(process.Endpoint.ToString().TrimEnd('/') + "/session"));
            var session = await bidi.SendAsync("session.new", new JsonObject
            {
                // The reference servers' certificate is made in memory at start: no browser trusts it.
                ["capabilities"] = new JsonObject { ["alwaysMatch"] = new JsonObject { ["acceptInsecureCerts"] = true } },
            });
            var version = session["capabilities"]?["browserVersion"]?.GetValue<string>() ?? "unknown";
            // Firefox reports a blocked request as a console message, and an uncaught error as one: the reason text.
            await bidi.SendAsync("session.subscribe", new JsonObject { ["events"] = new JsonArray("log.entryAdded") });
            return new LaunchResult(new BidiBrowser(process, bidi, settings, version, started.Elapsed), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException
                                      or ProtocolException or System.Net.WebSockets.WebSocketException or IOException)
        {
            if (bidi is not null) await bidi.DisposeAsync();
            if (process is not null) await process.DisposeAsync();
            return new LaunchResult(null, $"firefox could not be launched: {e.Message.Split('\n')[0].Trim()}. To install it: {settings.InstallHint}");
        }
    }

    public async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var created = await _bidi.SendAsync("browser.createUserContext", new JsonObject());
        var userContext = created["userContext"]!.GetValue<string>();
        if (plantCookies)
        {
            // Cookies are keyed by name, host and path, not scheme: one non-Secure cookie per host serves HTTP and HTTPS.
            await Task.WhenAll(Enum.GetValues<Place>().Select(place => new Uri(servers.OriginOf(place, Scheme.Http)).Host).Distinct().Select(host =>
                _bidi.SendAsync("storage.setCookie", new JsonObject
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
        return new Scope(_bidi, userContext);
    }

    private sealed class Scope(Bidi bidi, string userContext) : IBrowserScope
    {
        public async Task<IRunnerPage> OpenPageAsync(string pageOrigin)
        {
            var created = await bidi.SendAsync("browsingContext.create", new JsonObject { ["type"] = "tab", ["userContext"] = userContext });
            var page = new Page(bidi, created["context"]!.GetValue<string>(), pageOrigin);
            try
            {
                // "interactive": DOMContentLoaded, so the runner script has run.
                await bidi.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = page.Context, ["url"] = pageOrigin + "/pages/matrix.html", ["wait"] = "interactive" });
            }
            catch (ProtocolException e)
            {
                await page.DisposeAsync();
                throw new PageOpenException(e.Message, e);
            }
            return page;
        }

        public async ValueTask DisposeAsync() =>
            await bidi.SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext });
    }

    private sealed class Page(Bidi bidi, string context, string pageOrigin) : IRunnerPage
    {
        private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);
        private readonly ConcurrentQueue<string> _messages = bidi.Messages.Open(context);

        public string Context => context;

        public string PageOrigin => pageOrigin;

        public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
        {
            var result = await bidi.SendAsync("script.callFunction", new JsonObject
            {
                ["functionDeclaration"] = PageSession.RunBatchFunction,
                ["arguments"] = new JsonArray(new JsonObject { ["type"] = "string", ["value"] = JsonSerializer.Serialize(batch, PageJson) }),
                ["target"] = new JsonObject { ["context"] = context },
                ["awaitPromise"] = true,
                ["resultOwnership"] = "none",
            });
            if (result["type"]?.GetValue<string>() != "success" || result["result"]?["value"]?.GetValue<string>() is not { } answer)
            {
                throw new InvalidOperationException("the runner page failed: " + (result["exceptionDetails"]?["text"] ?? result).ToJsonString());
            }
            return PageSession.InBatchOrder(batch, answer);
        }

        public string? ReasonFor(string token) => PageMessages.For(_messages, token);

        public string? TakeMessages() => PageMessages.Drain(_messages);

        public async ValueTask DisposeAsync()
        {
            bidi.Messages.Close(context);
            await bidi.SendAsync("browsingContext.close", new JsonObject { ["context"] = context });
        }
    }

    /// <summary>Closes the browser through the protocol (Firefox saves and exits), killed if it has not within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _bidi.SendAsync("browser.close", new JsonObject()).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is ProtocolException or TimeoutException)
        {
            // gone already, or stuck: the process is killed below
        }
        await _bidi.DisposeAsync();
        await _process.DisposeAsync();
    }

    /// <summary>WebDriver BiDi on a <see cref="ProtocolSocket"/>: answers are success or error; log entries go to pages.</summary>
    private sealed class Bidi : IAsyncDisposable
    {
        private ProtocolSocket _socket = null!;

        public PageMessages Messages { get; } = new();

        public static async Task<Bidi> ConnectAsync(Uri endpoint)
        {
            var bidi = new Bidi();
            bidi._socket = await ProtocolSocket.ConnectAsync(endpoint, bidi.OnEvent);
            return bidi;
        }

        public async Task<JsonNode> SendAsync(string method, JsonObject parameters)
        {
            var answer = await _socket.SendAsync(new JsonObject { ["method"] = method, ["params"] = parameters });
            if (answer["type"]?.GetValue<string>() == "error") throw new ProtocolException($"{method}: {answer["error"]}: {answer["message"]}");
            return answer["result"] ?? new JsonObject();
        }

        private void OnEvent(JsonObject message)
        {
            if (message["method"]?.GetValue<string>() != "log.entryAdded" || message["params"] is not { } entry) return;
            if (entry["level"]?.GetValue<string>() is not ("error" or "warn") || entry["text"]?.GetValue<string>() is not { } text) return;
            Messages.Add(entry["source"]?["context"]?.GetValue<string>(), text);
        }

        public ValueTask DisposeAsync() => _socket.DisposeAsync();
    }
}
