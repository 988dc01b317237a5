using CorsConformance.Fixtures.Middlewares;
using CorsConformance.Harness.Middlewares;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.Middlewares;

/// <summary>
/// Each real middleware of the matrix, started here from each policy, without a browser: it keeps what the policy says
/// (the checks a faithful configuration passes), and it shows the surprising defaults docs/middlewares.md reports — so a
/// new version that changes them fails here and the table is generated again. A middleware that is not installed, or
/// does not start, is skipped with the reason.
/// </summary>
public sealed class MiddlewareFixturesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The checks whose failure would mean the middleware was not configured from the policy.</summary>
    private static readonly ServerDefect[] Faithful =
    [
        ServerDefects.PreflightNotOk, ServerDefects.MultipleAcao, ServerDefects.StarWithCredentials, ServerDefects.AcacWrongSpelling,
        ServerDefects.DisallowedOriginAdmitted, ServerDefects.PreflightAdmitsAnyOrigin, ServerDefects.MaxAgeNotDeltaSeconds, ServerDefects.MaxAgeNotPolicy,
    ];

    private const SurpriseKind Reflects = SurpriseKind.ReflectsAnyOrigin;
    private const SurpriseKind EveryOptions = SurpriseKind.AnswersEveryOptionsAsPreflight;
    private const SurpriseKind NoVary = SurpriseKind.ForgetsVary;

    /// <summary>What the suite finds in each (pinned version of each) middleware, per policy; a policy not listed shows none.</summary>
    private static readonly Dictionary<string, Dictionary<string, SurpriseKind[]>> Found = new()
    {
        // One exact origin: ACAO is sent to that origin only, and Vary only when the list has several (CorsService).
        ["aspnetcore"] = new() { ["exact-origin"] = [NoVary] },
        // The recipe's `if OPTIONS` answers any OPTIONS; it never sends Vary.
        ["nginx"] = new()
        {
            ["exact-origin"] = [EveryOptions, NoVary], ["subdomain-wildcard"] = [EveryOptions, NoVary],
            ["public-star"] = [EveryOptions], ["credentialed"] = [EveryOptions, NoVary],
        },
        // cors ends every OPTIONS with the preflight's headers (it does not look for Access-Control-Request-Method).
        ["express-cors"] = new() { ["exact-origin"] = [EveryOptions], ["subdomain-wildcard"] = [EveryOptions], ["public-star"] = [EveryOptions], ["credentialed"] = [EveryOptions] },
        // One exact origin: no Vary; origins '*' (without send_wildcard) echoes the request's Origin.
        ["flask-cors"] = new() { ["exact-origin"] = [NoVary], ["public-star"] = [Reflects] },
        // django-cors-headers passes a plain OPTIONS on to the view, then adds the preflight's headers to any OPTIONS answer
        // (`if request.method == "OPTIONS"` in process_response); it adds Vary: Origin to every answer, preflights too.
        ["django-cors"] = new() { ["exact-origin"] = [EveryOptions], ["subdomain-wildcard"] = [EveryOptions], ["public-star"] = [EveryOptions], ["credentialed"] = [EveryOptions] },
        ["starlette-cors"] = new(),
        // rack-cors 1.1 takes an OPTIONS as a preflight only with Access-Control-Request-Method (lib/rack/cors.rb) and passes a
        // plain one on to the application, adding the Access-Control-Allow-Methods it adds to every answer: it shows none
        // (until 2026-12-07 it was listed as answering every OPTIONS as a preflight, read from that line alone).
        ["rack-cors"] = new(),
        // rs/cors 1.7.0 shows none, read by hand against fetch.bs (pmeenan/fetch@0c50c9dd): it tells a preflight by OPTIONS
        // with Access-Control-Request-Method (#cors-preflight-request), and answers a plain OPTIONS as an actual request
        // (Access-Control-Allow-Origin and -Expose-Headers, passed on to the app, no -Allow-Methods/-Headers); it adds Vary:
        // Origin to every answer, preflights too (with Vary: Access-Control-Request-Method and -Headers), '*' answers
        // included — rightly, since a request without Origin gets no Access-Control-Allow-Origin, so even '*' is not the
        // static answer #cors-protocol-and-http-caches exempts; its preflight answer is 200 naming only the requested method
        // and headers, which CORS-preflight fetch 7.5-7.7 accept; '*' in AllowedOrigins answers a literal '*'. Left out by
        // the policies, so not here: with AllowCredentials it answers '*' and Access-Control-Allow-Credentials: true, which
        // the CORS check fails for every credentialed request (step 3 passes '*' only without credentials; the policy reader
        // refuses such a policy, the audit finds it); and it upper-cases the requested method, so a preflight for `patch`
        // (fetch() does not normalize it) gets Access-Control-Allow-Methods: PATCH, which step 7.5 does not find `patch` in
        // (the catalog's preflight/method-case/patch-lower-vs-upper: blocked in Chromium, Firefox and WebKitGTK).
        ["rs-cors"] = new(),
    };

    public static IEnumerable<string> Ids => Fixtures.Middlewares.Middlewares.All.Select(m => m.Id);

    [Test]
    public void Every_middleware_of_the_matrix_has_its_findings_listed_here() =>
        Assert.That(Found.Keys, Is.EquivalentTo(Ids));

    [TestCaseSource(nameof(Ids))]
    public async Task Configured_from_each_policy_it_keeps_the_policy_and_shows_the_defaults_the_table_reports(string id)
    {
        var middleware = Fixtures.Middlewares.Middlewares.All.Single(m => m.Id == id);
        if (middleware.Unavailable is { } why) Assert.Ignore(why);
        var client = Replay.CreateClient(acceptAnyCertificate: false);
        // The policies run together: each start is mostly the runtime's own start-up.
        var outcomes = await Task.WhenAll(Fixtures.Middlewares.Middlewares.Policies.Select(async policy =>
        {
            IRunningMiddleware server;
            try
            {
                server = await middleware.StartAsync(policy.Policy);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                return (NotStarted: $"{id} did not start with the {policy.Id} policy: {e.Message}", Problems: Array.Empty<string>());
            }
            await using (server)
            {
                var problems = new List<string>();
                var (findings, surprises) = await MiddlewareMatrix.CheckAsync(server.Resource, policy.Policy, client, Timeout);
                problems.AddRange(findings.Where(f => Faithful.Contains(f.Defect) && f.Outcome == FindingOutcome.Fail)
                    .Select(f => $"{policy.Id}: {f}"));
                var expected = Found[id].GetValueOrDefault(policy.Id, []).Order();
                var actual = surprises.Select(s => s.Kind).Order().ToArray();
                if (!actual.SequenceEqual(expected))
                {
                    problems.Add($"{policy.Id}: surprises [{string.Join(", ", actual)}], the table's list says [{string.Join(", ", expected)}]: "
                        + string.Join("; ", surprises.Select(s => s.Evidence))
                        + string.Concat(findings.Where(f => f.Outcome == FindingOutcome.NotChecked).Select(f => $" [{f.Defect.Id} {f.Message.Split('\n')[0]}]")));
                }
                return (NotStarted: (string?)null, Problems: problems.ToArray());
            }
        }));
        if (outcomes.FirstOrDefault(o => o.NotStarted is not null).NotStarted is { } notStarted) Assert.Ignore(notStarted);
        var problems = outcomes.SelectMany(o => o.Problems).ToList();
        Assert.That(problems, Is.Empty, () => string.Join("\n", problems));
    }

    [Test]
    public void A_Debian_package_that_is_not_installed_is_named_with_the_command_that_installs_it()
    {
        var runtime = new DebianRuntime("/usr/bin/python3", ["python3-cors-conformance-no-such-package", "python3-django"], "x");
        Assert.That(runtime.Unavailable("."), Does.StartWith("python3-cors-conformance-no-such-package is")
            .And.EndWith("not installed; install with: apt-get install -y python3-cors-conformance-no-such-package python3-django"));
    }

    [Test]
    public void Every_Debian_package_a_middleware_needs_is_installed_by_CI()
    {
        // A package installed here by hand would pass every test and leave a fresh CI machine skipping the middleware.
        var root = RepositoryLayout.Root();
        if (root is null) Assert.Ignore("no clone of the repository above " + AppContext.BaseDirectory);
        var line = File.ReadAllLines(Path.Combine(root!, ".ci", "run")).Single(l => l.StartsWith("for package in ", StringComparison.Ordinal));
        var installed = line["for package in ".Length..line.IndexOf(';', StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var needed = Fixtures.Middlewares.Middlewares.All.OfType<ProcessMiddleware>().SelectMany(m => m.Runtime.DebianPackages).Distinct().ToList();
        Assert.That(needed, Does.Contain("python3-django-cors-headers").And.Contain("golang-github-rs-cors-dev"));
        // python3-django comes with python3-django-cors-headers, as python3-flask with python3-flask-cors.
        Assert.That(needed.Except(["python3-django", "python3-flask"]), Is.SubsetOf(installed), line);
    }

    [Test]
    public void The_subdomain_rule_becomes_an_anchored_expression_with_its_dots_escaped()
    {
        var rule = new Specs.Policies.OriginRule("https://*.example.org");
        var pattern = MiddlewareConfig.Pattern(rule);
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pattern, Is.EqualTo(@"^https://[^:/]+\.example\.org$"));
            foreach (var origin in new[] { "https://a.example.org", "https://a.b.example.org", "https://example.org", "https://aexample.org", "https://a.example.org.attacker.test", "http://a.example.org", "https://a.example.org:8443" })
            {
                Assert.That(regex.IsMatch(origin), Is.EqualTo(rule.Matches(origin)), origin);
            }
        }
    }
}
