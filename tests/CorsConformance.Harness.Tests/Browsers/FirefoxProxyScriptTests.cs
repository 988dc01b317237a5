using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// The proxy auto-config script a Firefox with a host proxy is given (EngineSettings.FirefoxPrefs), run as Firefox runs
/// it: a policy's loopback origin (http://localhost:5173) goes to the proxy, which gives it the suite's page — with a manual
/// proxy setting Firefox never proxied loopback and the page went to the machine's own port 5173, refused —, while every
/// other loopback host:port (a server under test on 127.0.0.1) still goes direct, and every other host to the proxy as
/// before.
/// </summary>
public sealed class FirefoxProxyScriptTests
{
    private const int ProxyPort = 40999;

    private static readonly HostMapping[] Mappings =
    [
        new("localhost", 5173, 40080), new("127.0.0.1", 3000, 40080), new("[::1]", 8080, 40080),
        new("cors-audit-probe.localhost", 5173, 40080), new("app.example.com", 443, 40443), new("www.cors.test"),
    ];

    private static Dictionary<string, object> Prefs() =>
        EngineSettings.Resolve(Engine.Firefox, _ => null, null).FirefoxPrefs(Mappings, ProxyPort);

    /// <summary>What Firefox's script answers for a URL, the host as Firefox hands it over.</summary>
    private static string FindProxy(string url)
    {
        var prefs = Prefs();
        Assert.That(prefs, Does.ContainKey("network.proxy.autoconfig_url"), "no proxy auto-config script");
        var address = (string)prefs["network.proxy.autoconfig_url"];
        const string scheme = "data:application/x-ns-proxy-autoconfig,";
        Assert.That(address, Does.StartWith(scheme));
        var script = Uri.UnescapeDataString(address[scheme.Length..]);
        var host = new Uri(url).Host.Trim('[', ']');
        return new Jint.Engine().Execute(script).Invoke("FindProxyForURL", url, host).ToString();
    }

    [TestCase("http://localhost:5173/runner.html")]
    [TestCase("http://127.0.0.1:3000/")]
    [TestCase("http://[::1]:8080/")]
    [TestCase("http://cors-audit-probe.localhost:5173/")]
    [TestCase("http://LOCALHOST:5173/")]
    public void A_mapped_loopback_host_and_port_goes_to_the_proxy(string url) =>
        Assert.That(FindProxy(url), Is.EqualTo($"PROXY 127.0.0.1:{ProxyPort}"));

    [TestCase("http://127.0.0.1:41234/api/items")]
    [TestCase("https://127.0.0.1:41235/")]
    [TestCase("http://localhost:5174/")]
    [TestCase("http://localhost/")]
    [TestCase("http://127.0.0.2:3000/")]
    [TestCase("http://[::1]:8081/")]
    [TestCase("http://api.localhost:3000/")]
    public void Any_other_loopback_host_and_port_goes_direct_as_without_the_proxy(string url) =>
        Assert.That(FindProxy(url), Is.EqualTo("DIRECT"));

    [TestCase("https://app.example.com/")]
    [TestCase("https://app.example.com:8443/")]
    [TestCase("http://www.cors.test:1234/")]
    [TestCase("https://staging.example.net/api")]
    [TestCase("http://localhos:5173/")]
    public void Every_other_host_goes_to_the_proxy_as_before(string url) =>
        Assert.That(FindProxy(url), Is.EqualTo($"PROXY 127.0.0.1:{ProxyPort}"));

    [Test]
    public void Firefox_is_told_to_ask_the_script_about_loopback_too()
    {
        var prefs = Prefs();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prefs["network.proxy.type"], Is.EqualTo(2));
            Assert.That(prefs["network.proxy.allow_hijacking_localhost"], Is.EqualTo(true));
            Assert.That(prefs["network.proxy.no_proxies_on"], Is.EqualTo(""));
            Assert.That(prefs, Does.Not.ContainKey("network.socket.forcePort"));
            Assert.That(prefs, Does.Not.ContainKey("network.dns.localDomains"));
        }
    }

    [TestCase("::1", 8080)]
    [TestCase("[::1]", 8080)]
    public void The_proxy_routes_a_mapped_IPv6_host_bracketed_or_bare(string host, int port)
    {
        // CONNECT names an IPv6 host bare or bracketed, a URL bracketed; the mapping keeps Uri.Host's brackets.
        var proxy = HostProxy.Start(Mappings);
        try
        {
            Assert.That(proxy.Route(host, port), Is.EqualTo(("127.0.0.1", 40080)));
        }
        finally
        {
            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
    /// <summary>WebKitGTK's proxy comes from environment variables: no_proxy exempted all of loopback, so no page could have
    /// a loopback origin there. Only the loopback names no page needs stay direct now.</summary>
    [TestCase("http://localhost:5173", "127.0.0.1,::1")]
    [TestCase("http://[::1]:8080", "127.0.0.1,localhost")]
    [TestCase("http://127.0.0.1:3000", "localhost,::1")]
    [TestCase("https://app.example.com", "127.0.0.1,localhost,::1")]
    public void WebKitGTK_reaches_directly_only_the_loopback_names_no_page_needs(string origin, string direct)
    {
        var uri = new Uri(origin);
        var proxy = HostProxy.Start([.. HostMapping.Topology, new HostMapping(uri.Host, uri.Port, 40080)]);
        try
        {
            Assert.That(proxy.DirectLoopback, Is.EqualTo(direct));
        }
        finally
        {
            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
