using System.Text;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Tests.Reports;

namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// The command line under inputs nobody here wrote (a hostile-input sweep): each used to end in a stack trace (exit 134),
/// a silent misreading or a partial output. Now each is exit 2 with the file (or option) named, no "   at " line, and
/// nothing written. No browser is launched: every input is refused before one would be.
/// </summary>
public sealed class HostileInputTests() : CommandInputTests("cors-hostile-")
{
    private static string Report => Path.Combine(AppContext.BaseDirectory, "fixtures", "reports", "current.json");

    private const string GoodCase = """
        cases:
          - id: mine/simple
            anchor: concept-cors-check
            description: a simple GET
            request: { method: GET }
            server:
              actual: { headers: { Access-Control-Allow-Origin: "*" } }
        """;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Bytes that are not UTF-8 used to become U+FFFD without a word, in an id, a header value or a reason.</summary>
    [Test]
    public async Task A_case_file_deviations_file_or_report_that_is_not_UTF8_is_refused_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes(GoodCase).ToList();
        bytes.InsertRange(GoodCase.IndexOf("a simple", StringComparison.Ordinal), [0xFF, 0xFE]);
        var file = Write("latin.yaml", [.. bytes]);
        AssertRefused(await RunAsync("oracle", file), file, "line 4: byte 0xFF");
        AssertRefused(await RunAsync("run", "--deviations", file, "--engines", "chromium", "--no-install", "--out", Path.Combine(Folder, "r.json")), file, "line 4: byte 0xFF");
        var report = Write("report.json", [.. File.ReadAllBytes(Report)[..1], 0xC0, .. File.ReadAllBytes(Report)[1..]]);
        AssertRefused(await RunAsync("render", report, "--out", Path.Combine(Folder, "out")), report, "is not UTF-8");
        Assert.That(Directory.GetFileSystemEntries(Folder), Has.Length.EqualTo(2), "nothing written");
    }

    /// <summary>A UTF-16 file was read by a StreamReader, which made a lone surrogate or a cut last character U+FFFD without
    /// a word: a case whose description held one ran, exit 0 (found by the fuzz campaign). UTF-16 and UTF-32 are as
    /// strict as UTF-8 now; a whole UTF-16 or UTF-32 file with its mark still reads.</summary>
    [Test]
    public async Task A_UTF16_file_that_is_not_UTF16_is_refused_and_a_whole_one_read()
    {
        var text = Encoding.Unicode.GetBytes(GoodCase);
        var at = Encoding.Unicode.GetBytes(GoodCase[..GoodCase.IndexOf("a simple", StringComparison.Ordinal)]).Length;
        var lone = Write("lone.yaml", [0xFF, 0xFE, .. text[..at], 0x00, 0xD8, .. text[at..]]);
        var cut = Write("cut.yaml", [0xFF, 0xFE, .. text, 0x41]);
        AssertRefused(await RunAsync("oracle", lone), lone, "are not UTF-16");
        AssertRefused(await RunAsync("oracle", cut), cut, "are not UTF-16");
        foreach (var whole in new[] { Write("le.yaml", [0xFF, 0xFE, .. text]), Write("be.yaml", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(GoodCase)]), Write("32.yaml", [0xFF, 0xFE, 0, 0, .. Encoding.UTF32.GetBytes(GoodCase)]) })
        {
            var (code, output, error) = await RunAsync("oracle", whole);
            Assert.That(code, Is.Zero, whole + error);
            Assert.That(output, Does.StartWith("mine/simple: allowed"));
        }
    }

    [Test]
    public async Task A_byte_order_mark_is_no_error()
    {
        var file = Write("bom.yaml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(GoodCase)]);
        var (code, output, error) = await RunAsync("oracle", file);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.StartWith("mine/simple: allowed"));
    }

    [Test]
    public async Task A_folder_given_for_a_file_is_named_as_a_folder()
    {
        AssertRefused(await RunAsync("oracle", Folder), Folder, "is a folder, not a file");
        AssertRefused(await RunAsync("render", Report, "--baseline", Folder), Folder, "is a folder, not a file");
        AssertRefused(await RunAsync("run", "--deviations", Folder, "--engines", "chromium", "--no-install", "--out", Path.Combine(Folder, "r.json")), Folder, "is a folder, not a file");
    }

    /// <summary>A deviations file is YAML too: the nesting that overflowed the stack is refused before the tree is built.</summary>
    [Test]
    public async Task A_deviations_file_nested_too_deep_is_refused_not_a_stack_overflow()
    {
        var file = Write("deep.yaml", "- engine: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        AssertRefused(await RunAsync("run", "--deviations", file, "--engines", "chromium", "--no-install", "--out", Path.Combine(Folder, "r.json")), file, "deeper than 64 levels");
    }

    /// <summary>`"schemaVersion": "2"` threw InvalidOperationException out of the reader (exit 134); a key twice in one
    /// object was read as whichever came last.</summary>
    [TestCase("\"schemaVersion\": 2", "\"schemaVersion\": \"2\"", "field 'schemaVersion' is \"2\"")]
    [TestCase("\"engine\": \"chromium\"", "\"engine\": \"chromium\", \"engine\": \"firefox\"", "field 'engines[0].engine' (line ")]
    // A number as a string was read as the number; keys differing only by case were refused naming a .NET type.
    [TestCase("\"cases\": 8", "\"cases\": \"8\"", "field 'engines[0].summary.cases' (line ")]
    [TestCase("\"engines\": [", "\"Engines\": [], \"engines\": [", "field 'engines' (line 5): the field 'engines' is given twice (names are read regardless of case")]
    public async Task A_report_with_a_string_version_or_a_key_twice_is_refused_naming_the_field(string from, string to, string field)
    {
        var text = File.ReadAllText(Report).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        Assert.That(text, Does.Contain(from));
        var file = Write("report.json", text.Replace(from, to));
        var output = Path.Combine(Folder, "out");
        var result = await RunAsync("render", file, "--out", output);
        AssertRefused(result, file, field);
        Assert.That(result.Error, Does.Not.Contain("CorsConformance.").And.Not.Contain("System."));
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>A field no version of the schema has was read past without a word by render, merge and --baseline (a typo of
    /// an optional field, `"chose"` as `"chosen"`, lost what it carried), where every other input of the suite refuses an
    /// unknown field. It is refused naming the file, the field and its line; each file of the suite's own still reads.</summary>
    [TestCase("\"schemaVersion\": 2,", "\"schemaVersion\": 2, \"generator\": \"x\",", "field 'generator' (line 2)")]
    [TestCase("\"engine\": \"chromium\",", "\"engine\": \"chromium\", \"engineName\": \"c\",", "field 'engines[0].engineName' (line ")]
    [TestCase("\"verdict\": \"conforms\",", "\"verdict\": \"conforms\", \"chosen\": \"x\",", "field 'cases[0].results.chromium.chosen' (line ")]
    [TestCase("\"outcome\": \"allowed\",", "\"outcome\": \"allowed\", \"contentReadabel\": true,", "field 'cases[0].expected.contentReadabel' (line ")]
    public async Task A_report_with_a_field_the_schema_does_not_have_is_refused_naming_it(string from, string to, string field)
    {
        var text = File.ReadAllText(Report).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), from);
        var file = Write("report.json", text[..at] + to + text[(at + from.Length)..]);
        var output = Path.Combine(Folder, "out");
        var result = await RunAsync("render", file, "--out", output);
        AssertRefused(result, file, field);
        Assert.That(result.Error, Does.Contain("is not a field of report.json schema version 2").And.Not.Contain("CorsConformance.").And.Not.Contain("System."));
        AssertRefused(await RunAsync("render", Report, "--baseline", file, "--out", output), file, field);
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>--out at a file, under a file, at a folder where report.json goes, or empty: each was an IOException or an
    /// ArgumentException (exit 134), `run` and `report` only after every browser had run.</summary>
    [Test]
    public async Task An_output_path_that_cannot_be_written_is_refused_before_anything_runs_and_leaves_nothing()
    {
        var file = Write("a-file", "x");
        AssertRefused(await RunAsync("render", Report, "--out", file), file, "--out names a file");
        AssertRefused(await RunAsync("render", Report, "--out", Path.Combine(file, "sub")), file, "which is a file, not a folder");
        AssertRefused(await RunAsync("render", Report, "--out", ""), "--out", "is empty");
        var taken = Path.Combine(Folder, "taken");
        Directory.CreateDirectory(Path.Combine(taken, "report.html"));
        AssertRefused(await RunAsync("render", Report, "--out", taken), Path.Combine(taken, "report.html"), "is a folder");
        Assert.That(Directory.GetFileSystemEntries(taken), Has.Length.EqualTo(1), "report.json and report.md were written before report.html failed");
        // `run` and `report` refuse it before a browser is looked for (--engines webkit would otherwise fail to launch: exit 1).
        AssertRefused(await RunAsync("run", "--engines", "webkit", "--no-install", "--out", Folder), Folder, "--out names a folder");
        AssertRefused(await RunAsync("report", "--engines", "webkit", "--no-install", "--out", file), file, "--out names a file");
        AssertRefused(await RunAsync("audit", "http://127.0.0.1:9/", "--no-browser", "--sarif", Folder), Folder, "--sarif names a folder");
    }

    [Test]
    public async Task A_write_that_fails_removes_the_files_written_before_it()
    {
        // /proc/version exists and cannot be written: the findings JSON written just before it must not stay behind.
        Assume.That(File.Exists("/proc/version"), "needs Linux's /proc");
        var json = Path.Combine(Folder, "findings.json");
        AssertRefused(await RunAsync("audit", "http://127.0.0.1:9/", "--no-browser", "--out", json, "--sarif", "/proc/version"), "/proc/version", "cannot be written");
        Assert.That(File.Exists(json), Is.False);
    }

    /// <summary>--origin went to `new Uri()` unchecked: `null`, `garbage` or an empty value threw UriFormatException
    /// (exit 134), and a path or a control character was sent in the forged Origin headers.</summary>
    [TestCase("null")]
    [TestCase("garbage")]
    [TestCase("")]
    [TestCase("javascript:alert(1)")]
    [TestCase("https://app.example.com/path")]
    [TestCase("https://user:secret@app.example.com")]
    [TestCase("http://a\u0001b")]
    [TestCase("https://app.example.com:0")]
    public async Task An_origin_that_is_no_origin_is_bad_usage(string origin)
    {
        AssertRefused(await RunAsync("audit", "http://127.0.0.1:9/", "--origin", origin, "--no-browser"), $"--origin '{origin}'", "is not an origin");
    }

    /// <summary>Port 0 is no port a server listens on: the audit said only "not checked" (exit 5), the grid failed to launch.</summary>
    [Test]
    public async Task Port_0_is_bad_usage_for_the_audited_URL_and_the_grid()
    {
        AssertRefused(await RunAsync("audit", "http://[::1]:0/", "--no-browser"), "audit needs one http(s) URL", "");
        AssertRefused(await RunAsync("run", "--grid", "http://u:p@[::1]:0/", "--engines", "chromium", "--no-install", "--out", Path.Combine(Folder, "r.json")),
            "--grid 'http://u:***@[::1]:0/'", "with a port from 1 to 65535");
    }

    /// <summary>A URL .NET cannot parse was refused with "audit needs one http(s) URL" and nothing on what was wrong with it;
    /// a host no DNS name can be (a 64-character label) was probed, every defect "not checked", exit 5; a grid at a host no
    /// name resolves to was tried at launch (the engine "cannot launch", exit 1). Each is bad usage saying why.</summary>
    [TestCase("http://exa mple.com/", "the host 'exa mple.com' holds ' '")]
    [TestCase("http://[::1/", "the host '[::1' has no closing ]")]
    [TestCase("http://a..b/", "the host 'a..b' has an empty label")]
    [TestCase("http://127.0.0.1:99999/", "the port '99999' is not a number from 1 to 65535")]
    [TestCase("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test/", "is 64 characters long")]
    [TestCase("http://999.1.1.1/", "'999.1.1.1' ends in a number but is no IPv4 address")]
    public async Task A_URL_whose_host_cannot_be_reached_is_bad_usage_saying_why(string url, string why)
    {
        AssertRefused(await RunAsync("audit", url, "--no-browser"), "audit needs one http(s) URL", why);
        var grid = url.Replace("http://", "http://u:secret@", StringComparison.Ordinal);
        var output = Path.Combine(Folder, "r.json");
        var result = await RunAsync("run", "--grid", grid, "--engines", "chromium", "--no-install", "--out", output);
        AssertRefused(result, "--grid", why);
        Assert.That(result.Error, Does.Not.Contain("secret"));
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>The URL's own origin carried its user name and password ("trusted origin http://u:p@host"), and so did
    /// every forged Origin header built from it; the header line, the JSON, the SARIF and the curl commands printed the
    /// password, and the probes sent no credentials while the curl commands would have. A URL with user:pass@ is refused.</summary>
    [Test]
    public async Task A_URL_with_a_user_name_and_password_is_refused_without_echoing_them()
    {
        foreach (var url in new[] { "http://user:secret@127.0.0.1:9/", "http://user:secret@exa mple.com/" })
        {
            var (code, output, error) = await RunAsync("audit", url, "--no-browser");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(2));
                // The second, which .NET cannot parse, was told to give credentials "through AuthHeaders or CookieJar".
                Assert.That(error, Does.Contain("audit sends no credentials from the URL").And.Not.Contain("AuthHeaders"));
                Assert.That(output + error, Does.Not.Contain("secret"));
            }
        }
    }

    /// <summary>`--rounds abc` (or 1e400): the validator asked for the int value the parse had failed to make, which threw
    /// out of System.CommandLine (exit 134).</summary>
    [TestCase("abc")]
    [TestCase("1e400")]
    [TestCase("99999999999999999999")]
    [TestCase(" 3")]
    [TestCase("+3")]
    [TestCase("03")]
    [TestCase("")]
    public async Task Rounds_that_are_no_whole_number_are_bad_usage(string rounds)
    {
        AssertRefused(await RunAsync("bench", "--rounds", rounds, "--engines", "webkit"), $"not '{rounds}'", "--rounds takes a whole number from 1 to 20");
    }

    /// <summary>`--engines ,,,` named engines and listed none: the run judged nothing and wrote its results (exit 1).</summary>
    [Test]
    public async Task An_engine_list_of_only_commas_is_bad_usage()
    {
        var output = Path.Combine(Folder, "r.json");
        AssertRefused(await RunAsync("run", "--engines", ",,,", "--no-install", "--out", output), "',,,' names no engine", "");
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>`--engines ""` was read as every engine (the run launched them all, exit 0), where `,,,` is bad usage.</summary>
    [TestCase("")]
    [TestCase(" ")]
    public async Task An_empty_engine_list_is_bad_usage(string engines)
    {
        var output = Path.Combine(Folder, "r.json");
        AssertRefused(await RunAsync("run", "--engines", engines, "--no-install", "--out", output), $"--engines '{engines}' names no engine", "");
        AssertRefused(await RunAsync("bench", "--engines", engines), $"--engines '{engines}' names no engine", "");
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>`render --history /`: a folder that cannot be listed (/proc/1/task/1/fdinfo) threw out of the command,
    /// an UnauthorizedAccessException with its stack trace, exit 134 (found by the mutation sweep).</summary>
    [Test]
    public async Task A_history_folder_that_cannot_be_listed_is_named_not_a_stack_trace()
    {
        Assume.That(Directory.Exists("/proc/1/task"), "Linux's /proc");
        Assume.That(() => Directory.EnumerateFileSystemEntries("/proc/1/task", "*", SearchOption.AllDirectories).ToList(), Throws.InstanceOf<UnauthorizedAccessException>(), "a folder under /proc/1/task this user cannot list");
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", Report, "--history", "/proc/1/task", "--out", output), "/proc/1/task/1/fd", "a folder of the history cannot be listed");
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>A --history that is a loop of links was said to be "a file, not a folder" (the mutation sweep).</summary>
    [Test]
    public async Task A_history_that_is_a_loop_of_links_is_said_to_be_one()
    {
        var (one, two) = (Path.Combine(Folder, "one"), Path.Combine(Folder, "two"));
        File.CreateSymbolicLink(one, two);
        File.CreateSymbolicLink(two, one);
        AssertRefused(await RunAsync("render", Report, "--history", one, "--out", Path.Combine(Folder, "out")), $"history folder '{one}'", "is a link that leads to no folder");
    }

    /// <summary>A response file that names itself (or two that name each other) was expanded for ever: the command hung.</summary>
    [Test]
    public async Task A_response_file_that_names_itself_is_bad_usage_not_a_hang()
    {
        var self = Path.Combine(Folder, "self.rsp");
        File.WriteAllText(self, $"oracle\n@{self}\n");
        var (a, b) = (Path.Combine(Folder, "a.rsp"), Path.Combine(Folder, "b.rsp"));
        File.WriteAllText(a, $"oracle\n@{b}\n");
        File.WriteAllText(b, $"# b names a back\n@{a}\n");
        foreach (var rsp in new[] { self, a })
        {
            var run = RunAsync("@" + rsp);
            Assert.That(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))), Is.SameAs(run), "the command hung on " + rsp);
            AssertRefused(await run, "a response file cannot be read", "names itself");
        }
    }

    /// <summary>A response file that is a folder: System.CommandLine's read of it threw out of the parse (exit 134).</summary>
    [Test]
    public async Task A_response_file_that_is_a_folder_is_bad_usage()
    {
        AssertRefused(await RunAsync("@" + Folder), "response file cannot be read", Folder);
    }

    /// <summary>A report listing an engine twice, a case twice, or a result under an engine it does not list was rendered
    /// and merged as if whole (exit 0): no report this suite writes holds one.</summary>
    [TestCase("engine", "field 'engines[1].engine' (line 26): 'chromium' is listed already, as engines[0]")]
    [TestCase("case", "field 'cases[1].id' (line 125): 'cors-check/acao-exact/same-origin/fetch' is listed already, as cases[0]")]
    [TestCase("result", "field 'cases[0].results.ghost' (line 66): 'ghost' is not an engine of the report's 'engines'")]
    // These three used to render (exit 0): an engine table of the summary's "7 conform, 0 fail" beside a category table
    // counting the results, a verdict "perfect" counted as neither, results in the column of an engine that did not run.
    [TestCase("verdict", "field 'cases[0].results.chromium.verdict' (line 67): 'perfect' is not a verdict (conforms, known-deviation, fails, harness-error)")]
    [TestCase("summary", "field 'engines[0].summary' (line 17): 8 cases (0 conform, 0 known deviations, 8 fail, 0 harness errors), but its results in 'cases' count 8 cases (")]
    [TestCase("not-run", "field 'cases[0].results.chromium' (line 67): engine 'chromium' has 'ran': false, so it has no results")]
    // An outcome that is none of the four words was rendered as written and read as a behaviour change (the fuzz campaign).
    [TestCase("expected", "field 'cases[0].expected.outcome' (line ")]
    [TestCase("observed", "field 'cases[0].results.chromium.observed.outcome' (line ")]
    public async Task A_report_that_contradicts_itself_is_refused_by_render_and_merge(string what, string field)
    {
        var whole = Reports.RecordedReports.CurrentWithCatalog;
        var bad = what switch
        {
            "engine" => whole with { Engines = [whole.Engines[0], .. whole.Engines] },
            "case" => whole with { Cases = [whole.Cases[0], .. whole.Cases] },
            "verdict" => whole with { Cases = [whole.Cases[0] with { Results = whole.Cases[0].Results.ToDictionary(kv => kv.Key, kv => kv.Key == "chromium" ? kv.Value with { Verdict = "perfect" } : kv.Value) }, .. whole.Cases.Skip(1)] },
            "summary" => whole with { Engines = [whole.Engines[0] with { Summary = new(whole.Engines[0].Summary.Cases, 0, 0, whole.Engines[0].Summary.Cases, 0) }, .. whole.Engines.Skip(1)] },
            "expected" => whole with { Cases = [whole.Cases[0] with { Expected = whole.Cases[0].Expected with { Outcome = "1e400" } }, .. whole.Cases.Skip(1)] },
            "observed" => whole with { Cases = [whole.Cases[0] with { Results = whole.Cases[0].Results.ToDictionary(kv => kv.Key, kv => kv.Key == "chromium" ? kv.Value with { Observed = kv.Value.Observed with { Outcome = "alowed" } } : kv.Value) }, .. whole.Cases.Skip(1)] },
            "not-run" => whole with { Engines = [whole.Engines[0] with { Ran = false, Unavailable = "not installed" }, .. whole.Engines.Skip(1)] },
            _ => whole with { Cases = [whole.Cases[0] with { Results = whole.Cases[0].Results.ToDictionary(kv => kv.Key == "chromium" ? "ghost" : kv.Key, kv => kv.Value) }, .. whole.Cases.Skip(1)] },
        };
        var file = Write("report.json", Harness.Reports.ReportFile.Serialize(bad));
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", file, "--out", output), file, field);
        AssertRefused(await RunAsync("report", "merge", file, "--out", output), file, field);
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>A number or true/false the schema requires that is missing was read as 0 or false: render drew a case whose
    /// expected 'actualSent' was deleted as "not sent", and an engine without 'launchMs' as launched in 0 ms (exit 0; found
    /// by the fuzz campaign's report mutations). Each is refused naming the field.</summary>
    [TestCase("cases", "expected", "actualSent")]
    [TestCase("cases", "expected", "preflights")]
    [TestCase("engines", null, "launchMs")]
    public async Task A_report_missing_a_number_or_true_false_is_refused_naming_it(string list, string? record, string field)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Report))!;
        var owner = record is null ? json[list]![0]!.AsObject() : json[list]![0]![record]!.AsObject();
        Assert.That(owner.Remove(field), Is.True, "the field is in the report to begin with");
        var file = Write("missing.json", json.ToJsonString());
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", file, "--out", output), file, $"the field '{field}' is missing");
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>Values no run writes, each rendered as if read (exit 0; found by the mutation sweep of report.json): a
    /// negative duration, preflight count or hop, a status outside 0–999, an empty id or category, a difference or a
    /// deviation naming no observed field; an id or a category holding a control or an invisible character (an ESC in an
    /// id had reached report.html's attributes, escaped there since; U+FEFF rendered as a second case reading the same).</summary>
    [TestCase("engines[0].launchMs", "-1", "is negative")]
    [TestCase("cases[0].expected.preflights", "-1", "is negative")]
    [TestCase("cases[0].results.chromium.observed.preflights", "-3", "is negative")]
    [TestCase("cases[0].results.chromium.observed.status", "1000", "is no HTTP status")]
    [TestCase("cases[0].results.chromium.journal[0].hop", "-1", "is negative")]
    [TestCase("cases[0].id", "\"\"", "is no case id")]
    [TestCase("cases[0].category", "\" \"", "is no category")]
    [TestCase("cases[0].id", "\"cors\\uFEFF-check\"", "holds U+FEFF, a character that renders as nothing")]
    [TestCase("cases[0].id", "\"cors\\u001b[2J\\u009b\"", "holds U+001B")]
    [TestCase("cases[0].id", "\"a\\u202Eb\"", "holds U+202E")]
    [TestCase("cases[0].category", "\"pre\\u200Bflight\"", "holds U+200B")]
    [TestCase("cases[2].results.firefox.differences[0].field", "\"bogus\"", "'bogus' is not an observed field")]
    public async Task A_report_value_no_run_writes_is_refused_naming_the_field(string field, string value, string problem)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Report))!;
        var file = Write("values.json", Set(json, field, value).ToJsonString());
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", file, "--out", output), file, $"field '{field}' (line ");
        AssertRefused(await RunAsync("render", file, "--out", output), file, problem);
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>The error quotes the file's own text: an escape sequence or a NUL in an id went to the terminal raw.</summary>
    [Test]
    public async Task Control_characters_the_file_holds_are_shown_escaped_in_the_error()
    {
        var file = Write("esc.yaml", GoodCase.Replace("id: mine/simple", "id: \"mine/\\e[31mred\\0\""));
        var result = await RunAsync("oracle", file);
        AssertRefused(result, file, "case 'mine/\\u001B[31mred\\u0000'");
        Assert.That(result.Error.TrimEnd('\n').Any(char.IsControl), Is.False, result.Error);
        // A RIGHT-TO-LEFT OVERRIDE in a deviation's link reversed the rest of the error line (found by the fuzz campaign).
        var deviations = Write("rlo.yaml", "- { engine: firefox, case: preflight/authorization/acah-star/same-origin, fields: [outcome], reason: r, link: \"javascript:\u202E1\" }\n");
        var rlo = await RunAsync("run", "--deviations", deviations, "--engines", "webkit", "--no-install", "--out", Path.Combine(Folder, "r.json"));
        AssertRefused(rlo, deviations, "'javascript:\\u202E1' is not an http(s) URL");
        Assert.That(rlo.Error, Does.Not.Contain("\u202E"));
    }

    /// <summary>A 1 MB value the reader refuses was quoted whole: one error line of a megabyte.</summary>
    [Test]
    public async Task A_megabyte_value_is_quoted_by_its_start_and_its_length()
    {
        var file = Write("long.yaml", GoodCase.Replace("actual: {", $"redirect: {{ location: \"http://a/{new string('x', 1_000_000)}\" }}\n      actual: {{"));
        var result = await RunAsync("oracle", file);
        AssertRefused(result, file, "field 'server.redirect.location' 'http://a/xxx");
        Assert.That(result.Error, Does.Contain("…' (1,000,009 characters)"));
        Assert.That(result.Error, Has.Length.LessThan(1_000));
    }

    /// <summary>One id in two case files (or one file given twice) passed the reader, which checks a file alone, and the
    /// run ended in an unhandled "same key" ArgumentException (exit 134) when the report was built.</summary>
    [Test]
    public async Task An_id_in_two_case_files_is_refused_naming_both_before_anything_runs()
    {
        var first = Write("first.yaml", GoodCase);
        var second = Write("second.yaml", GoodCase);
        var output = Path.Combine(Folder, "r.json");
        AssertRefused(await RunAsync("run", "--cases", first, "--cases", second, "--engines", "webkit", "--no-install", "--out", output),
            $"{second}: case 'mine/simple': field 'id'", $"is used by a case of {first} too");
        AssertRefused(await RunAsync("run", "--cases", first, "--cases", first, "--engines", "webkit", "--no-install", "--out", output),
            $"{first}: case 'mine/simple': field 'id'", "the file is given twice");
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>A file may set 100 cookies, but the files given to one run share one cookie jar: two files of 60 each passed
    /// the reader (it checks a file alone), and Chromium and Firefox evict the planted cookie past 180 a site.</summary>
    [Test]
    public async Task Cookies_of_case_files_run_together_add_up_to_the_cap()
    {
        static string Sixty(string prefix) => "cases:\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $$"""
              - id: {{prefix}}/{{i}}
                anchor: cors-check
                description: sets a cookie
                server: { actual: { headers: { Access-Control-Allow-Origin: "{origin}", Set-Cookie: "{{prefix}}{{i}}=1" } } }

            """));
        var first = Write("sixty-a.yaml", Sixty("a"));
        var second = Write("sixty-b.yaml", Sixty("b"));
        var output = Path.Combine(Folder, "r.json");
        Assert.That((await RunAsync("oracle", first)).Code, Is.Zero, "one file of 60 is within the cap");
        AssertRefused(await RunAsync("run", "--cases", first, "--cases", second, "--engines", "webkit", "--no-install", "--out", output),
            $"{second}: case 'b/40': field 'server'", "the run's cookie number 101");
        Assert.That(File.Exists(output), Is.False);
    }

    /// <summary>A device that never ends was read until the process died of "Out of memory" (exit 134): `render /dev/zero`,
    /// `oracle /dev/zero`, or a link to it named *.json in a --history folder.</summary>
    [Test]
    public async Task A_device_that_never_ends_is_refused_not_read_until_out_of_memory()
    {
        Assume.That(File.Exists("/dev/zero"), "a Unix device");
        var history = Directory.CreateDirectory(Path.Combine(Folder, "history")).FullName;
        File.CreateSymbolicLink(Path.Combine(history, "zero.json"), "/dev/zero");
        var output = Path.Combine(Folder, "out");
        AssertRefused(await RunAsync("render", Report, "--history", history, "--out", output), "zero.json", "holds more than 256 MiB");
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>A named pipe named *.json in a --history folder: opening it waits for a writer for ever, and render hung.</summary>
    [Test]
    public async Task A_named_pipe_in_the_history_folder_is_refused_not_waited_on_for_ever()
    {
        var history = Directory.CreateDirectory(Path.Combine(Folder, "history")).FullName;
        var fifo = Path.Combine(history, "night.json");
        try
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo);
            await mkfifo.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("no mkfifo on this machine");
        }
        Assume.That(File.Exists(fifo), "mkfifo made the pipe");
        var output = Path.Combine(Folder, "out");
        var run = RunAsync("render", Report, "--history", history, "--out", output);
        Assert.That(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))), Is.SameAs(run), "render waited on the pipe");
        AssertRefused(await run, "night.json", "did not open within 10 s");
        Assert.That(Directory.Exists(output), Is.False);
    }

    private string WritePart(string name, Report report)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, ReportFile.Serialize(report));
        return path;
    }

    /// <summary>Parts `report merge` took without a word or died on: a catalog listing a case twice (an unhandled "same key"
    /// exception, exit 134), a split of two billion shards (counted to the end: a hang), two lists of cases under one
    /// digest (the first decided what was missing), a case not in its own catalog, and durations that wrapped round to −2 ms.</summary>
    [Test]
    public async Task Parts_that_contradict_themselves_or_each_other_are_refused_by_merge()
    {
        var whole = RecordedReports.CurrentWithCatalog;
        var (one, two) = (RecordedReports.Split(whole, new Shard(1, 2)), RecordedReports.Split(whole, new Shard(2, 2)));
        var catalog = whole.Catalog!;
        var first = WritePart("one.json", one);
        var output = Path.Combine(Folder, "out");
        async Task Refused(Report part, string named, string problem)
        {
            var file = WritePart("two.json", part);
            AssertRefused(await RunAsync("report", "merge", first, file, "--out", output), named, problem);
            Assert.That(Directory.Exists(output), Is.False);
        }
        await Refused(two with { Catalog = catalog with { Cases = [.. catalog.Cases, catalog.Cases[0]] } }, "two.json: field 'catalog.cases[8]'", "is listed already, as catalog.cases[0]");
        await Refused(two with { Partial = two.Partial! with { Shards = ["1/2147483647"] } }, "two.json: field 'partial.shards[0]'", "N is at most 10,000");
        // Its partial notice counts the extra case as missing, as a part of that catalog would: the part reads, the join does not.
        var extra = two with { Catalog = catalog with { Cases = [.. catalog.Cases, "mine/extra"] } };
        await Refused(extra with { Partial = ReportPartiality.Of(extra, two.Partial!.Shards) }, "two.json: field 'catalog.cases' (9 cases)", "case 'mine/extra' is only in this one");
        await Refused(two with { Catalog = catalog with { Cases = [] } }, "two.json: field 'cases[0].id'", "is not in 'catalog.cases'");
        // Of three shards, the first two share chromium: its durations are summed.
        static Report Max(Report part) => part with { Engines = [.. part.Engines.Select(e => e with { WallMs = long.MaxValue })] };
        var firstMax = WritePart("one.json", Max(RecordedReports.Split(whole, new Shard(1, 3))));
        var file = WritePart("two.json", Max(RecordedReports.Split(whole, new Shard(2, 3))));
        AssertRefused(await RunAsync("report", "merge", firstMax, file, "--out", output), "field 'wallMs'", "add up past any duration");
        Assert.That(Directory.Exists(output), Is.False);
    }

    /// <summary>--fail-on went through the enum's own parse: `4` (no severity) never failed the audit, `-1` and `high,low`
    /// failed on what was not asked for; and --out and --sarif on one file kept only the SARIF.</summary>
    [TestCase("4")]
    [TestCase("-1")]
    [TestCase("high,low")]
    [TestCase("critical")]
    public async Task A_severity_that_is_none_of_the_four_words_is_bad_usage(string severity)
    {
        AssertRefused(await RunAsync("audit", "http://127.0.0.1:9/", "--no-browser", "--fail-on", severity), $"not '{severity}'", "--fail-on takes info, low, medium or high");
    }

    [Test]
    public async Task The_findings_and_the_SARIF_in_one_file_are_bad_usage()
    {
        var file = Path.Combine(Folder, "findings.json");
        AssertRefused(await RunAsync("audit", "http://127.0.0.1:9/", "--no-browser", "--out", file, "--sarif", file), "--out and --sarif name the same file", "");
        Assert.That(File.Exists(file), Is.False);
    }

    /// <summary>`@/dev/zero`: System.CommandLine read the response file line by line until a line passed 2 GB and an
    /// ArgumentOutOfRangeException came out of the parse (exit 134); a named pipe given as @FILE hung it.</summary>
    [Test]
    public async Task A_response_file_that_never_ends_is_bad_usage()
    {
        Assume.That(File.Exists("/dev/zero"), "a Unix device");
        AssertRefused(await RunAsync("@/dev/zero"), "a response file cannot be read (@/dev/zero)", "a device that never ends");
    }
}
