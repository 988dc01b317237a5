using System.Security.Cryptography;
using System.Text;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// Firefox's startup cache, carried from one throwaway profile to the next. Firefox keeps the compiled code of its own
/// interface (startupCache/: the script preloader's and the startup cache's files) in the profile, and writes it when it
/// shuts down; a fresh profile has none, so every launch compiled the browser's chrome again. Measured on this 2-core
/// machine (2026-12-04, Firefox 153.8 ESR, four launches each way, alternated): a fresh profile answered session.new after
/// 3.0–3.3 s and had spent 5.3–5.8 CPU s once its first tab was open; a profile holding the cache of an earlier run,
/// 2.4–2.6 s and 4.4–4.7 CPU s.
/// <para>What is carried is only that cache and compatibility.ini (the Firefox build that wrote it, which Firefox checks:
/// a cache of another build is thrown away at start). No cookie, HTTP cache entry, permission, HSTS entry or storage of any
/// kind goes from one profile to another, so nothing a page can observe is shared. The seed is kept per executable in the
/// temp directory and made from the first profile that closes cleanly without one (or with one another build wrote).</para>
/// </summary>
internal static class FirefoxStartupCache
{
    private const string Compatibility = "compatibility.ini";
    private const string Cache = "startupCache";

    /// <summary>Where the seed of <paramref name="executable"/> lives.</summary>
    internal static string SeedOf(string executable, string? root = null)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(executable))))[..16].ToLowerInvariant();
        return Path.Combine(root ?? Path.Combine(Path.GetTempPath(), "cors-conformance-firefox-startup"), key);
    }

    /// <summary>Copies the seed into a new <paramref name="profile"/>; false when there is none (this profile should leave one).</summary>
    internal static bool Seed(string seed, string profile)
    {
        try
        {
            if (!File.Exists(Path.Combine(seed, Compatibility)) || !Directory.Exists(Path.Combine(seed, Cache))) return false;
            CopyInto(seed, profile);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Being replaced by another run, or unreadable: this launch starts without it, as Firefox always could.
            return false;
        }
    }

    /// <summary>
    /// After the browser of <paramref name="profile"/> has exited: makes its startup cache the seed, when it wrote one and the
    /// seed is missing or was written by another build. Another run doing the same at once is not an error (one of them wins).
    /// </summary>
    internal static void Harvest(string profile, string seed)
    {
        var making = seed + ".making-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var written = Path.Combine(profile, Compatibility);
            if (!File.Exists(written) || !Directory.Exists(Path.Combine(profile, Cache))) return;
            var current = Path.Combine(seed, Compatibility);
            if (File.Exists(current) && File.ReadAllText(current) == File.ReadAllText(written)) return;
            Directory.CreateDirectory(making);
            CopyInto(profile, making);
            if (Directory.Exists(seed)) Directory.Delete(seed, recursive: true);
            Directory.Move(making, seed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run replaced it first, or the temp directory is read-only: launches go on without a seed.
            BrowserProcess.TryDelete(making);
        }
    }

    private static void CopyInto(string from, string to)
    {
        File.Copy(Path.Combine(from, Compatibility), Path.Combine(to, Compatibility), overwrite: true);
        var cache = Directory.CreateDirectory(Path.Combine(to, Cache)).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, Cache)))
        {
            File.Copy(file, Path.Combine(cache, Path.GetFileName(file)), overwrite: true);
        }
    }
}
