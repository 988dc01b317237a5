using System.Text.Json;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace CorsConformance.Harness.Browsers;

/// <summary>One W3C WebDriver session, whoever serves it (a local WebKitWebDriver, a Selenium Grid): the browser of one scope.</summary>
internal interface IWebDriverSession : IAsyncDisposable
{
    RemoteWebDriver WebDriver { get; }

    /// <summary>What the driver said last, for an error message (empty when it cannot be heard).</summary>
    string RecentDriverOutput();
}

/// <summary>
/// One session: the scope's cookie jar and preflight cache. Its runner pages run side by side, a window each: a W3C
/// WebDriver session has one command channel and a "current window" that every command acts on, so each command of a page
/// switches to the page's window first, with no other page's command in between (<see cref="OnWindowAsync{T}"/>), and no
/// command holds the channel for a whole batch while another page is open (<see cref="WebDriverPage.RunAsync"/>). Before
/// this, a scope's pages took turns in the one window, and a page of cases that wait on purpose held the others up for its
/// whole wait (WebKitGTK, bench 2026-12-04: the last of its pages ready 5.6 s into a 8.8 s run, the machine half idle).
/// </summary>
internal sealed class WebDriverScope(IWebDriverSession session) : IBrowserScope
{
    private readonly SemaphoreSlim _channel = new(1, 1);

    /// <summary>Windows no open page holds, kept for the next page: closing a session's last window would end the session.</summary>
    private readonly Stack<string> _spareWindows = new();

    /// <summary>The window the session is on (every command acts on it); null until asked.</summary>
    private string? _current;

    private int _openPages;

    /// <summary>How many of this scope's pages are open now.</summary>
    internal int OpenPages => Volatile.Read(ref _openPages);

