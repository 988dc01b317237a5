using CorsConformance.Harness.Browsers;

namespace CorsConformance.Browser.Tests;

/// <summary>
/// Which engines this test run covers: the BROWSER environment variable over the runsettings parameter `Engine`
/// (runsettings/chromium.runsettings and friends); all engines when neither is given. An engine that cannot be launched
/// is skipped with its reason, never counted as passing.
/// </summary>
public static class EngineSelection
{
    public static IEnumerable<TestFixtureData> Fixtures() =>
        Engines.ParseList(Environment.GetEnvironmentVariable("BROWSER") ?? TestContext.Parameters.Get("Engine"))
            .Select(engine => new TestFixtureData(engine).SetArgDisplayNames(engine.Id()));

    /// <summary>Engine settings: environment (CORS_CHROMIUM_EXECUTABLE_PATH, …) over runsettings parameters (chromium.executablePath, …).</summary>
    public static Func<string, string?> Settings { get; } = Harness.Running.EngineRun.SettingsFrom(key => TestContext.Parameters.Get(key));
}
