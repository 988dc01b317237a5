using System.Diagnostics;

namespace CorsConformance.Cli;

/// <summary>CPU seconds spent during one benchmark round, by who spent them.</summary>
/// <param name="Browser">The browser's processes (and the Xvfb display a WebDriver engine runs under).</param>
/// <param name="Driver">The automation driver between us and the browser: Playwright's Node.js process, WebKitWebDriver.</param>
/// <param name="Harness">This process: the reference servers, the driver's client, the runner.</param>
public sealed record CpuSplit(double Browser, double Driver, double Harness)
{
    public double Total => Browser + Driver + Harness;
}

/// <summary>
/// CPU time of this process and of every process below it, read from /proc while a round runs (Linux only; elsewhere
/// <see cref="Available"/> is false and nothing is sampled). A process is sampled every 100 ms and counted up to its last
/// sample, so a helper that exits between two samples loses at most its last 100 ms: the figures are slightly low, never
/// high. What it answers is whether the machine's cores were the bound — busy close to cores × wall time — and which
/// side spent them.
/// </summary>
public sealed class ProcessTreeCpu : IAsyncDisposable
{
    private static readonly long TicksPerSecond = ClockTicks();
    private readonly int _self = Environment.ProcessId;
    private readonly Dictionary<int, (string Group, long Start, long Last)> _seen = [];
    private readonly TimeSpan _selfStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    private ProcessTreeCpu()
    {
        Sample(baseline: true);
        _sampler = Task.Run(SampleUntilStoppedAsync);
    }

    /// <summary>Starts sampling; null where /proc is not there.</summary>
    public static ProcessTreeCpu? Start() => Available ? new ProcessTreeCpu() : null;

    /// <summary>Stops sampling and says what each side spent since <see cref="Start"/>.</summary>
    public async Task<CpuSplit> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        Sample(baseline: false);
        var harness = (Process.GetCurrentProcess().TotalProcessorTime - _selfStart).TotalSeconds;
        double Of(string group) => _seen.Values.Where(p => p.Group == group).Sum(p => p.Last - p.Start) / (double)TicksPerSecond;
        return new CpuSplit(Of("browser"), Of("driver"), harness);
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Sample(baseline: false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass over /proc: every descendant of this process, with its CPU ticks so far.</summary>
    private void Sample(bool baseline)
    {
        var processes = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (ReadStat(pid) is { } stat) processes[pid] = stat;
        }
        var children = processes.ToLookup(p => p.Value.Parent, p => p.Key);
        var pending = new Stack<int>(children[_self]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            foreach (var child in children[pid]) pending.Push(child);
            var ticks = processes[pid].Ticks;
            if (_seen.TryGetValue(pid, out var known))
            {
                _seen[pid] = known with { Last = Math.Max(known.Last, ticks) };
            }
            else
            {
                // A process born during the round counts from zero; one alive at the start, from what it had then.
                _seen[pid] = (GroupOf(pid), baseline ? ticks : 0, ticks);
            }
        }
    }

    private static (int Parent, long Ticks)? ReadStat(int pid)
    {
        try
        {
            // pid (comm) state ppid … utime stime: comm may hold spaces and parentheses, so fields count from the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone between the listing and the read
        }
    }

    private static string GroupOf(int pid)
    {
        string exe;
        try
        {
            exe = Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget ?? string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            exe = string.Empty;
        }
        return exe is "node" or "WebKitWebDriver" ? "driver" : "browser";
    }

    /// <summary>USER_HZ: 100 on every Linux this runs on; getconf says so where it can.</summary>
    private static long ClockTicks()
    {
        if (!OperatingSystem.IsLinux()) return 100;
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            var text = getconf?.StandardOutput.ReadToEnd().Trim();
            getconf?.WaitForExit();
            return long.TryParse(text, out var hz) && hz > 0 ? hz : 100;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return 100;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
