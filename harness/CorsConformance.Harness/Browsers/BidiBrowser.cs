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
public sealed class BidiBrowser : DirectBrowser
{
    private readonly Bidi _bidi;

    private BidiBrowser(BrowserProcess process, Bidi bidi, EngineSettings settings, string version, TimeSpan launchTime)
        : base(process, bidi, settings, version, launchTime) => _bidi = bidi;

    public override string Driver => "WebDriver BiDi (direct)";

    public override string Description => $"{Engine.Firefox.DisplayName()} {Version} ({Settings.Source}, WebDriver BiDi)";

    /// <summary>
    /// The preferences Playwright 1.64 writes into every Firefox profile it launches over BiDi (defaultProfilePreferences),
    /// under which the snapshots were first recorded. Some touch what a page can observe (network.cookie.sameSite.laxByDefault,
    /// dom.security.https_first, privacy.trackingprotection.enabled, browser.contentblocking.features.standard), so they are
    /// kept as they are, for both drivers to drive the same browser; the engine's own settings (host mapping, cookie policy)
    /// go over them, as they do in Playwright.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, object> PlaywrightPreferences = new Dictionary<string, object>
    {
        ["app.normandy.api_url"] = "",
        ["app.update.checkInstallTime"] = false,
        ["app.update.disabledForTesting"] = true,
        ["apz.content_response_timeout"] = 60000,
        ["browser.contentblocking.features.standard"] = "-tp,tpPrivate,cookieBehavior0,-cm,-fp",
        ["browser.dom.window.dump.enabled"] = true,
        ["browser.newtabpage.activity-stream.discoverystream.region-weather-config"] = "",
        ["browser.newtabpage.activity-stream.newtabWallpapers.enabled"] = false,
        ["browser.newtabpage.activity-stream.newtabWallpapers.v2.enabled"] = false,
        ["browser.newtabpage.activity-stream.showSponsoredTopSites"] = false,
        ["browser.newtabpage.activity-stream.feeds.system.topstories"] = false,
        ["browser.newtabpage.enabled"] = false,
        ["browser.pagethumbnails.capturing_disabled"] = true,
        ["browser.safebrowsing.blockedURIs.enabled"] = false,
        ["browser.safebrowsing.downloads.enabled"] = false,
        ["browser.safebrowsing.malware.enabled"] = false,
        ["browser.safebrowsing.phishing.enabled"] = false,
        ["browser.search.update"] = false,
        ["browser.sessionstore.resume_from_crash"] = false,
        ["browser.shell.checkDefaultBrowser"] = false,
        ["browser.startup.homepage"] = "about:blank",
        ["browser.startup.homepage_override.mstone"] = "ignore",
        ["browser.startup.page"] = 0,
        ["browser.tabs.disableBackgroundZombification"] = false,
        ["browser.tabs.warnOnCloseOtherTabs"] = false,
        ["browser.tabs.warnOnOpen"] = false,
        ["browser.translations.automaticallyPopup"] = false,
        ["browser.uitour.enabled"] = false,
        ["browser.urlbar.suggest.searches"] = false,
        ["browser.usedOnWindows10.introURL"] = "",
        ["browser.warnOnQuit"] = false,
        ["datareporting.healthreport.documentServerURI"] = "http://dummy.test/dummy/healthreport/",
        ["datareporting.healthreport.logging.consoleEnabled"] = false,
        ["datareporting.healthreport.service.enabled"] = false,
        ["datareporting.healthreport.service.firstRun"] = false,
        ["datareporting.healthreport.uploadEnabled"] = false,
        ["datareporting.usage.uploadEnabled"] = false,
        ["telemetry.fog.test.localhost_port"] = -1,
        ["datareporting.policy.dataSubmissionEnabled"] = false,
        ["datareporting.policy.dataSubmissionPolicyBypassNotification"] = true,
        ["devtools.jsonview.enabled"] = false,
        ["dom.disable_open_during_load"] = false,
        ["dom.file.createInChild"] = true,
        ["dom.ipc.reportProcessHangs"] = false,
        ["dom.max_chrome_script_run_time"] = 0,
        ["dom.max_script_run_time"] = 0,
        ["dom.min_background_timeout_value"] = 0,
        ["dom.min_background_timeout_value_without_budget_throttling"] = 0,
        ["dom.timeout.enable_budget_timer_throttling"] = false,
        ["dom.security.https_first"] = false,
        ["extensions.autoDisableScopes"] = 0,
        ["extensions.enabledScopes"] = 5,
        ["extensions.getAddons.cache.enabled"] = false,
        ["extensions.installDistroAddons"] = false,
        ["extensions.screenshots.disabled"] = true,
        ["extensions.update.enabled"] = false,
        ["extensions.update.notifyUser"] = false,
        ["extensions.webservice.discoverURL"] = "http://dummy.test/dummy/discoveryURL",
        ["focusmanager.testmode"] = true,
        ["general.useragent.updates.enabled"] = false,
        ["geo.provider.testing"] = true,
        ["geo.wifi.scan"] = false,
        ["hangmonitor.timeout"] = 0,
        ["javascript.options.showInConsole"] = true,
        ["layout.testing.top-level-always-active"] = true,
        ["media.gmp-manager.updateEnabled"] = false,
        ["media.sanity-test.disabled"] = true,
        ["network.connectivity-service.enabled"] = false,
        ["network.cookie.sameSite.laxByDefault"] = false,
        ["network.http.prompt-temp-redirect"] = false,
        ["network.http.speculative-parallel-limit"] = 0,
        ["network.manage-offline-status"] = false,
        ["network.sntp.pools"] = "dummy.test",
        ["plugin.state.flash"] = 0,
        ["privacy.trackingprotection.enabled"] = false,
        ["remote.enabled"] = true,
        ["security.certerrors.mitm.priming.enabled"] = false,
        ["security.fileuri.strict_origin_policy"] = false,
        ["security.notification_enable_delay"] = 0,
        ["signon.autofillForms"] = false,
        ["signon.rememberSignons"] = false,
        ["startup.homepage_welcome_url"] = "about:blank",
        ["startup.homepage_welcome_url.additional"] = "",
        ["toolkit.cosmeticAnimations.enabled"] = false,
        ["toolkit.startup.max_resumed_crashes"] = -1,
        ["dom.testing.testutils.enabled"] = true,
    };

