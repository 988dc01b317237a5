using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The replay sends what a browser sends and nothing more: a method the policy refuses (PATCH, DELETE on a
/// staging server) went to the server after every preflight, even one that refused it, where no browser would send it.</summary>
public sealed class ReplayWithholdsTests
{
    /// <summary>Answers a preflight with the given Access-Control-Allow-Methods, anything else with 200, and records each
    /// request's method.</summary>
    private sealed class MethodsServer(string allowMethods) : LoopbackTcpServer
    {
        public ConcurrentQueue<string> Methods { get; } = new();

        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var read = await stream.ReadAsync(buffer, stop);
            var method = Encoding.ASCII.GetString(buffer, 0, read).Split(' ')[0];
            Methods.Enqueue(method);
            var origin = "Access-Control-Allow-Origin: https://app.example.com\r\n";
            var answer = method == "OPTIONS"
                ? $"HTTP/1.1 204 No Content\r\n{origin}Access-Control-Allow-Methods: {allowMethods}\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), stop);
            return false;
        }
    }

    [TestCase("GET", new[] { "OPTIONS" }, true, TestName = "A method the server's preflight refuses is not sent")]
    [TestCase("GET, PATCH", new[] { "OPTIONS", "PATCH" }, false, TestName = "A method the server's preflight admits is sent, as a browser sends it")]
    public async Task The_replay_sends_the_request_only_where_a_browser_would(string allowMethods, string[] sent, bool withheld)
    {
        await using var server = new MethodsServer(allowMethods);
        var refusal = PolicyCases.Generate(PolicyReader.Read("""{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET"] }""", "test.json"), server.Resource)
            .Single(c => c.Id == "https-app-example-com/unlisted-method-patch");
        var (preflight, actual) = await new Replay(Replay.CreateClient(acceptAnyCertificate: false), TimeSpan.FromSeconds(5)).RunAsync(refusal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Methods, Is.EqualTo(sent));
            Assert.That(preflight?.Status, Is.EqualTo(204));
            Assert.That(actual.Withheld is not null, Is.EqualTo(withheld));
            if (withheld) Assert.That(actual.ToString(), Does.StartWith("(not sent: the server's preflight answer refuses it"));
        }
    }
}
