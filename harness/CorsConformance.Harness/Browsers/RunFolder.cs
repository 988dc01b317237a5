using System.Diagnostics;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// This process's folder for browser profiles, `cors-run-*` in the temp directory, made on first use: it holds a lock file
/// that this process keeps open (an exclusive lock, released by the kernel however the process ends), and goes when the
/// process exits. At its making, every other run's folder whose lock nobody holds — a run that was killed — is removed.
/// </summary>
internal static class RunFolder
{
    public const string Prefix = "cors-run-";
    private const string LockName = ".lock";
    private static readonly Lazy<string> LazyPath = new(Create);
    private static FileStream? _lock;

    public static string Path => LazyPath.Value;

    private static string Create()
    {
        var root = System.IO.Path.GetTempPath();
        RemoveStale(root);
        // Locked before it takes its name, so another run's start never sees this folder unlocked.
        var making = Directory.CreateTempSubdirectory("cors-making-").FullName;
        _lock = new FileStream(System.IO.Path.Combine(making, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var folder = System.IO.Path.Combine(root, Prefix + System.IO.Path.GetFileName(making)["cors-making-".Length..]);
        Directory.Move(making, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            _lock.Dispose();
            BrowserProcess.TryDelete(folder);
        };
        return folder;
    }

    /// <summary>Removes the run folders under <paramref name="root"/> that no live process holds; returns how many.</summary>
    internal static int RemoveStale(string root)
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            try
            {
                // Opening the lock exclusively succeeds only when its run is gone (or never took it: a folder half made).
                using (new FileStream(System.IO.Path.Combine(folder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                }
                BrowserProcess.TryDelete(folder);
                if (!Directory.Exists(folder)) removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A live run's folder, or someone else's: leave it.
            }
        }
        return removed;
    }
}
