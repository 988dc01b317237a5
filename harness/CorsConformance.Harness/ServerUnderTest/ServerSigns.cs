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

    /// <summary>The header line that shows Apache httpd made one of <paramref name="answers"/> (`Server: Apache…`, its default);
    /// null where none does. Against Apache 2.4 with the `Header` recipes, an answer without a CORS header read "Koa:
    /// app.use(cors(…)) …; Express: …; ASP.NET Core: …", none of which was there.</summary>
    public static string? Apache(params RawResponse?[] answers) => Sign(answers, "server", "Apache");

    /// <summary>The header line that shows PHP made one of <paramref name="answers"/> (`X-Powered-By: PHP/…`, sent while
    /// expose_php is on, its default); null where none does.</summary>
    public static string? Php(params RawResponse?[] answers) => Sign(answers, "x-powered-by", "PHP");

    private static string? Sign(RawResponse?[] answers, string name, string product)
    {
        foreach (var answer in answers)
        {
            if (answer is null) continue;
            foreach (var h in answer.Headers)
            {
                if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && h.Value.TrimStart().StartsWith(product, StringComparison.OrdinalIgnoreCase))
                    return $"{h.Name}: {Specs.Fetch.Http.Shown(h.Value)}";
            }
        }
        return null;
    }

    /// <summary>Why an answer carries no CORS header where the answers show Apache or PHP (<see cref="Apache"/>, <see cref="Php"/>):
    /// the `Header` directives or header() calls are written so that they skip it. Empty where neither shows.</summary>
    public static string HandWrittenHeadersSkipped(params RawResponse?[] answers) =>
        (Apache(answers) is { } apache
            ? $"the answer shows Apache — {apache}: its `Header` directives do not apply to this answer (inside an <If> on the request method, a <Location> or "
                + "<Directory> of another path, or with an env= variable that the SetEnvIf Origin pattern did not set for this Origin); "
            : "")
        + (Php(answers) is { } php
            ? $"the answer shows PHP — {php}: its header() calls are not reached for this request (written inside the `if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS')` "
                + "branch before its exit, or in a condition on the Origin that does not match it); "
            : "");

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
