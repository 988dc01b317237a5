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

/// <summary>One session: one window, so one runner page at a time.</summary>
internal sealed class WebDriverScope(IWebDriverSession session) : IBrowserScope
{
    private readonly SemaphoreSlim _window = new(1, 1);

    /// <summary>A scope on a fresh session, with the planted cookies unless told not to; the session is closed if planting fails.</summary>
    public static async Task<IBrowserScope> OpenAsync(IWebDriverSession session, ReferenceServers servers, bool plantCookies)
    {
        var scope = new WebDriverScope(session);
        if (!plantCookies) return scope;
        try
        {
            await scope.PlantCookiesAsync(servers);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
        return scope;
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
        await _window.WaitAsync();
        try
        {
            await WebDriverPage.LoadAsync(session, pageOrigin);
        }
        catch
        {
            _window.Release();
            throw;
        }
        return new WebDriverPage(session, pageOrigin, () => _window.Release());
    }

    public async ValueTask DisposeAsync()
    {
        await session.DisposeAsync();
        _window.Dispose();
    }
}

/// <summary>The runner page in a session's one window: a batch is one asynchronous script call.</summary>
internal sealed class WebDriverPage(IWebDriverSession session, string pageOrigin, Action close) : IRunnerPage
{
    private static readonly JsonSerializerOptions PageJson = new(JsonSerializerDefaults.Web);

    private const string RunBatch =
        "const done = arguments[arguments.length - 1];"
        + "window.corsRun(JSON.parse(arguments[0])).then(r => done(JSON.stringify(r)), e => done(JSON.stringify({ error: String(e) })));";

    public string PageOrigin { get; private set; } = pageOrigin;

    /// <summary>Loads the runner page at <paramref name="pageOrigin"/> in the session's window and waits until it is ready.</summary>
    internal static async Task LoadAsync(IWebDriverSession session, string pageOrigin, bool moving = false)
    {
        try
        {
            if (moving) await Task.Run(() => session.WebDriver.ExecuteScript($"{RunnerPageReady.Leaving};"));
            await Task.Run(() => session.WebDriver.Navigate().GoToUrl(pageOrigin + Specs.Model.ServerContract.RunnerPagePath));
        }
        catch (WebDriverException e)
        {
            throw new PageOpenException(e.Message.Split('\n')[0].Trim(), e);
        }
        await RunnerPageReady.WaitAsync(pageOrigin,
            async () => await Task.Run(() => session.WebDriver.ExecuteScript($"return {RunnerPageReady.For(moving)};")) is true,
            async () =>
            {
                var state = await Task.Run(() => session.WebDriver.ExecuteScript("return location.href + ' (' + document.readyState + '): ' + document.title + ' ' + (document.body ? document.body.innerText.slice(0, 200) : '');"));
                return $"the browser shows {state}{(session.RecentDriverOutput() is { Length: > 0 } said ? "; driver: " + said : "")}";
            });
    }

    public async Task MoveToAsync(string pageOrigin)
    {
        await LoadAsync(session, pageOrigin, moving: true);
        PageOrigin = pageOrigin;
    }

    public async Task<IReadOnlyList<PageResult>> RunAsync(IReadOnlyList<PageRequest> batch)
    {
        var json = JsonSerializer.Serialize(batch, PageJson);
        var answer = await Task.Run(() => session.WebDriver.ExecuteAsyncScript(RunBatch, json)) as string
            ?? throw new RunnerPageException("the runner page answered nothing");
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
        close();
        return ValueTask.CompletedTask;
    }
}
