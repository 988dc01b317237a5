using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CorsConformance.NUnit;

/// <summary>
/// Your ASP.NET Core app, started for the fixture by its own <see cref="WebApplicationFactory{TEntryPoint}"/> on Kestrel
/// at 127.0.0.1 and a free port (a browser needs a real socket; the in-memory TestServer has none).
/// </summary>
/// <typeparam name="TEntryPoint">A type of the app's entry assembly, usually <c>Program</c>.</typeparam>
public abstract class AppTarget<TEntryPoint> : CorsTarget where TEntryPoint : class
{
    private WebApplicationFactory<TEntryPoint>? _factory;

    /// <summary>The path of the resource on the app, e.g. <c>/api/items</c>.</summary>
    protected abstract string ResourcePath { get; }

    /// <summary>The factory to start; override to configure the app for the test (services, settings, environment).</summary>
    protected virtual WebApplicationFactory<TEntryPoint> CreateFactory() => new();

    /// <summary>
    /// The environment the app runs in: <c>Production</c> by default, the one your users' browsers meet. WebApplicationFactory
    /// starts an app in Development, where ASP.NET Core's developer exception page keeps the CORS headers on a 500 that
    /// Kestrel sends without them in Production, and where <c>if (app.Environment.IsDevelopment())</c> often allows
    /// <c>http://localhost:5173</c>: the tests judged a configuration no user meets. Override to judge another (Staging), or
    /// return null to keep the environment your <see cref="CreateFactory"/> sets.
    /// </summary>
    protected virtual string? EnvironmentName => Environments.Production;

    public override Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        _factory = CreateFactory();
        var started = EnvironmentName is { } environment ? _factory.WithWebHostBuilder(host => host.UseEnvironment(environment)) : _factory;
        started.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        started.StartServer();
        var addresses = started.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} started, but Kestrel reports no address to call.");
        // A path only: an absolute URL or "//host/…" resolved away from the app, and the cases ran against another server.
        var app = new Uri(address);
        var resource = ResourcePath is { Length: > 0 } path ? new Uri(app, path) : null;
        if (resource is null || Uri.Compare(resource, app, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new InvalidOperationException($"{GetType().Name}.ResourcePath is '{ResourcePath}': give a path on the app, e.g. /api/items (the app listens on {app}).");
        }
        return Task.FromResult(resource);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await base.DisposeAsync();
    }
}
