using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Middlewares;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Tests.Middlewares;

/// <summary>The generated table says what ran, what did not and why, explains each failure, and keeps nothing unstable.</summary>
public sealed class MiddlewareTableTests
{
    private static readonly CorsPolicy Policy = PolicyReader.Read("""
        { "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "maxAge": 600 }
        """, "test.json");

    private static MiddlewareMatrixResult Result()
    {
        var cases = PolicyCases.Generate(Policy, new Uri("http://127.0.0.1:41234/api/items"));
        // The disallowed origin is refused with and without credentials: the first of its cases stands for it.
        var evil = cases.First(c => c.PageOrigin == CorsPolicy.DefaultDisallowedOrigin);
        var admitted = new PolicyVerdict(evil, Outcome.Allowed, [], Oracle.Expect(evil.Model), null, null,
            new RawResponse(200, [new Header(HeaderNames.AccessControlAllowOrigin, evil.PageOrigin), new Header("Date", "Fri, 04 Dec 2026 05:00:00 GMT")], null) { Reached = true },
            null, [], []);
        var others = cases.Where(c => c != evil).Select(c => new PolicyVerdict(c, Oracle.Expect(c.Model).Outcome, null, Oracle.Expect(c.Model), null, null,
            new RawResponse(200, [], null) { Reached = true }, null, [], []));
        var vary = new ProtocolFinding(ServerDefects.MissingVary, FindingOutcome.Fail,
            "Vary does not name Origin at http://127.0.0.1:41234/api/items\n  evidence", "curl");
        return new MiddlewareMatrixResult(
            [new MatrixMiddleware("good", "Good 1.0", "fixtures/middlewares/good/app.js", null),
             new MatrixMiddleware("absent", "absent", "fixtures/middlewares/absent/app.rb", "ruby is not installed; install with: apt-get install -y ruby")],
            [new MatrixPolicy("exact", "fixtures/middlewares/policies/exact.json", Policy)],
            [new MatrixEngine(Engine.Chromium, "Chromium 1 (test)", null, null), new MatrixEngine(Engine.Webkit, null, "webkit is not installed", null)],
            [new MatrixCell("good", "exact", null, [vary], [new Surprise(SurpriseKind.ReflectsAnyOrigin, "echoed https://unlisted.example.net")],
                new Dictionary<Engine, IReadOnlyList<PolicyVerdict>> { [Engine.Chromium] = [admitted, .. others] })]);
    }

