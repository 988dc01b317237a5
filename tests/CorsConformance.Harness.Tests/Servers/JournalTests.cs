using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

public sealed class JournalTests : ReferenceServersFixture
{
    private static readonly ServerPlan Plan = Answering(new(201, []), new(204, []));

    [Test]
    public async Task TheTargetRecordsWhatArrivedInOrder()
    {
        var token = NewToken();
        var origin = Servers.OriginOf(Place.Page, Scheme.Http);

        using (await SendAsync("OPTIONS", token, Plan, headers:
        [
            new(HeaderNames.Origin, origin),
            new(HeaderNames.AccessControlRequestMethod, "PUT"),
            new(HeaderNames.AccessControlRequestHeaders, "x-a,x-b"),
            new("Sec-Fetch-Mode", "cors"),
            new("Sec-Fetch-Site", "same-site"),
            new("Sec-Fetch-Dest", "empty"),
        ]))
        using (await SendAsync("PUT", token, Plan, scheme: Scheme.Https, headers:
        [
            new(HeaderNames.Origin, "null"),
            new(HeaderNames.Cookie, "a=1; cc=2"),
            new(HeaderNames.Authorization, "Basic YTpi"),
        ]))
        {
        }

        var seen = Servers.Journal.For(token);

        Assert.That(seen, Has.Count.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen[0], Is.EqualTo(new SeenRequest(
                "OPTIONS", Scheme.Http, $"{HostNames.SameSite}:{Servers.HttpPort}", $"/target/{token}?plan={PlanCodec.Encode(Plan)}", 0,
                IsPreflight: true, origin, "PUT", "x-a,x-b", HasCookie: false, HasAuthorization: false, "cors", "same-site", "empty", 204)
            {
                Sequence = seen[0].Sequence,
                Sent = seen[0].Sent,
                HeaderLines = seen[0].HeaderLines,
            }));
            Assert.That(seen[1], Is.EqualTo(new SeenRequest(
                "PUT", Scheme.Https, $"{HostNames.SameSite}:{Servers.HttpsPort}", $"/target/{token}?plan={PlanCodec.Encode(Plan)}", 0,
                IsPreflight: false, "null", null, null, HasCookie: true, HasAuthorization: true, null, null, null, 201)
            {
                Sequence = seen[1].Sequence,
                Sent = seen[1].Sent,
                HeaderLines = seen[1].HeaderLines,
            }));
            // Every header line is kept, as it arrived, and read back by name in any case.
            Assert.That(seen[0].Header("access-control-request-method"), Is.EqualTo("PUT"));
            Assert.That(seen[0].Headers.Select(h => h.Name), Is.SupersetOf(new[] { "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Sec-Fetch-Mode" }));
            Assert.That(seen[1].Header(HeaderNames.Cookie), Is.EqualTo("a=1; cc=2"));
            Assert.That(seen[1].Header("X-Absent"), Is.Null);
            Assert.That(seen.Select(s => s.Sent?.Status), Is.EqualTo(new int?[] { 204, 201 }), "the journal records what was sent");
            Assert.That(seen[1].Sequence, Is.GreaterThan(seen[0].Sequence));
        }
    }

    [TestCase("cc=1", true)]
    [TestCase("a=1;cc=", true)]
    [TestCase("a=1; cc=x; b=2", true)]
    [TestCase("ccx=1", false)]
    [TestCase("xcc=1", false)]
    [TestCase("a=cc", false)]
    [TestCase("cc", false)]
    public async Task HasCookieIsTrueOnlyForTheContractsCookie(string cookieLine, bool expected)
    {
        var token = NewToken();

        using (await SendAsync("GET", token, Plan, headers: new Header(HeaderNames.Cookie, cookieLine)))
        {
        }

        Assert.That(Servers.Journal.For(token).Single().HasCookie, Is.EqualTo(expected));
    }

    // The case's own cookie is named after the case's token: another case's cookie of the same shape does not count.
    [Test]
    public async Task HasCaseCookieIsTrueOnlyForTheCookieOfTheRequestsOwnCase()
    {
        var token = NewToken();
        var other = NewToken();

        using (await SendAsync("GET", token, Plan, headers: new Header(HeaderNames.Cookie, $"{ServerContract.CaseCookieName(other)}=1")))
        {
        }
        using (await SendAsync("GET", token, Plan, headers: new Header(HeaderNames.Cookie, $"cc=1; {ServerContract.CaseCookieName(token)}=1")))
        {
        }

        Assert.That(Servers.Journal.For(token).Select(s => s.HasCaseCookie), Is.EqualTo(new[] { false, true }));
    }

    // {case-cookie} in an answer is the cookie name of the request's own case.
    [Test]
    public async Task TheCaseCookiePlaceholderIsTheCasesOwnCookieName()
    {
        var token = NewToken();
        var plan = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, [new(HeaderNames.SetCookie, Placeholders.CaseCookie + "=1; SameSite=Lax")]));

        using var response = await SendAsync("GET", token, plan);

        Assert.That(response.Headers.GetValues(HeaderNames.SetCookie), Is.EqualTo(new[] { $"{ServerContract.CaseCookieName(token)}=1; SameSite=Lax" }));
    }

    [Test]
    public async Task TheJournalRecordsEveryHopOfARedirect()
    {
        var token = NewToken();
        var plan = Answering(new(200, []), redirect: new(302, Place.CrossSite, 2, []));

        var url = Servers.TargetUrl(Place.SameSite, Scheme.Http, token, plan);
        while (true)
        {
            using var response = await SendAsync("GET", url);
            if (response.Headers.Location is not { } location) break;
            url = location.ToString();
        }

        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Select(s => s.Hop), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(seen.Select(s => s.ResponseStatus), Is.EqualTo(new[] { 302, 302, 200 }));
            Assert.That(seen.Select(s => s.Host.Split(':')[0]), Is.EqualTo(new[] { HostNames.SameSite, HostNames.CrossSite, HostNames.CrossSite }));
        }
    }

    [Test]
    public async Task TokensAreKeptApart()
    {
        var (first, second) = (NewToken(), NewToken());

        using (await SendAsync("GET", first, Plan))
        using (await SendAsync("POST", second, Plan))
        using (await SendAsync("DELETE", first, Plan))
        {
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Servers.Journal.For(first).Select(s => s.Method), Is.EqualTo(new[] { "GET", "DELETE" }));
            Assert.That(Servers.Journal.For(second).Select(s => s.Method), Is.EqualTo(new[] { "POST" }));
            Assert.That(Servers.Journal.For(NewToken()), Is.Empty, "a token nothing was sent with has no journal");
        }
    }

    [Test]
    public async Task TheJournalIsServedAsJson()
    {
        var token = NewToken();
        using (await SendAsync("PATCH", token, Plan, headers: new Header(HeaderNames.Origin, "null")))
        {
        }

        using var response = await SendAsync("GET", $"{Servers.OriginOf(Place.Page, Scheme.Http)}/journal/{token}");
        var json = await response.Content.ReadAsStringAsync();
        var served = JsonSerializer.Deserialize<List<SeenRequest>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(json, Does.Contain("\"method\":\"PATCH\"").And.Contain("\"scheme\":\"http\""));
            Assert.That(served, Is.EqualTo(Servers.Journal.For(token)));
        }
    }

    // A sequence's step marks go to the page origin's server, stamped from the target's counter, so they fall between the
    // requests of the steps they separate; they are never the target's requests.
    [Test]
    public async Task StepMarksFallBetweenTheTargetsRequestsAndAreNotAmongThem()
    {
        var token = NewToken();
        var page = Servers.OriginOf(Place.Page, Scheme.Http);

        using (await SendAsync("PUT", token, Plan))
        using (var mark = await SendAsync("GET", $"{page}{ReferenceServers.MarkPath}{token}/1"))
        using (await SendAsync("OPTIONS", token, Plan, headers: new Header(HeaderNames.AccessControlRequestMethod, "DELETE")))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That((int)mark.StatusCode, Is.EqualTo(204));
                Assert.That(mark.Headers.CacheControl?.NoStore, Is.True, "a mark is never cached, or the next would not arrive");
            }
        }

        var seen = Servers.Journal.For(token);
        var marks = Servers.Journal.MarksFor(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Select(s => s.Method), Is.EqualTo(new[] { "PUT", "OPTIONS" }), "the mark is not a request of the target's");
            Assert.That(marks.Select(m => m.Step), Is.EqualTo(new[] { 1 }));
            Assert.That(marks[0].Sequence, Is.GreaterThan(seen[0].Sequence).And.LessThan(seen[1].Sequence));
        }

        Servers.Journal.Forget(token);
        Assert.That(Servers.Journal.MarksFor(token), Is.Empty, "forgetting a token forgets its marks");
    }

    [Test]
    public async Task ControlRequestsAreJournaledApartWithTheHostTheyCameTo()
    {
        var token = NewToken();
        var target = Servers.OriginOf(Place.CrossSite, Scheme.Http);

        using (var control = await SendAsync("GET", $"{target}{ReferenceServers.ControlPath}{token}"))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That((int)control.StatusCode, Is.EqualTo(204));
                Assert.That(control.Headers.CacheControl?.NoStore, Is.True, "a control is never cached, or it would not arrive");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Servers.Journal.For(token), Is.Empty, "the control is not a request of the target's");
            Assert.That(Servers.Journal.ControlsFor(token), Is.EqualTo(new[] { new Uri(target).Authority }));
        }

        Servers.Journal.Forget(token);
        Assert.That(Servers.Journal.ControlsFor(token), Is.Empty, "forgetting a token forgets its controls");
    }

    [Test]
    public void RecordStampsAnIncreasingSequenceAcrossTokens()
    {
        var journal = new Journal();
        var seen = new SeenRequest("GET", Scheme.Http, "h", "/", 0, false, null, null, null, false, false, null, null, null, 200) { Sequence = 99 };

        Parallel.For(0, 1000, i => journal.Record($"t{i % 7}", seen));

        var all = Enumerable.Range(0, 7).SelectMany(i => journal.For($"t{i}")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(s => s.Sequence).Order(), Is.EqualTo(Enumerable.Range(1, 1000).Select(i => (long)i)));
            Assert.That(journal.For("t3").Select(s => s.Sequence), Is.Ordered.Ascending);
        }
    }

    [Test]
    public void ForgetDropsATokenOnly()
    {
        var journal = new Journal();
        var seen = new SeenRequest("GET", Scheme.Http, "h", "/", 0, false, null, null, null, false, false, null, null, null, 200);
        journal.Record("a", seen);
        journal.Record("b", seen);

        journal.Forget("a");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(journal.For("a"), Is.Empty);
            Assert.That(journal.For("b"), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void SinceLastTellsHowLongAgoATokensLastRequestArrived()
    {
        var journal = new Journal();
        var seen = new SeenRequest("GET", Scheme.Http, "h", "/", 0, false, null, null, null, false, false, null, null, null, 200);
        var before = journal.SinceLast("a");
        journal.Record("a", seen);
        var after = journal.SinceLast("a");
        journal.Forget("a");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Null, "nothing arrived yet");
            Assert.That(after, Is.Not.Null.And.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(journal.SinceLast("a"), Is.Null, "forgotten with the token");
        }
    }

    // A page may set a request header value with any byte but NUL, CR and LF — Fetch's header value — so 0x80-0xFF too
    // (`new Headers({ Accept: "text/\u00e9" })` sends the byte E9), and `Accept: text/\u00e9` is still CORS-safelisted (only
    // the CORS-unsafe request-header bytes, all below 0x80 or 0x7F, make it unsafe). Kestrel refused such a request with
    // its own 400 before the target saw it, so a generated case read as "blocked" (the 400 has no
    // Access-Control-Allow-Origin) where the browser had sent the request exactly as the standard says.
    [TestCase("Accept", "text/\u00e9")]
    [TestCase("Content-Language", "en\u00ff")]
    [TestCase("X-Custom", "a\u00e0\u00ffb")]
    public async Task ARequestHeaderValueWithABytePast0x7FIsAnsweredAndJournaled(string name, string value)
    {
        var token = NewToken();
        var target = Target.PathAndQuery(token, PlanCodec.Encode(Plan), hop: 0);

        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", target, $"{name}: {value}");

        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith("HTTP/1.1 201"), raw.ToString());
            Assert.That(seen, Has.Count.EqualTo(1));
            Assert.That(seen.FirstOrDefault()?.Header(name), Is.EqualTo(value), "each byte is read back as the char it stands for");
        }
    }

    // Kestrel's defaults (32 KiB of header lines, 100 lines) answered such requests with its own 431 before the target
    // journaled them: a generated case with a 40,000-byte X-Long, or 120 headers, read as "blocked" after its journaled
    // preflight. The case reader allows up to MaxRequestHeaderBytes and MaxRequestHeaderLines; what it allows must arrive.
    [TestCase(1, CaseFileReader.MaxRequestHeaderBytes - 20)]
    [TestCase(CaseFileReader.MaxRequestHeaderLines, 1)]
    public async Task TheLargestRequestHeadersACaseMaySetAreAnsweredAndJournaled(int lines, int valueLength)
    {
        var token = NewToken();
        var target = Target.PathAndQuery(token, PlanCodec.Encode(Plan), hop: 0);
        var headers = Enumerable.Range(0, lines).Select(i => $"X-H{i}: {new string('a', valueLength)}").ToArray();

        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", target, headers);

        var seen = Servers.Journal.For(token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith("HTTP/1.1 201"), raw.StatusLine);
            Assert.That(seen.FirstOrDefault()?.Headers.Count(h => h.Name.StartsWith("X-H", StringComparison.Ordinal)), Is.EqualTo(lines));
        }
    }
}
