using System.Collections.Concurrent;
using System.Diagnostics;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A browser started by the harness itself for a direct protocol driver: the executable on a throwaway profile directory,
/// its automation endpoint read from what it prints on stderr when it listens (Chromium: "DevTools listening on ws://…",
/// Firefox: "WebDriver BiDi listening on ws://…"). Disposing waits for the browser to exit (after the driver has asked it
/// to close), kills it if it will not, and removes the profile. Where there is a POSIX shell the browser is started under a
/// small watchdog that holds the read end of a pipe from this process: however this process ends — killed, crashed, a test
/// host torn down — the pipe closes and the browser is ended, as Playwright's driver does for the browsers it launches;
/// then the watchdog removes the profile. Profiles live in this run's folder (<see cref="RunFolder"/>), so what a killed
/// watchdog could not remove goes at the next run's start.
/// </summary>
internal sealed class BrowserProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly Action<string>? _afterExit;

    private BrowserProcess(Process process, string profile, Uri endpoint, Action<string>? afterExit)
    {
        _process = process;
        Profile = profile;
        Endpoint = endpoint;
        _afterExit = afterExit;
    }

    public string Profile { get; }

    public Uri Endpoint { get; }

    private const string Shell = "/bin/sh";

    /// <summary>Runs the browser ("$@") and ends it when the shell's stdin — this process's pipe — reaches end of file, then
    /// removes the profile ($1), unless it holds <see cref="Keep"/> and this process is alive to read it first (a browser
    /// that closed normally: <see cref="DisposeAsync"/> then removes it). (A background list's stdin is /dev/null unless
    /// redirected, hence fd 3.) The shell ignores SIGINT, which a Ctrl-C sends the whole process group: it must outlive the
    /// harness to clean up after it.</summary>
    private const string Watchdog =
        "trap '' INT; profile=$1; shift; exec 3<&0; \"$@\" </dev/null 3<&- & browser=$!; "
        + "(while read -r _ <&3; do :; done; rm -f \"$profile/" + Keep + "\"; kill -TERM \"$browser\" 2>/dev/null) & watchdog=$!; "
        + "wait \"$browser\"; status=$?; kill \"$watchdog\" 2>/dev/null; [ -e \"$profile/" + Keep + "\" ] || rm -rf \"$profile\"; exit $status";

    /// <summary>In a profile: the harness reads it after the browser exits (<c>afterExit</c>), so the watchdog leaves it.</summary>
    private const string Keep = ".cors-keep";

    /// <param name="arguments">The arguments, given the profile directory.</param>
    /// <param name="listening">What the browser prints before the endpoint's address.</param>
    /// <param name="prepare">Writes what the profile needs before the browser starts (Firefox's user.js).</param>
    /// <param name="afterExit">Reads the profile once the browser has exited by itself after being asked to close (not when
    /// it had to be killed), before it is removed: Firefox's startup cache (<see cref="FirefoxStartupCache"/>).</param>
    public static async Task<BrowserProcess> StartAsync(string executable, Func<string, IEnumerable<string>> arguments, string listening,
        Func<string, Task>? prepare = null, Action<string>? afterExit = null)
    {
        var profile = Directory.CreateDirectory(Path.Combine(RunFolder.Path, "profile-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        Process? process = null;
        try
        {
            if (prepare is not null) await prepare(profile);
            if (afterExit is not null && File.Exists(Shell)) await File.WriteAllTextAsync(Path.Combine(profile, Keep), "");
            var info = new ProcessStartInfo(File.Exists(Shell) ? Shell : executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = File.Exists(Shell),
                UseShellExecute = false,
            };
            if (File.Exists(Shell))
            {
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add(Watchdog);
                info.ArgumentList.Add("browser");
                info.ArgumentList.Add(profile);
                info.ArgumentList.Add(executable);
            }
            foreach (var argument in arguments(profile)) info.ArgumentList.Add(argument);
            process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var said = new ConcurrentQueue<string>();
            var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    stderrClosed.TrySetResult();
                    return;
                }
                if (line.IndexOf(listening, StringComparison.Ordinal) is var at and >= 0) endpoint.TrySetResult(line[(at + listening.Length)..].Trim());
                else if (said.Count < 20) said.Enqueue(line);
            };
            process.OutputDataReceived += (_, _) => { };
            // The exit can be reported before the last lines it printed are read: judge once stderr is read to its end (or
            // after 5 s, should a helper of the browser still hold it open).
            process.Exited += async (_, _) =>
            {
                await Task.WhenAny(stderrClosed.Task, Task.Delay(TimeSpan.FromSeconds(5)));
                endpoint.TrySetException(new InvalidOperationException($"the browser exited before it listened for a driver: {string.Join(" / ", said).Trim()}"));
            };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var address = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new BrowserProcess(process, profile, new Uri(address), afterExit);
        }
        catch
        {
            await Stop(process, TimeSpan.Zero);
            TryDelete(profile);
            throw;
        }
    }

    /// <summary>What the harness's death does to the watchdog: closes the pipe it watches (for the tests of it).</summary>
    internal void CloseLifeline() => _process.StandardInput.Close();

    /// <summary>The process started (the browser, or what starts it): its descendants are the browser's own processes.</summary>
    internal int Id => _process.Id;

    public async ValueTask DisposeAsync()
    {
        var closed = await Stop(_process, TimeSpan.FromSeconds(10));
        if (closed && _afterExit is not null) _afterExit(Profile);
        TryDelete(Profile);
    }

    /// <returns>True when the browser exited by itself, with status 0, within <paramref name="grace"/>.</returns>
    private static async Task<bool> Stop(Process? process, TimeSpan grace)
    {
        if (process is null) return false;
        var closed = false;
        try
        {
            var killed = false;
            if (!process.HasExited)
            {
                using var wait = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    killed = true;
                }
            }
            closed = !killed && process.ExitCode == 0;
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        process.Dispose();
        return closed;
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A browser helper may still be writing as it exits; a leftover temp directory is not an error.
        }
    }
}
