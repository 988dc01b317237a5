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

    /// <summary>The engines asked for; none when <see cref="Problem"/> says they cannot be read (a test that fails with it
    /// stands in for them, see <see cref="Problems"/>).</summary>
    public static IReadOnlyList<Engine> Selected => Problem is null ? Engines.ParseList(Names) : [];

    /// <summary>Why the engines asked for cannot be read (`BROWSER=chrome`), naming the setting; null when they can. It was
    /// thrown out of every test source that lists the engines: NUnit's reflection frames under "Unknown engine 'chrome'",
    /// in every fixture, and nothing said which setting held the word.</summary>
    public static string? Problem
    {
        get
        {
            try
            {
                Engines.ParseList(Names);
                return null;
            }
            catch (ArgumentException e)
            {
                var setting = Environment.GetEnvironmentVariable("BROWSER") is { Length: > 0 } ? "the BROWSER environment variable" : "the runsettings parameter Engine";
                return $"The engines asked for cannot be read from {setting} ('{Names}'): {e.Message}";
            }
        }
    }

    /// <summary>One test case holding <see cref="Problem"/> when there is one, none otherwise: what a fixture lists in
    /// place of its engines' cases, so a bad engine setting fails once, without a stack trace, instead of a run of nothing.</summary>
    public static IEnumerable<TestCaseData> Problems() =>
        Problem is { } problem ? [new TestCaseData(problem).SetName("The engines asked for are known")] : [];

    public static Func<string, string?> Settings { get; } = EngineRun.SettingsFrom(key => TestContext.Parameters.Get(key));
}
