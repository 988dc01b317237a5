// Every fixture may run beside another, as many at once as there are cores. Most of them wait most of the time (a server
// under test's cases go one request at a time, a hung server costs its timeout, Selenium Grid takes seconds to start),
// and eight of them used to run alone, one after another, at the end of the run (docs/speed.md, "The test run"). The
// catalog's runs share one run per engine (Matrix/MatrixRuns.cs), and every run has its own browser contexts and URLs.
[assembly: Parallelizable(ParallelScope.Fixtures)]
