using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CorsConformance.Specs.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// The embedded reference servers: one Kestrel app on four loopback ports, two for HTTP and two for HTTPS (an in-memory
/// self-signed certificate): the first of each scheme serves every place but one, the second the page's own host at another
/// port (<see cref="Place.SameHost"/>). Every host of <see cref="HostNames"/> reaches every port; routing is by path alone:
/// <c>/target/{token}</c> (the case's target, see <see cref="PlanCodec"/>), <c>/pages/{file}</c> (page templates),
/// <c>/mark/{token}/{step}</c> (the page's marker between two requests of a sequence: <see cref="Journal.Mark"/>),
/// <c>/control/{token}</c> (the page's control request, that the target's server was reachable: <see cref="Journal.Control"/>) and
/// <c>/journal/{token}</c> (the journal as JSON, for debugging).
/// </summary>
public sealed class ReferenceServers : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private ReferenceServers(WebApplication app, Journal journal, X509Certificate2 certificate, string pagesDirectory)
    {
        this.app = app;
        Journal = journal;
        Certificate = certificate;
        PagesDirectory = pagesDirectory;
    }

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    /// <summary>The second HTTP port: where <see cref="Place.SameHost"/> (the page's host at another port) is over http.</summary>
    public int SameHostHttpPort { get; private set; }

    /// <summary>The second HTTPS port: where <see cref="Place.SameHost"/> is over https.</summary>
    public int SameHostHttpsPort { get; private set; }

    /// <summary>The addresses Kestrel bound, as it reports them (always 127.0.0.1).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public Journal Journal { get; }

    /// <summary>The HTTPS port's certificate, made at start; its SANs are every host name, <c>localhost</c> and 127.0.0.1.</summary>
    public X509Certificate2 Certificate { get; }

    public string PagesDirectory { get; }

    public static async Task<ReferenceServers> StartAsync(ReferenceServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ReferenceServerOptions();
        var pagesDirectory = Path.GetFullPath(options.PagesDirectory ?? Path.Join(AppContext.BaseDirectory, "fixtures", "pages"));
        var certificate = SelfSignedCertificate.Create(HostNames.All);
        WebApplication? app = null;
        try
        {
            var listeners = new List<ListenOptions>();
            app = Build(options, certificate, listeners);
            var servers = new ReferenceServers(app, new Journal(), certificate, pagesDirectory);
            servers.MapRoutes();
            await app.StartAsync(ct);
            servers.ReadBoundPorts(listeners);
            return servers;
        }
        catch
        {
            if (app is not null) await app.DisposeAsync();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The cookies every browser scope starts with (unless told not to), whatever its driver: one non-Secure
    /// SameSite=Lax cookie per host of the topology. Cookies are keyed by name, host and path, not scheme, so each serves
    /// HTTP and HTTPS alike.</summary>
    public IReadOnlyList<PlantedCookie> PlantedCookies() =>
        Enum.GetValues<Place>().Select(place => OriginOf(place, Scheme.Http)).DistinctBy(origin => new Uri(origin).Host)
            .Select(origin => new PlantedCookie(ServerContract.CookieName, "1", origin, new Uri(origin).Host))
            .ToList();

    /// <summary>The serialized origin of a place over a scheme, always with its explicit port: <c>http://api.cors.test:41234</c>.</summary>
    public string OriginOf(Place place, Scheme scheme) => (scheme, place == Place.SameHost) switch
    {
        (Scheme.Http, false) => $"http://{HostNames.For(place)}:{HttpPort}",
        (Scheme.Https, false) => $"https://{HostNames.For(place)}:{HttpsPort}",
        (Scheme.Http, true) => $"http://{HostNames.For(place)}:{SameHostHttpPort}",
        (Scheme.Https, true) => $"https://{HostNames.For(place)}:{SameHostHttpsPort}",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "not a scheme of the topology"),
    };

    /// <summary>The URL a page fetches for a case: the target at <paramref name="place"/>, carrying <paramref name="plan"/>.</summary>
    public string TargetUrl(Place place, Scheme scheme, string token, ServerPlan plan) =>
        OriginOf(place, scheme) + Target.PathAndQuery(token, PlanCodec.Encode(plan), hop: 0);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private static WebApplication Build(ReferenceServerOptions options, X509Certificate2 certificate, List<ListenOptions> listeners)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ReferenceServers).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        builder.Logging.ClearProviders();
        if (options.MinimumLogLevel != LogLevel.None) builder.Logging.AddSimpleConsole().SetMinimumLevel(options.MinimumLogLevel);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A page may set a request header value with any byte but NUL, CR and LF (Fetch's header value), 0x80-0xFF
            // included; Kestrel's default refuses those with a 400 of its own before the target journals anything, which
            // a case read as the browser's block. Each byte is read as the Latin-1 char it stands for, as a page wrote it.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            // Kestrel's own limits (32 KiB of header lines, 100 lines, 8 KiB request line, 16 KiB an HTTP/2 field) answered a
            // case's long header or many headers with a 431 before the target journaled it: read as the browser's block.
            // The case reader caps what a page sets (CaseFileReader.MaxRequestHeaderBytes/Lines); these leave room for
            // that, what the browser adds, and a request line that carries the case's plan.
            kestrel.Limits.MaxRequestHeadersTotalSize = 4 * CorsConformance.Specs.Catalog.CaseFileReader.MaxRequestHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = 4 * CorsConformance.Specs.Catalog.CaseFileReader.MaxRequestHeaderLines;
            kestrel.Limits.MaxRequestLineSize = 1024 * 1024;
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 4 * CorsConformance.Specs.Catalog.CaseFileReader.MaxRequestHeaderBytes;
            // Servers bind loopback only, always. (ListenLocalhost(0) cannot pick a port.)
            // Each listener answers what Kestrel refuses to write through the raw path of the same connection.
            // In order: HTTP, HTTPS, then the same two again for the page's host at another port.
            for (var i = 0; i < 2; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    RawPath.Use(listen);
                    listeners.Add(listen);
                });
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                    RawPath.Use(listen);
                    listeners.Add(listen);
                });
            }
        });

        return builder.Build();
    }

    private void MapRoutes()
    {
        var target = new Target(Journal, OriginOf);
        var pages = new PageAssets(PagesDirectory);
        app.Map("/target/{token}", target.HandleAsync);
        app.MapGet("/pages/{file}", pages.HandleAsync);
        app.MapGet("/journal/{token}", WriteJournalAsync);
        app.MapGet(MarkPath + "{token}/{step:int}", MarkStep);
        app.MapGet(ControlPath + "{token}", Control);
    }

    /// <summary>Where a page's control request goes, on the target's host, before the token.</summary>
    public const string ControlPath = "/control/";

    /// <summary>The page's control request: journaled apart from the target's requests with the Host it came to, then
    /// answered (so once the page has its answer, the control is in the journal); never cached, no cookie set.</summary>
    private void Control(HttpContext http)
    {
        Journal.Control(http.Request.RouteValues["token"] as string ?? string.Empty, http.Request.Host.Value ?? string.Empty);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>Where a page's step markers go, on any host of the topology, before the token and the step.</summary>
    public const string MarkPath = "/mark/";

    /// <summary>The page's marker before step <c>{step}</c> of the token's sequence: journaled apart from the target's
    /// requests, then answered (so once the page has its answer, the mark is in the journal); never cached, no cookie set.</summary>
    private void MarkStep(HttpContext http)
    {
        var token = http.Request.RouteValues["token"] as string ?? string.Empty;
        Journal.Mark(token, Convert.ToInt32(http.Request.RouteValues["step"], System.Globalization.CultureInfo.InvariantCulture));
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        http.Response.Headers.CacheControl = "no-store";
    }

    private Task WriteJournalAsync(HttpContext http)
    {
        var token = http.Request.RouteValues["token"] as string ?? string.Empty;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(http.Response.Body, Journal.For(token), ServerJson.Options, http.RequestAborted);
    }

    /// <summary>The ports Kestrel bound, from each listener in the order <see cref="Build"/> made them (Kestrel writes the
    /// port it chose back into the listener's endpoint).</summary>
    private void ReadBoundPorts(List<ListenOptions> listeners)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Addresses = [.. addresses.Select(address => new Uri(address))];
        var ports = listeners.Select(l => l.IPEndPoint?.Port ?? 0).ToList();
        if (ports.Count != 4 || ports.Any(p => p == 0) || ports.Distinct().Count() != 4 || Addresses.Count != 4)
        {
            throw new InvalidOperationException($"the reference servers bound [{string.Join(", ", Addresses)}], not four distinct loopback ports");
        }
        (HttpPort, HttpsPort, SameHostHttpPort, SameHostHttpsPort) = (ports[0], ports[1], ports[2], ports[3]);
    }
}

/// <summary>A cookie planted in a fresh browser scope: path /, SameSite=Lax, not Secure.</summary>
/// <param name="HttpOrigin">The host's origin over HTTP, for drivers that set a cookie by URL.</param>
public sealed record PlantedCookie(string Name, string Value, string HttpOrigin, string Host);
