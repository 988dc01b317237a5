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
/// <see cref="Available"/> is false and nothing is sampled). A process is sampled every 100 ms, each sample its own time
/// and that of the children it has reaped (utime, stime, cutime, cstime); a process gone by the end is counted through its
/// parent's reaped time instead — this process's own for a child it started (.NET reaps those), so one that lived between
/// two samples, or while a loaded machine delayed them, is counted whole (it was counted not at all: a 0.3 s child read
/// 0.0 s in a loaded CI run) — less what it had spent before the round, which its parent's reaped time holds too. A
/// process whose parent was gone before it (reparented to init) is lost: the figures may be low, never high. What it answers is whether the machine's cores were the bound — busy close to cores × wall time — and
/// which side spent them.
/// </summary>
public sealed class ProcessTreeCpu : IAsyncDisposable
{
    private static readonly long TicksPerSecond = ClockTicks();
    private readonly int _self = Environment.ProcessId;
    private readonly Dictionary<int, (string Group, long Start, long Last, int Parent)> _seen = [];
    private HashSet<int> _lastPass = [];
    private readonly long _reapedStart = ReadStat(Environment.ProcessId)?.Reaped ?? 0;
    private readonly TimeSpan _selfStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    private ProcessTreeCpu(TimeSpan every)
    {
        Sample(baseline: true);
        _sampler = every == Timeout.InfiniteTimeSpan ? Task.CompletedTask : Task.Run(() => SampleUntilStoppedAsync(every));
    }

    /// <summary>Starts sampling, every 100 ms unless <paramref name="every"/> says otherwise (<see cref="Timeout.InfiniteTimeSpan"/>:
    /// at the start and the stop only, as a machine too loaded to run the timer would); null where /proc is not there.</summary>
    public static ProcessTreeCpu? Start(TimeSpan? every = null) => Available ? new ProcessTreeCpu(every ?? TimeSpan.FromMilliseconds(100)) : null;

    /// <summary>Stops sampling and says what each side spent since <see cref="Start"/>.</summary>
    public async Task<CpuSplit> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        Sample(baseline: false);
        var harness = (Process.GetCurrentProcess().TotalProcessorTime - _selfStart).TotalSeconds;
        // Those still running, each with what it reaped; the children of this process that are gone, through what it reaped
        // (their whole time and their own reaped children's): counted as the browser's, whose launches they are.
        var reaped = (ReadStat(_self)?.Reaped ?? _reapedStart) - _reapedStart;
        // A process alive at the start and gone by the end went into its parent's reaped time whole, the time it had spent
        // before the round too: that part is taken off again (a Firefox content process of an earlier round, closed and
        // reaped during this one, counted its whole life — 11 s of browser CPU in a 7 s round on two cores).
        var before = _seen.Where(p => p.Value.Start > 0 && !_lastPass.Contains(p.Key) && (p.Value.Parent == _self || _lastPass.Contains(p.Value.Parent)))
            .ToLookup(p => p.Value.Parent == _self ? "browser" : _seen[p.Value.Parent].Group, p => p.Value.Start);
        double Of(string group) => Math.Max(0, _seen.Where(p => p.Value.Group == group && _lastPass.Contains(p.Key)).Sum(p => p.Value.Last - p.Value.Start)
            + (group == "browser" ? reaped : 0) - before[group].Sum()) / (double)TicksPerSecond;
        return new CpuSplit(Of("browser"), Of("driver"), harness);
    }

    private async Task SampleUntilStoppedAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
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
            if (ReadStat(pid) is { } stat) processes[pid] = (stat.Parent, stat.Own + stat.Reaped);
        }
        var children = processes.ToLookup(p => p.Value.Parent, p => p.Key);
        var pending = new Stack<int>(children[_self]);
        var pass = new HashSet<int>();
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            pass.Add(pid);
            foreach (var child in children[pid]) pending.Push(child);
            var ticks = processes[pid].Ticks;
            if (_seen.TryGetValue(pid, out var known))
            {
                _seen[pid] = known with { Last = Math.Max(known.Last, ticks) };
            }
            else
            {
                // A process born during the round counts from zero; one alive at the start, from what it had then.
                _seen[pid] = (GroupOf(pid), baseline ? ticks : 0, ticks, processes[pid].Parent);
            }
        }
        _lastPass = pass;
    }

    /// <summary>A process's parent, its own CPU ticks (utime + stime) and those of the children it has waited for (cutime +
    /// cstime), or null when it is gone.</summary>
    private static (int Parent, long Own, long Reaped)? ReadStat(int pid)
    {
        try
        {
            // pid (comm) state ppid … utime stime cutime cstime: comm may hold spaces and parentheses, so fields count from
            // the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]), long.Parse(fields[13]) + long.Parse(fields[14]));
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
