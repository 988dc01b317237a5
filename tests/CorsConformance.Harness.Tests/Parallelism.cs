// Fixtures run side by side, as many at once as there are cores: PackageTests, which mostly waits for the consumer
// solution's own `dotnet` processes, overlaps the other fixtures instead of adding its minute after them (docs/speed.md,
// "The test run"). A fixture that changes process-wide state (environment variables) or measures this process's own CPU
// is [NonParallelizable] and runs alone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
