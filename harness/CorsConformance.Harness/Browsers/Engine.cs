namespace CorsConformance.Harness.Browsers;

/// <summary>
/// The browser engines: three that Playwright installs and can drive (Webkit is Playwright's own WebKit build; Chromium and
/// stock Firefox are driven by the harness itself by default, see <see cref="BrowserLauncher"/>) and WebKitGTK, driven over
/// W3C WebDriver (WebKitWebDriver and MiniBrowser). Each is its own column: Playwright's WebKit and WebKitGTK are different
/// builds of the same engine and do not always agree.
/// </summary>
public enum Engine
{
    Chromium,
    Firefox,
    Webkit,
    WebkitGtk,
}

public static class Engines
{
    public static readonly IReadOnlyList<Engine> All = [Engine.Chromium, Engine.Firefox, Engine.Webkit, Engine.WebkitGtk];

    /// <summary>The engine's name as settings, snapshots and results spell it: chromium, firefox, webkit, webkitgtk.</summary>
    public static string Id(this Engine engine) => engine.ToString().ToLowerInvariant();

    /// <summary>The engine's name for people: Chromium, Firefox, WebKit (Playwright's build), WebKitGTK.</summary>
    public static string DisplayName(this Engine engine) => engine switch
    {
        Engine.Webkit => "WebKit",
        Engine.WebkitGtk => "WebKitGTK",
        _ => engine.ToString(),
    };

    /// <summary>The version as people name a release: the major for Chromium and Firefox (156), major.minor for WebKitGTK,
    /// whose releases go 2.48, 2.50 (2.50).</summary>
    public static string ShortVersion(this Engine engine, string version)
    {
        var parts = version.Split('.');
        return engine == Engine.WebkitGtk && parts.Length > 1 ? parts[0] + "." + parts[1] : parts[0];
    }

    /// <summary>Driven over W3C WebDriver (Selenium) rather than Playwright.</summary>
    public static bool IsWebDriver(this Engine engine) => engine == Engine.WebkitGtk;

    public static Engine Parse(string name)
    {
        var wanted = name.Trim().ToLowerInvariant();
        foreach (var engine in All)
        {
            if (engine.Id() == wanted) return engine;
        }
        throw new ArgumentException($"Unknown engine '{name}': expected one of {string.Join(", ", All.Select(e => e.Id()))}.");
    }

    /// <summary>Whether the user named the engines (a name or a list) rather than leaving them to `all` or the default:
    /// a named engine that cannot launch fails the run, where an engine of `all` is skipped with the reason.</summary>
    public static bool AreNamed(string? names) =>
        !string.IsNullOrWhiteSpace(names) && !names.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses "all", one name, or a comma-separated list.</summary>
    public static IReadOnlyList<Engine> ParseList(string? names) =>
        string.IsNullOrWhiteSpace(names) || names.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? All
            : names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ListedOne).Distinct().ToList() is { Count: > 0 } list
                ? list
                // ",,," is not "all": it names engines and lists none, and a run of no engine judges nothing.
                : throw new ArgumentException($"'{names}' names no engine: expected all, or a comma list of {string.Join(", ", All.Select(e => e.Id()))}.");

    /// <summary>One name of a comma list: `all,x` was told "Unknown engine 'all'", though `all` alone is the default.</summary>
    private static Engine ListedOne(string name) => name.Equals("all", StringComparison.OrdinalIgnoreCase)
        ? throw new ArgumentException($"'all' stands alone, not in a list: expected all, or a comma list of {string.Join(", ", All.Select(e => e.Id()))}.")
        : Parse(name);
}
