using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// Firefox's startup cache goes from one throwaway profile to the next, and nothing else of a profile does: no cookie,
/// HTTP cache, permission or storage can carry an observation from one run into another.
/// </summary>
public sealed class FirefoxStartupCacheTests
{
    private string _root = null!;

    [SetUp]
    public void MakeRoot() => _root = Directory.CreateTempSubdirectory("cors-startup-test-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    private string Profile(string name, string build)
    {
        var profile = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(profile, "compatibility.ini"), $"[Compatibility]\nLastVersion={build}\n");
        Directory.CreateDirectory(Path.Combine(profile, "startupCache"));
        File.WriteAllText(Path.Combine(profile, "startupCache", "scriptCache.bin"), "compiled by " + build);
        // What a run leaves that must never travel: site data of every kind.
        File.WriteAllText(Path.Combine(profile, "cookies.sqlite"), "a cookie");
        Directory.CreateDirectory(Path.Combine(profile, "cache2", "entries"));
        File.WriteAllText(Path.Combine(profile, "cache2", "entries", "A1"), "a stored response");
        File.WriteAllText(Path.Combine(profile, "SiteSecurityServiceState.bin"), "an HSTS entry");
        return profile;
    }

    [Test]
    public void A_closed_profile_leaves_its_startup_cache_and_only_that_for_the_next_profile()
    {
        var seed = FirefoxStartupCache.SeedOf("/usr/bin/firefox-esr", _root);
        var fresh = Directory.CreateDirectory(Path.Combine(_root, "fresh")).FullName;
        Assert.That(FirefoxStartupCache.Seed(seed, fresh), Is.False, "no seed yet");

        FirefoxStartupCache.Harvest(Profile("first", "153.8"), seed);
        var next = Directory.CreateDirectory(Path.Combine(_root, "next")).FullName;

        Assert.That(FirefoxStartupCache.Seed(seed, next), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(next, "startupCache", "scriptCache.bin")), Is.EqualTo("compiled by 153.8"));
        Assert.That(Directory.EnumerateFileSystemEntries(next).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "compatibility.ini", "startupCache" }), "only the cache and the build that wrote it");
    }

    [Test]
    public void A_seed_is_replaced_only_by_the_cache_of_another_build()
    {
        var seed = FirefoxStartupCache.SeedOf("/usr/bin/firefox-esr", _root);
        FirefoxStartupCache.Harvest(Profile("first", "153.8"), seed);
        var same = Profile("same", "153.8");
        File.WriteAllText(Path.Combine(same, "startupCache", "scriptCache.bin"), "a later run of the same build");
        FirefoxStartupCache.Harvest(same, seed);
        Assert.That(File.ReadAllText(Path.Combine(seed, "startupCache", "scriptCache.bin")), Is.EqualTo("compiled by 153.8"),
            "the same build: the seed stands (no copy at every close)");

        FirefoxStartupCache.Harvest(Profile("updated", "154.0"), seed);
        Assert.That(File.ReadAllText(Path.Combine(seed, "startupCache", "scriptCache.bin")), Is.EqualTo("compiled by 154.0"));
        Assert.That(Directory.EnumerateDirectories(_root, "*.making-*", SearchOption.AllDirectories), Is.Empty, "no half-made seed left");
    }

    [Test]
    public void A_profile_without_a_startup_cache_leaves_no_seed_and_each_executable_has_its_own()
    {
        var seed = FirefoxStartupCache.SeedOf("/usr/bin/firefox-esr", _root);
        var bare = Directory.CreateDirectory(Path.Combine(_root, "bare")).FullName;
        FirefoxStartupCache.Harvest(bare, seed);
        Assert.That(Directory.Exists(seed), Is.False);
        Assert.That(FirefoxStartupCache.SeedOf("/opt/firefox/firefox", _root), Is.Not.EqualTo(seed));
    }
}
