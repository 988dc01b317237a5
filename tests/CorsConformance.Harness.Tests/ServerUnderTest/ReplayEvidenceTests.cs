using System.Net.Sockets;
using System.Text;
using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The replay's evidence shows the header lines as the server wrote them, not as HttpClient parses them.</summary>
public sealed class ReplayEvidenceTests
{
    private sealed class PythonLikeServer : LoopbackTcpServer
    {
        private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11.7\r\nVary: Origin, Accept\r\nAccess-Control-Allow-Origin: *\r\nX-Big: "
            + new string('a', 100 * 1024) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096], stop);
            await stream.WriteAsync(Answer, stop);
            return false;
        }
    }

    [Test]
    public async Task Header_lines_are_kept_whole_and_a_100_KB_header_is_read()
    {
        await using var server = new PythonLikeServer();
        using var client = Replay.CreateClient(acceptAnyCertificate: false);
        var answer = await Replay.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Resource), TimeSpan.FromSeconds(5), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(200), answer.Failure);
            Assert.That(answer.Headers.Where(h => h.Name == "Server").Select(h => h.Value), Is.EqualTo(new[] { "BaseHTTP/0.6 Python/3.11.7" }));
            Assert.That(answer.Headers.Where(h => h.Name == "Vary").Select(h => h.Value), Is.EqualTo(new[] { "Origin, Accept" }));
            Assert.That(answer.Headers.Single(h => h.Name == "X-Big").Value, Has.Length.EqualTo(100 * 1024));
        }
    }
}
