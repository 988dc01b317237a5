using System.Net;
using System.Net.Sockets;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A server that sends its status line and then resets the connection (raw-socket stand-in, 2026-12-07): every case
/// is rightly a harness error, but the run said "the server under test was not reached before any case ran" of a server that
/// had answered a line. The bytes that came are said, and the route is said to give no whole answer.</summary>
public sealed class ResetAfterStatusLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task A_server_resetting_after_its_status_line_gave_no_whole_answer_and_was_reached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[8192], stop.Token); // the request head: one read is enough for a GET
                await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), stop.Token);
                await stream.FlushAsync(stop.Token);
                await Task.Delay(100, stop.Token);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
            }
        });
        var resource = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/api");
        var policy = PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "policy.json");
        var unreachable = await PolicyRunner.UnreachableAsync(Replay.CreateClient(acceptAnyCertificate: false), PolicyCases.Generate(policy, resource), Timeout, CancellationToken.None);
        await stop.CancelAsync();
        listener.Stop();
        await Task.WhenAny(serving, Task.Delay(1000));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unreachable.Keys, Is.EqualTo(new[] { resource }), "no case can be judged on a server that gives no whole answer");
            var failure = unreachable[resource].Failure;
            Assert.That(failure, Does.Not.Contain("not reached"), failure);
            Assert.That(failure, Does.Contain("gave no whole answer before any case ran").And.Contain("'HTTP/1.1 200 OK'"), failure);
        }
    }
}
