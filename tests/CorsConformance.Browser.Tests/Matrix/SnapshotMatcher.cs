using Snapshooter;
using Snapshooter.Core;
using Snapshooter.Core.Serialization;
using Snapshooter.NUnit;

namespace CorsConformance.Browser.Tests.Matrix;

/// <summary>
/// Snapshooter's own Snapshot.Match, made once instead of per call. Snapshot.Match builds its whole pipeline for every
/// snapshot, and each of its two serializers looks for serializer settings by reading every type of every loaded assembly
/// (GlobalSnapshotSettingsResolver): ~9 ms of CPU a snapshot, 4,266 snapshots a run (the matrix's three engines), about
/// 40 CPU seconds of a CPU-bound test run (docs/speed.md, "The test run"). Here the same pieces — the same serializer
/// settings, file handler, environment cleaner, JSON comparer and NUnit assert — are made once, the settings looked up
/// once: the files written and compared, a mismatch's file in __mismatch__ and the failure's diff are Snapshooter's.
/// </summary>
internal static class SnapshotMatcher
{
    private static readonly Lazy<SnapshotAssert> Assert = new(() =>
    {
        var settings = new CachedSettings();
        return new SnapshotAssert(
            new SnapshotSerializer(settings),
            new SnapshotFileHandler(),
            new SnapshotEnvironmentCleaner(new SnapshotFileHandler()),
            new JsonSnapshotComparer(new NUnitAssert(), new SnapshotSerializer(settings)),
            new JsonSnapshotFormatter(new SnapshotSerializer(settings)));
    });

    public static void Match(object snapshot, SnapshotFullName name) => Assert.Value.AssertSnapshot(snapshot, name, new MatchOptions());

    /// <summary>Snapshooter's global settings lookup, done once: the settings types of the test assemblies do not change
    /// while they run.</summary>
    private sealed class CachedSettings : ISnapshotSettingsResolver
    {
        private readonly IReadOnlyList<SnapshotSerializerSettings> _settings = new GlobalSnapshotSettingsResolver().GetConfiguration().ToList();

        public IEnumerable<SnapshotSerializerSettings> GetConfiguration() => _settings;
    }
}
