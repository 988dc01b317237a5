#!/usr/bin/env python3
"""Where the test run's CPU goes: runs a command (default: `dotnet test --no-build`) and reports the machine's busy CPU
seconds over the run, against what its cores could give in that wall time, and the CPU seconds of each kind of process
(the test hosts, each browser with its page processes, builds, the middlewares' runtimes, the kernel's threads).

A run on two cores can never take less wall time than its busy CPU seconds over two: this is the floor the test run's
speed is judged against (docs/speed.md). Linux only: it reads /proc every quarter second, each process's own user and
system time (a process that lives less than that may be missed; the machine-wide figure misses nothing).

    python3 .ci/cpu.py                       # dotnet test --no-build, in the current clone
    python3 .ci/cpu.py -- dotnet test tests/CorsConformance.Browser.Tests --no-build
"""
import os, re, subprocess, sys, threading, time

HZ = os.sysconf("SC_CLK_TCK")

# (kind, test on (name, first argument, whole command line)); the first that matches names the process.
KINDS = [
    ("firefox", lambda n, a, c: n.startswith("firefox") or "firefox-esr" in a or n in ("forkserver", "Isolated Web Co", "Web Content", "WebExtensions", "RDD Process", "Socket Process", "Utility Process", "Privileged Cont") or re.match(r"browser \d+ tab|Isolated Servic", n)),
    ("chromium", lambda n, a, c: "chrom" in n or "chromium" in a),
    ("webkitgtk", lambda n, a, c: n.startswith(("WebKit", "MiniBrowser")) or "WebKit" in a or "MiniBrowser" in a),
    ("dotnet build (msbuild, csc)", lambda n, a, c: "MSBuild.dll" in c or "csc.dll" in c or "VBCSCompiler" in c or n in ("csc", "VBCSCompiler")),
    ("dotnet test hosts", lambda n, a, c: "testhost" in c),
    ("dotnet, other (CLI, tools, middlewares)", lambda n, a, c: n.startswith("dotnet") or a.endswith("/dotnet") or "cors-conformance" in c),
    ("Xvfb", lambda n, a, c: n == "Xvfb"),
    ("java (Selenium Grid)", lambda n, a, c: n == "java" or a.endswith("/java")),
    ("node (Express)", lambda n, a, c: n in ("node", "MainThread") or a.endswith("/node")),
    ("python (Flask, Django, Starlette)", lambda n, a, c: n.startswith("python") or "python" in a),
    ("ruby (Rack)", lambda n, a, c: n.startswith("ruby") or "ruby" in a),
    ("go (rs/cors)", lambda n, a, c: n in ("go", "compile", "link", "asm", "cgo") or "/go-build" in c or "gocode" in c),
    ("nginx", lambda n, a, c: n == "nginx"),
    ("kernel threads", lambda n, a, c: c == ""),
]


def busy():
    with open("/proc/stat") as f:
        values = list(map(int, f.readline().split()[1:]))
    return (sum(values) - values[3] - values[4]) / HZ


def sample(seen, stop, me):
    while not stop.is_set():
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == me:
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
                rest = stat[stat.rindex(")") + 2:].split()
                key = (pid, rest[19])  # pid and start time: a reused pid is another process
                cpu = (int(rest[11]) + int(rest[12])) / HZ
                if key not in seen:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        parts = [p.decode(errors="replace") for p in f.read().split(b"\0") if p]
                    seen[key] = [stat[stat.index("(") + 1:stat.rindex(")")], parts[0] if parts else "", " ".join(parts), cpu, cpu]
                else:
                    seen[key][4] = cpu
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
        stop.wait(0.25)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    command = args or ["dotnet", "test", "--no-build"]
    seen, stop = {}, threading.Event()
    sampler = threading.Thread(target=sample, args=(seen, stop, os.getpid()), daemon=True)
    sampler.start()
    time.sleep(0.3)  # the processes already running: their CPU before the run is subtracted below
    before, start = busy(), time.time()
    code = subprocess.call(command)
    after, wall = busy(), time.time() - start
    stop.set()
    sampler.join()
    totals = {}
    for name, first, line, cpu0, cpu1 in seen.values():
        kind = next((k for k, test in KINDS if test(name, first, line)), "other")
        totals[kind] = totals.get(kind, 0.0) + (cpu1 - cpu0)
    cores = os.cpu_count() or 1
    used = after - before
    print(f"\n`{' '.join(command)}` exited {code}: wall {wall:.0f} s, busy CPU {used:.0f} s of the {wall * cores:.0f} s "
          f"{cores} cores could give ({100 * used / max(wall * cores, 1):.0f}%); "
          f"no schedule of this work can take less than {used / cores:.0f} s on {cores} cores")
    print("| processes | CPU s | share |\n|---|---|---|")
    for kind, cpu in sorted(totals.items(), key=lambda item: -item[1]):
        if cpu >= 0.5:
            print(f"| {kind} | {cpu:.0f} | {100 * cpu / max(used, 1):.0f}% |")
    return code


if __name__ == "__main__":
    sys.exit(main())
