using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Middlewares;

/// <summary>
/// A real CORS implementation nobody here wrote (a framework's middleware, a server's configuration recipe), which the
/// middleware matrix starts on loopback once per policy, configured from that policy the way its own documentation shows.
/// </summary>
public interface ICorsMiddleware
{
    /// <summary>A stable id, used in case ids and the generated table (e.g. <c>express-cors</c>).</summary>
    string Id { get; }

    /// <summary>What it is, with the versions that ran (e.g. "Express 5.3.0 + cors 2.8.6 (npm)"); asked only when available.</summary>
    string Name { get; }

    /// <summary>Where its configuration lives in the repository, for the reader of the table (e.g. fixtures/middlewares/express/app.js).</summary>
    string ConfiguredIn { get; }

    /// <summary>Null when it can be started here; else why not, with the command that installs what is missing.</summary>
    string? Unavailable { get; }

    /// <summary>Starts it on 127.0.0.1 and a free port, configured from <paramref name="policy"/>; disposing stops it.</summary>
    Task<IRunningMiddleware> StartAsync(CorsPolicy policy);
}

/// <summary>A started middleware: the resource its policy covers (it answers every method there).</summary>
public interface IRunningMiddleware : IAsyncDisposable
{
    Uri Resource { get; }
}

/// <summary>One of the policies every middleware is configured from: an id for the table, and the policy file's contents.</summary>
public sealed record MatrixPolicy(string Id, string File, CorsPolicy Policy)
{
    /// <summary>The policy in a few words, for the table's legend.</summary>
    public string Summary =>
        (Policy.AnyOrigin ? "any origin (`*`)" : string.Join(", ", Policy.AllowedOrigins.Select(o => $"`{o.Text}`")))
        + $"; {string.Join(" ", Policy.AllowedMethods)}; headers {(Policy.AllowedHeaders.Count == 0 ? "none" : string.Join(", ", Policy.AllowedHeaders))}"
        + $"; exposes {(Policy.ExposedHeaders.Count == 0 ? "nothing" : string.Join(", ", Policy.ExposedHeaders))}"
        + (Policy.AllowCredentials ? "; with credentials" : "; no credentials")
        + (Policy.MaxAge is { } age ? $"; max-age {age}" : "");
}
