namespace CorsConformance.Harness.Browsers;

/// <summary>The browser engines Playwright drives.</summary>
public enum Engine
{
    Chromium,
    Firefox,
    Webkit,
}

public static class Engines
{
    public static readonly IReadOnlyList<Engine> All = [Engine.Chromium, Engine.Firefox, Engine.Webkit];

    /// <summary>The engine's name as settings, snapshots and results spell it: chromium, firefox, webkit.</summary>
    public static string Id(this Engine engine) => engine.ToString().ToLowerInvariant();

    public static Engine Parse(string name)
    {
        var wanted = name.Trim().ToLowerInvariant();
        foreach (var engine in All)
        {
            if (engine.Id() == wanted) return engine;
        }
        throw new ArgumentException($"Unknown engine '{name}': expected one of {string.Join(", ", All.Select(e => e.Id()))}.");
    }

    /// <summary>Parses "all", one name, or a comma-separated list.</summary>
    public static IReadOnlyList<Engine> ParseList(string? names) =>
        string.IsNullOrWhiteSpace(names) || names.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? All
            : names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).Distinct().ToList();
}
