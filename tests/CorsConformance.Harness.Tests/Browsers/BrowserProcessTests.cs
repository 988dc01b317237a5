using System.Diagnostics;
using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// The process half of the direct drivers, with a shell script standing in for the browser: the endpoint is read from what
/// the browser prints when it listens; a browser that dies first is a launch failure that says what it printed; and the
/// browser does not outlive the harness (its watchdog ends it when the harness's pipe closes).
/// </summary>
public sealed class BrowserProcessTests
{
    private const string Listening = "DevTools listening on ";

    [SetUp]
    public void NeedsAShell()
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("no /bin/sh here: browsers start without a watchdog");
    }

    [Test]
    public async Task The_endpoint_is_what_follows_the_listening_line_and_the_browser_ends_when_the_harness_pipe_closes()
    {
        // "$$" is the stand-in's own pid: exec keeps it for the sleep that plays the running browser.
        await using var browser = await BrowserProcess.StartAsync("/bin/sh",
            _ => ["-c", $"echo starting >&2; echo \"{Listening}ws://127.0.0.1:9/devtools/browser/$$\" >&2; exec sleep 60"], Listening);
        var pid = int.Parse(browser.Endpoint.Segments[^1]);
        Assert.That(browser.Endpoint.GetLeftPart(UriPartial.Authority), Is.EqualTo("ws://127.0.0.1:9"));
        Assert.That(IsRunning(pid), Is.True, "the stand-in browser should be running");

        browser.CloseLifeline();

        var clock = Stopwatch.StartNew();
        while (IsRunning(pid) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.That(IsRunning(pid), Is.False, "the browser outlived the harness's pipe");
    }

    [Test]
    public async Task A_browser_that_exits_before_it_listens_fails_the_launch_with_what_it_said()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => BrowserProcess.StartAsync("/bin/sh",
            _ => ["-c", "echo 'Missing X server or $DISPLAY' >&2; exit 1"], Listening));
        Assert.That(failed!.Message, Does.Contain("exited before it listened").And.Contain("Missing X server"));
    }

    [Test]
    public async Task The_profile_directory_exists_while_the_browser_runs_and_is_gone_after()
    {
        string? profile = null;
        var browser = await BrowserProcess.StartAsync("/bin/sh",
            dir => { profile = dir; return ["-c", $"echo \"{Listening}ws://127.0.0.1:9/x\" >&2; exit 0"]; }, Listening);
        Assert.That(Directory.Exists(profile), Is.True);
        await browser.DisposeAsync();
        Assert.That(Directory.Exists(profile), Is.False);
    }

    /// <summary>Alive and not a zombie (an exited child not yet reaped still has a /proc entry).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
