using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

public sealed class ReferenceServersTests : ReferenceServersFixture
{
    private static readonly ServerPlan Plan = Answering(new(200, [new("X-Answered", "actual")]));

    [TestCase(Place.Page, Scheme.Http, "http://www.cors.test:")]
    [TestCase(Place.SameSite, Scheme.Http, "http://api.cors.test:")]
    [TestCase(Place.CrossSite, Scheme.Https, "https://api.cors-alt.test:")]
    public void AnOriginIsAHostOfTheTopologyWithItsSchemesPort(Place place, Scheme scheme, string prefix)
    {
        var port = scheme == Scheme.Http ? Servers.HttpPort : Servers.HttpsPort;

        Assert.That(Servers.OriginOf(place, scheme), Is.EqualTo(prefix + port));
    }

    [TestCase(Scheme.Http, "http://www.cors.test:")]
    [TestCase(Scheme.Https, "https://www.cors.test:")]
    public void ThePagesHostAtAnotherPortIsTheSecondPortOfItsScheme(Scheme scheme, string prefix)
    {
        var port = scheme == Scheme.Http ? Servers.SameHostHttpPort : Servers.SameHostHttpsPort;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Servers.OriginOf(Place.SameHost, scheme), Is.EqualTo(prefix + port));
            Assert.That(Servers.OriginOf(Place.SameHost, scheme), Is.Not.EqualTo(Servers.OriginOf(Place.Page, scheme)));
        }
    }

    [Test]
    public void TheFourPortsDiffer() =>
        Assert.That(new[] { Servers.HttpPort, Servers.HttpsPort, Servers.SameHostHttpPort, Servers.SameHostHttpsPort }, Is.Unique.And.All.Not.Zero);

    [Test]
    public void EveryPortIsBoundOnLoopbackOnly()
    {
        Assert.That(Servers.Addresses.Select(address => (address.Scheme, address.Host, address.Port)), Is.EquivalentTo(new[]
        {
            ("http", "127.0.0.1", Servers.HttpPort),
            ("https", "127.0.0.1", Servers.HttpsPort),
            ("http", "127.0.0.1", Servers.SameHostHttpPort),
            ("https", "127.0.0.1", Servers.SameHostHttpsPort),
        }));
    }

    [Test]
    public async Task TheSecondPortsAnswerTheTargetOverTheirScheme()
    {
        foreach (var scheme in new[] { Scheme.Http, Scheme.Https })
        {
            var token = NewToken();
            using var response = await SendAsync("GET", Servers.TargetUrl(Place.SameHost, scheme, token, Plan));
            Assert.That(response.Headers.GetValues("X-Answered"), Is.EqualTo(new[] { "actual" }), scheme.ToString());
        }
    }

    [Test]
    public async Task NoOtherAddressOfThisMachineAnswers()
    {
        var others = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => !IPAddress.IsLoopback(address) && address.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        if (others.Count == 0) Assert.Ignore("this machine has no IPv4 address but loopback");

        foreach (var address in others)
        {
            foreach (var port in new[] { Servers.HttpPort, Servers.HttpsPort, Servers.SameHostHttpPort, Servers.SameHostHttpsPort })
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address, port));
                Assert.That(refused?.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused), $"{address}:{port}");
            }
        }
    }

    [TestCase(2)]
    [TestCase(1)]
    public async Task HttpsWorksWithTheInMemoryCertificate(int major)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Servers.TargetUrl(Place.CrossSite, Scheme.Https, NewToken(), Plan))
        {
            Version = new Version(major, major == 2 ? 0 : 1),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Version.Major, Is.EqualTo(major));
            Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "actual" }));
            Assert.That(NamesOf(response), Has.None.EqualTo("server"));
        }
    }

    [Test]
    public async Task AClientThatDoesNotTrustTheCertificateIsRefused()
    {
        using var handler = new SocketsHttpHandler { ConnectCallback = (context, ct) => LoopbackClient.ConnectAsync(context.DnsEndPoint.Port, ct) };
        using var untrusting = new HttpClient(handler);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(Servers.TargetUrl(Place.SameSite, Scheme.Https, NewToken(), Plan)));

        Assert.That(failure?.InnerException, Is.InstanceOf<AuthenticationException>());
    }

    [Test]
    public void TheCertificateNamesEveryHostLocalhostAndLoopback()
    {
        var names = Servers.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names.EnumerateDnsNames(), Is.EquivalentTo(HostNames.All.Append("localhost")));
            Assert.That(names.EnumerateIPAddresses(), Is.EqualTo(new[] { IPAddress.Loopback }));
            Assert.That(Servers.Certificate.HasPrivateKey, Is.True);
        }
    }

    [Test]
    public void HostNamesAreTheTopologysThree()
    {
        using (Assert.EnterMultipleScope())
        {
            // The page's host at another port (Place.SameHost) is the page's host name.
            Assert.That(Enum.GetValues<Place>().Select(HostNames.For).Distinct(), Is.EqualTo(HostNames.All));
            Assert.That(HostNames.For(Place.SameHost), Is.EqualTo(HostNames.Page));
            Assert.That(HostNames.All, Is.EqualTo(new[] { "www.cors.test", "api.cors.test", "api.cors-alt.test" }));
        }
    }

    [Test]
    public async Task DisposeStopsTheServersAndMayBeRepeated()
    {
        var servers = await ReferenceServers.StartAsync();
        var port = servers.HttpPort;

        await servers.DisposeAsync();
        await servers.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
    }
}
