using System.Collections.Concurrent;
using CorsConformance.Harness.Browsers;
using CorsConformance.NUnit;

namespace CorsConformance.Browser.Tests;

/// <summary>
/// Which engines this test run covers: the BROWSER environment variable over the runsettings parameter `Engine`
/// (runsettings/chromium.runsettings and friends); all engines when neither is given. An engine that cannot be launched
/// fails one test (<see cref="EngineLaunchTests"/>) when it was named, and is skipped with its reason under `all`; its
/// cases are skipped with the reason either way, never counted as passing.
/// </summary>
public static class EngineSelection
{
    private static readonly ConcurrentDictionary<Engine, Lazy<Task<string?>>> Launches = new();

    /// <summary>What the user asked for: BROWSER over the runsettings Engine parameter (null: the default, all), read
    /// as CorsConformance.NUnit reads it for a team's own tests.</summary>
    public static string? Names => CorsEngines.Names;

    /// <summary>Whether the engines were named (not `all` or the default): then one that cannot launch fails the run.</summary>
    public static bool Named => CorsEngines.Named;

    public static IReadOnlyList<Engine> Selected => CorsEngines.Selected;

    public static IEnumerable<TestFixtureData> Fixtures() =>
        Selected.Select(engine => new TestFixtureData(engine).SetArgDisplayNames(engine.Id()));

    /// <summary>Engine settings: environment (CORS_CHROMIUM_EXECUTABLE_PATH, …) over runsettings parameters (chromium.executablePath, …).</summary>
    public static Func<string, string?> Settings => CorsEngines.Settings;

    /// <summary>Why the engine cannot launch with this run's settings and the reference topology (null: it launches), asked
    /// once per run; the launched browser stays in the assembly's pool for the fixtures that use it.</summary>
    public static Task<string?> UnavailableAsync(Engine engine) =>
        Launches.GetOrAdd(engine, e => new Lazy<Task<string?>>(async () =>
        {
            var launch = await BrowserLauncher.TryLaunchAsync(e, Settings);
            if (launch.Session is { } session) await session.DisposeAsync();
            return launch.Unavailable;
        })).Value;
}
