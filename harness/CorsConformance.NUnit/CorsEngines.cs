using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using NUnit.Framework;

namespace CorsConformance.NUnit;

/// <summary>
/// Which engines a test run covers: the BROWSER environment variable (`chromium`, `firefox`, `webkit`, `webkitgtk`, a
/// comma list, or `all`) over the runsettings parameter `Engine`; all engines when neither is given. Engine settings:
/// environment (CORS_CHROMIUM_EXECUTABLE_PATH, …) over runsettings parameters (chromium.executablePath, …). The same
/// settings as the suite's own tests.
/// </summary>
public static class CorsEngines
{
    /// <summary>What the user asked for: BROWSER over the runsettings Engine parameter (null: the default, all).</summary>
    public static string? Names => Environment.GetEnvironmentVariable("BROWSER") is { Length: > 0 } browser ? browser : TestContext.Parameters.Get("Engine");

    /// <summary>Whether the engines were named (not `all` or the default): then one that cannot launch fails the run.</summary>
    public static bool Named => Engines.AreNamed(Names);

    public static IReadOnlyList<Engine> Selected => Engines.ParseList(Names);

    public static Func<string, string?> Settings { get; } = EngineRun.SettingsFrom(key => TestContext.Parameters.Get(key));
}
