using System.Diagnostics;
using CorsConformance.Fixtures;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>A port handed to a child server is claimed across the machine's test processes: two test assemblies running
/// side by side once picked the same port, and one read the other's server as its own.</summary>
public sealed class FreePortTests
{
    [Test]
    public async Task A_port_whose_lock_another_process_holds_is_not_taken()
    {
        if (!File.Exists("/usr/bin/flock")) Assert.Ignore("flock (util-linux) is not installed here");
        var port = 31999 - Random.Shared.Next(0, 500);
        var lockFile = Path.Combine(Path.GetTempPath(), "cors-conformance-ports", $"{port}.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        // Another process, holding the port's lock as a test process that took it does.
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["-x", lockFile, "sleep", "5"]) { UseShellExecute = false })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(3);
            // Wait until flock holds it (it creates the file and locks it at once).
            while (!File.Exists(lockFile) && DateTime.UtcNow < deadline) await Task.Delay(20);
            await Task.Delay(200);
            Assert.That(LoopbackProcess.ClaimAcrossProcesses(port), Is.False, "a port another process holds is free for nobody else");
        }
        finally
        {
            holder.Kill();
        }
    }

    [Test]
    public void Ports_handed_out_are_claimed_and_distinct()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => LoopbackProcess.FreePort()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ports, Is.Unique);
            // Claimed by this process: a second claim (another open of its lock file) fails, as another process's would.
            Assert.That(ports.Where(p => p < 32000).Select(LoopbackProcess.ClaimAcrossProcesses), Has.None.True);
        }
    }
}