    /// <summary>Starts Firefox with its Remote Agent on a free loopback port and opens a session, or says why it cannot.</summary>
    public static async Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts = null)
    {
        // Port moves (page origins on 443 or 80 served by our loopback servers) go through a host proxy, which routes by
        // host and port: network.socket.forcePort would move the port for every host, a server under test's too.
        var proxy = HostMapping.FirefoxForcePort(hosts ?? HostMapping.Topology) is not null ? HostProxy.Start(hosts!) : null;
        var launched = await TryLaunchAsync(settings, hosts, proxy);
        if (launched.Session is null && proxy is not null) await proxy.DisposeAsync();
        return launched;
    }

    private static Task<LaunchResult> TryLaunchAsync(EngineSettings settings, IReadOnlyList<HostMapping>? hosts, HostProxy? proxy)
    {
        var prefs = new Dictionary<string, object>(PlaywrightPreferences);
        foreach (var (name, value) in settings.FirefoxPrefs(hosts, proxy?.Port)) prefs[name] = value;
        // And the Remote Agent's own set for automation (no updates, no first-run pages, no background traffic).
        prefs["remote.prefs.recommended"] = true;
        var executable = settings.ExecutablePath ?? EngineSettings.DebianFirefox;
        // Firefox's compiled interface from an earlier profile, and nothing else of it (FirefoxStartupCache).
        var seed = FirefoxStartupCache.SeedOf(executable);
        return TryLaunchAsync<Bidi>(
            settings,
            executable,
            // Port 0: the Remote Agent binds a free loopback port and says where.
            profile => ["--headless", "--remote-debugging-port=0", "--profile", profile, "--no-remote", .. settings.ExtraArgs],
            "WebDriver BiDi listening on ",
            profile =>
            {
                FirefoxStartupCache.Seed(seed, profile);
                return File.WriteAllLinesAsync(Path.Combine(profile, "user.js"),
                    prefs.Select(p => $"user_pref({JsonSerializer.Serialize(p.Key)}, {JsonSerializer.Serialize(p.Value)});"));
            },
            endpoint => new Uri(endpoint.ToString().TrimEnd('/') + "/session"),
            async (process, bidi, started) =>
            {
                var session = await bidi.SendAsync("session.new", new JsonObject
                {
                    // The reference servers' certificate is made in memory at start: no browser trusts it.
                    ["capabilities"] = new JsonObject { ["alwaysMatch"] = new JsonObject { ["acceptInsecureCerts"] = true } },
                });
                var version = session["capabilities"]?["browserVersion"]?.GetValue<string>() ?? "unknown";
                // Firefox reports a blocked request as a console message, and an uncaught error as one: the reason text.
                await bidi.SendAsync("session.subscribe", new JsonObject { ["events"] = new JsonArray("log.entryAdded") });
                return new BidiBrowser(process, bidi, settings, version, started.Elapsed) { Companion = proxy };
            },
            profile => FirefoxStartupCache.Harvest(profile, seed));
    }

    public override async Task<IBrowserScope> NewScopeAsync(ReferenceServers servers, bool plantCookies = true)
    {
        var created = await _bidi.SendAsync("browser.createUserContext", new JsonObject());
        var scope = new Scope(_bidi, created["userContext"]!.GetValue<string>());
        if (plantCookies) await scope.PlantCookiesAsync(servers);
        return scope;
    }

    private sealed class Scope(Bidi bidi, string userContext) : DirectScope
    {
        protected override Task SetCookiesAsync(IReadOnlyList<ScopeCookie> cookies) =>
            Task.WhenAll(cookies.Select(c =>
            {
                // BiDi sets every cookie by domain: the planted one's is its host, a host-only cookie.
                var cookie = new JsonObject
                {
                    ["name"] = c.Name,
                    ["value"] = new JsonObject { ["type"] = "string", ["value"] = c.Value },
                    ["domain"] = c.DomainAttribute,
                    ["path"] = c.Path,
                    ["secure"] = c.Secure,
                    ["httpOnly"] = c.HttpOnly,
                };
                if (c.Expires > 0) cookie["expiry"] = c.Expires;
                cookie["sameSite"] = c.SameSite.ToLowerInvariant();
                return bidi.SendAsync("storage.setCookie", new JsonObject
                {
                    ["cookie"] = cookie,
                    ["partition"] = new JsonObject { ["type"] = "storageKey", ["userContext"] = userContext },
                });
            }));

        protected override async Task<DirectPage> NewPageAsync(string pageOrigin) => new Page(bidi, await CreateTabAsync(), pageOrigin);

        /// <summary>
        /// A new tab in this scope's user context. Firefox can discard a tab's first browsing context while creating it
        /// (its initial about:blank swapped out under load, with other tabs opening and closing in the same browser) and
        /// answers "no such frame"; nothing of a case has run yet, so it is asked again, twice at most.
        /// </summary>
        private async Task<string> CreateTabAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var created = await bidi.SendAsync("browsingContext.create", new JsonObject { ["type"] = "tab", ["userContext"] = userContext });
                    return created["context"]!.GetValue<string>();
                }
                catch (ProtocolException e) when (attempt < 3 && e.Message.Contains("no such frame", StringComparison.Ordinal))
                {
                    await Task.Delay(50 * attempt);
                }
            }
        }

        public override async ValueTask DisposeAsync() =>
            await bidi.SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext });
    }

    private sealed class Page(Bidi bidi, string context, string pageOrigin) : DirectPage(bidi.Messages, context, pageOrigin)
    {
        private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);

        /// <summary>"interactive": returns at DOMContentLoaded, so the runner script has run — or never will (it failed to load).</summary>
        public override Task NavigateAsync(string url) =>
            bidi.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = Key, ["url"] = url, ["wait"] = "interactive" });

        public override async Task<T> EvaluateAsync<T>(string expression)
        {
            var result = await ScriptAsync("script.evaluate", new JsonObject
            {
                ["expression"] = expression,
                ["target"] = new JsonObject { ["context"] = Key },
                ["awaitPromise"] = false,
            });
            if (result["type"]?.GetValue<string>() != "success") throw new RunnerPageException("the runner page failed: " + (result["exceptionDetails"]?["text"] ?? result).ToJsonString());
            return result["result"]!["value"]!.GetValue<T>();
        }

        public override async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
        {
            var result = await ScriptAsync("script.callFunction", new JsonObject
            {
                ["functionDeclaration"] = PageSession.RunBatchFunction,
                ["arguments"] = new JsonArray(new JsonObject { ["type"] = "string", ["value"] = JsonSerializer.Serialize(batch, PageJson) }),
                ["target"] = new JsonObject { ["context"] = Key },
                ["awaitPromise"] = true,
                ["resultOwnership"] = "none",
            });
            if (result["type"]?.GetValue<string>() != "success" || result["result"]?["value"]?.GetValue<string>() is not { } answer)
            {
                throw new RunnerPageException("the runner page failed: " + (result["exceptionDetails"]?["text"] ?? result).ToJsonString());
            }
            return PageSession.InBatchOrder(batch, answer);
        }

        protected override Task CloseAsync() => bidi.SendAsync("browsingContext.close", new JsonObject { ["context"] = Key });

        /// <summary>A script command in the page. A tab whose content process crashed (or was killed) shows Firefox's crash
        /// page, which lives in the parent process, where BiDi runs no script: said as the crash it is, so that it is never
        /// read as the browser refusing a page at the origin the tab was moving to (a server under test's calls from it
        /// were skipped as not judged).</summary>
        private async Task<JsonNode> ScriptAsync(string method, JsonObject parameters)
        {
            try
            {
                return await bidi.SendAsync(method, parameters);
            }
            catch (ProtocolException e) when (e.Message.Contains("parent process browsing contexts", StringComparison.Ordinal))
            {
                throw new RunnerPageException("the runner page failed: its tab crashed or was killed (Firefox shows its crash page, where no script runs: " + e.Message + ")") { Crashed = true };
            }
        }
    }

    /// <summary>WebDriver BiDi: answers are success or error; log entries go to the pages.</summary>
    private sealed class Bidi : ProtocolClient
    {
        public async Task<JsonNode> SendAsync(string method, JsonObject parameters)
        {
            var answer = await Socket.SendAsync(new JsonObject { ["method"] = method, ["params"] = parameters });
            if (answer["type"]?.GetValue<string>() == "error") throw new ProtocolException($"{method}: {answer["error"]}: {answer["message"]}");
            return answer["result"] ?? new JsonObject();
        }

        public override Task CloseBrowserAsync() => SendAsync("browser.close", new JsonObject());

        protected override void OnEvent(JsonObject message)
        {
            if (message["method"]?.GetValue<string>() != "log.entryAdded" || message["params"] is not { } entry) return;
            if (entry["level"]?.GetValue<string>() is not ("error" or "warn") || entry["text"]?.GetValue<string>() is not { } text) return;
            Messages.Add(entry["source"]?["context"]?.GetValue<string>(), text);
        }
    }
}
