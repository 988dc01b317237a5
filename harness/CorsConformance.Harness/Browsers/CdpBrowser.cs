using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// Chromium driven over the Chrome DevTools Protocol by the harness itself, with the Network domain never enabled: only
/// Runtime and Log (the browser's words about blocked requests), on the page and on every frame and worker attached to
/// it. Chromium is started with the same switches Playwright gives it (<see cref="PlaywrightSwitches"/>), so the browser
/// is configured alike and only the watching differs. Commands used: Target (browser contexts, pages, auto-attach),
/// Storage.setCookies, Security.setIgnoreCertificateErrors, Page.navigate, Runtime.evaluate.
/// </summary>
public sealed class CdpBrowser : DirectBrowser
{
    private readonly Cdp _cdp;

    private CdpBrowser(BrowserProcess process, Cdp cdp, EngineSettings settings, string version, TimeSpan launchTime)
        : base(process, cdp, settings, version, launchTime) => _cdp = cdp;

    public override string Driver => "Chrome DevTools Protocol (direct)";

    public override string Description => $"{Engine.Chromium.DisplayName()} {Version} ({Settings.BuildWords}, CDP)";

    /// <summary>
    /// Playwright 1.64's Chromium switches (chromiumSwitches and its headless defaults), which the snapshots were first
    /// recorded under. Some touch what a page can observe — the features it disables include HttpsUpgrades,
    /// ThirdPartyStoragePartitioning, BlockOriginHeaderModificationOnRedirect and AvoidCorsURLLoaderRestartOnRedirect — so
    /// they are kept as they are, for both drivers to drive the same browser; the full browser alone gets one of them
    /// changed (<see cref="SwitchesFor"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> PlaywrightSwitches =
    [
        "--disable-field-trial-config", "--disable-background-networking", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows", "--disable-back-forward-cache", "--disable-breakpad",
        "--disable-client-side-phishing-detection", "--disable-component-extensions-with-background-pages",
        "--disable-component-update", "--no-default-browser-check", "--disable-default-apps", "--disable-dev-shm-usage",
        "--disable-edgeupdater", "--disable-extensions",
        "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,DialMediaRouteProvider,GlobalMediaControls,"
            + "HttpsUpgrades,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,BlockOriginHeaderModificationOnRedirect,"
            + "AvoidCorsURLLoaderRestartOnRedirect,Translate,AutoDeElevate,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
            + "msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion",
        "--enable-features=CDPScreenshotNewSurface", "--allow-pre-commit-input", "--disable-hang-monitor",
        "--disable-ipc-flooding-protection", "--disable-popup-blocking", "--disable-prompt-on-repost",
        "--disable-renderer-backgrounding", "--disable-updater-scheduler", "--force-color-profile=srgb",
        "--metrics-recording-only", "--no-first-run", "--password-store=basic", "--use-mock-keychain", "--no-service-autorun",
        "--export-tagged-pdf", "--disable-search-engine-choice-screen", "--unsafely-disable-devtools-self-xss-warnings",
        "--edge-skip-compat-layer-relaunch", "--disable-infobars", "--disable-sync", "--enable-unsafe-swiftshader",
        "--headless", "--hide-scrollbars", "--mute-audio",
        "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4", "--no-sandbox",
    ];

    /// <summary>The feature Playwright disables that the full browser is started with (Playwright: for its storage-state
    /// API, microsoft/playwright#32230; Chromium means to remove the switch, crbug 410491202).</summary>
    public const string StoragePartitioningFeature = "ThirdPartyStoragePartitioning";

    /// <summary>Playwright's <c>--disable-features</c> switch, as <see cref="PlaywrightSwitches"/> holds it.</summary>
    public static string PlaywrightDisabledFeatures => PlaywrightSwitches.Single(s => s.StartsWith("--disable-features=", StringComparison.Ordinal));

    /// <summary>The same switch without <see cref="StoragePartitioningFeature"/>.</summary>
    public static string FullBrowserDisabledFeatures =>
        "--disable-features=" + string.Join(",", PlaywrightDisabledFeatures["--disable-features=".Length..].Split(',').Where(f => f != StoragePartitioningFeature));

