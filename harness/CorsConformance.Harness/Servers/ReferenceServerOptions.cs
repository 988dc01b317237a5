using Microsoft.Extensions.Logging;

namespace CorsConformance.Harness.Servers;

/// <summary>How <see cref="ReferenceServers.StartAsync"/> sets the servers up; every default suits a run.</summary>
public sealed record ReferenceServerOptions
{
    /// <summary>Where <c>/pages/{file}</c> is served from; null for <c>fixtures/pages</c> beside the harness assembly.</summary>
    public string? PagesDirectory { get; init; }

    /// <summary>The least level Kestrel and ASP.NET Core log to the console; <see cref="LogLevel.None"/> (the default) logs nothing.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.None;
}
