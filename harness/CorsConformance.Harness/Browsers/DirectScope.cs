using CorsConformance.Harness.Servers;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A scope of a direct driver (<see cref="CdpBrowser"/>'s browser context, <see cref="BidiBrowser"/>'s user context): what
/// both do the same way is written here once — the cookies put into the scope's jar (the planted one on every host of the
/// topology, or a cookie jar's), and the runner page opened, navigated and waited for until ready, closed and reported as
/// <see cref="PageOpenException"/> if it will not open. Each driver says only how its protocol sets a cookie, makes a page,
/// navigates it and evaluates in it.
/// </summary>
internal abstract class DirectScope : IBrowserScope
{
    /// <summary>Sets cookies in this scope's jar, in the protocol's terms.</summary>
    protected abstract Task SetCookiesAsync(IReadOnlyList<ScopeCookie> cookies);

    /// <summary>A new, blank page in this scope.</summary>
    protected abstract Task<DirectPage> NewPageAsync(string pageOrigin);

    public abstract ValueTask DisposeAsync();

    /// <summary>The reference servers' planted cookie on every host of the topology.</summary>
    public Task PlantCookiesAsync(ReferenceServers servers) => SetCookiesAsync([.. servers.PlantedCookies().Select(ScopeCookie.Planted)]);

    public async Task<string?> AddCookiesAsync(IReadOnlyList<JarCookie> cookies)
    {
        await SetCookiesAsync([.. cookies.Select(ScopeCookie.FromJar)]);
        return null;
    }

    public async Task<IRunnerPage> OpenPageAsync(string pageOrigin)
    {
        DirectPage page;
        try
        {
            page = await NewPageAsync(pageOrigin);
        }
        catch (ProtocolException e) when (!e.ConnectionGone)
        {
            // No page at all: the browser would not make one in this scope. A browser whose connection is gone says so as it
            // is: that is no answer about the origin.
            throw new PageOpenException(e.Message, e);
        }
        try
        {
            await page.LoadAsync(pageOrigin);
        }
        catch (Exception e) when (e is ProtocolException { ConnectionGone: false } or RunnerPageException { Crashed: false } or PageOpenException)
        {
            // The browser will not load a page there (the protocol says no), or the page never got its runner — unless the
            // browser itself is gone, which closing the page tells: a killed browser read "would not open the suite's page at
            // <origin>", and that origin's calls were not judged as if the origin were the cause.
            try
            {
                await page.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (ProtocolException gone) when (gone.ConnectionGone)
            {
                throw;
            }
            catch (Exception closing) when (closing is TimeoutException || Running.CaseRunner.BrowserFailure(closing) is not null)
            {
                // Not closed now: it goes with its scope.
            }
            throw e as PageOpenException ?? new PageOpenException(e.Message, e);
        }
        return page;
    }
}

/// <summary>
/// A cookie as a direct driver puts it into a scope. <paramref name="SetFrom"/>: the URL it is set from, as that host's own
/// Set-Cookie would (a host-only cookie; the planted one), else it is set by domain (a jar's: with
/// <paramref name="IncludeSubdomains"/>, a domain cookie).
/// </summary>
internal sealed record ScopeCookie(string Name, string Value, string Domain, bool IncludeSubdomains, string Path, bool Secure, bool HttpOnly, long Expires, string? SetFrom)
{
    /// <summary>The domain as the protocols take it: a leading dot makes a domain cookie (sent to subdomains).</summary>
    public string DomainAttribute => IncludeSubdomains ? "." + Domain : Domain;

    /// <summary>A Secure cookie may be sent cross-site (None); any other, on top-level navigations only (Lax).</summary>
    public string SameSite => Secure ? "None" : "Lax";

    public static ScopeCookie Planted(PlantedCookie cookie) =>
        new(cookie.Name, cookie.Value, cookie.Host, IncludeSubdomains: false, "/", Secure: false, HttpOnly: false, Expires: 0, SetFrom: cookie.HttpOrigin + "/");

    public static ScopeCookie FromJar(JarCookie cookie) =>
        new(cookie.Name, cookie.Value, cookie.Domain, cookie.IncludeSubdomains, cookie.Path, cookie.Secure, cookie.HttpOnly, cookie.Expires, SetFrom: null);
}
