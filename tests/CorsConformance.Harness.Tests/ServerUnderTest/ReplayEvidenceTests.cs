using System.Net.Sockets;
using System.Text;
using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The replay's evidence shows the header lines as the server wrote them, not as HttpClient parses them.</summary>
public sealed class ReplayEvidenceTests
{
    /// <summary>Answers every request with the same bytes.</summary>
    private class FixedAnswerServer(string answer) : LoopbackTcpServer
    {
        private readonly byte[] _answer = Encoding.Latin1.GetBytes(answer);

        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096], stop);
            await stream.WriteAsync(_answer, stop);
            return false;
        }
    }

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

    /// <summary>Sends an interim answer (or the start of one) and then nothing, holding the connection open.</summary>
    private sealed class StallingServer(string start) : LoopbackTcpServer
    {
        protected override async Task<bool> ServeAsync(TcpClient client, CancellationToken stop)
        {
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096], stop);
            await stream.WriteAsync(Encoding.Latin1.GetBytes(start), stop);
            return true;
        }
    }

    /// <summary>A server that answered "100 Continue" (or began its headers) and then nothing read "no answer within 10 s",
    /// as a server that sent no byte does (found by the hostile-server sweep): what came before the silence is said.</summary>
    [TestCase("HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 100 Continue")]
    [TestCase("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", "HTTP/1.1 103 Early Hints")]
    [TestCase("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n", "HTTP/1.1 200 OK")]
    public async Task An_answer_that_stops_before_its_head_ends_says_what_came(string start, string firstLine)
    {
        await using var server = new StallingServer(start);
        var answer = await Replay.SendAsync(Replay.CreateClient(acceptAnyCertificate: false),
            new HttpRequestMessage(HttpMethod.Get, server.Resource), TimeSpan.FromSeconds(1), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Answered, Is.False);
            Assert.That(answer.Failure, Is.EqualTo($"no answer within 1 s: the server sent '{firstLine}' and then nothing"));
            Assert.That(answer.Unparsed, Does.Contain(firstLine));
        }
    }

    [Test]
    public async Task Header_lines_are_kept_whole_and_a_100_KB_header_is_read()
    {
        await using var server = new PythonLikeServer();
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        var answer = await Replay.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, server.Resource), TimeSpan.FromSeconds(5), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(200), answer.Failure);
            Assert.That(answer.Headers.Where(h => h.Name == "Server").Select(h => h.Value), Is.EqualTo(new[] { "BaseHTTP/0.6 Python/3.11.7" }));
            Assert.That(answer.Headers.Where(h => h.Name == "Vary").Select(h => h.Value), Is.EqualTo(new[] { "Origin, Accept" }));
            Assert.That(answer.Headers.Single(h => h.Name == "X-Big").Value, Has.Length.EqualTo(100 * 1024));
        }
    }

    /// <summary>A server answering a 300 KB header line, or 1,000 Set-Cookie lines, had every byte of them printed in each
    /// failure's evidence: one hostile header made 10.8 MB of console output and a 14 MB report.md from a 45-case run. The
    /// answer is read whole (above), and its evidence shows each value up to a few hundred bytes and the first lines,
    /// saying how much more there was.</summary>
    [Test]
    public async Task The_evidence_of_a_huge_answer_is_shortened_saying_by_how_much()
    {
        await using var server = new FixedAnswerServer("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-Big: " + new string('a', 300 * 1024) + "\r\n"
            + string.Concat(Enumerable.Range(0, 1000).Select(i => $"Set-Cookie: c{i}=v; Path=/\r\n")) + "Content-Length: 2\r\nConnection: close\r\n\r\nok");
        var answer = await Replay.SendAsync(Replay.CreateClient(acceptAnyCertificate: false), new HttpRequestMessage(HttpMethod.Get, server.Resource),
            TimeSpan.FromSeconds(5), CancellationToken.None);
        var shown = answer.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Headers, Has.Count.EqualTo(1002 + 2), "the answer itself is kept whole");
            Assert.That(shown, Has.Length.LessThan(16 * 1024));
            Assert.That(shown, Does.Contain("Access-Control-Allow-Origin: *").And.Contain($"({300 * 1024 - 512} more bytes)").And.Contain("more header lines"));
        }
    }

    [Test]
    public async Task Header_lines_keep_the_order_the_server_wrote_them_in_content_headers_included()
    {
        // HttpClient keeps Content-Type and Content-Length apart from the other headers; the evidence must not move them.
        await using var server = new FixedAnswerServer(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 2\r\n"
            + "Vary: Origin\r\nX-Folded: one\r\n two\r\nConnection: close\r\n\r\nok");
        var answer = await Replay.SendAsync(Replay.CreateClient(acceptAnyCertificate: false),
            new HttpRequestMessage(HttpMethod.Get, server.Resource), TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.That(answer.Headers.Select(h => h.ToString()), Is.EqualTo(new[]
        {
            "Content-Type: text/plain", "Access-Control-Allow-Origin: *", "Content-Length: 2", "Vary: Origin", "X-Folded: one two", "Connection: close",
        }), "the final answer's lines in arrival order; the 103's Link line is not among them");
    }

    [Test]
    public async Task An_answer_the_client_cannot_parse_is_reached_and_its_first_lines_are_the_evidence()
    {
        await using var server = new FixedAnswerServer("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nthis line has no colon\x01\r\n\r\n");
        var answer = await Replay.SendAsync(Replay.CreateClient(acceptAnyCertificate: false),
            new HttpRequestMessage(HttpMethod.Get, server.Resource), TimeSpan.FromSeconds(5), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Reached, Is.True);
            Assert.That(answer.Status, Is.Null);
            Assert.That(answer.Unparsed, Is.EqualTo(new[] { "HTTP/1.1 200 OK", "Access-Control-Allow-Origin: *", "this line has no colon\\x01" }));
            Assert.That(answer.ToString(), Does.Contain("| this line has no colon\\x01"));
        }
    }
}