    [Test]
    public void It_counts_explains_and_says_what_did_not_run()
    {
        var result = Result();
        var text = MiddlewareTable.Render(result, new DateOnly(2026, 12, 4));
        var total = result.Cells[0].Verdicts[Engine.Chromium].Count;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain($"| `good` | `exact` | ✗ {total - 1}/{total} | could not launch | ✗ `missing-vary` | reflects any origin |"));
            Assert.That(text, Does.Contain("| `absent` | every policy |").And.Contain("**not run**: ruby is not installed; install with: apt-get install -y ruby"));
            Assert.That(text, Does.Contain("the browser allowed what the policy promises is blocked").And.Contain("https-evil-example/simple-get"));
            Assert.That(text, Does.Contain("Protocol check `missing-vary` fails under the policy `exact`"));
            Assert.That(text, Does.Contain("None of the middlewares that ran, under any policy."), "a kind checked and not found says so");
            Assert.That(text, Does.Not.Contain("41234").And.Not.Contain("05:00:00"), "ports and dates are scrubbed");
        }
    }

    /// <summary>A protocol check not checked read "not checked ×1 (no answer)" and was explained nowhere, though a check is
    /// not checked on a redirect, a 429 or a preflight that fails in browsers too (a server that answered every probe).
    /// The cell counts it, and the failures say why.</summary>
    [Test]
    public void A_protocol_check_not_checked_says_why_not_that_nothing_answered()
    {
        var result = Result();
        var maxAge = new ProtocolFinding(ServerDefects.MaxAgeNotPolicy, FindingOutcome.NotChecked,
            "not checked: the preflight for PUT from https://app.example.com fails in browsers (the preflight got 404, not an ok status), so no browser caches it\n  evidence", "curl");
        var cell = result.Cells[0] with { Findings = [.. result.Cells[0].Findings, maxAge] };
        var text = MiddlewareTable.Render(result with { Cells = [cell] }, new DateOnly(2026, 12, 4));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("✗ `missing-vary`, not checked ×1 |").And.Not.Contain("(no answer)"));
            Assert.That(text, Does.Contain("- Protocol check `max-age-not-policy` could not check under the policy `exact`: not checked: the preflight for PUT from https://app.example.com fails in browsers"));
        }
    }

    /// <summary>WebKitGTK's cells read "✓ 2/2, not judged ×32" for every middleware and the legend sent the reader to the
    /// engines table, which says why only when an engine judged nothing: the mixed-content reason for 1,100 cases was
    /// nowhere in the table.</summary>
    [Test]
    public void Every_reason_a_case_was_not_judged_is_in_the_table_once_with_its_count()
    {
        var result = Result();
        var verdicts = result.Cells[0].Verdicts[Engine.Chromium];
        const string why = "the browser refused the call to http://127.0.0.1:41234/api/items from an https page as mixed content";
        var notJudged = verdicts.Select((v, i) => i % 2 == 1 ? v with { NotJudged = why } : v).ToList();
        var second = result.Cells[0] with { Policy = "other", Verdicts = new Dictionary<Engine, IReadOnlyList<PolicyVerdict>> { [Engine.Chromium] = notJudged } };
        var cells = new[] { result.Cells[0] with { Verdicts = second.Verdicts }, second };
        var text = MiddlewareTable.Render(result with { Cells = cells }, new DateOnly(2026, 12, 4));
        var count = 2 * notJudged.Count(v => v.NotJudged is not null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain($"not judged ×{count / 2} |"));
            Assert.That(text, Does.Contain("## Not judged"));
            Assert.That(text, Does.Contain($"- In chromium, {count} case(s) (`good` under the policies `exact`, `other`): the browser refused the call to http://127.0.0.1:PORT/api/items from an https page as mixed content."));
            Assert.That(MiddlewareTable.Render(result, new DateOnly(2026, 12, 4)), Does.Not.Contain("## Not judged"), "no section when every case was judged");
        }
    }

    [Test]
    public void A_run_with_a_middleware_missing_or_nothing_judged_does_not_stand()
    {
        var result = Result();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures(enginesNamed: false), Has.Some.StartsWith("absent was not run: ruby is not installed"));
            Assert.That(result.Failures(enginesNamed: true), Has.Some.Contains("webkit is not installed"));
            Assert.That((result with { Middlewares = [result.Middlewares[0]] }).Failures(enginesNamed: false), Is.Empty);
            Assert.That((result with { Middlewares = [result.Middlewares[0]], Cells = [] }).Failures(enginesNamed: false), Has.Some.StartsWith("No case was judged"));
        }
    }

    [Test]
    public void The_committed_table_covers_every_middleware_and_policy_of_the_matrix()
    {
        var path = Path.Combine(RepositoryLayout.Root()!, "docs", "middlewares.md");
        var text = File.ReadAllText(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain($"Generated by `{MiddlewareTable.Command}`"));
            foreach (var id in Fixtures.Middlewares.Middlewares.All.Select(m => m.Id)) Assert.That(text, Does.Contain($"| `{id}` |"), $"{id}: run `{MiddlewareTable.Command}` again");
            foreach (var id in Fixtures.Middlewares.Middlewares.PolicyIds) Assert.That(text, Does.Contain($"| `{id}` |"), $"{id}: run `{MiddlewareTable.Command}` again");
            // A protocol check the table names is a defect the checks still look for (a renamed id is migrated here too).
            var named = System.Text.RegularExpressions.Regex.Matches(text, "Protocol check `([^`]+)`").Select(m => m.Groups[1].Value).Distinct();
            Assert.That(named.Except(ProtocolChecks.Defects.Select(d => d.Id)), Is.Empty, $"run `{MiddlewareTable.Command}` again");
            // A surprise the table names is one the matrix still looks for (a dropped kind is dropped from the table too).
            var known = Enum.GetValues<SurpriseKind>().Select(k => Surprise.Words(k).Short).Append("—").ToHashSet();
            var matrix = text[text.IndexOf("## The matrix", StringComparison.Ordinal)..];
            var shown = matrix[..(matrix.IndexOf("\n## ", StringComparison.Ordinal) is > 0 and var end ? end : matrix.Length)]
                .Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
                .SelectMany(l => l.TrimEnd().TrimEnd('|').Split('|')[^1].Split(';', StringSplitOptions.TrimEntries));
            Assert.That(shown.Distinct().Except(known), Is.Empty, $"run `{MiddlewareTable.Command}` again");
        }
    }

    [Test]
    public void The_README_counts_the_middlewares_of_the_matrix()
    {
        // The README's one line about the matrix says how many there are: a middleware added without it said "six" for eight.
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root()!, "README.md"));
        var said = System.Text.RegularExpressions.Regex.Match(readme, @"\(docs/middlewares\.md\): (\w+) real CORS middlewares × (\w+) policies");
        string[] words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(said.Success, "README: '(docs/middlewares.md): N real CORS middlewares × N policies'");
            Assert.That(Array.IndexOf(words, said.Groups[1].Value), Is.EqualTo(Fixtures.Middlewares.Middlewares.All.Count), "middlewares in the README");
            Assert.That(Array.IndexOf(words, said.Groups[2].Value), Is.EqualTo(Fixtures.Middlewares.Middlewares.PolicyIds.Count), "policies in the README");
        }
    }
}

/// <summary>A middleware that does not start is a hole in the table, said with its reason, and the others still run.</summary>
public sealed class MiddlewareMatrixStartTests
{
    private sealed class Throwing : ICorsMiddleware
    {
        public string Id => "throwing";

        public string Name => "Throwing 0.1";

        public string ConfiguredIn => "nowhere";

        public string? Unavailable => null;

        public Task<IRunningMiddleware> StartAsync(CorsPolicy policy) => throw new FormatException("the app's configuration does not parse");
    }

    [Test]
    public async Task A_middleware_that_does_not_start_is_not_run_with_the_reason_and_the_run_does_not_stand()
    {
        await using var servers = await Harness.Servers.ReferenceServers.StartAsync();
        var policies = Fixtures.Middlewares.Middlewares.Policies.Take(1).ToList();
        var result = await MiddlewareMatrix.RunAsync([new Fixtures.Middlewares.AspNetCoreMiddleware(), new Throwing()], policies, [], servers, _ => null, TimeSpan.FromSeconds(3));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cells.Single(c => c.Middleware == "throwing").NotRun, Is.EqualTo("it did not start: the app's configuration does not parse"));
            Assert.That(result.Cells.Single(c => c.Middleware == "aspnetcore").Findings, Is.Not.Empty, "the middleware that started was still checked");
            Assert.That(result.Failures(enginesNamed: false), Has.Some.EqualTo($"throwing under {policies[0].Id} was not run: it did not start: the app's configuration does not parse"));
            Assert.That(MiddlewareTable.Render(result, new DateOnly(2026, 12, 4)), Does.Contain("| `throwing` | `exact-origin` |").And.Contain("**not run**: it did not start"));
        }
    }
}