    /// <summary>A scope on a fresh session, with the planted cookies unless told not to; the session is closed if planting fails.</summary>
    public static async Task<IBrowserScope> OpenAsync(IWebDriverSession session, ReferenceServers servers, bool plantCookies)
    {
        var scope = new WebDriverScope(session);
        try
        {
            var first = await Task.Run(() => session.WebDriver.CurrentWindowHandle);
            scope._current = first;
            scope._spareWindows.Push(first);
            if (plantCookies) await scope.PlantCookiesAsync(servers);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
        return scope;
    }

    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="window"/>: switches the session to it first, and no other window's
    /// command comes between the switch and the command.
    /// </summary>
    internal async Task<T> OnWindowAsync<T>(string window, Func<RemoteWebDriver, T> command)
    {
        await _channel.WaitAsync();
        try
        {
            return await Task.Run(() =>
            {
                if (_current != window)
                {
                    session.WebDriver.SwitchTo().Window(window);
                    _current = window;
                }
                return command(session.WebDriver);
            });
        }
        finally
        {
            _channel.Release();
        }
    }

    public async Task PlantCookiesAsync(ReferenceServers servers)
    {
        foreach (var cookie in servers.PlantedCookies())
        {
            // Add Cookie sets a cookie for the current document's host: visit each host first (any path will do).
            var url = cookie.HttpOrigin + "/pages/cookie";
            try
            {
                await Task.Run(() =>
                {
                    session.WebDriver.Navigate().GoToUrl(url);
                    session.WebDriver.Manage().Cookies.AddCookie(new OpenQA.Selenium.Cookie(cookie.Name, cookie.Value, null, "/", null, false, false, "Lax"));
                });
            }
            catch (WebDriverException e)
            {
                // Most often the browser never loaded the page (its host mapping did not take: not a browser this harness
                // configured, or a remote end on another machine): say where it is instead.
                string shows;
                try
                {
                    shows = await Task.Run(() => session.WebDriver.Url);
                }
                catch (WebDriverException)
                {
                    shows = "nothing the driver could report";
                }
                throw new PageOpenException($"could not plant the test cookie at {url} ({e.Message.Split('\n')[0].Trim()}); the browser shows {shows}", e);
            }
        }
    }

    public async Task<IRunnerPage> OpenPageAsync(string pageOrigin)
    {
        Interlocked.Increment(ref _openPages);
        string window;
        try
        {
            lock (_spareWindows) window = _spareWindows.Count > 0 ? _spareWindows.Pop() : "";
            if (window.Length == 0)
            {
                // A window of its own (not a tab: a tab in the background may be throttled), made and switched to at once.
                window = await OnWindowAsync(_current ?? "", driver =>
                {
                    driver.SwitchTo().NewWindow(WindowType.Window);
                    return _current = driver.CurrentWindowHandle;
                });
            }
        }
        catch (WebDriverException e)
        {
            Interlocked.Decrement(ref _openPages);
            throw new PageOpenException("could not open a window for the runner page: " + e.Message.Split('\n')[0].Trim(), e);
        }
        var page = new WebDriverPage(this, session, window, pageOrigin, () =>
        {
            lock (_spareWindows) _spareWindows.Push(window);
            Interlocked.Decrement(ref _openPages);
        });
        try
        {
            await page.LoadAsync(pageOrigin);
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await session.DisposeAsync();
        _channel.Dispose();
    }
}

/// <summary>
/// The runner page in one window of a session. A batch is started by one script call and its answer collected by
/// another, so that while the batch runs the session's channel is free for the scope's other pages.
/// </summary>
internal sealed class WebDriverPage(WebDriverScope scope, IWebDriverSession session, string window, string pageOrigin, Action close) : IRunnerPage
{
    private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);

    /// <summary>Starts a batch (arguments[0], under the key arguments[1]); its answer, the results or <c>{ error }</c> as JSON,
    /// is kept under its key until a wait takes it. Then waits as <see cref="AwaitBatch"/> does, with arguments[2]: a batch
    /// that ends within that time costs one call.</summary>
    private const string StartBatch =
        "const [json, key, within, done] = arguments; window.corsBatches = window.corsBatches || {};"
        + "window.corsBatches[key] = window.corsRun(JSON.parse(json)).then(r => JSON.stringify(r), e => JSON.stringify({ error: String(e) }));"
        + Wait;

    /// <summary>Waits up to arguments[1] ms for the batch started under the key arguments[0]: its answer, or null while it
    /// runs, or "!" and what the page shows for a batch this document never started (it was reloaded or replaced).</summary>
    private const string AwaitBatch = "const [key, within, done] = arguments;" + Wait;

    private const string Wait =
        "const batch = (window.corsBatches || {})[key];"
        + "if (!batch) { done('!' + location.href); return; }"
        + "let waiting = true; const timer = setTimeout(() => { waiting = false; done(null); }, within);"
        + "batch.then(answer => { if (!waiting) return; clearTimeout(timer); delete window.corsBatches[key]; done(answer); });";

    /// <summary>How long one wait for a batch holds the session's channel while other pages of the scope are open: short, so
    /// their batches start and finish meanwhile.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(25);

    /// <summary>The same, while this page is the scope's only one: longer (fewer calls), but short enough that a page opening
    /// beside it is not kept waiting for the whole batch.</summary>
    private static readonly TimeSpan Alone = TimeSpan.FromMilliseconds(200);

    private int _batches;
    private int _closed;

    public string PageOrigin { get; private set; } = pageOrigin;

    /// <summary>Loads the runner page at <paramref name="origin"/> in this page's window and waits until it is ready.</summary>
    internal async Task LoadAsync(string origin, bool moving = false)
    {
        try
        {
            await scope.OnWindowAsync(window, driver =>
            {
                if (moving) driver.ExecuteScript($"{RunnerPageReady.Leaving};");
                driver.Navigate().GoToUrl(origin + Specs.Model.ServerContract.RunnerPagePath);
                return true;
            });
        }
        catch (WebDriverException e)
        {
            throw new PageOpenException(e.Message.Split('\n')[0].Trim(), e);
        }
        await RunnerPageReady.WaitAsync(origin,
            async () => await scope.OnWindowAsync(window, driver => driver.ExecuteScript($"return {RunnerPageReady.For(moving)};")) is true,
            async () =>
            {
                var state = await scope.OnWindowAsync(window, driver => driver.ExecuteScript("return location.href + ' (' + document.readyState + '): ' + document.title + ' ' + (document.body ? document.body.innerText.slice(0, 200) : '');"));
                return $"the browser shows {state}{(session.RecentDriverOutput() is { Length: > 0 } said ? "; driver: " + said : "")}";
            },
            async () => await scope.OnWindowAsync(window, driver => driver.ExecuteScript($"return {RunnerPageReady.Dead};")) is true);
    }

    public async Task MoveToAsync(string pageOrigin)
    {
        await LoadAsync(pageOrigin, moving: true);
        PageOrigin = pageOrigin;
    }

    public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
    {
        var json = JsonSerializer.Serialize(batch, PageJson);
        var key = "b" + Interlocked.Increment(ref _batches);
        int Within() => (int)(scope.OpenPages > 1 ? Slice : Alone).TotalMilliseconds;
        var answer = await scope.OnWindowAsync(window, driver => driver.ExecuteAsyncScript(StartBatch, json, key, Within())) as string;
        while (answer is null)
        {
            answer = await scope.OnWindowAsync(window, driver => driver.ExecuteAsyncScript(AwaitBatch, key, Within())) as string;
        }
        if (answer.StartsWith('!')) throw new RunnerPageException($"the runner page lost its batch (it was reloaded or replaced while the batch ran): it shows {answer[1..]}");
        if (answer.StartsWith("{", StringComparison.Ordinal))
        {
            throw new RunnerPageException("the runner page failed: " + answer);
        }
        var byId = (JsonSerializer.Deserialize<PageResult[]>(answer, PageJson) ?? []).ToDictionary(r => r.Id);
        return batch.Select(r => byId[r.Id]).ToList();
    }

    public string? ReasonFor(string token) => null;

    public string? TakeMessages() => null;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) close();
        return ValueTask.CompletedTask;
    }
}
