using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>What an answer's own headers say of the server that made it, so that advice naming one framework is given only
/// where the answers show that framework.</summary>
public static class ServerSigns
{
    /// <summary>The header lines that show ASP.NET Core (or ASP.NET behind IIS) made one of <paramref name="answers"/>: Kestrel's
    /// default `Server: Kestrel`, IIS's `Server: Microsoft-IIS/…`, `X-Powered-By: ASP.NET`, `X-AspNet-Version`; null where none
    /// does. ASP.NET Core's 500 for an endpoint given a CORS policy without a CORS middleware was named for any server's 500
    /// (an Express or nginx 500 read "ASP.NET Core answers 500 to every request…").</summary>
    public static string? AspNetCore(params RawResponse?[] answers)
    {
        foreach (var answer in answers)
        {
            if (answer is null) continue;
            foreach (var h in answer.Headers)
            {
                var name = h.Name.ToLowerInvariant();
                if ((name == "server" && (h.Value.Contains("Kestrel", StringComparison.OrdinalIgnoreCase) || h.Value.Contains("Microsoft-IIS", StringComparison.OrdinalIgnoreCase)))
                    || (name == "x-powered-by" && h.Value.Contains("ASP.NET", StringComparison.OrdinalIgnoreCase))
                    || name is "x-aspnet-version" or "x-aspnetmvc-version")
                {
                    return $"{h.Name}: {Specs.Fetch.Http.Shown(h.Value)}";
                }
            }
        }
        return null;
    }

    /// <summary>How the middleware frameworks' CORS layer comes not to run for a URL — mounted after the routes, which answer
    /// first — said where the answers show no ASP.NET Core: Koa with @koa/cors after router.routes() answered the GET and
    /// the preflight 200 without a CORS header, and the advice named ASP.NET Core's pipeline alone.</summary>
    public const string MountedAfterRoutes =
        "Koa: app.use(cors(…)) before app.use(router.routes()), not after it — the router answers first; Express: app.use(cors(…)) before the routes, "
        + "not after them — their handlers answer without calling next()";

    /// <summary>Why a 500 may come from the server's own CORS configuration, said where the server is not known to be ASP.NET
    /// Core.</summary>
    public const string GenericFailure =
        "its log says why it failed (a framework that rejects its own CORS configuration at request time fails every request of the route so)";
}
