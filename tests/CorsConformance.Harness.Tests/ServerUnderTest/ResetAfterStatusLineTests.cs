using System.Net.Sockets;
using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A server that sends its status line and then resets the connection (raw-socket stand-in, 2026-12-07): every case
/// is rightly a harness error, but the run said "the server under test was not reached before any case ran" of a server that
/// had answered a line. The bytes that came are said, and the route is said to give no whole answer.</summary>
public sealed class ResetAfterStatusLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private sealed class ResettingServer : LoopbackTcpServer
    {
        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[8192], stop); // the request head: one read is enough for a GET
            await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), stop);
            await stream.FlushAsync(stop);
            await Task.Delay(100, stop);
            // A reset (RST, not FIN): the linger of zero makes the close abortive.
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
            return false;
        }
    }

    [Test]
    public async Task A_server_resetting_after_its_status_line_gave_no_whole_answer_and_was_reached()
    {
        await using var server = new ResettingServer();
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json");
        var unreachable = await PolicyRunner.UnreachableAsync(Replay.CreateClient(acceptAnyCertificate: false), PolicyCases.Generate(policy, server.Resource), Timeout, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unreachable.Keys, Is.EqualTo(new[] { server.Resource }), "no case can be judged on a server that gives no whole answer");
            var failure = unreachable[server.Resource].Failure;
            Assert.That(failure, Does.Not.Contain("not reached"), failure);
            Assert.That(failure, Does.Contain("gave no whole answer before any case ran").And.Contain("'HTTP/1.1 200 OK'"), failure);
        }
    }
}
