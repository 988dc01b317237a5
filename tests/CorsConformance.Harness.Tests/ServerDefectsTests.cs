using CorsConformance.Fixtures;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests;

/// <summary>
/// The one catalog of server defects (<see cref="ServerDefects"/>) held to its fixtures and its detectors: every defect is
/// exhibited on a fixture path for every detector that looks for it, and that detector finds it there; a clean server
/// gives neither detector anything. A defect added to the catalog without a path that shows it fails here, by name.
/// </summary>
public sealed class ServerDefectsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly ReplayClient _client = Replay.CreateClient(acceptAnyCertificate: false);

    /// <summary>Each detector's fixture: the server whose paths exhibit the defects it looks for.</summary>
    private static IReadOnlyDictionary<string, ServerDefect[]> FixturePaths(DefectDetectors detector) => detector switch
    {
        DefectDetectors.Audit => MisconfiguredServer.Expected,
        DefectDetectors.ProtocolChecks => BrokenCorsServer.Expected,
        _ => throw new ArgumentOutOfRangeException(nameof(detector), detector, "a detector with no fixture server"),
    };

    private static readonly DefectDetectors[] Detectors = Enum.GetValues<DefectDetectors>();

    public static IEnumerable<TestCaseData> DefectsAndDetectors() =>
        ServerDefects.All.SelectMany(d => Detectors.Where(d.IsDetectedBy).Select(detector =>
            new TestCaseData(d.Id, detector).SetArgDisplayNames(d.Id, detector.ToString())));

    [Test]
    public void Ids_are_unique_and_every_defect_has_a_detector_a_title_an_explanation_and_a_detection()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ServerDefects.All.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty);
            Assert.That(ServerDefects.All.Where(d => !Detectors.Any(d.IsDetectedBy)).Select(d => d.Id), Is.Empty, "a defect nothing looks for");
            Assert.That(ServerDefects.All.Where(d => new[] { d.Title, d.Explanation, d.Detection }.Any(string.IsNullOrWhiteSpace)).Select(d => d.Id), Is.Empty);
            Assert.That(ServerDefects.All.Where(d => !System.Text.RegularExpressions.Regex.IsMatch(d.Id, "^[a-z0-9]+(-[a-z0-9]+)*$")).Select(d => d.Id), Is.Empty,
                "ids are lower-case words joined by hyphens (SARIF rule ids, test names)");
        }
    }

    [TestCaseSource(nameof(DefectsAndDetectors))]
    public async Task Every_defect_is_exhibited_on_a_fixture_path_and_its_detector_finds_it_there(string id, DefectDetectors detector)
    {
        var defect = ServerDefects.Of(id);
        var paths = FixturePaths(detector).Where(kv => kv.Value.Contains(defect)).Select(kv => kv.Key).ToList();
        Assert.That(paths, Is.Not.Empty,
            $"no path of the {detector} fixture server ({(detector == DefectDetectors.Audit ? nameof(MisconfiguredServer) : nameof(BrokenCorsServer))}.Expected) exhibits {id}: add one that does");
        var path = paths[0];
        if (detector == DefectDetectors.Audit)
        {
            await using var server = await MisconfiguredServer.StartAsync();
            var result = await Auditor.RunAsync(server.UrlOf(path), MisconfiguredServer.Trusted, _client, Timeout);
            var finding = result.Findings.FirstOrDefault(f => f.Defect == defect);
            Assert.That(finding, Is.Not.Null, () => $"the audit of {path} does not report {id}; it reports: "
                + string.Join("; ", result.Findings.Select(f => $"{f.Defect.Id} ({f.Message})")) + string.Concat(result.NotChecked.Select(n => $"; not checked {n.Defect.Id}: {n.Why}")));
            Assert.That(finding!.Severity, Is.LessThanOrEqualTo(defect.Severity), "a finding is never rated above its defect's severity");
        }
        else
        {
            await using var server = await BrokenCorsServer.StartAsync();
            var findings = await ProtocolChecks.RunAsync(server.UrlOf(path), BrokenCorsServer.PolicyFor(path), _client, Timeout);
            var finding = findings.Single(f => f.Defect == defect);
            Assert.That(finding.Outcome, Is.EqualTo(FindingOutcome.Fail), () => $"the protocol checks of {path} pass {id}: {finding.Message}");
            Assert.That(finding.Message, Does.Not.Contain("did not answer"), "the defect is seen in an answer, not inferred from a missing one");
        }
    }

    /// <summary>docs/audit.md lists the catalog as it is: id, anchor, severity, detectors, title, detection.</summary>
    [Test]
    public void The_table_in_docs_audit_md_is_the_catalog()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone"), "docs", "audit.md"));
        const string Begin = "<!-- server-defects: begin -->\n";
        const string End = "<!-- server-defects: end -->";
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, "docs/audit.md has the server-defects table between its markers");
        Assert.That(text[(start + Begin.Length)..end].TrimEnd('\n'), Is.EqualTo(Table().TrimEnd('\n')), "paste this table into docs/audit.md:\n" + Table());
    }

    private static string Table() =>
        "| id | rule (fetch.bs) | at most | found by | what is wrong | how it is found |\n|---|---|---|---|---|---|\n"
        + string.Concat(ServerDefects.All.Select(d =>
            $"| `{d.Id}` | [{d.Anchor}]({d.Url}) | {d.Severity.ToString().ToLowerInvariant()} | "
            + string.Join(", ", Detectors.Where(d.IsDetectedBy).Select(x => x == DefectDetectors.Audit ? "audit" : "protocol checks"))
            + $" | {d.Title} | {d.Detection} |\n"));

    [Test]
    public async Task A_server_configured_from_a_strict_policy_has_no_defect_for_either_detector()
    {
        var policy = FixturePolicies.Load("aspnetcore");
        await using var server = await AspNetCoreCorsServer.StartAsync(policy);
        var audit = await Auditor.RunAsync(server.Resource, policy.AllowedOrigins[0].Example, _client, Timeout);
        var checks = await ProtocolChecks.RunAsync(server.Resource, policy, _client, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(audit.Findings.Select(f => $"{f.Defect.Id}: {f.Message}"), Is.Empty);
            Assert.That(audit.NotChecked.Select(n => $"{n.Defect.Id}: {n.Why}"), Is.Empty, "clean means checked and found nothing");
            Assert.That(checks.Where(f => f.Outcome == FindingOutcome.Fail).Select(f => f.ToString()), Is.Empty);
            Assert.That(checks.Select(f => f.Defect), Is.EquivalentTo(ProtocolChecks.Defects), "every check ran");
        }
    }
}
