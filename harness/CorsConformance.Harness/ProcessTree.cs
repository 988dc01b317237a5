using System.Diagnostics;

namespace CorsConformance.Harness;

/// <summary>Ending a process the harness or a test started (a driver, Xvfb, a Selenium server) with all it started.</summary>
public static class ProcessTree
{
    /// <summary>Kills the process and its children if it is still running, waits up to <paramref name="wait"/> for it to
    /// go, and disposes it; a process that never started (or is null) is only disposed.</summary>
    public static void Stop(Process? process, TimeSpan wait)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(wait);
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        process.Dispose();
    }
}
