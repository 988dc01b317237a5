using System.Text;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>
/// The target sends exactly what a plan names, read byte for byte from a plain socket: raw header bytes (VT, FF, 0x80–0xFF,
/// NUL, obs-fold), duplicate lines in their order, a reason phrase, and any status 100–999, through Kestrel or the raw path;
/// and the journal records the same bytes.
/// </summary>
public sealed class RawWireTests : ReferenceServersFixture
{
    private const string Acao = HeaderNames.AccessControlAllowOrigin;

    public static IEnumerable<TestCaseData> Values() =>
    [
        new TestCaseData(Acao, "{origin}\v").SetName("a vertical tab"),
        new TestCaseData(Acao, "\f{origin}").SetName("a form feed"),
        new TestCaseData(Acao, "{origin}\x80\xff").SetName("bytes 0x80 and 0xFF"),
        new TestCaseData("X-Latin", "caf\xe9").SetName("a Latin-1 byte in another header"),
        new TestCaseData(Acao, "{origin}\0").SetName("a NUL"),
        new TestCaseData(HeaderNames.AccessControlExposeHeaders, "X-A,\r\n X-B").SetName("an obs-fold with a space"),
        new TestCaseData(Acao, "\r\n\t{origin}").SetName("a leading obs-fold with a tab"),
        new TestCaseData("X-Ctl", "a\x01b\x1F-c\x7F").SetName("other control bytes"),
        new TestCaseData(Acao, "{origin}").SetName("a plain value (Kestrel)"),
    ];

