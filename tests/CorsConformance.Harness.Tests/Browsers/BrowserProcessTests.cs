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
            // Running for a second: the watchdog removes the profile as soon as the browser exits.
            dir => { profile = dir; return ["-c", $"echo \"{Listening}ws://127.0.0.1:9/x\" >&2; exec sleep 1"]; }, Listening);
        Assert.That(Directory.Exists(profile), Is.True);
        await browser.DisposeAsync();
        Assert.That(Directory.Exists(profile), Is.False);
    }

    [Test]
    public async Task A_profile_read_after_a_clean_exit_is_there_to_read_and_removed_after()
    {
        string? profile = null;
        string? read = null;
        // The stand-in writes its cache as it shuts down, as Firefox writes its startup cache.
        var browser = await BrowserProcess.StartAsync("/bin/sh",
            dir => { profile = dir; return ["-c", $"echo \"{Listening}ws://127.0.0.1:9/x\" >&2; sleep 1; echo compiled > \"{dir}/cache\""]; },
            Listening, afterExit: dir => read = File.ReadAllText(Path.Combine(dir, "cache")).Trim());
        await browser.DisposeAsync();
        Assert.That(read, Is.EqualTo("compiled"), "what the browser left in its profile when it exited");
        Assert.That(Directory.Exists(profile), Is.False, "the profile outlived the read");
    }

    [Test]
    public async Task A_profile_kept_for_reading_is_still_removed_by_the_watchdog_when_the_harness_is_gone()
    {
        string? profile = null;
        var read = false;
        await using var browser = await BrowserProcess.StartAsync("/bin/sh",
            dir => { profile = dir; return ["-c", $"echo \"{Listening}ws://127.0.0.1:9/x\" >&2; exec sleep 60"]; },
            Listening, afterExit: _ => read = true);

        browser.CloseLifeline();

        var clock = Stopwatch.StartNew();
        while (Directory.Exists(profile) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.That(Directory.Exists(profile), Is.False, "the profile outlived the harness");
        Assert.That(read, Is.False, "a browser ended by its watchdog did not close cleanly: nothing of it is read");
    }

    [Test]
    public async Task A_browser_that_exits_with_a_failure_leaves_nothing_to_read()
    {
        var read = false;
        var browser = await BrowserProcess.StartAsync("/bin/sh",
            _ => ["-c", $"echo \"{Listening}ws://127.0.0.1:9/x\" >&2; sleep 1; exit 3"], Listening, afterExit: _ => read = true);
        await browser.DisposeAsync();
        Assert.That(read, Is.False, "a crashed browser's profile may hold half-written files");
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

/// <summary>Browser profiles never outlive the run, however it ends (issue 15, item 15).</summary>
public sealed class BrowserProfileTests
{
    private const string Listening = "DevTools listening on ";

    [SetUp]
    public void NeedsAShell()
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("no /bin/sh here: browsers start without a watchdog");
    }

    [Test]
    public async Task Profiles_live_in_this_run_s_folder_and_the_watchdog_removes_one_when_the_harness_is_gone()
    {
        string? profile = null;
        await using var browser = await BrowserProcess.StartAsync("/bin/sh",
            dir =>
            {
                profile = dir;
                return ["-c", $"echo data > \"{dir}/prefs.js\"; echo \"{Listening}ws://127.0.0.1:9/x\" >&2; exec sleep 60"];
            }, Listening);
        Assert.That(Path.GetDirectoryName(profile), Is.EqualTo(RunFolder.Path));
        Assert.That(Path.GetFileName(RunFolder.Path), Does.StartWith(RunFolder.Prefix));

        // As if the harness were killed: nobody disposes the browser; only its watchdog is left to clean up.
        browser.CloseLifeline();

        var clock = Stopwatch.StartNew();
        while (Directory.Exists(profile) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.That(Directory.Exists(profile), Is.False, "the profile outlived the harness");
    }

    [Test]
    public void A_killed_run_s_folder_is_removed_at_the_next_start_and_a_live_one_is_kept()
    {
        var root = Directory.CreateTempSubdirectory("cors-runs-test-").FullName;
        try
        {
            var stale = Directory.CreateDirectory(Path.Combine(root, RunFolder.Prefix + "killed")).FullName;
            File.WriteAllText(Path.Combine(stale, ".lock"), "");
            Directory.CreateDirectory(Path.Combine(stale, "profile-1", "cache2"));
            var live = Directory.CreateDirectory(Path.Combine(root, RunFolder.Prefix + "live")).FullName;
            using var held = new FileStream(Path.Combine(live, ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

            var removed = RunFolder.RemoveStale(root);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(removed, Is.EqualTo(1));
                Assert.That(Directory.Exists(stale), Is.False, "a killed run's profiles stayed");
                Assert.That(Directory.Exists(live), Is.True, "a live run's folder was removed under it");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void The_run_s_folder_is_locked_while_this_process_lives()
    {
        Assert.That(() => new FileStream(Path.Combine(RunFolder.Path, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose(),
            Throws.InstanceOf<IOException>());
    }
}
