using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CorsConformance.Harness.Reports;

/// <summary>Reads and writes report.json.</summary>
public static class ReportFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A key twice in one object is refused, with its path: which of the two a reader keeps is not the writer's intent.
        AllowDuplicateProperties = false,
        // A number is a JSON number: the web defaults read "cases": "8" as 8, a type the schema does not give the field.
        NumberHandling = JsonNumberHandling.Strict,
        // A field the schema does not have is refused, as every other input of the suite refuses an unknown field: read past
        // without a word, a typo of an optional field ("chosen" for "chose") lost what it carried. (The observed fields
        // carried by name are checked against ObservedFields.Extra, ReportExtra.Read.)
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A number or true/false the schema requires that is missing was read as 0 or false: a report without
        // 'actualSent' said the request was not sent, one without 'preflights' that none was (found by the fuzz campaign).
        // A missing string or record is RequiredFields' to name (the writer leaves out nulls, so those may be absent).
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { RequireValueFields } },
    };

    /// <summary>Each number and true/false of a report record that its constructor takes without a default is required.</summary>
    private static void RequireValueFields(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("CorsConformance", StringComparison.Ordinal) != true) return;
        var parameters = info.Type.GetConstructors().MaxBy(c => c.GetParameters().Length)?.GetParameters() ?? [];
        foreach (var property in info.Properties)
        {
            if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null) continue;
            if (parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) is { HasDefaultValue: false }) property.IsRequired = true;
        }
    }


    public static string Serialize(Report report) => JsonSerializer.Serialize(report, Options);

    /// <summary>The fields a report writes that are worked out from its other fields (a result's <c>failed</c> from its
    /// verdict; the changes' <c>hasRegressions</c>, <c>failsRegressionGate</c>, <c>isEmpty</c>, …): the properties of the
    /// report's records without a setter, by their JSON names. They were written and never read back, so a file whose
    /// <c>failed</c> said false on a <c>fails</c> verdict, or whose gate said false beside a regression, was taken as it
    /// stood (hostile-input round 3).</summary>
    private static readonly Lazy<IReadOnlySet<string>> DerivedNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments()) Walk(argument);
                return;
            }
            if (type.Namespace?.StartsWith("CorsConformance", StringComparison.Ordinal) != true || !seen.Add(type)) return;
            var info = Options.GetTypeInfo(type);
            if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
            foreach (var property in info.Properties)
            {
                if (property.Set is null && !HasConstructorParameter(type, property.Name)) names.Add(property.Name);
                Walk(property.PropertyType);
            }
        }
        Walk(typeof(Report));
        return names;
    });

    private static bool HasConstructorParameter(Type type, string name) =>
        type.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first derived field (<see cref="DerivedNames"/>) the file holds whose value is not what the rest of the
    /// file makes it, as "field 'path': …"; the file's other fields are walked beside the report as read and written back.</summary>
    private static string? DerivedDisagreement(JsonElement given, System.Text.Json.Nodes.JsonNode? written, string path)
    {
        switch (given.ValueKind)
        {
            case JsonValueKind.Object when written is System.Text.Json.Nodes.JsonObject rewritten:
                foreach (var property in given.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    var counterpart = rewritten.FirstOrDefault(kv => string.Equals(kv.Key, property.Name, StringComparison.OrdinalIgnoreCase)).Value;
                    if (DerivedNames.Value.Contains(property.Name))
                    {
                        if (!System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText()), counterpart))
                        {
                            return $"field '{at}': {Shown(property.Value.GetRawText())}, but the rest of the report makes it {Shown(counterpart?.ToJsonString() ?? "null")}; "
                                + "it is worked out from the report's other fields (docs/report-schema.md), and a file whose figures contradict it is not read";
                        }
                    }
                    else if (DerivedDisagreement(property.Value, counterpart, at) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array when written is System.Text.Json.Nodes.JsonArray list:
                var i = 0;
                foreach (var item in given.EnumerateArray())
                {
                    if (i < list.Count && DerivedDisagreement(item, list[i], $"{path}[{i}]") is { } inner) return inner;
                    i++;
                }
                return null;
            default:
                return null;
        }
    }

    private static string Shown(string raw) => raw.Length <= 80 ? raw : raw[..80] + "…";

    /// <exception cref="ReportFileException">The text is not a report.json of a schema version this suite reads: the file and the field named.</exception>
    public static Report Parse(string json, string name)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new ReportFileException(name, "the file is empty; expected a report.json (docs/report-schema.md)");
        // JsonDocument.Parse(string) threw ArgumentException ("Cannot transcode invalid UTF-16") on a raw lone surrogate.
        if (Specs.Policies.JsonLines.LoneSurrogate(json) is { } at) throw new ReportFileException(name, $"is not text: a lone UTF-16 surrogate at line {at}");
        // The version first, so a future schema's new shape is reported as what it is rather than as a missing field.
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ReportFileException(name, "expected a JSON object (docs/report-schema.md)");
            if (!document.RootElement.TryGetProperty("schemaVersion", out var version)) throw new ReportFileException(name, "field 'schemaVersion' is missing");
            // A version that is not a number ("2") is named like any other unreadable version, not thrown at.
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || !Report.ReadableSchemaVersions.Contains(number))
            {
                throw new ReportFileException(name, $"field 'schemaVersion' is {version.GetRawText()}; this version of the suite reads schema versions {string.Join(" and ", Report.ReadableSchemaVersions)}");
            }
            var report = JsonSerializer.Deserialize<Report>(document, Options) ?? throw new ReportFileException(name, "expected a JSON object");
            // Reading is strict: a field the schema requires that is missing or null is named here, not a null that a
            // renderer trips over later.
            if (RequiredFields.FirstMissing(report) is { } missing) throw new ReportFileException(name, WithLine(json, $"field '{missing}' is missing or null"));
            if (Inconsistency(report) is { } problem) throw new ReportFileException(name, WithLine(json, problem));
            if (ReportCounts.Disagreement(report) is { } count) throw new ReportFileException(name, WithLine(json, count));
            if (DerivedDisagreement(document.RootElement, JsonSerializer.SerializeToNode(report, Options), "") is { } derived) throw new ReportFileException(name, WithLine(json, derived));
            return report;
        }
        catch (JsonException e)
        {
            var message = e.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0];
            // A name ReportExtra refuses is inside the record the path names: the field is the name, on its own line.
            if (System.Text.RegularExpressions.Regex.Match(message, "^'([^']*)' is not a field of report.json") is { Success: true } inner && e.Path is { Length: > 1 } record)
            {
                var field = $"{record.TrimStart('$', '.')}.{inner.Groups[1].Value}";
                throw new ReportFileException(name, WithLine(json, $"field '{field}' {UnknownField}"), e);
            }
            var where = e.Path is { Length: > 1 } path ? $"field '{path.TrimStart('$', '.')}'" + (e.LineNumber is { } line ? $" (line {line + 1})" : "") : e.LineNumber is { } l ? $"line {l + 1}" : "the JSON";
            // System.Text.Json names the field in its path and a .NET type in its message.
            if (message.StartsWith("The JSON property '", StringComparison.Ordinal) && message.Contains("could not be mapped", StringComparison.Ordinal))
            {
                throw new ReportFileException(name, $"{where} {UnknownField}", e);
            }
            // Every date of the schema is a generatedAt (the report's, the baseline's, a history night's); a record's constructor
            // names the record, not the date, so "2026-13-45T00:00:00Z" read "does not have the type …" (the hostile-input sweep).
            if (e.Path is { } datePath && datePath.EndsWith("eneratedAt", StringComparison.Ordinal))
            {
                throw new ReportFileException(name, $"{where}: the value is not a valid date and time (RFC 3339, as 2026-12-06T03:00:00Z), as docs/report-schema.md has it here.", e);
            }
            throw new ReportFileException(name, $"{where}: {Readable(message)}", e);
        }
    }

    /// <summary>A System.Text.Json message in the schema's words: "could not be converted to
    /// CorsConformance.Harness.Reports.ReportSummary" named a .NET type no reader of report-schema.md knows.</summary>
    private static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(Missing(Duplicate(message)), @"The JSON value could not be converted to ([\w.`\[\], ]+)\.?", m =>
        {
            var type = m.Groups[1].Value;
            var expected = type switch
            {
                _ when type.StartsWith("System.String", StringComparison.Ordinal) => "a string",
                _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "true or false",
                _ when type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.Double", StringComparison.Ordinal) || type.StartsWith("System.Nullable`1[[System.Int", StringComparison.Ordinal) => "a number",
                _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object of named entries",
                _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
                // A record of the schema: the reader names the record whether the record or one of its fields is wrong.
                _ => null,
            };
            return expected is null
                ? "the value does not have the type docs/report-schema.md gives this field."
                : $"the value is not {expected}, as docs/report-schema.md has it here.";
        });

    /// <summary>"field 'cases[3].results.chromium': …" with the line the field (or, when missing, its parent) starts on: found
    /// after parsing, these errors named the field but not the line the README promises.</summary>
    private static string WithLine(string json, string problem)
    {
        var match = System.Text.RegularExpressions.Regex.Match(problem, "^field '([^']+)'");
        return match.Success && Specs.Policies.JsonLines.Of(json).Line(match.Groups[1].Value) is { } line
            ? problem.Insert(match.Length, $" (line {line})")
            : problem;
    }

    /// <summary>"JSON deserialization for type 'CorsConformance…ReportExpectation' was missing required properties including:
    /// 'actualSent'." named a .NET type: the field is named instead.</summary>
    private static string Missing(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"JSON deserialization for type '[^']*' was missing required properties,? including:? (.*?)\.?$",
            m => $"the field {m.Groups[1].Value.Trim()} is missing (docs/report-schema.md gives every field of it).");

    /// <summary>What an unknown field is told (the field is named before it).</summary>
    internal static readonly string UnknownField = $"is not a field of report.json schema version {Report.CurrentSchemaVersion} (docs/report-schema.md); a report written by a later suite may hold fields this one does not know: read it with that suite";

    /// <summary>"Duplicate property 'engines' encountered during deserialization of type 'CorsConformance…Report'" named a
    /// .NET type; the names are read regardless of case, so `Engines` beside `engines` is the same field twice.</summary>
    private static string Duplicate(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"Duplicate property '([^']*)' encountered during deserialization of type '[^']*'\.?",
            m => $"the field '{m.Groups[1].Value}' is given twice (names are read regardless of case: 'Engines' and 'engines' are one field).");

    /// <summary>What no report this suite writes holds: an engine twice, a case twice, a result of an engine the report
    /// does not list. Each used to be rendered and merged as if it were whole (an engine's summary counted twice, a result
    /// in no engine's column). So do a verdict that is none of the four words, a result of an engine that did not run, and
    /// an engine's summary that is not the count of its results (and a catalog that lists a case twice or lacks one of the
    /// report's cases): render printed the summary's "7 conform, 0 fail" in the
    /// engine table beside a category table counting the results' 0 of 8, and counted "perfect" as neither.</summary>
    /// <summary>The outcome words a report holds (<see cref="Specs.Verdicts.Outcome"/>, lower case, as the builder writes them).</summary>
    private static readonly IReadOnlyList<string> OutcomeWords = [.. Enum.GetNames<Specs.Verdicts.Outcome>().Select(n => n.ToLowerInvariant())];

    private static string NotAnOutcome(string field, string word) => $"field '{field}': '{word}' is not an outcome ({string.Join(", ", OutcomeWords)})";

    private static string? Inconsistency(Report report)
    {
        var engines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (engine, i) in report.Engines.Select((e, i) => (e.Engine, i)))
        {
            if (!engines.TryAdd(engine, i)) return $"field 'engines[{i}].engine': '{engine}' is listed already, as engines[{engines[engine]}]";
        }
        if (OutOfRange(report) is { } range) return range;
        // The catalog lists each case once, and every case of the report is one of it: `report merge` orders the joined
        // cases by it (an id twice ended in an unhandled "same key" exception, exit 134) and tells from it what is missing.
        var catalog = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, i) in (report.Catalog?.Cases ?? []).Select((id, i) => (id, i)))
        {
            if (!catalog.TryAdd(id, i)) return $"field 'catalog.cases[{i}]': '{id}' is listed already, as catalog.cases[{catalog[id]}]";
        }
        var cases = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (c, i) in report.Cases.Select((c, i) => (c, i)))
        {
            if (!cases.TryAdd(c.Id, i)) return $"field 'cases[{i}].id': '{c.Id}' is listed already, as cases[{cases[c.Id]}]";
            if (report.Catalog is not null && !catalog.ContainsKey(c.Id)) return $"field 'cases[{i}].id': '{c.Id}' is not in 'catalog.cases', the cases the run was asked for";
            if (c.Results.Keys.FirstOrDefault(k => !engines.ContainsKey(k)) is { } stray)
            {
                return $"field 'cases[{i}].results.{stray}': '{stray}' is not an engine of the report's 'engines' ({string.Join(", ", engines.Keys)})";
            }
            if (c.Results.FirstOrDefault(r => !Verdicts.All.Contains(r.Value.Verdict)) is { Key: { } engine, Value: var result })
            {
                return $"field 'cases[{i}].results.{engine}.verdict': '{result.Verdict}' is not a verdict ({string.Join(", ", Verdicts.All)})";
            }
            // An outcome none of the four words ('1e400', a typo) was rendered as it stood and compared with a baseline as a
            // behaviour change (found by the fuzz campaign: render exit 0).
            if (!OutcomeWords.Contains(c.Expected.Outcome)) return NotAnOutcome($"cases[{i}].expected.outcome", c.Expected.Outcome);
            if ((c.Expected.Alternatives ?? []).Select((a, j) => (a, j)).FirstOrDefault(x => !OutcomeWords.Contains(x.a.Outcome)) is { a: { } alternative, j: var k })
            {
                return NotAnOutcome($"cases[{i}].expected.alternatives[{k}].outcome", alternative.Outcome);
            }
            if (c.Results.FirstOrDefault(r => !OutcomeWords.Contains(r.Value.Observed.Outcome)) is { Key: { } observedIn, Value: var observed })
            {
                return NotAnOutcome($"cases[{i}].results.{observedIn}.observed.outcome", observed.Observed.Outcome);
            }
            if (c.Results.Keys.FirstOrDefault(k => !report.Engines[engines[k]].Ran) is { } notRun)
            {
                return $"field 'cases[{i}].results.{notRun}': engine '{notRun}' has 'ran': false, so it has no results";
            }
        }
        if (report.ServerUnderTest?.ProtocolChecks?.Select((c, i) => (c, i)).FirstOrDefault(x => !ReportProtocolCheck.Outcomes.Contains(x.c.Outcome)) is { c: { } check, i: var at })
        {
            return $"field 'serverUnderTest.protocolChecks[{at}].outcome': '{check.Outcome}' is not an outcome ({string.Join(", ", ReportProtocolCheck.Outcomes)})";
        }
        foreach (var (engine, i) in report.Engines.Select((e, i) => (e, i)))
        {
            var counted = ReportBuilder.Summarize(report.Cases.Where(c => c.Results.ContainsKey(engine.Engine)).Select(c => c.Results[engine.Engine].Verdict));
            if (engine.Summary != counted)
            {
                return $"field 'engines[{i}].summary': {Counts(engine.Summary)}, but its results in 'cases' count {Counts(counted)}";
            }
        }
        return null;
    }

    /// <summary>A value no run writes (found by the mutation sweep, each rendered as if read, exit 0): an empty case id or
    /// category, a negative duration, preflight count or hop, a status outside 0–999 (0 is an opaque response's), a field
    /// name of a difference or a deviation that is no observed field.</summary>
    private static string? OutOfRange(Report report)
    {
        static string Negative(string field, long value) => $"field '{field}': {value} is negative, which no run writes";
        foreach (var (e, i) in report.Engines.Select((e, i) => (e, i)))
        {
            if (e.LaunchMs < 0) return Negative($"engines[{i}].launchMs", e.LaunchMs);
            if (e.WallMs < 0) return Negative($"engines[{i}].wallMs", e.WallMs);
        }
        static string? Expectation(ReportExpectation x, string at) =>
            x.Preflights < 0 ? Negative(at + ".preflights", x.Preflights)
            : x.Status is < 0 or > 999 ? $"field '{at}.status': {x.Status} is no HTTP status (0 to 999, 0 for an opaque response)"
            : (x.Alternatives ?? []).Select((a, j) => Expectation(a, $"{at}.alternatives[{j}]")).FirstOrDefault(p => p is not null);
        foreach (var (c, i) in report.Cases.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(c.Id)) return $"field 'cases[{i}].id': '{c.Id}' is no case id";
            if (string.IsNullOrWhiteSpace(c.Category)) return $"field 'cases[{i}].category': '{c.Category}' is no category";
            if (Invisible(c.Id) is { } inId) return $"field 'cases[{i}].id': '{c.Id}' holds {inId}";
            if (Invisible(c.Category) is { } inCategory) return $"field 'cases[{i}].category': '{c.Category}' holds {inCategory}";
            if (Expectation(c.Expected, $"cases[{i}].expected") is { } expected) return expected;
            foreach (var (engine, r) in c.Results)
            {
                var at = $"cases[{i}].results.{engine}";
                if (r.Observed.Preflights < 0) return Negative(at + ".observed.preflights", r.Observed.Preflights);
                if (r.Observed.Status is < 0 or > 999) return $"field '{at}.observed.status': {r.Observed.Status} is no HTTP status (0 to 999, 0 for an opaque response)";
                if (r.Journal.Select((j, k) => (j, k)).FirstOrDefault(x => x.j.Hop < 0 || x.j.Status is < 0 or > 999) is { j: { } bad, k: var k })
                {
                    return bad.Hop < 0 ? Negative($"{at}.journal[{k}].hop", bad.Hop) : $"field '{at}.journal[{k}].status': {bad.Status} is no HTTP status";
                }
                if (r.Differences.Select((d, k) => (d, k)).FirstOrDefault(x => !Specs.Verdicts.ObservedFields.Names.Contains(x.d.Field)) is { d: { } odd, k: var n })
                {
                    return $"field '{at}.differences[{n}].field': '{odd.Field}' is not an observed field ({string.Join(", ", Specs.Verdicts.ObservedFields.Names)})";
                }
                if (r.Deviation is { } deviation && deviation.Fields.Select((f, k) => (f, k)).FirstOrDefault(x => !Specs.Verdicts.ObservedFields.Names.Contains(x.f)) is { f: { } field, k: var m })
                {
                    return $"field '{at}.deviation.fields[{m}]': '{field}' is not an observed field ({string.Join(", ", Specs.Verdicts.ObservedFields.Names)})";
                }
            }
        }
        return null;
    }

    /// <summary>What an id or a category holds that renders as nothing, or as other text, or null: a control, a format
    /// character (U+FEFF, a zero-width space, a right-to-left override) or a line or paragraph separator. No run writes
    /// one (catalog ids are lowercase ASCII, a policy's are its routes and origins), and `\uFEFF` inside an id rendered
    /// as a second case that reads the same as the first (found by the fuzz campaign).</summary>
    private static string? Invisible(string text)
    {
        foreach (var c in text)
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return $"U+{(int)c:X4}, a character that renders as nothing or as other text, which no run writes";
            }
        }
        return null;
    }

    private static string Counts(ReportSummary s) =>
        $"{s.Cases} cases ({s.Conforms} conform, {s.KnownDeviations} known deviations, {s.Fails} fail, {s.HarnessErrors} harness errors)";

    public static Report Load(string path)
    {
        if (!File.Exists(path)) throw new ReportFileException(path, Directory.Exists(path) ? "is a folder, not a file" : "the file does not exist");
        return Parse(InputText.Read(path), path);
    }

    public static async Task WriteAsync(string path, Report report)
    {
        OutputPath.CheckFile(path, "--out");
        await OutputPath.WriteAllAsync([(path, Serialize(report))]);
    }
}

/// <summary>A report.json that cannot be read: the file and, where there is one, the field.</summary>
public sealed class ReportFileException(string file, string problem, Exception? inner = null)
    : InputFileException($"{file}: {problem}", inner)
{
    public string File { get; } = file;
}
