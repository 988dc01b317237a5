using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>Adds one resource: reference servers started once per fixture, and a <see cref="LoopbackClient"/> to reach them.</summary>
public abstract class ReferenceServersFixture
{
    protected ReferenceServers Servers { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        Servers = await ReferenceServers.StartAsync();
        Client = LoopbackClient.For(Servers);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        Client.Dispose();
        await Servers.DisposeAsync();
    }

    protected static string NewToken() => Guid.NewGuid().ToString("N");

    protected static ServerPlan Answering(ResponsePlan actual, ResponsePlan? preflight = null, RedirectPlan? redirect = null) =>
        new(preflight ?? ResponsePlan.Empty, actual, redirect);

    /// <summary>Sends <paramref name="method"/> to the target at <paramref name="place"/> with the given request headers.</summary>
    protected Task<HttpResponseMessage> SendAsync(
        string method, string token, ServerPlan plan, Place place = Place.SameSite, Scheme scheme = Scheme.Http, params Header[] headers) =>
        SendAsync(method, Servers.TargetUrl(place, scheme, token, plan), headers);

    protected async Task<HttpResponseMessage> SendAsync(string method, string url, params Header[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await Client.SendAsync(request);
    }

    protected static IReadOnlyList<string> ValuesOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? [.. values] : [];

    /// <summary>The lowercase names of every header the response carried.</summary>
    protected static IReadOnlyList<string> NamesOf(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers).Select(h => h.Key.ToLowerInvariant())];
}