    [TestCaseSource(nameof(Values))]
    public async Task AHeaderValueGoesOnTheWireByteForByte(string name, string value)
    {
        var plan = Answering(new(200, [new(name, value), new("X-After", "1")]));

        var (raw, seen) = await ExchangeAsync("GET", plan);

        var filled = value.Replace("{origin}", Servers.OriginOf(Place.Page, Scheme.Http), StringComparison.Ordinal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.Head, Does.Contain($"\r\n{name}: {filled}\r\nX-After: 1\r\n").Or.Contain($"\r\n{name}: {filled}\r\n"), raw.Head);
            AssertWireIsJournal(raw, seen, plan);
        }
    }

    [TestCase("{origin}", "*")]
    [TestCase("*", "{origin}")]
    [TestCase("{origin}\v", "*")]
    [TestCase("*", "{origin}\0")]
    public async Task DuplicateLinesKeepTheirOrder(string first, string second)
    {
        string[] values = [first, second];
        var plan = Answering(new(200, [.. values.Select(v => new Header(Acao, v))]));

        var (raw, seen) = await ExchangeAsync("GET", plan);

        var origin = Servers.OriginOf(Place.Page, Scheme.Http);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.HeaderLines.Where(l => l.StartsWith(Acao + ":", StringComparison.OrdinalIgnoreCase)),
                Is.EqualTo(values.Select(v => $"{Acao}: {v.Replace("{origin}", origin, StringComparison.Ordinal)}")), raw.Head);
            AssertWireIsJournal(raw, seen, plan);
        }
    }

    [TestCase(100, "GET")]
    [TestCase(101, "GET")]
    [TestCase(103, "GET")]
    [TestCase(199, "GET")]
    [TestCase(200, "GET")]
    [TestCase(204, "GET")]
    [TestCase(205, "GET")]
    [TestCase(299, "GET")]
    [TestCase(300, "GET")]
    [TestCase(304, "GET")]
    [TestCase(399, "GET")]
    [TestCase(400, "GET")]
    [TestCase(599, "GET")]
    [TestCase(600, "GET")]
    [TestCase(680, "GET")]
    [TestCase(790, "GET")]
    [TestCase(999, "GET")]
    [TestCase(680, "HEAD")]
    [TestCase(200, "HEAD")]
    [TestCase(100, "OPTIONS")]
    [TestCase(680, "OPTIONS")]
    public async Task AnyStatusFrom100To999IsSent(int status, string method)
    {
        var plan = new ServerPlan(new ResponsePlan(status, [new(Acao, "*")]), new ResponsePlan(status, [new(Acao, "*")]));

        var (raw, seen) = await ExchangeAsync(method, plan, preflight: method == "OPTIONS");

        var interim = status is >= 100 and <= 199;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith($"HTTP/1.1 {status} "), raw.Head);
            AssertWireIsJournal(raw, seen, plan);
            var bodyless = interim || method == "HEAD" || status is 204 or 205 or 304;
            Assert.That(raw.Body, bodyless ? Is.Empty : Is.EqualTo(Target.Body), $"the body after: {raw.Head}");
            Assert.That(raw.Lines("Content-Length"), interim || status == 204 ? Is.Empty : Is.EqualTo(new[] { bodyless && method != "HEAD" ? "0" : "2" }), raw.Head);
        }
    }

    [TestCase("Very Fine", 200)]
    [TestCase("", 200)]
    [TestCase("Caf\xe9 \x01", 680)]
    public async Task AReasonPhraseIsSentAsWritten(string reason, int status)
    {
        var plan = Answering(new ResponsePlan(status, [new(Acao, "*")]) { Reason = reason });

        var (raw, seen) = await ExchangeAsync("GET", plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Is.EqualTo($"HTTP/1.1 {status} {reason}"), raw.Head);
            AssertWireIsJournal(raw, seen, plan);
        }
    }

    [Test]
    public async Task ARawRedirectCarriesItsLocation()
    {
        var plan = Answering(new(200, [new(Acao, "*")]), redirect: new RedirectPlan(302, Place.CrossSite, 1, [new(Acao, "*\v")]));

        var (raw, seen) = await ExchangeAsync("GET", plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith("HTTP/1.1 302 "), raw.Head);
            Assert.That(raw.Lines(HeaderNames.Location).Single(), Does.StartWith(Servers.OriginOf(Place.CrossSite, Scheme.Http) + "/target/"), raw.Head);
            AssertWireIsJournal(raw, seen, plan);
        }
    }

    [Test]
    public async Task ARawAnswerOverHttp2IsAServerErrorTheWireCheckCatches()
    {
        var plan = Answering(new(200, [new(Acao, "*\v")]));
        var token = NewToken();
        using var request = new HttpRequestMessage(HttpMethod.Get, Servers.TargetUrl(Place.SameSite, Scheme.Https, token, plan))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Client.SendAsync(request);

        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(500));
            Assert.That(seen.Single().Sent!.Status, Is.EqualTo(500));
            Assert.That(WireCheck.Differences(plan, seen, Servers.OriginOf(Place.Page, Scheme.Https)), Has.Some.Contains("status 500"));
        }
    }

    /// <summary>One request over a plain socket, and the journal entry it made.</summary>
    private async Task<(RawResponse Raw, SeenRequest Seen)> ExchangeAsync(string method, ServerPlan plan, bool preflight = false)
    {
        var token = NewToken();
        var path = $"/target/{token}?plan={PlanCodec.Encode(plan)}";
        string[] headers = preflight ? [$"{HeaderNames.Origin}: http://elsewhere.example", $"{HeaderNames.AccessControlRequestMethod}: PUT"] : [];
        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, method, path, headers);
        return (raw, Servers.Journal.For(token).Single());
    }

    /// <summary>The head on the wire is exactly the journal's record of it — byte for byte from the raw path; from Kestrel, each
    /// name's lines in order (Kestrel orders names its own way, and adds Connection: close for a client that asked) — and the
    /// record is exactly the plan.</summary>
    private void AssertWireIsJournal(RawResponse raw, SeenRequest seen, ServerPlan plan)
    {
        var sent = seen.Sent!;
        var expected = sent.Raw ? sent.Lines.Select(l => $"{l.Name}: {l.Value}").ToList() : Grouped(sent.Lines.Select(l => $"{l.Name}: {l.Value}"));
        var wire = sent.Raw ? [.. raw.HeaderLines] : Grouped(raw.HeaderLines.Where(l => !l.Equals("Connection: close", StringComparison.Ordinal)));
        if (sent.Raw)
        {
            var head = new StringBuilder($"HTTP/1.1 {sent.Status} {sent.Reason}\r\n");
            foreach (var line in sent.Lines) head.Append(line.Name).Append(": ").Append(line.Value).Append("\r\n");
            Assert.That(raw.Head, Is.EqualTo(head.Append("\r\n").ToString()), "the wire differs from the journal");
        }
        else
        {
            Assert.That(raw.StatusLine, Is.EqualTo($"HTTP/1.1 {sent.Status} {sent.Reason}"), "the status line differs from the journal");
            Assert.That(wire, Is.EqualTo(expected), $"Kestrel's lines differ from the journal: {raw.Head}");
        }
        Assert.That(seen.ResponseStatus, Is.EqualTo(sent.Status));
        Assert.That(WireCheck.Differences(plan, [seen], Servers.OriginOf(Place.Page, Scheme.Http)), Is.Empty, "the journal differs from the plan");
    }

    /// <summary>Lines ordered by name (case-insensitive), keeping each name's own order.</summary>
    private static List<string> Grouped(IEnumerable<string> lines) =>
        [.. lines.Select((l, i) => (Line: l, Index: i)).OrderBy(x => x.Line[..x.Line.IndexOf(':', StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase).ThenBy(x => x.Index).Select(x => x.Line)];
}
