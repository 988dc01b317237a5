using System.Net;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Tests.Servers;

public sealed class TargetTests : ReferenceServersFixture
{
    private static readonly ServerPlan PreflightOrActual = Answering(
        actual: new(200, [new("X-Answered", "actual")]),
        preflight: new(204, [new("X-Answered", "preflight"), new(HeaderNames.AccessControlAllowMethods, "PUT")]));

    [Test]
    public async Task OptionsWithRequestMethodIsAPreflightAndGetsThePreflightPlan()
    {
        using var response = await SendAsync("OPTIONS", NewToken(), PreflightOrActual, headers: new Header(HeaderNames.AccessControlRequestMethod, "PUT"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "preflight" }));
            Assert.That(ValuesOf(response, HeaderNames.AccessControlAllowMethods), Is.EqualTo(new[] { "PUT" }));
        }
    }

    [Test]
    public async Task OptionsWithoutRequestMethodIsAnsweredAsAnActualRequest()
    {
        using var response = await SendAsync("OPTIONS", NewToken(), PreflightOrActual, headers: new Header(HeaderNames.AccessControlRequestHeaders, "x-a"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "actual" }));
        }
    }

    // A follow-up's answers are chosen by the page's step marks (the URL is the case's own at every step, so the preflight
    // cache and the cookies carry over), and every journal entry is then as its step's plan says.
    [Test]
    public async Task AFollowUpMeetsItsOwnAnswersOnceThePageHasMarkedItsStep()
    {
        var token = NewToken();
        var page = Servers.OriginOf(Place.Page, Scheme.Http);
        var plan = PreflightOrActual with { Then = [Answering(new(201, [new("X-Answered", "follow-up 1")]), new(204, [new("X-Answered", "follow-up 1 preflight")]))] };
        var requestMethod = new Header(HeaderNames.AccessControlRequestMethod, "PUT");

        using var first = await SendAsync("OPTIONS", token, plan, headers: requestMethod);
        using (await SendAsync("GET", $"{page}{ReferenceServers.MarkPath}{token}/1")) { }
        using var preflight = await SendAsync("OPTIONS", token, plan, headers: requestMethod);
        using var actual = await SendAsync("PUT", token, plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(first, "X-Answered"), Is.EqualTo(new[] { "preflight" }), "before the mark: the case's own answers");
            Assert.That(ValuesOf(preflight, "X-Answered"), Is.EqualTo(new[] { "follow-up 1 preflight" }));
            Assert.That((int)actual.StatusCode, Is.EqualTo(201));
            Assert.That(WireCheck.Differences(plan, Servers.Journal.For(token), page, Servers.Journal.MarksFor(token)), Is.Empty);
            Assert.That(WireCheck.Differences(plan, Servers.Journal.For(token), page), Has.Some.EqualTo("PUT hop 0: the target sent status 201, the plan says 200"), "without the marks every request is held to the first step's plan");
        }
    }

    // A follow-up with a not-modified answer: a conditional request (If-None-Match, If-Modified-Since, as a cache revalidating
    // what it stored sends it) gets the 304, an unconditional one the plan's 200, and the wire check holds each to that.
    [TestCase("If-None-Match", "\"v1\"")]
    [TestCase("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")]
    public async Task AFollowUpAnswersAConditionalRequest304AndAnUnconditionalOneAsPlanned(string condition, string value)
    {
        var token = NewToken();
        var page = Servers.OriginOf(Place.Page, Scheme.Http);
        var stored = Answering(new(200, [new("ETag", "\"v1\""), new("X-Answered", "actual")]), ResponsePlan.Empty);
        var plan = stored with { Then = [stored with { NotModified = new(ServerPlan.NotModifiedStatus, [new("X-Answered", "not modified")]) }] };

        using var beforeMark = await SendAsync("GET", token, plan, headers: new Header(condition, value));
        using (await SendAsync("GET", $"{page}{ReferenceServers.MarkPath}{token}/1")) { }
        using var unconditional = await SendAsync("GET", token, plan);
        using var conditional = await SendAsync("GET", token, plan, headers: new Header(condition, value));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)beforeMark.StatusCode, Is.EqualTo(200), "the case's own request has no not-modified answer");
            Assert.That((int)unconditional.StatusCode, Is.EqualTo(200));
            Assert.That((int)conditional.StatusCode, Is.EqualTo(304));
            Assert.That(ValuesOf(conditional, "X-Answered"), Is.EqualTo(new[] { "not modified" }));
            Assert.That(Servers.Journal.For(token).Select(s => s.IsConditional), Is.EqualTo(new[] { true, false, true }));
            Assert.That(WireCheck.Differences(plan, Servers.Journal.For(token), page, Servers.Journal.MarksFor(token)), Is.Empty);
        }
    }

    // Each URL a redirect leads to is preflighted on its own, and answered with the redirect's preflight.
    [Test]
    public async Task APreflightAtARedirectedURLMeetsTheRedirectsPreflightAnswer()
    {
        var token = NewToken();
        var plan = Answering(new(200, []), new(204, [new("X-Answered", "first URL")]),
            new RedirectPlan(307, Place.SameSite, 1, []) { Preflight = new(204, [new("X-Answered", "redirected URL")]) });
        var requestMethod = new Header(HeaderNames.AccessControlRequestMethod, "PUT");

        using var atFirst = await SendAsync("OPTIONS", token, plan, headers: requestMethod);
        using var atSecond = await SendAsync("OPTIONS", Servers.TargetUrl(Place.SameSite, Scheme.Http, token, plan) + "&hop=1", requestMethod);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(atFirst, "X-Answered"), Is.EqualTo(new[] { "first URL" }));
            Assert.That(ValuesOf(atSecond, "X-Answered"), Is.EqualTo(new[] { "redirected URL" }));
        }
    }

    [TestCase("GET")]
    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task OtherMethodsGetTheActualPlanEvenWithRequestMethod(string method)
    {
        using var response = await SendAsync(method, NewToken(), PreflightOrActual, headers: new Header(HeaderNames.AccessControlRequestMethod, "PUT"));

        Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "actual" }));
    }

    [TestCase(Scheme.Http)]
    [TestCase(Scheme.Https)]
    public async Task PlaceholdersAreFilledWithThePageOriginAndTheEchoedOrigin(Scheme scheme)
    {
        var plan = Answering(new(200, [new("X-Origin", "{origin}"), new("X-Upper", "{origin-upper}"), new("X-Echo", "<{echo}>"), new("X-Plain", "origin")]));
        var pageOrigin = Servers.OriginOf(Place.Page, scheme);

        using var response = await SendAsync("GET", NewToken(), plan, Place.CrossSite, scheme, new Header(HeaderNames.Origin, "https://elsewhere.example"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(response, "X-Origin"), Is.EqualTo(new[] { pageOrigin }));
            Assert.That(ValuesOf(response, "X-Upper"), Is.EqualTo(new[] { pageOrigin.ToUpperInvariant() }));
            Assert.That(ValuesOf(response, "X-Echo"), Is.EqualTo(new[] { "<https://elsewhere.example>" }));
            Assert.That(ValuesOf(response, "X-Plain"), Is.EqualTo(new[] { "origin" }));
        }
    }

    [TestCase(Scheme.Http, Place.CrossSite)]
    [TestCase(Scheme.Https, Place.SameSite)]
    [TestCase(Scheme.Http, Place.Page)]
    public async Task PlaceholdersNameThePageHostTheTargetsOwnOriginAndBothURLs(Scheme scheme, Place at)
    {
        var plan = Answering(new(200, [new("X-Host", "{host}"), new("X-Spliced", "ftp://{host}"), new("X-Parent", "*.{host-parent}"), new("X-Upper-Host", "http://{host-upper}"), new("X-Target-Origin", "{target-origin}"), new("X-Page-Url", "{page-url}"), new("X-Target-Url", "{target-url}")]));
        var pageOrigin = Servers.OriginOf(Place.Page, scheme);
        var targetOrigin = Servers.OriginOf(at, scheme);
        var token = NewToken();

        using var response = await SendAsync("GET", token, plan, at, scheme);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(response, "X-Host"), Is.EqualTo(new[] { new Uri(pageOrigin).Authority }));
            var port = new Uri(pageOrigin).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(ValuesOf(response, "X-Spliced"), Is.EqualTo(new[] { $"ftp://www.cors.test:{port}" }));
            Assert.That(ValuesOf(response, "X-Parent"), Is.EqualTo(new[] { $"*.cors.test:{port}" }));
            Assert.That(ValuesOf(response, "X-Upper-Host"), Is.EqualTo(new[] { $"http://WWW.CORS.TEST:{port}" }));
            Assert.That(ValuesOf(response, "X-Target-Origin"), Is.EqualTo(new[] { targetOrigin }));
            Assert.That(ValuesOf(response, "X-Page-Url"), Is.EqualTo(new[] { pageOrigin + "/pages/matrix.html" }));
            Assert.That(ValuesOf(response, "X-Target-Url"), Is.EqualTo(new[] { Servers.TargetUrl(at, scheme, token, plan) }));
        }
    }

    [TestCase("null", "null")]
    [TestCase(null, "")]
    public async Task EchoReflectsNullAndIsEmptyWithoutOrigin(string? origin, string expected)
    {
        var plan = Answering(new(200, [new(HeaderNames.AccessControlAllowOrigin, "{echo}"), new("X-Echo", "{echo}")]));
        string[] headers = origin is null ? [] : [$"{HeaderNames.Origin}: {origin}"];

        var response = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", TargetPath(plan), headers);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Lines(HeaderNames.AccessControlAllowOrigin), Is.EqualTo(new[] { expected }), response.ToString());
            Assert.That(response.Lines("X-Echo"), Is.EqualTo(new[] { expected }), response.ToString());
        }
    }

    [Test]
    public async Task AnEmptyValueStaysALineOverHttp2()
    {
        var plan = Answering(new(200, [new(HeaderNames.AccessControlAllowOrigin, "{echo}"), new("X-Empty", "")]));
        using var request = new HttpRequestMessage(HttpMethod.Get, Servers.TargetUrl(Place.SameSite, Scheme.Https, NewToken(), plan))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(ValuesOf(response, HeaderNames.AccessControlAllowOrigin), Is.EqualTo(new[] { string.Empty }));
            Assert.That(ValuesOf(response, "X-Empty"), Is.EqualTo(new[] { string.Empty }));
        }
    }

    [Test]
    public async Task EveryHeaderOfThePlanIsItsOwnLineInOrder()
    {
        var plan = Answering(new(200,
        [
            new(HeaderNames.AccessControlAllowOrigin, "{origin}"),
            new("X-Dup", "first"),
            new(HeaderNames.AccessControlAllowOrigin, "*"),
            new("X-Dup", "second, with a comma"),
        ]));

        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", TargetPath(plan));
        using var response = await SendAsync("GET", NewToken(), plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.Lines(HeaderNames.AccessControlAllowOrigin), Is.EqualTo(new[] { Servers.OriginOf(Place.Page, Scheme.Http), "*" }), raw.ToString());
            Assert.That(raw.Lines("X-Dup"), Is.EqualTo(new[] { "first", "second, with a comma" }), raw.ToString());
            // HttpClient keeps one value per line for headers it does not parse, so a runner sees the same two entries.
            Assert.That(ValuesOf(response, "X-Dup"), Is.EqualTo(new[] { "first", "second, with a comma" }));
            Assert.That(ValuesOf(response, HeaderNames.AccessControlAllowOrigin), Has.Count.EqualTo(2));
        }
    }

    [TestCase(Scheme.Http)]
    [TestCase(Scheme.Https)]
    public async Task AResponseCarriesExactlyThePlansHeadersAndTheBaseline(Scheme scheme)
    {
        var plan = Answering(new(200,
        [
            new(HeaderNames.AccessControlAllowOrigin, "{echo}"),
            new(HeaderNames.AccessControlAllowCredentials, "true"),
            new(HeaderNames.Vary, "Origin"),
            new("X-Custom", "1"),
            new("X-Custom", "2"),
        ]));

        using var response = await SendAsync("GET", NewToken(), plan, scheme: scheme, headers: new Header(HeaderNames.Origin, "http://www.cors.test"));
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(NamesOf(response), Is.EquivalentTo(
                new[] { "access-control-allow-origin", "access-control-allow-credentials", "vary", "x-custom" }.Concat(ServerContract.BaselineResponseHeaders)));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(2));
            Assert.That(body, Is.EqualTo("ok"));
        }
    }

    [Test]
    public async Task APlansContentTypeWins()
    {
        var plan = Answering(new(200, [new(HeaderNames.ContentType, "application/json")]));

        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", TargetPath(plan));

        Assert.That(raw.Lines(HeaderNames.ContentType), Is.EqualTo(new[] { "application/json" }), raw.ToString());
    }

    [TestCase(201)]
    [TestCase(303)]
    [TestCase(400)]
    [TestCase(418)]
    [TestCase(500)]
    public async Task TheActualStatusPassesThrough(int status)
    {
        var plan = Answering(new(status, [new(HeaderNames.Location, "/elsewhere")]));

        using var response = await SendAsync("GET", NewToken(), plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
        }
    }

    [TestCase(204)]
    [TestCase(304)]
    public async Task ABodylessStatusHasNoBody(int status)
    {
        var plan = Answering(new(status, [new("X-Answered", "actual")]));

        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "GET", TargetPath(plan));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith($"HTTP/1.1 {status} "));
            Assert.That(raw.Lines("X-Answered"), Is.EqualTo(new[] { "actual" }), raw.ToString());
            Assert.That(raw.Lines(HeaderNames.ContentLength), Is.EqualTo(status == 204 ? Array.Empty<string>() : ["0"]), raw.ToString());
            Assert.That(raw.Body, Is.Empty);
        }
    }

    [Test]
    public async Task HeadAnnouncesTheBodyButSendsNone()
    {
        var raw = await RawHttp.SendAsync(Servers.HttpPort, HostNames.SameSite, "HEAD", TargetPath(PreflightOrActual));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.StatusLine, Does.StartWith("HTTP/1.1 200 "));
            Assert.That(raw.Lines("X-Answered"), Is.EqualTo(new[] { "actual" }), raw.ToString());
            Assert.That(raw.Lines(HeaderNames.ContentLength), Is.EqualTo(new[] { "2" }), raw.ToString());
            Assert.That(raw.Body, Is.Empty);
        }
    }

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(303)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task ARedirectPointsAtItsPlaceWithTheNextHop(int status)
    {
        var token = NewToken();
        var plan = Answering(new(200, []), redirect: new(status, Place.CrossSite, 1, [new(HeaderNames.AccessControlAllowOrigin, "{echo}")]));

        using var response = await SendAsync("GET", token, plan, headers: new Header(HeaderNames.Origin, "http://www.cors.test"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status));
            Assert.That(ValuesOf(response, HeaderNames.Location), Is.EqualTo(new[]
            {
                $"{Servers.OriginOf(Place.CrossSite, Scheme.Http)}/target/{token}?plan={PlanCodec.Encode(plan)}&hop=1",
            }));
            Assert.That(ValuesOf(response, HeaderNames.AccessControlAllowOrigin), Is.EqualTo(new[] { "http://www.cors.test" }));
            Assert.That(response.Content.Headers.ContentLength, Is.Zero);
            Assert.That(NamesOf(response), Is.EquivalentTo(new[] { "location", "access-control-allow-origin" }.Concat(ServerContract.BaselineResponseHeaders)));
        }
    }

    [Test]
    public async Task AnHttpsTargetOfAnHttpPageFillsThePagesOriginAndLeadsItsHopsOverHttp()
    {
        // An http page's request to an https target: the plan names the page's scheme, so {origin} is the http page's origin
        // and a redirect hop goes to the place over the page's scheme, not the scheme the request arrived over.
        var token = NewToken();
        var plan = Answering(new(200, []), redirect: new(302, Place.Page, 1, [new(HeaderNames.AccessControlAllowOrigin, "{origin}")])) with { PageScheme = Scheme.Http };

        using var response = await SendAsync("GET", Servers.TargetUrl(Place.SameHost, Scheme.Https, token, plan));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValuesOf(response, HeaderNames.AccessControlAllowOrigin), Is.EqualTo(new[] { Servers.OriginOf(Place.Page, Scheme.Http) }));
            Assert.That(ValuesOf(response, HeaderNames.Location), Is.EqualTo(new[]
            {
                $"{Servers.OriginOf(Place.Page, Scheme.Http)}/target/{token}?plan={PlanCodec.Encode(plan)}&hop=1",
            }));
        }
    }

    [Test]
    public async Task ARedirectToADataUrlCarriesItAsItsLocation()
    {
        var plan = Answering(new(200, []), redirect: new RedirectPlan(302, Place.SameSite, 1, []) { SchemeLocation = "data:text/plain,hello" });

        using var response = await SendAsync("GET", NewToken(), plan);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(302));
            Assert.That(ValuesOf(response, HeaderNames.Location), Is.EqualTo(new[] { "data:text/plain,hello" }));
        }
    }

    [TestCase(Scheme.Http)]
    [TestCase(Scheme.Https)]
    public async Task RedirectsStopAfterTheirHops(Scheme scheme)
    {
        var token = NewToken();
        var plan = Answering(new(200, [new("X-Answered", "actual")]), redirect: new(307, Place.Page, 2, []));
        var statuses = new List<int>();
        var locations = new List<string>();

        var url = Servers.TargetUrl(Place.SameSite, scheme, token, plan);
        for (var i = 0; i < 4; i++)
        {
            using var response = await SendAsync("GET", url);
            statuses.Add((int)response.StatusCode);
            if (response.Headers.Location is not { } location) break;
            url = location.ToString();
            locations.Add(url);
        }

        var origin = Servers.OriginOf(Place.Page, scheme);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.EqualTo(new[] { 307, 307, 200 }));
            Assert.That(locations, Is.EqualTo(new[]
            {
                $"{origin}/target/{token}?plan={PlanCodec.Encode(plan)}&hop=1",
                $"{origin}/target/{token}?plan={PlanCodec.Encode(plan)}&hop=2",
            }));
        }
    }

    [Test]
    public async Task APreflightIsAnsweredAsPlannedAtEveryHop()
    {
        var plan = Answering(new(200, []), new(200, [new("X-Answered", "preflight")]), new(307, Place.Page, 1, []));

        using var response = await SendAsync("OPTIONS", NewToken(), plan, headers: new Header(HeaderNames.AccessControlRequestMethod, "PUT"));

        Assert.That(ValuesOf(response, "X-Answered"), Is.EqualTo(new[] { "preflight" }));
    }

    [Test]
    public async Task ARedirectPlanThatSetsLocationIsTakenAtItsWord()
    {
        var plan = Answering(new(200, []), redirect: new(302, Place.CrossSite, 1, [new(HeaderNames.Location, "data:,nope")]));

        using var response = await SendAsync("GET", NewToken(), plan);

        Assert.That(ValuesOf(response, HeaderNames.Location), Is.EqualTo(new[] { "data:,nope" }));
    }

    [TestCase("?plan=not*base64", TestName = "{m}(not base64url)")]
    [TestCase("?plan=bm90IGpzb24", TestName = "{m}(not JSON)")]
    [TestCase("", TestName = "{m}(no plan)")]
    [TestCase("?plan=e30", TestName = "{m}(empty object)")]
    public async Task ABadPlanIsRefusedWith400(string query)
    {
        var token = NewToken();

        using var response = await SendAsync("GET", $"{Servers.OriginOf(Place.SameSite, Scheme.Http)}/target/{token}{query}");
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.StartWith("bad target request: "));
            Assert.That(Servers.Journal.For(token).Select(seen => seen.ResponseStatus), Is.EqualTo(new[] { 400 }));
        }
    }

    [Test]
    public async Task ABadHopIsRefusedWith400()
    {
        var token = NewToken();

        using var response = await SendAsync("GET", Servers.TargetUrl(Place.SameSite, Scheme.Http, token, PreflightOrActual) + "&hop=-1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static string TargetPath(ServerPlan plan) => $"/target/{NewToken()}?plan={PlanCodec.Encode(plan)}";
}