    /// <summary>
    /// Playwright's switches as this build of Chromium gets them. The headless shell gets every one unchanged: its snapshots
    /// were recorded so. The full browser (Debian's /usr/bin/chromium 156) gets them all but
    /// <see cref="StoragePartitioningFeature"/> disabled: with that feature disabled it does not start a data: SharedWorker
    /// at all (the 15 null-origin/data-shared-worker cases were harness errors, 2026-12-07), which it starts without the
    /// switch; the shell starts it either way. No observation of the catalog hangs on it otherwise: every snapshot holds in
    /// the full browser started so (1713 of 1713, docs/engines.md).
    /// </summary>
    public static IReadOnlyList<string> SwitchesFor(EngineSettings settings) =>
        settings.Engine != Engine.Chromium || settings.IsHeadlessShell
            ? PlaywrightSwitches
            : [.. PlaywrightSwitches.Select(s => s == PlaywrightDisabledFeatures ? FullBrowserDisabledFeatures : s)];

    /// <summary>Starts Chromium with its DevTools endpoint on a free loopback port, or says why it cannot.</summary>
    public static Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts = null) =>
        TryLaunchAsync<Cdp>(
            settings,
            settings.ExecutablePath ?? EngineSettings.DebianChromium,
            profile => [.. SwitchesFor(settings), .. settings.LaunchArgs(hosts), "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank"],
            "DevTools listening on ",
            prepare: null,
            endpoint => endpoint,
            async (process, cdp, started) =>
            {
                var version = (await cdp.SendAsync("Browser.getVersion"))["product"]?.GetValue<string>() ?? "unknown";
                // The reference servers' certificate is made in memory at start: no browser trusts it (Playwright: IgnoreHTTPSErrors).
                await cdp.SendAsync("Security.setIgnoreCertificateErrors", new JsonObject { ["ignore"] = true });
                return new CdpBrowser(process, cdp, settings, version[(version.IndexOf('/') + 1)..], started.Elapsed);
            });

    public override async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var created = await _cdp.SendAsync("Target.createBrowserContext", new JsonObject { ["disposeOnDetach"] = true });
        var scope = new Scope(_cdp, created["browserContextId"]!.GetValue<string>());
        if (plantCookies) await scope.PlantCookiesAsync(servers);
        return scope;
    }

    private sealed class Scope(Cdp cdp, string browserContext) : DirectScope
    {
        protected override Task SetCookiesAsync(IReadOnlyList<ScopeCookie> cookies)
        {
            var list = new JsonArray([.. cookies.Select(c =>
            {
                var cookie = new JsonObject { ["name"] = c.Name, ["value"] = c.Value };
                // Set from a URL, as that host's own Set-Cookie would: a host-only cookie. Else by domain.
                if (c.SetFrom is { } url) cookie["url"] = url;
                else cookie["domain"] = c.DomainAttribute;
                cookie["path"] = c.Path;
                cookie["secure"] = c.Secure;
                cookie["httpOnly"] = c.HttpOnly;
                if (c.Expires > 0) cookie["expires"] = c.Expires;
                cookie["sameSite"] = c.SameSite;
                return (JsonNode)cookie;
            })]);
            return cdp.SendAsync("Storage.setCookies", new JsonObject { ["cookies"] = list, ["browserContextId"] = browserContext });
        }

        protected override async Task<DirectPage> NewPageAsync(string pageOrigin)
        {
            var target = (await cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank", ["browserContextId"] = browserContext }))["targetId"]!.GetValue<string>();
            var session = (await cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }))["sessionId"]!.GetValue<string>();
            return new Page(cdp, target, session, pageOrigin);
        }

        public override async ValueTask DisposeAsync() =>
            await cdp.SendAsync("Target.disposeBrowserContext", new JsonObject { ["browserContextId"] = browserContext });
    }

    private sealed class Page(Cdp cdp, string target, string session, string pageOrigin) : DirectPage(cdp.Messages, session, pageOrigin)
    {
        private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);

        public override async Task NavigateAsync(string url)
        {
            await cdp.WatchAsync(Key);
            var navigated = await cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, Key);
            if (navigated["errorText"]?.GetValue<string>() is { Length: > 0 } error) throw new ProtocolException(error);
        }

        public override async Task<T> EvaluateAsync<T>(string expression)
        {
            var evaluating = cdp.SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = expression,
                ["awaitPromise"] = true,
                ["returnByValue"] = true,
            }, Key);
            // A renderer that crashes (or is killed) never answers the evaluate: its crash, said by the browser, ends the wait.
            var crashed = cdp.CrashOf(Key);
            if (await Task.WhenAny(evaluating, crashed) == crashed)
            {
                _ = evaluating.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                throw new RunnerPageException("the runner page failed: " + await crashed) { Crashed = true };
            }
            var result = await evaluating;
            if (result["exceptionDetails"] is { } exception) throw new RunnerPageException("the runner page failed: " + (exception["exception"]?["description"] ?? exception["text"]));
            return result["result"]!["value"]!.GetValue<T>();
        }

        public override async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
        {
            var json = JsonSerializer.Serialize(JsonSerializer.Serialize(batch, PageJson));
            return PageSession.InBatchOrder(batch, await EvaluateAsync<string>($"({PageSession.RunBatchFunction})({json})"));
        }

        protected override Task CloseAsync()
        {
            cdp.Forget(Key);
            return cdp.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = target });
        }
    }

    /// <summary>
    /// CDP on a <see cref="ProtocolSocket"/>, flat sessions: a command for a page carries its session id. Each watched session
    /// has Runtime and Log enabled and attaches to its frames and workers as they appear (each watched the same way); what
    /// they say is kept for the page whose session is at the root.
    /// </summary>
    private sealed class Cdp : ProtocolClient
    {
        private readonly ConcurrentDictionary<string, string> _pageOf = new();

        /// <summary>For each page's session, its renderer's crash as the browser says it (Inspector.targetCrashed, on the page's
        /// session or a frame's or worker's below it).</summary>
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _crashes = new();

        public Task<string> CrashOf(string page) => _crashes.GetOrAdd(page, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Forget(string page) => _crashes.TryRemove(page, out _);

        public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, string? session = null)
        {
            var command = new JsonObject { ["method"] = method, ["params"] = parameters ?? new JsonObject() };
            if (session is not null) command["sessionId"] = session;
            var answer = await Socket.SendAsync(command);
            if (answer["error"] is { } error) throw new ProtocolException($"{method}: {error["message"]}");
            return answer["result"] ?? new JsonObject();
        }

        /// <summary>Starts hearing a session (a page's, or a frame's or worker's below it).</summary>
        public Task WatchAsync(string session, string? page = null)
        {
            _pageOf[session] = page ?? session;
            return Task.WhenAll(
                // Inspector: a page's session hears its renderer crash (Inspector.targetCrashed).
                page is null ? SendAsync("Inspector.enable", session: session) : Task.CompletedTask,
                SendAsync("Runtime.enable", session: session),
                SendAsync("Log.enable", session: session),
                SendAsync("Target.setAutoAttach", new JsonObject { ["autoAttach"] = true, ["waitForDebuggerOnStart"] = false, ["flatten"] = true }, session));
        }

        public override Task CloseBrowserAsync() => SendAsync("Browser.close");

        protected override void OnEvent(JsonObject message)
        {
            var session = message["sessionId"]?.GetValue<string>();
            var page = session is not null && _pageOf.TryGetValue(session, out var root) ? root : null;
            if (message["params"] is not JsonObject parameters) return;
            string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            switch (Text(message["method"]))
            {
                case "Log.entryAdded":
                    if (parameters["entry"] is { } entry && Text(entry["level"]) is "error" or "warning") Messages.Add(page, Text(entry["text"]) ?? "");
                    break;
                case "Runtime.consoleAPICalled":
                    if (Text(parameters["type"]) is "error" or "warning")
                    {
                        Messages.Add(page, string.Join(" ", (parameters["args"] as JsonArray ?? []).Select(a => a?["value"]?.ToString() ?? Text(a?["description"]) ?? "")));
                    }
                    break;
                case "Runtime.exceptionThrown":
                    if (parameters["exceptionDetails"] is { } details) Messages.Add(page, Text(details["exception"]?["description"]) ?? Text(details["text"]) ?? "");
                    break;
                case "Target.attachedToTarget":
                    // Not awaited: the receiving loop must not wait for an answer it has yet to receive.
                    if (page is not null && Text(parameters["sessionId"]) is { } child)
                    {
                        _ = WatchAsync(child, page).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    }
                    break;
                case "Inspector.targetCrashed":
                    if (page is not null && _crashes.GetOrAdd(page, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)) is { } crash)
                    {
                        crash.TrySetResult(session == page ? "its renderer crashed or was killed (CDP Inspector.targetCrashed)" : "the renderer of a frame or worker of the page crashed or was killed (CDP Inspector.targetCrashed)");
                    }
                    break;
                case "Target.detachedFromTarget":
                    if (Text(parameters["sessionId"]) is { } gone) _pageOf.TryRemove(gone, out _);
                    break;
            }
        }
    }
}
