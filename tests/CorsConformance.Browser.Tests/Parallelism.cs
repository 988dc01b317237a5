// Every fixture may run beside another, as many at once as there are cores (docs/speed.md, "The test run"): most of a
// fixture's time is spent waiting — for a browser to start, a server under test to time out, a grid to come up — and
// what a fixture must not share it never does (fresh browser scopes, unique URLs, its own servers). The engine fixtures
// of one class run side by side too, so two engines' runs overlap.
[assembly: Parallelizable(ParallelScope.Fixtures)]
