using System.Net;
using System.Net.Sockets;
using System.Text;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Tests.Servers;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>The forward proxy that gives WebDriver browsers the topology's host names: what a browser sends through it must
/// reach the mapped server exactly as a direct request would.</summary>
public sealed class HostProxyTests : ReferenceServersFixture
{
    private HostProxy _proxy = null!;

    [OneTimeSetUp]
    public void StartProxy() => _proxy = HostProxy.Start(HostMapping.Topology);

    [OneTimeTearDown]
    public async Task StopProxyAsync() => await _proxy.DisposeAsync();

    private HttpClient ProxiedClient() => new(new SocketsHttpHandler
    {
        Proxy = new WebProxy($"http://{_proxy.Address}"),
        UseProxy = true,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    });

    [TestCase(Scheme.Http)]
    [TestCase(Scheme.Https)]
    public async Task A_topology_host_is_reached_through_the_proxy_with_its_origin_intact(Scheme scheme)
    {
        using var client = ProxiedClient();
        var token = NewToken();
        using var request = new HttpRequestMessage(HttpMethod.Get, Servers.TargetUrl(Place.CrossSite, scheme, token, Answering(new(200, [new("X-Answered", "actual")]))));
        request.Headers.TryAddWithoutValidation("Origin", Servers.OriginOf(Place.Page, scheme));
        using var response = await client.SendAsync(request);
        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "actual" }));
            Assert.That(seen.Select(s => s.Origin), Is.EqualTo(new[] { Servers.OriginOf(Place.Page, scheme) }));
        }
    }

    // WebKitGTK reaches the targets through this proxy; a request head of more than 200 lines or a line over 64 KiB ended
    // the connection, so a generated case with 900 headers, or one of 200,000 bytes, read as "blocked" after its journaled
    // preflight in WebKitGTK alone. What the case reader lets a page set must pass.
    [TestCase(1, CaseFileReader.MaxRequestHeaderBytes - 20)]
    [TestCase(CaseFileReader.MaxRequestHeaderLines, 1)]
    public async Task The_largest_request_headers_a_case_may_set_pass_through(int lines, int valueLength)
    {
        using var client = ProxiedClient();
        var token = NewToken();
        using var request = new HttpRequestMessage(HttpMethod.Get, Servers.TargetUrl(Place.SameSite, Scheme.Http, token, Answering(new(200, []))));
        for (var i = 0; i < lines; i++) request.Headers.TryAddWithoutValidation($"X-H{i}", new string('a', valueLength));
        using var response = await client.SendAsync(request);
        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen.SingleOrDefault()?.Headers.Count(h => h.Name.StartsWith("X-H", StringComparison.Ordinal)), Is.EqualTo(lines));
        }
    }

    [TestCase("POST", "a=1&b=2")]
    [TestCase("PUT", "")]
    public async Task A_request_body_arrives_whole(string method, string body)
    {
        using var client = ProxiedClient();
        var token = NewToken();
        using var request = new HttpRequestMessage(new HttpMethod(method), Servers.TargetUrl(Place.SameSite, Scheme.Http, token, Answering(new(200, []))))
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Servers.Journal.For(token).Single().Method, Is.EqualTo(method));
    }

    [Test]
    public void A_mapped_host_goes_to_loopback_and_a_moved_port_to_its_new_port()
    {
        var proxy = _proxy;
        var moved = HostProxy.Start([new HostMapping("app.example.com", 443, 8443), new HostMapping("www.cors.test")]);
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(moved.Route("app.example.com", 443), Is.EqualTo(("127.0.0.1", 8443)));
                Assert.That(moved.Route("APP.example.com", 443), Is.EqualTo(("127.0.0.1", 8443)));
                Assert.That(moved.Route("app.example.com", 80), Is.EqualTo(("app.example.com", 80)), "only the moved port is mapped");
                Assert.That(moved.Route("www.cors.test", 1234), Is.EqualTo(("127.0.0.1", 1234)));
                Assert.That(moved.Route("example.org", 80), Is.EqualTo(("example.org", 80)), "an unmapped host resolves as usual");
            }
        }
        finally
        {
            moved.DisposeAsync().AsTask().Wait();
        }
        Assert.That(proxy.Port, Is.Not.Zero);
    }

    [Test]
    public async Task Each_request_on_one_connection_goes_to_its_own_host_in_origin_form()
    {
        using var first = new Upstream("first");
        using var second = new Upstream("second");
        await using var proxy = HostProxy.Start([new HostMapping("a.test"), new HostMapping("b.test", 80, second.Port)]);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = socket.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);

        // A proxy that loses a request hangs the client: bound every step.
        var step = TimeSpan.FromSeconds(10);
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET http://a.test:{first.Port}/x?y=1 HTTP/1.1\r\nHost: a.test:{first.Port}\r\nProxy-Connection: keep-alive\r\n\r\n"));
        var one = await ReadResponseAsync(reader).WaitAsync(step);
        await stream.WriteAsync(Encoding.Latin1.GetBytes("POST http://b.test/z HTTP/1.1\r\nHost: b.test\r\nContent-Length: 3\r\n\r\nabc"));
        var two = await ReadResponseAsync(reader).WaitAsync(step);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(one, Is.EqualTo("first"));
            Assert.That(two, Is.EqualTo("second"));
            Assert.That(first.Heads.Single()[0], Is.EqualTo("GET /x?y=1 HTTP/1.1"));
            Assert.That(first.Heads.Single(), Has.None.StartsWith("Proxy-Connection"), "the proxy's own header stays with the proxy");
            Assert.That(second.Heads.Single()[0], Is.EqualTo("POST /z HTTP/1.1"));
            Assert.That(second.Bodies.Single(), Is.EqualTo("abc"));
        }
    }

    /// <summary>A server that ends its connection after a whole answer (the target's raw path) closed the client's proxy
    /// connection too, even after the client had sent its next request on it to another server: that request's answer,
    /// given by the target and in its journal, was lost, and WebKitGTK read "Load failed" as its CORS block (two fresh-clone
    /// CI runs, raw-responses cases). The connection now stays open for the later request's answer.</summary>
    [Test]
    public async Task A_server_closing_after_its_answer_does_not_lose_the_next_request_s_answer_from_another_server()
    {
        var closing = new TcpListener(IPAddress.Loopback, 0);
        var slow = new TcpListener(IPAddress.Loopback, 0);
        closing.Start();
        slow.Start();
        try
        {
            var closingPort = ((IPEndPoint)closing.LocalEndpoint).Port;
            var slowPort = ((IPEndPoint)slow.LocalEndpoint).Port;
            // The first server closes once the second request has reached the other one, whenever that is: a fixed 300 ms
            // raced the client on a loaded machine (a fresh-clone CI run at load 37 sent the second request after the close,
            // a case this test is not about).
            var secondArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var servers = Task.WhenAll(AnswerAsync(closing, "a", answerAfter: TimeSpan.Zero, closeAfter: TimeSpan.Zero, closeWhen: secondArrived.Task),
                AnswerAsync(slow, "b", answerAfter: TimeSpan.FromMilliseconds(800), closeAfter: TimeSpan.FromMilliseconds(200), arrived: secondArrived));
            await using var proxy = HostProxy.Start([new HostMapping("closing.test", 80, closingPort), new HostMapping("slow.test", 80, slowPort)]);
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
            var stream = socket.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            var step = TimeSpan.FromSeconds(10);
            await stream.WriteAsync(Encoding.Latin1.GetBytes("GET http://closing.test/ HTTP/1.1\r\nHost: closing.test\r\n\r\n"));
            var first = await ReadResponseAsync(reader).WaitAsync(step);
            await stream.WriteAsync(Encoding.Latin1.GetBytes("GET http://slow.test/ HTTP/1.1\r\nHost: slow.test\r\n\r\n"));
            var second = await ReadResponseAsync(reader).WaitAsync(step);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(first, Is.EqualTo("a"));
                Assert.That(second, Is.EqualTo("b"), "the second answer arrived after the first server had closed");
            }
            await servers.WaitAsync(step);
        }
        finally
        {
            closing.Stop();
            slow.Stop();
        }
    }

    /// <summary>Accepts one connection, reads a request head, answers <paramref name="body"/> with its length after a delay,
    /// and closes the connection after another.</summary>
    private static async Task AnswerAsync(TcpListener listener, string body, TimeSpan answerAfter, TimeSpan closeAfter, Task? closeWhen = null, TaskCompletionSource? arrived = null)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var head = "";
        while (!head.Contains("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(buffer) is var n and > 0) head += Encoding.Latin1.GetString(buffer, 0, n);
        arrived?.TrySetResult();
        await Task.Delay(answerAfter);
        await socket.SendAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        await Task.Delay(closeAfter);
        if (closeWhen is not null) await closeWhen.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>WebKitWebDriver connects to the browser's inspector on 127.0.0.1 as soon as it has started it; directly, it
    /// tries again until the browser listens, but through the proxy a refused tunnel ended the session's start. A refused
    /// loopback port is tried again for a while; one that never listens gets a 502, as a proxy answers.</summary>
    [Test]
    public async Task A_tunnel_to_a_loopback_port_that_listens_a_moment_later_is_made()
    {
        var port = WebDriverBrowser.FreeLoopbackPort();
        await using var proxy = HostProxy.Start([new HostMapping("127.0.0.1", 3000, 40080)]);
        var connect = ConnectThroughAsync(proxy, port);
        await Task.Delay(300);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(await connect.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("HTTP/1.1 200 Connection Established"));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public async Task A_tunnel_to_a_loopback_port_that_never_listens_is_answered_502()
    {
        await using var proxy = HostProxy.Start([new HostMapping("127.0.0.1", 3000, 40080)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = await ConnectThroughAsync(proxy, WebDriverBrowser.FreeLoopbackPort()).WaitAsync(TimeSpan.FromSeconds(20));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo("HTTP/1.1 502 Bad Gateway"));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(HostProxy.LoopbackRefusalPatience - TimeSpan.FromMilliseconds(100)));
        }
    }

    /// <summary>Sends CONNECT 127.0.0.1:<paramref name="port"/> through the proxy; the status line of its answer.</summary>
    private static async Task<string?> ConnectThroughAsync(HostProxy proxy, int port)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        return await new StreamReader(stream, Encoding.Latin1).ReadLineAsync();
    }

    private static async Task<string> ReadResponseAsync(StreamReader reader)
    {
        var length = 0;
        string? line;
        while ((line = await reader.ReadLineAsync()) is { Length: > 0 })
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
        }
        var body = new char[length];
        await reader.ReadBlockAsync(body);
        return new string(body);
    }

    /// <summary>A one-connection HTTP/1.1 server that answers each request with its own name and keeps what it saw.</summary>
    private sealed class Upstream : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public Upstream(string name)
        {
            _listener.Start();
            _ = ServeAsync(name);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public List<List<string>> Heads { get; } = [];

        public List<string> Bodies { get; } = [];

        private async Task ServeAsync(string name)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            while (true)
            {
                var head = new List<string>();
                string? line;
                while ((line = await reader.ReadLineAsync()) is { Length: > 0 }) head.Add(line);
                if (head.Count == 0) return;
                var length = head.Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h[15..].Trim())).FirstOrDefault();
                var body = new char[length];
                // ReadBlockAsync on an empty buffer still waits for data: read a body only when there is one.
                if (length > 0) await reader.ReadBlockAsync(body);
                Heads.Add(head);
                Bodies.Add(new string(body));
                await stream.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {name.Length}\r\n\r\n{name}"));
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
