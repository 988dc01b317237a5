using System.Net;
using System.Net.Sockets;
using System.Text;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>
/// `localhost` is loopback whatever the hosts file says (RFC 6761, section 6.3), and browsers resolve it so: a dev server
/// listening on ::1 alone (Node 17+ and Vite where the hosts file names ::1 first) was reached by Chromium and Firefox but
/// "Connection refused" to the replay and the protocol checks on a machine whose hosts file gives localhost only 127.0.0.1,
/// and the whole server-under-test run failed as not reached.
/// </summary>
public sealed class LocalhostTests
{
    [TestCase("localhost")]
    [TestCase("api.localhost")]
    public async Task A_server_on_IPv6_loopback_alone_is_reached_at_localhost(string host)
    {
        using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            Assert.Ignore($"this machine has no IPv6 loopback: {e.Message}");
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example.com\r\nConnection: close\r\n\r\n"));
        });
        var answer = await Replay.CreateClient(acceptAnyCertificate: false)
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{port}/api"), TimeSpan.FromSeconds(5), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((answer.Reached, answer.Status, answer.Failure), Is.EqualTo((true, (int?)204, (string?)null)));
            Assert.That(answer.Headers.Select(h => h.Value), Does.Contain("https://app.example.com"));
        }
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task Another_host_is_resolved_as_the_machine_resolves_it() =>
        Assert.That(await ReplayClient.LoopbackAddressesAsync("example.localhost.test", CancellationToken.None), Is.Null);
}
