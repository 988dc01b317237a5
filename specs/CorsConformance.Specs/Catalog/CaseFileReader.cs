using System.Globalization;
using System.Text.RegularExpressions;
using CorsConformance.Specs.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CorsConformance.Specs.Catalog;

/// <summary>
/// Reads a case file (YAML) into cases. The format is documented in specs/catalog/README.md. A file has `cases:` (one case
/// each) and/or `templates:` (a case with a `matrix:` of named value lists, expanded over every combination).
/// Every error names the file, the case and the field. Text in, cases out: the caller does any file reading.
/// </summary>
public static partial class CaseFileReader
{
    /// <summary>The most cases one file may expand to (templates and cases together): a template's size is the product of
    /// its matrix's value counts, refused before anything is expanded. The whole catalog is a few hundred.</summary>
    public const int MaxCasesPerFile = 10_000;

    /// <summary>The most header lines a case's request may set (`request.headers`, a follow-up's `headers`).</summary>
    public const int MaxRequestHeaderLines = 1_000;

    /// <summary>The most bytes of header lines a case's request may set, each line its name, its value and 4 bytes
    /// (`: ` and CRLF), as HTTP/1.1 carries it; the reference servers take four times as much.</summary>
    public const int MaxRequestHeaderBytes = 256 * 1024;

    /// <summary>The most header lines one answer of a case may name (`server.preflight.headers`, `server.actual.headers`, a
    /// redirect's and a 304's), and the most bytes they may take, each line its name, its value as written and 4 bytes.
    /// How big a head a user agent takes is its own limit (Chromium refuses one over 256 KiB with
    /// net::ERR_RESPONSE_HEADERS_TOO_BIG, and WebKitGTK 2.50 one of about 64 KiB, each as the TypeError of a CORS block):
    /// an answer past it would read as the browser's verdict. Every engine the suite drives takes an answer at these caps
    /// over http and https, with room left for the target's own lines and the placeholders' values.</summary>
    public const int MaxResponseHeaderLines = 1_000;

    /// <inheritdoc cref="MaxResponseHeaderLines"/>
    public const int MaxResponseHeaderBytes = 32 * 1024;

    /// <summary>Response header names that say how the target's own body is sent, which a case may not name: Content-Length
    /// and Transfer-Encoding frame the message (the target writes the body's length itself and no Transfer-Encoding), and
    /// Content-Encoding says how the body is coded (the target sends it uncoded). A case's own line would not reach the
    /// browser as written — Kestrel writes its own Content-Length, and adds `Connection: close` under a Transfer-Encoding it
    /// does not apply — or leaves it a body it cannot read: two Content-Length values, `chunked` on a body that is not, a
    /// `gzip` or `br` body that is plain text (XMLHttpRequest, which reads the whole body, then fails): a network error below
    /// CORS, which would read as the browser's block.</summary>
    public static readonly IReadOnlyList<string> FramingResponseHeaders = ["Content-Length", "Transfer-Encoding", "Content-Encoding"];

    /// <summary>The most values (scalars) one template may expand to: its body's values times its cases. Each case is
    /// a copy of the body, so a body of 15,000 header lines under a 100 × 100 matrix would be 1.5 × 10⁸ values to build.</summary>
    public const int MaxTemplateValues = 1_000_000;

    /// <summary>Header names that belong to one HTTP/1.1 connection, which HTTP/2 does not carry (RFC 9113, 8.2.2), besides
    /// Transfer-Encoding (<see cref="FramingResponseHeaders"/>): an answer over https may not name them.</summary>
    public static readonly IReadOnlyList<string> ConnectionSpecificHeaders = ["Connection", "Keep-Alive", "Proxy-Connection", "Upgrade"];

    /// <summary>The most cookies (distinct names; <see cref="Placeholders.CaseCookie"/> one per case) a file's answers may set.
    /// Every case of a run shares the browser's cookie jar, which keeps so many a site (Chromium and Firefox 180) and then
    /// evicts the least recently used: one answer setting 200 made the planted cookie go, and every later credentialed case
    /// read "no cookie" as Chromium's and Firefox's own. (Files run together add up, and a run counts them together; the
    /// catalog sets a few dozen.)</summary>
    public const int MaxCookiesPerFile = 100;

    /// <summary>The most bytes a placeholder other than {target-url} stands for: an origin of the topology
    /// (https://api.cors-alt.test:65535 is 31), the runner page's URL (49), the case cookie's name; {echo} the Origin received.</summary>
    public const int MaxPlaceholderBytes = 64;

    /// <summary>A response header value's length as sent: each placeholder but {target-url} at <see cref="MaxPlaceholderBytes"/>.</summary>
    private static long SentLength(string value)
    {
        long length = value.Length;
        foreach (var placeholder in Placeholders.All.Where(p => p != Placeholders.TargetUrl))
        {
            for (var at = value.IndexOf(placeholder, StringComparison.Ordinal); at >= 0; at = value.IndexOf(placeholder, at + placeholder.Length, StringComparison.Ordinal))
            {
                length += MaxPlaceholderBytes - placeholder.Length;
            }
        }
        return length;
    }

    /// <summary>About how many bytes a URL carrying <paramref name="plan"/> takes (the target's, and a redirect's Location): the
    /// plan is base64url (4 bytes for 3) of its JSON, in which a header line's name and value take a byte for each letter,
    /// digit or harmless mark, 2 for `"` and `\`, and 6 for every other byte (a control, a byte 0x80–0xFF, `&lt;` `&gt;` `&amp;`
    /// `'` `+` and the backtick, which the JSON writer escapes), with 32 for the line's own JSON; 1,024 for the rest.</summary>
    internal static long PlanUrlBytes(ServerPlan plan)
    {
        static long Json(string text) => text.Sum(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or ',' or ':' or ';' or '/' or '=' or '(' or ')' or '[' or ']' or '{' or '}' or '*' or '!' or '?' or '#' or '$' or '%' or '@' or '^' or '|' or '~' ? 1L : c is '"' or '\\' ? 2L : 6L);
        return plan.Responses().Sum(r => r.Headers.Sum(h => Json(h.Name) + Json(h.Value) + 32)) * 4 / 3 + 1024;
    }

    /// <summary>The cookies <paramref name="cases"/>' answers set, by case, in order, each as the jar tells it from another
    /// (RFC 6265, 5.3 step 11: a cookie replaces only one of the same name, domain and path): the Set-Cookie line's name
    /// (5.2: what comes before the first `=`, spaces trimmed), its Domain attribute or else the host of the case's target
    /// (the page's host at another port is the same host), and its Path attribute — the last of each, as 5.3 reads them.
    /// The case cookie is its case's own. One name under 200 paths, or from two hosts of the site, is that many cookies.</summary>
    public static IEnumerable<(CorsCase Case, string Cookie)> CookiesSet(IEnumerable<CorsCase> cases) =>
        from @case in cases
        from line in @case.Server.Responses().SelectMany(r => r.Headers)
        where line.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase)
        let parts = line.Value.Split(';')
        let pair = parts[0]
        let name = pair.Contains('=', StringComparison.Ordinal) ? pair[..pair.IndexOf('=', StringComparison.Ordinal)].Trim(' ', '\t') : ""
        let domain = CookieAttribute(parts, "Domain")?.TrimStart('.').ToLowerInvariant()
        let path = CookieAttribute(parts, "Path")
        let host = domain is { Length: > 0 } ? $"Domain={domain}"
            : $"the {(@case.Origins.Target is Place.SameHost ? Place.Page : @case.Origins.Target).ToString().ToLowerInvariant()} host"
        select (@case, (name.Contains(Placeholders.CaseCookie, StringComparison.Ordinal) ? $"{Placeholders.CaseCookie} of {@case.Id}" : name)
            + $" ({host}{(path is { Length: > 0 } ? $", Path={path}" : "")})");

    /// <summary>The value of a cookie's last attribute of this name (RFC 6265, 5.2: case-insensitive, spaces trimmed), or null.</summary>
    private static string? CookieAttribute(string[] parts, string attribute) =>
        parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv[0].Trim(' ', '\t').Equals(attribute, StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Length == 2 ? kv[1].Trim(' ', '\t') : "").LastOrDefault();

    /// <summary>The case whose answer sets the cookie past <see cref="MaxCookiesPerFile"/> among <paramref name="cases"/> (a
    /// file's, or the files a run is given together), with that cookie and its number; null when they keep within it.</summary>
    public static (CorsCase Case, string Cookie, int Number)? PastCookieCap(IEnumerable<CorsCase> cases)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (@case, name) in CookiesSet(cases))
        {
            if (names.Add(name) && names.Count > MaxCookiesPerFile) return (@case, name, names.Count);
        }
        return null;
    }

    private static void CheckCookieCount(IReadOnlyList<CorsCase> cases, string fileName)
    {
        if (PastCookieCap(cases) is { } past)
        {
            throw new CaseFileException(fileName, past.Case.Id, "server",
                $"sets the file's cookie number {past.Number} ('{past.Cookie}'): at most {MaxCookiesPerFile} cookies (distinct name, host or Domain, and Path) a file, since the run's cases share the browser's cookie jar and past 180 a site Chromium and Firefox evict the planted cookie, so each later credentialed case would read as the browser's own 'no cookie'");
        }
    }

    private const string NoCase = "holds no case: it must have `cases:` and/or `templates:` with at least one entry";

    public static IReadOnlyList<CorsCase> Read(string text, string fileName)
    {
        // Before the tree is built: a nesting that would overflow the stack, an alias bomb, a second document.
        if (YamlLimits.Check(text) is { } limit)
        {
            throw new CaseFileException(fileName, null, null, $"{limit.Problem} (line {limit.At.Line}, column {limit.At.Column})");
        }
        var stream = new YamlStream();
        var scanner = new YamlDotNet.Core.Scanner(new StringReader(text));
        try
        {
            stream.Load(new YamlDotNet.Core.Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new CaseFileException(fileName, null, null, $"is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some broken flow collections; where it stopped is the place.
            throw new CaseFileException(fileName, null, null, $"is not valid YAML at line {scanner.CurrentPosition.Line}, column {scanner.CurrentPosition.Column} (an unclosed [ ], {{ }} or quote?)");
        }
        if (stream.Documents.Count == 0) throw new CaseFileException(fileName, null, null, NoCase);
        var root = stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new CaseFileException(fileName, null, null, "must be a mapping with `cases:` and/or `templates:`");
        var ctx = new Context(fileName, null);
        ctx.OnlyKeys(root, "", "cases", "templates");
        var cases = new List<CorsCase>();
        foreach (var node in ctx.Sequence(root, "cases"))
        {
            var caseCtx = ctx.ForCase(node);
            cases.Add(caseCtx.Case(caseCtx.Mapping(node, "case") ?? throw caseCtx.Error("case", "is empty")));
        }
        foreach (var node in ctx.Sequence(root, "templates"))
        {
            var templateCtx = ctx.ForCase(node);
            var template = templateCtx.Mapping(node, "template") ?? throw templateCtx.Error("template", "is empty");
            cases.AddRange(Expand(templateCtx, template, MaxCasesPerFile - cases.Count));
        }
        if (cases.Count == 0) throw new CaseFileException(fileName, null, null, NoCase);
        var duplicate = cases.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new CaseFileException(fileName, duplicate.Key, "id", "is used by more than one case");
        CheckCookieCount(cases, fileName);
        return cases;
    }

    /// <summary>Expands a template: one case per combination of its matrix values, {name} replaced in every scalar.</summary>
    /// <param name="room">How many cases the file may still hold (<see cref="MaxCasesPerFile"/>).</param>
    private static IEnumerable<CorsCase> Expand(Context ctx, YamlMappingNode template, int room)
    {
        var matrixNode = ctx.Mapping(template.Children.TryGetValue(new YamlScalarNode("matrix"), out var m) ? m : null, "matrix")
            ?? throw ctx.Error("matrix", "is required in a template");
        var axes = new List<(string Name, List<(string Label, YamlNode Value)> Values)>();
        foreach (var (keyNode, valuesNode) in matrixNode.Children)
        {
            var name = ctx.Key(keyNode, "matrix");
            if (Placeholders.All.Contains("{" + name + "}")) throw ctx.Error($"matrix.{name}", "is a reserved placeholder name");
            var values = valuesNode switch
            {
                // A list of scalars: the label is the value itself.
                YamlSequenceNode seq => seq.Children.Select(v => (Label: (v as YamlScalarNode)?.Value
                    ?? throw ctx.Error($"matrix.{name}", "lists must hold scalars; use a mapping label → value for structured values"), Value: v)).ToList(),
                // A mapping: label → value (the value may be structured).
                YamlMappingNode map => map.Children.Select(kv => (Label: ctx.Key(kv.Key, $"matrix.{name}"), Value: kv.Value)).ToList(),
                _ => throw ctx.Error($"matrix.{name}", "must be a list of values or a mapping of label → value"),
            };
            if (values.Count == 0) throw ctx.Error($"matrix.{name}", "has no values");
            axes.Add((name, values));
        }
        // The size first, as a product of counts: expanding 10⁸ combinations to find out would never end.
        var size = axes.Aggregate(1.0, (product, axis) => product * axis.Values.Count);
        if (size > room)
        {
            throw ctx.Error("matrix", $"expands to {size:N0} cases ({string.Join(" × ", axes.Select(a => $"{a.Name} {a.Values.Count}"))}), "
                + $"more than the {MaxCasesPerFile:N0} cases a file may hold{(room < MaxCasesPerFile ? $" ({MaxCasesPerFile - room:N0} already before this template)" : "")}");
        }

        IEnumerable<Dictionary<string, (string Label, YamlNode Value)>> combinations = [new()];
        foreach (var (name, values) in axes)
        {
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, (string, YamlNode)>(c) { [name] = v }));
        }

        var body = new YamlMappingNode(template.Children.Where(kv => ctx.Key(kv.Key, "template") != "matrix"));
        // A {name} that no matrix variable (and no placeholder) answers to is a typo: refuse it rather than send it literally.
        var known = axes.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (field, text) in Scalars(body, ""))
        {
            foreach (Match match in Variable().Matches(text))
            {
                if (!known.Contains(match.Groups[1].Value) && !Placeholders.All.Contains(match.Value))
                {
                    throw ctx.Error(field, $"refers to {match.Value}, which is neither a matrix variable ({string.Join(", ", known)}) nor a placeholder ({string.Join(", ", Placeholders.All)})");
                }
            }
        }
        var bodyValues = Scalars(body, "").LongCount();
        if (bodyValues * size > MaxTemplateValues)
        {
            throw ctx.Error("matrix", $"expands to {size:N0} cases of {bodyValues:N0} values each, more than the {MaxTemplateValues:N0} values a template may expand to");
        }
        foreach (var combination in combinations)
        {
            var expanded = (YamlMappingNode)Substitute(body, combination, forId: false);
            // In the id and the description, a variable stands for its label; elsewhere for its value.
            foreach (var labelled in new[] { "id", "description" })
            {
                if (template.Children.TryGetValue(new YamlScalarNode(labelled), out var node) && node is YamlScalarNode scalar)
                {
                    // Without a variable, as written (a plain `null` description is YAML's null, refused as in a case).
                    var text = SubstituteText(scalar.Value ?? "", combination, forId: true);
                    expanded.Children[new YamlScalarNode(labelled)] = text == scalar.Value ? scalar : new YamlScalarNode(text);
                }
            }
            var caseCtx = ctx.ForCase(expanded, template);
            yield return caseCtx.Case(expanded);
        }
    }

    /// <summary>Every scalar of a node (mapping keys included), with the dotted field it sits at.</summary>
    private static IEnumerable<(string Field, string Text)> Scalars(YamlNode node, string field) => node switch
    {
        YamlScalarNode s => [(field, s.Value ?? "")],
        YamlSequenceNode seq => seq.Children.SelectMany(c => Scalars(c, field)),
        YamlMappingNode map => map.Children.SelectMany(kv =>
        {
            var key = (kv.Key as YamlScalarNode)?.Value ?? "";
            var at = field.Length == 0 ? key : $"{field}.{key}";
            return Scalars(kv.Key, at).Concat(Scalars(kv.Value, at));
        }),
        _ => [],
    };

    private static YamlNode Substitute(YamlNode node, Dictionary<string, (string Label, YamlNode Value)> vars, bool forId) => node switch
    {
        YamlScalarNode s when s.Value is { } v && VariableOnly().Match(v) is { Success: true } only && vars.TryGetValue(only.Groups[1].Value, out var whole)
            => forId && whole.Value is YamlScalarNode ? new YamlScalarNode(whole.Label) : whole.Value,
        // A scalar without a variable is kept as written, its style and its line with it, so a plain `~` written in a template
        // stays YAML's null (no such line) and an error names the line it is on.
        YamlScalarNode s => SubstituteText(s.Value ?? "", vars, forId) is var text && text == s.Value ? s : new YamlScalarNode(text),
        YamlSequenceNode seq => new YamlSequenceNode(seq.Children.Select(c => Substitute(c, vars, forId))),
        YamlMappingNode map => new YamlMappingNode(map.Children.Select(kv =>
            new KeyValuePair<YamlNode, YamlNode>(Substitute(kv.Key, vars, forId), Substitute(kv.Value, vars, forId)))),
        _ => node,
    };

    private static string SubstituteText(string text, Dictionary<string, (string Label, YamlNode Value)> vars, bool forId) =>
        Variable().Replace(text, match =>
        {
            if (!vars.TryGetValue(match.Groups[1].Value, out var v)) return match.Value;
            if (forId) return v.Label;
            return v.Value is YamlScalarNode s ? s.Value ?? "" : match.Value;
        });

    [GeneratedRegex(@"\{([a-zA-Z][a-zA-Z0-9_]*)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{[a-z][a-z0-9]*(?:-[a-z0-9]+)+\}")]
    private static partial Regex HyphenatedName();

    [GeneratedRegex(@"^\{([a-zA-Z][a-zA-Z0-9_]*)\}$")]
    private static partial Regex VariableOnly();

    /// <summary>The longest case id, and the longest segment of one (the catalog's longest are 88 and 44).</summary>
    public const int MaxIdLength = 200, MaxIdSegmentLength = 100;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]*(/[a-z0-9][a-z0-9.\-_]*)+$")]
    private static partial Regex IdShape();

    /// <summary>A referrer written as a path at the page's origin: characters a URL keeps as they are (so the Referer the
    /// browser serializes is the path as written, less its fragment), and no dot segment (which the URL parser would remove).</summary>
    [GeneratedRegex(@"^/(?!\.\.?(/|\?|#|$))(?!.*/\.\.?(/|\?|#|$))[A-Za-z0-9\-_.~/]*(\?[A-Za-z0-9\-_.~/=&]*)?(#[A-Za-z0-9\-_.~/=&?]*)?$")]
    private static partial Regex ReferrerPath();

    /// <summary>A URL scheme: "an ASCII alpha, followed by zero or more of ASCII alphanumeric, U+002B (+), U+002D (-), and
    /// U+002E (.)" (URL Standard, "URL-scheme string").</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*$")]
    private static partial Regex UrlScheme();

    /// <summary>Where the reader is (file, case, and the case's YAML), so every error says so, with the line of the field.</summary>
    /// <param name="caseNode">The case as read, or as a template expanded it (nodes made by the expansion have no line).</param>
    /// <param name="sourceNode">A template's own YAML, whose fields sit at the same paths with their lines.</param>
    private sealed class Context(string file, string? caseId, YamlNode? caseNode = null, YamlNode? sourceNode = null)
    {
        public CaseFileException Error(string field, string message) => new(file, caseId, field, WithLine(field, message));

        public Context ForCase(YamlNode node) => ForCase(node, null);

        public Context ForCase(YamlNode node, YamlNode? source)
        {
            var id = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("id"), out var idNode)
                ? (idNode as YamlScalarNode)?.Value
                : null;
            return new Context(file, id ?? $"(case at line {(source ?? node).Start.Line})", node, source);
        }

        /// <summary>The message with the line of <paramref name="field"/> (or of the nearest field above it that is
        /// written) unless it names a line already: a bad value is found where it was written, not only by its path.</summary>
        private string WithLine(string field, string message) =>
            message.Contains("line ", StringComparison.Ordinal) || (LineOf(caseNode, field) ?? LineOf(sourceNode, field)) is not { } line
                ? message
                : $"{message} (line {line})";

        /// <summary>The line of the deepest node on the dotted <paramref name="field"/> path (`request.then[0].method`,
        /// `server.actual.headers.X-A`) that <paramref name="root"/> holds; null when it holds none with a known place (a
        /// node a template's expansion made starts at index 0, which no node of a case does).</summary>
        private static long? LineOf(YamlNode? root, string field)
        {
            YamlNode? at = root, found = null;
            foreach (var part in field.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.'))
            {
                at = at switch
                {
                    YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode(part), out var child) => child,
                    YamlSequenceNode q when int.TryParse(part, out var i) && i >= 0 && i < q.Children.Count => q.Children[i],
                    _ => null,
                };
                if (at is null) break;
                found = at;
            }
            return found is { Start.Index: > 0 } ? found.Start.Line : null;
        }

        /// <summary>A mapping key, which must be a plain string.</summary>
        public string Key(YamlNode key, string field) =>
            key is YamlScalarNode { Value: { } value } ? value
            : throw Error(field, $"has a key that is not a string (line {key.Start.Line})");

        public void OnlyKeys(YamlMappingNode map, string prefix, params string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                {
                    throw Error(prefix + name, $"is not a known field (line {key.Start.Line}); expected one of: {string.Join(", ", allowed)}");
                }
            }
        }

        public YamlMappingNode? Mapping(YamlNode? node, string field) => node switch
        {
            null => null,
            YamlMappingNode m => m,
            YamlScalarNode { Value: null or "" } => null,
            YamlScalarNode s when IsNull(s) => null, // `~`: absent, as for a header value (lets a matrix value be "no headers")
            _ => throw Error(field, $"must be a mapping (line {node.Start.Line})"),
        };

        public IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key) =>
            !map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? []
            : node as YamlSequenceNode is { } seq ? seq.Children
            : throw Error(key, $"must be a list (line {node.Start.Line})");

        private static YamlNode? Child(YamlMappingNode? map, string key) =>
            map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        /// <summary>A text field. YAML's null written unquoted (`null`, `Null`, `NULL`, `~`) is refused: `method: null` was
        /// read as the four letters and sent as the method "null", a field meant empty turned into a value. Quoted, "null"
        /// is the text. (A header value's unquoted `null` is the text, as documented, and `~` its absence; see
        /// <see cref="Headers"/>. A word of a list, such as `page: null`, is read by <see cref="Enum{T}"/>.)</summary>
        public string? String(YamlMappingNode? map, string key, string field)
        {
            if (Child(map, key) is YamlScalarNode s && IsYamlNull(s))
            {
                throw Error(field, $"is YAML's null '{s.Value}' (line {s.Start.Line}): leave the field out for its default, or quote it (\"{s.Value}\") if you mean the text");
            }
            return Word(map, key, field);
        }

        /// <summary>A scalar as written, YAML's null words included (an enum's `null`, a presence check).</summary>
        private string? Word(YamlMappingNode? map, string key, string field)
        {
            var node = Child(map, key);
            return node switch
            {
                null => null,
                YamlScalarNode s => s.Value,
                _ => throw Error(field, $"must be a string (line {node.Start.Line})"),
            };
        }

        /// <summary>YAML 1.2's null in the core schema, written plain (unquoted).</summary>
        private static bool IsYamlNull(YamlScalarNode s) =>
            s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "~" or "null" or "Null" or "NULL";

        public string RequiredString(YamlMappingNode map, string key, string field) =>
            String(map, key, field) is { Length: > 0 } s ? s : throw Error(field, "is required");

        public int Int(YamlMappingNode? map, string key, string field, int fallback, int min, int max)
        {
            var text = String(map, key, field);
            if (text is null) return fallback;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                throw Error(field, $"must be a whole number from {min} to {max}, not '{text}'");
            }
            return value;
        }

        public T Enum<T>(YamlMappingNode? map, string key, string field, T fallback, params (string Word, T Value)[] words)
        {
            var text = Word(map, key, field);
            if (text is null) return fallback;
            foreach (var (word, value) in words)
            {
                if (word == text) return value;
            }
            throw Error(field, $"must be one of: {string.Join(", ", words.Select(w => w.Word))}; not '{text}'");
        }

        /// <summary>A header list: a mapping name → value, where a list of values stands for several lines of one name.
        /// A response's values (<paramref name="response"/>) are raw bytes: any byte but CR and LF, and CRLF only as an obs-fold
        /// (followed by SP or HTAB); a request's are what a page can set: no CR, LF or NUL.</summary>
        public IReadOnlyList<Header> Headers(YamlMappingNode? map, string key, string field, bool response = false)
        {
            var node = Mapping(Child(map, key), field);
            if (node is null) return [];
            var headers = new List<Header>();
            var lines = new List<long>();
            foreach (var (nameNode, valueNode) in node.Children)
            {
                var name = (nameNode as YamlScalarNode)?.Value ?? "";
                if (!Fetch.Http.IsToken(name)) throw Error($"{field}.{name}", "is not a valid header name");
                if (response && FramingResponseHeaders.FirstOrDefault(f => f.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } framing)
                {
                    throw Error($"{field}.{name}", $"names {framing}, which says how the target's body is sent: the target writes that itself (its Content-Length, no Transfer-Encoding, no Content-Encoding: the body is sent whole and uncoded), and the case's own value would not reach the browser as written or would leave it a body it cannot read — a network error below CORS; leave it out");
                }
                switch (valueNode)
                {
                    case YamlScalarNode s when IsNull(s):
                        // `~` (YAML null): no such header line — lets a matrix say "absent".
                        break;
                    case YamlScalarNode s:
                        headers.Add(new Header(name, s.Value ?? ""));
                        lines.Add(s.Start.Line);
                        break;
                    case YamlSequenceNode seq:
                        foreach (var line in seq.Children)
                        {
                            headers.Add(new Header(name, (line as YamlScalarNode)?.Value
                                ?? throw Error($"{field}.{name}", "lines must be strings")));
                            lines.Add(line.Start.Line);
                        }
                        break;
                    default:
                        throw Error($"{field}.{name}", "must be a string or a list of strings (one per header line)");
                }
            }
            // What a page sets must reach the target as it was set: a request the reference servers refused for its size
            // would read as the browser's block. They take 1 MiB of header lines and 4096 lines, room for these and what
            // the browser adds (User-Agent, Sec-Fetch-*, Cookie, Referer…).
            if (!response && (headers.Count > MaxRequestHeaderLines || headers.Sum(h => (long)h.Name.Length + h.Value.Length + 4) > MaxRequestHeaderBytes))
            {
                throw Error(field, $"holds {headers.Count} lines of {headers.Sum(h => (long)h.Name.Length + h.Value.Length + 4):N0} bytes (a line is name, value and 4 bytes); at most {MaxRequestHeaderLines} lines and {MaxRequestHeaderBytes:N0} bytes are carried to the target as set");
            }
            // An answer must reach the page as written: a head past what an engine takes is a network error below CORS. A
            // placeholder counts as what it stands for ({target-url} is counted with the plan it carries, below).
            if (response && (headers.Count > MaxResponseHeaderLines || headers.Sum(h => (long)h.Name.Length + SentLength(h.Value) + 4) > MaxResponseHeaderBytes))
            {
                throw Error(field, $"holds {headers.Count} lines of {headers.Sum(h => (long)h.Name.Length + SentLength(h.Value) + 4):N0} bytes (a line is name, value and 4 bytes; a placeholder up to {MaxPlaceholderBytes} bytes, what it stands for); at most {MaxResponseHeaderLines} lines and {MaxResponseHeaderBytes:N0} bytes, which every engine takes: a bigger head meets the browser's own limit (WebKitGTK's is about 64 KiB, Chromium's 256 KiB), a network error that would read as a CORS block");
            }
            foreach (var (header, line) in headers.Zip(lines))
            {
                // The oracle compares these as whole values it cannot take apart (a host, a URL, the target's origin): written
                // inside a longer value ("http://{host}") they could spell the page's origin without the oracle knowing.
                if (Placeholders.WholeValueOnly.FirstOrDefault(p => header.Value.Contains(p, StringComparison.Ordinal) && header.Value.Trim(' ', '\t') != p) is { } part)
                {
                    throw Error($"{field}.{header.Name}", $"uses {part} inside a longer value; {string.Join(", ", Placeholders.WholeValueOnly)} stand alone as the whole value (spaces or tabs around them aside)");
                }
                // A hyphenated name in braces is no template variable (their names have no hyphen): a placeholder, or a typo of one
                // ("{host-parnet}") that the target would send as it stands.
                if (response && HyphenatedName().Matches(header.Value).FirstOrDefault(m => !Placeholders.All.Contains(m.Value)) is { } typo)
                {
                    throw Error($"{field}.{header.Name}", $"holds {typo.Value}, which is not a placeholder ({string.Join(", ", Placeholders.All)})");
                }
                if (response && SharedStateProblem(header) is { } shared)
                {
                    throw Error($"{field}.{header.Name}", shared);
                }
                if (header.Value.Contains(Placeholders.CaseCookie, StringComparison.Ordinal) && CaseCookieProblem(header, response) is { } problem)
                {
                    throw Error($"{field}.{header.Name}", problem);
                }
                if (header.Value.Any(c => c > 0xFF))
                {
                    throw Error($"{field}.{header.Name}", $"holds a character beyond 0xFF (line {line}); a header value is bytes: write \\x80–\\xFF for the high ones");
                }
                if (!response && header.Value.Any(c => c is '\r' or '\n' or '\0'))
                {
                    throw Error($"{field}.{header.Name}", $"holds CR, LF or NUL (line {line}), which a page cannot put in a request header");
                }
                if (response && WireValue.StrayNewline(header.Value) is { } at)
                {
                    throw Error($"{field}.{header.Name}", $"holds a CR or LF at byte {at} that is not part of an obs-fold (line {line}); the only line break a value may hold is \"\\r\\n\" followed by a space or a tab");
                }
            }
            return headers;
        }

        /// <summary>Why an answer's header line would change what other cases of the run meet, or null. Every case of a run shares
        /// the browser's cookie jar, and the harness's planted cookie (<see cref="ServerContract.CookieName"/>) is what
        /// <c>credentialsSent</c> reads: a Set-Cookie of that name (RFC 6265, 5.2: the name is what comes before the first
        /// `=`, without the spaces around it) overwrites or deletes it, and `Clear-Site-Data` (over https) clears the site's
        /// cookies; every later credentialed case then read "no cookie", the browser's departure (30 and 40 of them, in
        /// Chromium and Firefox).</summary>
        private static string? SharedStateProblem(Header header)
        {
            if (header.Name.Equals("Clear-Site-Data", StringComparison.OrdinalIgnoreCase))
            {
                return "clears the browser's cookies, cache or storage for the target's site, which every case of the run shares: the planted cookie gone, each later credentialed case would read as the browser's own 'no cookie'; leave it out";
            }
            if (header.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                var pair = header.Value.Split(';')[0];
                var name = pair.Contains('=', StringComparison.Ordinal) ? pair[..pair.IndexOf('=', StringComparison.Ordinal)].Trim(' ', '\t') : "";
                // An empty name (`=cc=2`): the cookie's value is `cc=2`, which the Cookie header carries as it is, so the
                // harness reads it as the planted cookie wherever this one goes (RFC 6265bis, 5.6: a pair starting with '=').
                if (name.Length == 0 && pair.Contains('=', StringComparison.Ordinal))
                {
                    var value = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    name = value.Contains('=', StringComparison.Ordinal) ? value[..value.IndexOf('=', StringComparison.Ordinal)].Trim(' ', '\t') : "";
                }
                if (name == ServerContract.CookieName && pair.TrimStart(' ', '\t').StartsWith('='))
                {
                    return $"sets a cookie without a name whose value is '{pair.TrimStart(' ', '\t')[1..].Trim(' ', '\t')}', which the Cookie header carries as it is: the harness would read it as its planted cookie '{ServerContract.CookieName}' (every case's credentialsSent) wherever this one goes and that one does not, so a browser's 'no cookie' would read as the cookie sent; give the cookie a name of its own, or {Placeholders.CaseCookie}";
                }
                if (name == ServerContract.CookieName)
                {
                    return $"sets the cookie '{ServerContract.CookieName}', the one the harness plants on every host and every case's credentialsSent reads: overwritten or deleted, each later credentialed case would read as the browser's own 'no cookie'; give the cookie another name, or {Placeholders.CaseCookie}";
                }
            }
            return null;
        }

        /// <summary>The case's own cookie is set by a response, as <c>Set-Cookie: {case-cookie}=value; SameSite=Lax</c>: the
        /// oracle sends it back as it sends the planted cookie (host-only, SameSite=Lax: same-site requests with credentials
        /// only), so a Domain attribute or another SameSite is refused. Null when the line is such.</summary>
        private static string? CaseCookieProblem(Header header, bool response)
        {
            if (!response || !header.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                return $"{Placeholders.CaseCookie} names the case's own cookie: it belongs in a Set-Cookie line of an answer";
            }
            var attributes = header.Value.Split(';').Select(a => a.Trim(' ', '\t')).ToList();
            if (!attributes[0].StartsWith(Placeholders.CaseCookie + "=", StringComparison.Ordinal))
            {
                return $"must start with {Placeholders.CaseCookie}=value (the cookie's name is the case's own)";
            }
            if (!attributes.Skip(1).Any(a => a.Equals("SameSite=Lax", StringComparison.OrdinalIgnoreCase))
                || attributes.Skip(1).Any(a => a.StartsWith("Domain", StringComparison.OrdinalIgnoreCase) || (a.StartsWith("SameSite", StringComparison.OrdinalIgnoreCase) && !a.Equals("SameSite=Lax", StringComparison.OrdinalIgnoreCase))))
            {
                return "must set the case's cookie with SameSite=Lax and no Domain (host-only): the oracle sends it back only as such a cookie travels";
            }
            return null;
        }

        private static bool IsNull(YamlScalarNode s) => s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value == "~";

        public CorsCase Case(YamlMappingNode map)
        {
            OnlyKeys(map, "", "id", "anchor", "description", "origins", "request", "server", "observe");
            var id = RequiredString(map, "id", "id");
            if (id.Length > MaxIdLength || id.Split('/').Any(segment => segment.Length > MaxIdSegmentLength))
            {
                // Snapshot files, report anchors and test names are named after the id: a file name has 255 bytes at most.
                throw Error("id", $"'{id[..Math.Min(id.Length, 60)]}…' is {id.Length} characters long: at most {MaxIdLength} in all and {MaxIdSegmentLength} a segment (files are named after it)");
            }
            if (!IdShape().IsMatch(id)) throw Error("id", $"'{id}' must be lowercase words joined by '-' in '/'-separated segments, e.g. cors-check/star-with-credentials");
            var anchor = RequiredString(map, "anchor", "anchor");
            // A control character, a line break or a format character (U+202E) is no anchor either: it went into every link
            // to the standard the reports draw for the case.
            if (anchor.Any(c => c == '#' || char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
            {
                throw Error("anchor", $"'{anchor}' must be a bare anchor such as concept-cors-check (no URL, no '#', no space, control or format character)");
            }
            var description = RequiredString(map, "description", "description");

            var origins = Mapping(Child(map, "origins"), "origins");
            if (origins is not null) OnlyKeys(origins, "origins.", "page", "target", "scheme", "target-scheme");
            var topology = new Topology(
                Enum(origins, "page", "origins.page", PageOrigin.Origin, System.Enum.GetValues<PageOrigin>().Select(p => (p.Id(), p)).ToArray()),
                Enum(origins, "target", "origins.target", Place.SameSite, [("same-origin", Place.Page), ("same-site", Place.SameSite), ("cross-site", Place.CrossSite), ("same-host", Place.SameHost), ("data", Place.SameSite),
                    .. System.Enum.GetValues<LocalUrl>().Select(l => (l.Id(), Place.SameSite))]),
                Enum(origins, "scheme", "origins.scheme", Scheme.Http, ("http", Scheme.Http), ("https", Scheme.Https)))
            {
                DataUrl = Word(origins, "target", "origins.target") == "data",
                Local = System.Enum.GetValues<LocalUrl>().Cast<LocalUrl?>().FirstOrDefault(l => l!.Value.Id() == Word(origins, "target", "origins.target")),
            };
            topology = TargetScheme(origins, topology);

            var request = Mapping(Child(map, "request"), "request");
            if (request is not null) OnlyKeys(request, "request.", "api", "method", "headers", "credentials", "body", "body-bytes", "repeat", "mode", "upload-listener", "redirect", "then", "referrer-policy", "referrer", "keepalive", "xhr-user", "xhr-password");
            var method = String(request, "method", "request.method") ?? "GET";
            if (!Fetch.Http.IsToken(method)) throw Error("request.method", $"'{method}' is not a method token");
            var api = Enum(request, "api", "request.api", Api.Fetch, Initiators.All.Select(i => (i.Word, i.Api)).ToArray());
            var initiator = Initiators.Of(api);
            var mode = Enum(request, "mode", "request.mode", RequestMode.Cors, ("cors", RequestMode.Cors), ("no-cors", RequestMode.NoCors), ("same-origin", RequestMode.SameOrigin));
            var spec = new RequestSpec(
                api,
                method,
                Headers(request, "headers", "request.headers"),
                // An element without a crossorigin attribute fetches with credentials mode include (HTML's "No CORS" state).
                Enum(request, "credentials", "request.credentials", mode == RequestMode.NoCors && initiator.Mode == ModeChoice.CrossOriginAttribute ? CredentialsMode.Include : CredentialsMode.SameOrigin,
                    ("omit", CredentialsMode.Omit), ("same-origin", CredentialsMode.SameOrigin), ("include", CredentialsMode.Include)),
                String(request, "body", "request.body"),
                Int(request, "repeat", "request.repeat", 1, 1, 5),
                mode,
                Enum(request, "upload-listener", "request.upload-listener", false, ("false", false), ("true", true)),
                Enum(request, "redirect", "request.redirect", RedirectMode.Follow, ("follow", RedirectMode.Follow), ("error", RedirectMode.Error), ("manual", RedirectMode.Manual)));
            if (Child(request, "body-bytes") is not null)
            {
                // A body too long to write out (over a keepalive request's 64 KiB quota): that many bytes of "x".
                if (spec.Body is not null) throw Error("request.body-bytes", "give either body or body-bytes, not both");
                spec = spec with { Body = new string('x', Int(request, "body-bytes", "request.body-bytes", 1, 1, RequestSpec.MaxBodyBytes)) };
            }
            if (Child(request, "then") is { } then) spec = spec with { Then = FollowUps(then, spec, topology) };
            if (String(request, "referrer-policy", "request.referrer-policy") is { } policy)
            {
                if (!RequestSpec.ReferrerPolicies.Contains(policy)) throw Error("request.referrer-policy", $"must be one of: {string.Join(", ", RequestSpec.ReferrerPolicies)}; not '{policy}'");
                if (spec.Api != Api.Fetch) throw Error("request.referrer-policy", "only fetch() takes a referrer policy here");
                spec = spec with { ReferrerPolicy = policy };
            }
            if (String(request, "referrer", "request.referrer") is { } referrer)
            {
                if (spec.Api != Api.Fetch) throw Error("request.referrer", "only fetch() takes a referrer here");
                if (referrer != RequestSpec.ClientReferrer && referrer != "" && !ReferrerPath().IsMatch(referrer))
                {
                    throw Error("request.referrer", $"must be '{RequestSpec.ClientReferrer}' (the page's URL), \"\" (no referrer) or a path at the page's origin ('/' then letters, digits and - _ . ~ / ? = & #, no '.' or '..' segment); not '{referrer}'");
                }
                if (topology.Page != PageOrigin.Origin) throw Error("request.referrer", "a referrer is judged from the page at its own origin only (origins.page: origin)");
                if (topology.DataUrl) throw Error("request.referrer", "a request to a data: URL reaches no server, so no Referer can be observed");
                spec = spec with { Referrer = referrer };
            }
            if (Enum(request, "keepalive", "request.keepalive", false, ("false", false), ("true", true)))
            {
                if (spec.Api != Api.Fetch) throw Error("request.keepalive", "only fetch() has keepalive (sendBeacon uses it on its own)");
                spec = spec with { Keepalive = true };
            }
            foreach (var (key, isUser) in new[] { ("xhr-user", true), ("xhr-password", false) })
            {
                if (String(request, key, "request." + key) is not { } value) continue;
                if (spec.Api != Api.Xhr) throw Error("request." + key, "only XMLHttpRequest's open() takes a user and a password (fetch() refuses a URL with credentials)");
                spec = isUser ? spec with { XhrUser = value } : spec with { XhrPassword = value };
            }
            if (spec.Redirect != RedirectMode.Follow && spec.Api != Api.Fetch)
            {
                throw Error("request.redirect", "only fetch() has a redirect mode; XMLHttpRequest and elements follow redirects");
            }
            if (initiator.Mode == ModeChoice.FromContentType) spec = Beacon(spec, request);
            CheckInitiator(spec, Word(request, "credentials", "request.credentials") is not null, Mapping(Child(map, "server"), "server"));
            if (topology.Page.IsDataContext() && !initiator.RunsWithoutDocument)
            {
                throw Error("request.api", "a data: worker or frame runs fetch() or XMLHttpRequest only");
            }
            if (spec.Body is not null && Fetch.Methods.Normalize(spec.Method) is "GET" or "HEAD")
            {
                throw Error("request.body", "a GET or HEAD request cannot have a body (fetch() would throw)");
            }
            // A forbidden method: new Request() throws a TypeError, which the page reports as refused and the oracle predicts
            // (nothing sent). XMLHttpRequest's open() throws a SecurityError the page does not tell from a failure, and a
            // sequence would go on from a request that never was: fetch() alone, once.
            if (Fetch.Methods.IsForbidden(spec.Method) && (spec.Api != Api.Fetch || spec.Then is { Count: > 0 } || spec.Repeat > 1))
            {
                throw Error("request.method", $"'{spec.Method}' is a forbidden method: only a single fetch() is written with it (new Request() throws a TypeError, the oracle's refused); {(spec.Api != Api.Fetch ? $"{spec.Initiator.Description} would throw otherwise or cannot send it" : "a sequence would go on from a request that was never made")}");
            }
            if (spec.Api == Api.Xhr && spec.Credentials == CredentialsMode.Omit)
            {
                throw Error("request.credentials", "XMLHttpRequest has no 'omit' mode: use same-origin (withCredentials = false) or include");
            }

            var server = Mapping(Child(map, "server"), "server");
            if (server is not null) OnlyKeys(server, "server.", "preflight", "actual", "redirect");
            if (topology.DataUrl) DataTarget(spec, server);
            if (topology.Local is { } local) LocalTarget(local, topology, spec, server);
            var plan = new ServerPlan(
                Response(Mapping(Child(server, "preflight"), "server.preflight"), "server.preflight"),
                FinalResponse(Mapping(Child(server, "actual"), "server.actual"), "server.actual"),
                Redirect(Mapping(Child(server, "redirect"), "server.redirect"), "server.redirect"));
            if (Child(request, "then") is YamlSequenceNode steps && steps.Children.Any(step => Child(step as YamlMappingNode, "server") is not null))
            {
                if (topology.DataUrl) throw Error("request.then[0].server", "a data: URL is answered by no server (its response is the URL's own body): leave server out");
                plan = plan with { Then = [.. steps.Children.Select((step, i) => StepPlan(Mapping(Child((YamlMappingNode)step, "server"), $"request.then[{i}].server"), plan, $"request.then[{i}].server"))] };
            }
            if (plan.Then is { } stepPlans) NotModifiedAnswers(spec, plan, stepPlans);
            FreshStoredAnswers(spec, plan);
            if (spec.Sequence().Count() > 1 && plan.Responses().Any(r => Fetch.HeaderValues.IsInterim(r.Status)))
            {
                // After a 1xx the target closes the connection, and HTTP lets the browser retry the request: the journal
                // could not tell such a retry from the next request of the sequence.
                throw Error(spec.Then is { Count: > 0 } ? "request.then" : "request.repeat", "cannot follow a request answered with a 1xx status (the connection closes after it, and HTTP may retry the request, which the journal could not tell from the next one)");
            }
            if (spec.UrlIncludesCredentials && !topology.OpaqueOrigin && new[] { plan }.Concat(plan.Then ?? []).Any(step => step.Actual.Status == 401
                && (topology.Target == Place.Page || step.Redirect is { } r401 && (r401.To == Place.Page || r401.Chain?.Contains(Place.Page) == true))))
            {
                // HTTP-network-or-cache fetch, a 401 whose response tainting is not "cors": the browser fetches again with the
                // URL's credentials, and when that is answered 401 too it prompts the user — which the harness cannot answer.
                throw Error("server.actual.status", "a 401 to an XMLHttpRequest opened with a user or password at the page's own origin makes the browser retry with the URL's credentials and then prompt the user, which the harness cannot answer; answer 401 only on another origin (cors tainting: no retry)");
            }
            if (topology.Scheme == Scheme.Https || topology.TargetScheme == Scheme.Https)
            {
                // Browsers speak HTTP/2 over https, which has no reason phrase, no obs-fold and no NUL in a value; and the
                // embedded server writes raw bytes over HTTP/1.1 only. Such a case would be judged on another answer.
                static IEnumerable<(string Field, ResponsePlan Response)> Answers(ServerPlan plan, string field) =>
                    [(field + ".preflight", plan.Preflight), (field + ".actual", plan.Actual),
                     .. plan.NotModified is { } notModified ? [(field + ".not-modified", notModified)] : Array.Empty<(string, ResponsePlan)>(),
                     .. plan.Redirect is { } r ? [(field + ".redirect", new ResponsePlan(r.Status, r.Headers)), .. r.Preflight is { } p ? [(field + ".redirect.preflight", p)] : Array.Empty<(string, ResponsePlan)>()] : Array.Empty<(string, ResponsePlan)>()];
                var answers = Answers(plan, "server").Concat((plan.Then ?? []).SelectMany((step, i) => Answers(step, $"request.then[{i}].server")));
                if (answers.FirstOrDefault(a => a.Response.IsRaw()) is { Field: { } rawField })
                {
                    throw Error(rawField, "is a raw answer (a 1xx status, a reason phrase, or a header value with a byte other than tab, space and visible ASCII), which the target sends over HTTP/1.1 only: write this case with origins.scheme http (and no target-scheme https)");
                }
                // HTTP/2 has no connection-specific header fields (RFC 9113, 8.2.2): the target's server drops them, unseen by the
                // journal, and Chromium's page read the answer without the Connection, Keep-Alive, Proxy-Connection or Upgrade
                // line the plan names — a readableHeaders "departure" that was the harness's.
                if (answers.SelectMany(a => a.Response.Headers.Select(h => (a.Field, h.Name))).FirstOrDefault(x => ConnectionSpecificHeaders.Contains(x.Name, StringComparer.OrdinalIgnoreCase)) is { Field: { } answerField, Name: { } connectionHeader })
                {
                    throw Error($"{answerField}.headers.{connectionHeader}", "is a connection-specific header, which HTTP/2 (what browsers speak over https) does not carry (RFC 9113, 8.2.2): the target's server drops it, so the page would not see what the plan names; write this case over http (origins.scheme http, and no target-scheme https)");
                }
            }
            // {target-url} stands for the URL being answered, which carries the case's whole plan (base64url of its JSON, where
            // a byte 0x80–0xFF takes six): an answer holding it grows by that much on the wire, past what the cap above saw.
            // WebKitGTK failed a 32 KiB answer that also held {target-url}. So does the Location the target writes on a
            // redirect (the next hop's URL), and a follow-up's answers as much as the case's own.
            var urlBytes = PlanUrlBytes(plan);
            var carried = new[] { ("server", plan) }.Concat((plan.Then ?? []).Select((step, i) => ($"request.then[{i}].server", step)))
                .SelectMany(p => new[] { ($"{p.Item1}.preflight", p.Item2.Preflight, Location: false), ($"{p.Item1}.actual", p.Item2.Actual, Location: false) }
                    .Concat(p.Item2.NotModified is { } notModified ? [($"{p.Item1}.not-modified", notModified, false)] : [])
                    .Concat(p.Item2.Redirect?.Preflight is { } hopPreflight ? [($"{p.Item1}.redirect.preflight", hopPreflight, false)] : [])
                    .Concat(p.Item2.Redirect is { } withUrl
                        ? [($"{p.Item1}.redirect", new ResponsePlan(withUrl.Status, withUrl.Headers), !withUrl.OmitsLocation && withUrl.GivenLocation is null && withUrl.SchemeLocation is null && !withUrl.Headers.Contains(HeaderNames.Location))]
                        : []));
            foreach (var (answerField, answer, location) in carried)
            {
                var urls = answer.Headers.Count(h => h.Value.Contains(Placeholders.TargetUrl, StringComparison.Ordinal)) + (location ? 1 : 0);
                var size = answer.Headers.Sum(h => (long)h.Name.Length + h.Value.Length + 4) + urls * urlBytes;
                if (urls > 0 && size > MaxResponseHeaderBytes)
                {
                    throw Error(answerField + ".headers", $"holds {(location ? "the Location the target writes, the next hop's URL" : $"{Placeholders.TargetUrl}, the URL being answered")}, which carries the case's whole plan: with these answers up to about {size:N0} bytes on the wire, past the {MaxResponseHeaderBytes:N0} every engine takes (WebKitGTK failed such an answer); keep the answers shorter{(location ? "" : $" or leave {Placeholders.TargetUrl} out")}");
                }
            }
            if (spec.Initiator.ReadsContentType)
            {
                // The initiator's own processing model reads the type (a module script, a stylesheet, EventSource, an img's
                // sniffing), which the oracle does not model: the target sends the body's own type.
                var typed = new[] { ("server", plan) }.Concat((plan.Then ?? []).Select((step, i) => ($"request.then[{i}].server", step)))
                    .SelectMany(p => new[] { ($"{p.Item1}.actual.headers", p.Item2.Actual), ($"{p.Item1}.redirect.headers", p.Item2.Redirect is { } r ? new ResponsePlan(r.Status, r.Headers) : ResponsePlan.Empty) })
                    .FirstOrDefault(a => a.Item2.Headers.Contains(HeaderNames.ContentType));
                if (typed.Item1 is { } typedField)
                {
                    throw Error(typedField, $"{spec.Initiator.Word} reads the response's Content-Type by rules of its own (HTML, CSS) that the oracle does not model: leave Content-Type to the target, which sends the body's own ({spec.Initiator.Body?.ContentType})");
                }
            }
            return new CorsCase(id, anchor, description, topology, spec, plan, file) { ObservesPreflightHeaders = Observe(map, spec) };
        }

        /// <summary><c>observe</c>: what the case asks to observe beyond the fields every case has — a list of words, today
        /// only <c>preflight-headers</c> (the preflight's `Accept`, `Access-Control-Request-Method`, `Origin`, `User-Agent`
        /// and the page's own headers). Only an initiator that can be preflighted (one that sends author headers or another
        /// method: fetch, XHR, a beacon) can ask it.</summary>
        private bool Observe(YamlMappingNode map, RequestSpec spec)
        {
            if (Child(map, "observe") is not { } node) return false;
            if (node is not YamlSequenceNode list || list.Children.Count == 0)
            {
                throw Error("observe", node is YamlSequenceNode
                    ? "is an empty list: name what to observe (e.g. [preflight-headers]) or leave observe out"
                    : "must be a list of what to observe, e.g. [preflight-headers]");
            }
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (list.Children[i] is not YamlScalarNode { Value: "preflight-headers" })
                {
                    throw Error($"observe[{i}]", $"'{(list.Children[i] as YamlScalarNode)?.Value ?? list.Children[i].ToString()}' is not something a case can observe; expected one of: preflight-headers");
                }
            }
            if (list.Children.Count > 1) throw Error("observe", "lists preflight-headers more than once");
            if (spec.Initiator.IsElement)
            {
                throw Error("observe", $"{spec.Initiator.Word} is never preflighted (a GET without headers of the page's): there is no preflight to observe");
            }
            return true;
        }

        /// <summary>A fetch() of an about: or blob: URL (<c>origins.target: about-blank</c>, …): no server answers it, so the
        /// case says nothing of a server; fetch() only (scheme fetch's answers are fetch's; an element or XHR adds rules of
        /// its own), from a page of the page origin (a blob: URL is the page's own, and its origin the page's).</summary>
        private void LocalTarget(LocalUrl local, Topology topology, RequestSpec spec, YamlMappingNode? server)
        {
            if (spec.Api != Api.Fetch) throw Error("request.api", $"origins.target {local.Id()} is fetched with fetch() only");
            if (topology.Page != PageOrigin.Origin) throw Error("origins.page", $"origins.target {local.Id()} is fetched from a page of the page origin only");
            if (server is not null) throw Error("server", $"no server answers a request to an {local.Id()} URL: leave server out");
            if (spec.Then is { Count: > 0 }) throw Error("request.then", $"a request to an {local.Id()} URL has no follow-ups");
        }

        /// <summary><c>origins.target-scheme</c>: the scheme of the request's own URL when it is not the page's. An http page may
        /// fetch an https target; an https page's request to an http URL is mixed content (Mixed Content, "should fetching
        /// request be blocked as mixed content": blocked before it is sent, unless the URL is potentially trustworthy), which
        /// a page cannot tell from a refused connection, so it is refused here. The page's own origin and a data: URL have
        /// no other scheme.</summary>
        private Topology TargetScheme(YamlMappingNode? origins, Topology topology)
        {
            var scheme = Enum(origins, "target-scheme", "origins.target-scheme", topology.Scheme, ("http", Scheme.Http), ("https", Scheme.Https));
            if (scheme == topology.Scheme) return topology;
            if (topology.Serverless) throw Error("origins.target-scheme", "a data:, about: or blob: URL has no http(s) scheme: leave target-scheme out with such a target");
            if (topology.Target == Place.Page) throw Error("origins.target-scheme", $"the page's own origin is over {topology.Scheme.ToString().ToLowerInvariant()}; its host over {scheme.ToString().ToLowerInvariant()} is another origin: write target same-host");
            if (topology.Scheme == Scheme.Https)
            {
                throw Error("origins.target-scheme", "an https page's request to an http URL is mixed content, which the browser blocks before it is sent (Mixed Content, \"should fetching request be blocked as mixed content\"); the harness cannot tell that from a refused connection, so only an http page may name a target over https");
            }
            return topology with { TargetSchemeOverride = scheme };
        }

        /// <summary>A request to a data: URL (<c>origins.target: data</c>): no server answers it, and the URL is the page's own
        /// (a body the initiator accepts), so the case says nothing of a server; the initiator must take a data: URL.</summary>
        private void DataTarget(RequestSpec spec, YamlMappingNode? server)
        {
            if (server is not null) throw Error("server", "a data: URL is answered by no server (its response is the URL's own body): leave server out");
            if (!spec.Initiator.FetchesDataUrls) throw Error("request.api", $"{spec.Initiator.Description} does not fetch a data: URL; the data: target is for {string.Join(", ", Initiators.All.Where(i => i.FetchesDataUrls).Select(i => i.Word))}");
            if (spec.OpensWithUserinfo) throw Error("request.xhr-user", "a data: URL has no user or password");
        }

        /// <summary>sendBeacon chooses no method, credentials or mode: it POSTs its data with credentials include, in cors mode
        /// exactly when the data's type (the case's Content-Type, else a string's text/plain) is not CORS-safelisted.</summary>
        private RequestSpec Beacon(RequestSpec spec, YamlMappingNode? request)
        {
            if (!spec.Method.Equals("POST", StringComparison.Ordinal)) throw Error("request.method", "sendBeacon always sends POST: write method: POST");
            if (spec.Body is null) throw Error("request.body", "a beacon sends data: give a body");
            if (spec.Headers.Any(h => !h.Name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)) || spec.Headers.Count > 1)
            {
                throw Error("request.headers", "a beacon sends no author headers; at most a Content-Type, which becomes the type of the Blob it sends");
            }
            if (Child(request, "credentials") is not null) throw Error("request.credentials", "a beacon always includes credentials");
            if (Child(request, "mode") is not null) throw Error("request.mode", "a beacon's mode follows from its Content-Type");
            if (spec.Repeat != 1) throw Error("request.repeat", "a beacon is sent once");
            var type = spec.Headers.FirstOrDefault()?.Value ?? "text/plain;charset=UTF-8";
            var mode = Fetch.RequestHeaders.IsSafelisted(HeaderNames.ContentType, type) ? RequestMode.NoCors : RequestMode.Cors;
            return spec with { Credentials = CredentialsMode.Include, Mode = mode };
        }

        /// <summary>The requests sent after the case's own (fetch, XHR and a classic script), each refused as the main request would be.</summary>
        private IReadOnlyList<FollowUp> FollowUps(YamlNode node, RequestSpec first, Topology topology)
        {
            if (node is not YamlSequenceNode list || list.Children.Count is < 1 or > 4)
            {
                throw Error("request.then", "must be a list of 1 to 4 requests, each { method, headers, credentials, body, delay-ms, target, server }");
            }
            if (!first.Initiator.Sequences) throw Error("request.then", $"{first.Initiator.Word} is issued once: only {string.Join(" and ", Initiators.All.Where(i => i.Sequences).Select(i => i.Description))} send a sequence of requests");
            return list.Children.Select((item, i) =>
            {
                var field = $"request.then[{i}]";
                var map = Mapping(item, field) ?? throw Error(field, "must be a mapping");
                OnlyKeys(map, field + ".", "method", "headers", "credentials", "body", "delay-ms", "server", "target");
                Place? target = Child(map, "target") is null ? null
                    : Enum(map, "target", field + ".target", Place.SameSite, ("same-origin", Place.Page), ("same-site", Place.SameSite), ("cross-site", Place.CrossSite));
                if (target is not null && topology.DataUrl) throw Error(field + ".target", "the case's request goes to a data: URL, answered by no server: a follow-up cannot go to one");
                if (target is { } elsewhere && first.Mode == RequestMode.SameOrigin && (elsewhere != Place.Page || topology.OpaqueOrigin))
                {
                    throw Error(field + ".target", "a same-origin request to another origin fails before it is sent, which the harness cannot tell from a refused connection");
                }
                var method = String(map, "method", field + ".method") ?? first.Method;
                if (!Fetch.Http.IsToken(method)) throw Error(field + ".method", $"'{method}' is not a method token");
                if (Fetch.Methods.IsForbidden(method)) throw Error(field + ".method", $"'{method}' is a forbidden method (fetch() would throw)");
                var body = String(map, "body", field + ".body");
                if (body is not null && Fetch.Methods.Normalize(method) is "GET" or "HEAD") throw Error(field + ".body", "a GET or HEAD request cannot have a body (fetch() would throw)");
                var credentials = Enum(map, "credentials", field + ".credentials", first.Credentials,
                    ("omit", CredentialsMode.Omit), ("same-origin", CredentialsMode.SameOrigin), ("include", CredentialsMode.Include));
                if (first.Api == Api.Xhr && credentials == CredentialsMode.Omit) throw Error(field + ".credentials", "XMLHttpRequest has no 'omit' mode: withCredentials false is same-origin");
                if (first.Initiator.IsElement)
                {
                    // An element sends what the case's own sends: a GET without author headers, body or another host.
                    if (Fetch.Methods.Normalize(method) != "GET") throw Error(field + ".method", $"{first.Initiator.Word} always sends GET");
                    if (Child(map, "headers") is not null) throw Error(field + ".headers", $"{first.Initiator.Word} sends no author headers");
                    if (target is not null) throw Error(field + ".target", $"{first.Initiator.Word} follow-ups go to the case's own URL");
                    if (credentials == CredentialsMode.Omit) throw Error(field + ".credentials", $"{first.Initiator.Word} has no 'omit' mode");
                }
                return new FollowUp(method, Headers(map, "headers", field + ".headers"), credentials, body, Int(map, "delay-ms", field + ".delay-ms", 0, 0, 5000)) { Target = target };
            }).ToList();
        }

        /// <summary>What each initiator can express: an element or EventSource has no method, header, body or repeat of its
        /// own; only img and script have a no-cors form; an upload listener belongs to XHR with a body.</summary>
        private void CheckInitiator(RequestSpec spec, bool credentialsGiven, YamlMappingNode? server)
        {
            var initiator = spec.Initiator;
            var api = initiator.Word;
            if (initiator.IsElement)
            {
                if (spec.Method != "GET") throw Error("request.method", $"{api} always sends GET");
                if (spec.Headers.Count > 0) throw Error("request.headers", $"{api} sends no author headers");
                if (spec.Body is not null) throw Error("request.body", $"{api} sends no body");
                if (spec.Credentials == CredentialsMode.Omit) throw Error("request.credentials", $"{api} has no 'omit' mode: same-origin (crossorigin=anonymous) or include (use-credentials)");
            }
            if (!initiator.Sequences && spec.Repeat != 1) throw Error("request.repeat", $"{api} is issued once");
            if (spec.Mode == RequestMode.SameOrigin && initiator.Mode != ModeChoice.Chosen)
            {
                throw Error("request.mode", $"only {string.Join(", ", Initiators.All.Where(i => i.Mode == ModeChoice.Chosen).Select(i => i.Word))} has a same-origin mode");
            }
            if (spec.Mode == RequestMode.NoCors && initiator.Mode is ModeChoice.AlwaysCors)
            {
                throw Error("request.mode", $"{api} is always cors; only {string.Join(", ", Initiators.All.Where(i => i.Mode is ModeChoice.Chosen or ModeChoice.CrossOriginAttribute).Select(i => i.Word))} have a no-cors form");
            }
            if (spec.Mode == RequestMode.NoCors && initiator.Mode == ModeChoice.CrossOriginAttribute && credentialsGiven)
            {
                throw Error("request.credentials", "an element without a crossorigin attribute always includes credentials: leave credentials out");
            }
            if (initiator.Credentials is { } only && spec.Credentials != only && initiator.Mode != ModeChoice.FromContentType)
            {
                throw Error("request.credentials", $"{api} is always fetched with credentials {Word(only)}");
            }
            // XHR send(): "If one or more event listeners are registered on this's upload object, then set this's upload
            // listener flag" — whatever the body (a GET or HEAD sends none) — and the request's use-CORS-preflight flag is
            // "Set if this's upload listener flag is set".
            if (spec.UploadListener && spec.Api != Api.Xhr)
            {
                throw Error("request.upload-listener", "an upload listener belongs to an XMLHttpRequest (xhr.upload)");
            }
        }

        private static string Word(CredentialsMode credentials) => credentials switch
        {
            CredentialsMode.Omit => "omit",
            CredentialsMode.Include => "include",
            _ => "same-origin",
        };

        private ResponsePlan Response(YamlMappingNode? map, string field)
        {
            if (map is null) return ResponsePlan.Empty;
            OnlyKeys(map, field + ".", "status", "reason", "headers");
            var reason = String(map, "reason", field + ".reason");
            if (reason is not null && reason.Any(c => c is '\r' or '\n' || c > 0xFF))
            {
                throw Error(field + ".reason", $"holds CR, LF or a character beyond 0xFF (line {Child(map, "reason")!.Start.Line}); a reason phrase is one line of bytes");
            }
            var headers = Headers(map, "headers", field + ".headers", response: true);
            // The status line is part of the head an engine takes (WebKitGTK about 64 KiB in all): a reason phrase of 100 KB
            // passed the header lines' cap, which did not count it, and the browser's network error would read as a block.
            // (The engines were proven at the cap with the status's own reason phrase; one the case gives counts in full.)
            var head = (reason?.Length ?? 0) + headers.Sum(h => (long)h.Name.Length + SentLength(h.Value) + 4);
            if (reason is not null && head > MaxResponseHeaderBytes)
            {
                throw Error(field + ".reason", $"is {reason.Length:N0} bytes, which with the header lines ({head - reason.Length:N0} bytes) makes a head past the {MaxResponseHeaderBytes:N0} bytes every engine takes: a bigger head meets the browser's own limit, a network error that would read as a CORS block");
            }
            return new ResponsePlan(Int(map, "status", field + ".status", 200, 100, 999), headers) { Reason = reason };
        }

        /// <summary>The answer that ends a fetch (<c>server.actual</c>, a follow-up's <c>actual</c>). With a redirect status (301, 302,
        /// 303, 307, 308) and a Location of the case's own it would be no final answer: HTTP fetch hands it to HTTP-redirect
        /// fetch, which follows the Location (the browser fetched the target's "/elsewhere", answered without CORS headers, and
        /// was judged as departing from the standard, which the oracle read as this status handed to the page). A redirect is
        /// written with <c>server.redirect</c>, whose Location the target writes and the oracle follows; without a Location
        /// the redirect status is handed to the page as it stands (the location URL is null).</summary>
        private ResponsePlan FinalResponse(YamlMappingNode? map, string field)
        {
            var response = Response(map, field);
            if (Fetch.Oracle.IsRedirectStatus(response.Status) && response.Headers.Contains(HeaderNames.Location))
            {
                throw Error(field + ".headers.Location", $"with status {response.Status}, a redirect status, makes this answer a redirect the browser follows, which the oracle does not model here: write the redirect as server.redirect (its 'to', or 'location' for one the URL parser refuses), or leave the Location out to hand the {response.Status} to the page");
            }
            return response;
        }

        /// <summary><c>server.redirect.userinfo</c>: <c>true</c> (<c>user:pass</c>), <c>false</c> (none), or the userinfo itself,
        /// what goes between <c>//</c> and <c>@</c>: <c>"user:"</c>, <c>":pass"</c>, <c>":"</c>, <c>""</c>.</summary>
        private string? Userinfo(YamlMappingNode map, string field)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode("userinfo"), out var node)) return null;
            if (node is not YamlScalarNode { Value: { } text }) throw Error(field + ".userinfo", "must be true, false or the userinfo text (\"user:\", \":pass\", \":\", \"\")");
            if (text == "false" || (text == "~" && ((YamlScalarNode)node).Style == YamlDotNet.Core.ScalarStyle.Plain)) return null;
            if (text == "true") return RedirectPlan.UserAndPassword;
            if (text.Any(c => c is '/' or '?' or '#' or '@' or '[' or ']' or '\\' || c <= ' ' || c > '~'))
            {
                throw Error(field + ".userinfo", $"'{text}' is not userinfo: visible ASCII without / ? # @ [ ] \\ (percent-encode the rest), or true or false");
            }
            return text;
        }

        /// <summary><c>server.redirect.location</c>: <c>~</c> for a redirect without a Location header, or a Location of the case's
        /// own that the URL parser refuses, sent as written. One redirect, with a redirect status, and nothing that would put
        /// the target's own URL in the Location.</summary>
        private RedirectPlan GivenLocation(YamlMappingNode map, YamlNode node, int status, IReadOnlyList<Header> headers, string field)
        {
            foreach (var other in new[] { "to", "hops", "userinfo" })
            {
                if (map.Children.ContainsKey(new YamlScalarNode(other))) throw Error(field + "." + other, "goes with a Location the target writes; a redirect with 'location' has its own (or none): leave it out");
            }
            if (!Fetch.Oracle.IsRedirectStatus(status)) throw Error(field + ".location", $"is read only on a redirect status (301, 302, 303, 307, 308), not {status}");
            if (node is not YamlScalarNode scalar) throw Error(field + ".location", "must be ~ (no Location header) or the Location's text");
            if (IsNull(scalar)) return new RedirectPlan(status, Place.SameSite, 1, headers) { OmitsLocation = true };
            var text = scalar.Value ?? "";
            if (text.Length == 0 || text.Any(c => c is < ' ' or > '~') || text[0] == ' ' || text[^1] == ' ')
            {
                throw Error(field + ".location", $"'{text}' must be visible ASCII and inner spaces (line {scalar.Start.Line}): percent-encode the rest");
            }
            var (parse, why) = Fetch.LocationUrls.Classify(text);
            return parse switch
            {
                Fetch.LocationUrls.Parse.Failure => new RedirectPlan(status, Place.SameSite, 1, headers) { GivenLocation = text },
                Fetch.LocationUrls.Parse.Url => throw Error(field + ".location", $"'{text}' parses as {why}, which the reference servers do not serve: a redirect they answer is written with 'to'"),
                _ => throw Error(field + ".location", $"'{text}': {why}; a case's own Location must be one the URL parser refuses (an empty host, a bad port, a forbidden character in the host), which the oracle can tell"),
            };
        }

        /// <summary>A case that sends a GET or HEAD more than once may not give an answer that an HTTP cache may keep fresh: with
        /// the default cache mode, HTTP-network-or-cache fetch serves "a matching fresh response" from the cache without a
        /// request ("set response to storedResponse"), which the oracle does not model, so the browser's choice would be
        /// judged as a departure. Fresh is explicit (Cache-Control max-age, public or immutable; Expires) or heuristic
        /// (RFC 9111, 4.2.2: Last-Modified; a 300, 301, 308 or 410 with no lifetime at all, which browsers keep for ever);
        /// Cache-Control no-store or no-cache sends every request to the server.</summary>
        private void FreshStoredAnswers(RequestSpec spec, ServerPlan plan)
        {
            var sequence = spec.Sequence().ToList();
            if (sequence.Count < 2 || !sequence.Any(r => Fetch.Methods.Normalize(r.Request.Method) is "GET" or "HEAD" || r.Request.IsElementLike)) return;
            foreach (var (step, i) in new[] { plan }.Concat(plan.Then ?? []).Select((p, i) => (p, i)))
            {
                var field = i == 0 ? "server" : $"request.then[{i - 1}].server";
                foreach (var (headers, status, where) in new[] { (step.Actual.Headers, step.Actual.Status, "actual"), (step.Redirect?.Headers ?? [], step.Redirect?.Status ?? 0, "redirect") })
                {
                    if ((Fetch.Http.Freshness(headers) ?? Fetch.Http.DefaultFreshness(headers, status)) is { } fresh)
                        throw Error($"{field}.{where}.headers", $"{fresh} lets the browser's HTTP cache keep this answer fresh, and the case sends more than one request: the browser may serve a later one from its cache without a request, which the oracle does not model; add Cache-Control: no-cache (or no-store), or send the request once");
                }
            }
        }

        /// <summary><c>request.then[i].server.not-modified</c>: a 304 revalidates the response an HTTP cache stored from the request
        /// before it, which must be one a cache can store and the request be one a cache serves (RFC 9111: a GET, answered
        /// 200 without a redirect), so the oracle has one stored response to freshen.</summary>
        private void NotModifiedAnswers(RequestSpec spec, ServerPlan plan, IReadOnlyList<ServerPlan> steps)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i].NotModified is null) continue;
                var field = $"request.then[{i}].server.not-modified";
                var stored = i == 0 ? plan : steps[i - 1];
                (string Method, Place? Target) before = i == 0 ? (spec.Method, null) : (spec.Then![i - 1].Method, spec.Then![i - 1].Target);
                if (Fetch.Methods.Normalize(spec.Then![i].Method) != "GET" || Fetch.Methods.Normalize(before.Method) != "GET")
                    throw Error(field, "a 304 revalidates a stored response to a GET: this follow-up and the request before it must both be GETs");
                if (spec.Then[i].Target != before.Target)
                    throw Error(field, "the request before this follow-up went to another URL: there is no stored response of this URL to revalidate");
                if (steps[i].Redirect is not null || stored.Redirect is not null || stored.Actual.Status != 200)
                    throw Error(field, "the request before this follow-up must be answered 200 without a redirect (the response a cache stores), and this follow-up without a redirect");
                // RFC 9111, 5.2.2.4: "no-cache" — the cache "MUST NOT use the response to satisfy a subsequent request without
                // successful validation on the origin server". Without it the stored response may be fresh (explicitly or by a
                // heuristic, 4.2.2) and served without a request, which the oracle does not model.
                if (!stored.Actual.Headers.Any(h => h.Name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase)
                        && h.Value.Split(',').Any(d => d.Trim().Equals("no-cache", StringComparison.OrdinalIgnoreCase))))
                    throw Error(field, "the response the request before this follow-up gets must say Cache-Control: no-cache (it must be revalidated before reuse): a fresh stored response served without contacting the server is not modelled");
                if (stored.NotModified is not null && i > 0)
                    throw Error(field, "two follow-ups in a row revalidating: the oracle freshens the response of the request just before, which must be a 200");
                if (steps[i].NotModified!.Headers.Any(h => h.Name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase)))
                    throw Error(field + ".headers", "a 304 setting a cookie is not modelled");
            }
        }

        /// <summary>The answers a follow-up of <c>request.then</c> meets (<c>request.then[i].server</c>): each of
        /// <c>preflight</c>, <c>actual</c> and <c>redirect</c> it gives replaces the case's; the rest are the case's own.</summary>
        private ServerPlan StepPlan(YamlMappingNode? map, ServerPlan first, string field)
        {
            var plan = first with { Then = null };
            if (map is null) return plan;
            OnlyKeys(map, field + ".", "preflight", "actual", "redirect", "not-modified");
            if (Child(map, "not-modified") is { } notModified)
            {
                var nm = Mapping(notModified, field + ".not-modified") ?? throw Error(field + ".not-modified", "must be a mapping: { headers }");
                OnlyKeys(nm, field + ".not-modified.", "headers");
                plan = plan with { NotModified = new ResponsePlan(ServerPlan.NotModifiedStatus, Headers(nm, "headers", field + ".not-modified.headers", response: true)) };
            }
            if (Child(map, "preflight") is not null) plan = plan with { Preflight = Response(Mapping(Child(map, "preflight"), field + ".preflight"), field + ".preflight") };
            if (Child(map, "actual") is not null) plan = plan with { Actual = FinalResponse(Mapping(Child(map, "actual"), field + ".actual"), field + ".actual") };
            if (Child(map, "redirect") is { } redirect)
            {
                plan = plan with { Redirect = redirect is YamlScalarNode scalar && IsNull(scalar) ? null : Redirect(Mapping(redirect, field + ".redirect"), field + ".redirect") };
            }
            return plan;
        }

        private RedirectPlan? Redirect(YamlMappingNode? map, string field)
        {
            var plan = RedirectPlace(map, field);
            if (plan is null || Child(map, "preflight") is not { } preflight) return plan;
            if (plan.SchemeLocation is not null) throw Error(field + ".preflight", $"a redirect to a {plan.LocationScheme}: URL is not followed: there is no second URL to preflight");
            return plan with { Preflight = Response(Mapping(preflight, field + ".preflight"), field + ".preflight") };
        }

        private RedirectPlan? RedirectPlace(YamlMappingNode? map, string field)
        {
            if (map is null) return null;
            OnlyKeys(map, field + ".", "status", "to", "hops", "headers", "userinfo", "preflight", "location");
            var userinfo = Userinfo(map, field);
            (string, Place)[] places = [("page", Place.Page), ("same-origin", Place.Page), ("same-site", Place.SameSite), ("cross-site", Place.CrossSite), ("same-host", Place.SameHost)];
            var status = Int(map, "status", field + ".status", 302, 100, 999);
            var headers = Headers(map, "headers", field + ".headers", response: true);
            if (headers.Contains(HeaderNames.Location))
            {
                throw Error(field + ".headers.Location", "is written by the target from 'to' (each hop's URL); a Location of a case's own is not something the oracle can follow");
            }
            if (map.Children.TryGetValue(new YamlScalarNode("location"), out var locationNode)) return GivenLocation(map, locationNode, status, headers, field);
            if (map.Children.TryGetValue(new YamlScalarNode("to"), out var to) && to is YamlSequenceNode sequence)
            {
                // A chain: one hop a place, in order.
                if (map.Children.ContainsKey(new YamlScalarNode("hops"))) throw Error(field + ".hops", "is given by the length of the 'to' list: leave it out");
                if (sequence.Children.Count is < 1 or > 20) throw Error(field + ".to", $"lists {sequence.Children.Count} hops; a chain has 1 to 20");
                var chain = sequence.Children.Select((node, i) => node is YamlScalarNode { Value: { } word } && places.FirstOrDefault(p => p.Item1 == word) is { Item1: not null } place
                        ? place.Item2
                        : throw Error($"{field}.to[{i}]", $"'{(node as YamlScalarNode)?.Value ?? node.ToString()}' is not one of {string.Join(", ", places.Select(p => p.Item1))}"))
                    .ToList();
                return new RedirectPlan(status, chain[0], chain.Count, headers) { Chain = chain, Userinfo = userinfo };
            }
            if (String(map, "to", field + ".to") is { } url && url.Contains(':'))
            {
                // A URL of another scheme as the Location (data:, about:blank, blob:, ws:, …): HTTP-redirect fetch refuses any
                // scheme but http(s), so there is no second hop.
                var scheme = url[..url.IndexOf(':')];
                if (!UrlScheme().IsMatch(scheme)) throw Error(field + ".to", $"'{url}' is neither one of {string.Join(", ", places.Select(p => p.Item1))} nor a URL with a scheme");
                if (scheme.ToLowerInvariant() is "http" or "https") throw Error(field + ".to", $"'{url}' is an http(s) URL: a redirect to the reference servers is written with {string.Join(", ", places.Select(p => p.Item1))} (each hop's URL is the target's own)");
                if (map.Children.ContainsKey(new YamlScalarNode("hops"))) throw Error(field + ".hops", $"a redirect to a {scheme}: URL is a single hop: leave hops out");
                if (userinfo is not null) throw Error(field + ".userinfo", $"userinfo is put in the target's own http(s) Locations, not in a {scheme}: URL");
                if (!WireValue.IsPlain(url)) throw Error(field + ".to", $"a {scheme}: URL goes in the Location header as it stands: only tab, space and visible ASCII (percent-encode the rest)");
                return new RedirectPlan(status, Place.SameSite, 1, headers) { SchemeLocation = url };
            }
            return new RedirectPlan(status, Enum(map, "to", field + ".to", Place.SameSite, places), Int(map, "hops", field + ".hops", 1, 1, 21), headers) { Userinfo = userinfo };
        }
    }
}

/// <summary>A case file that cannot be read: names the file, the case and the field.</summary>
public sealed class CaseFileException(string file, string? caseId, string? field, string problem)
    : Exception($"{file}{(caseId is null ? "" : $": case '{caseId}'")}{(field is null ? "" : $": field '{field}'")} {problem}")
{
    public string File { get; } = file;

    public string? CaseId { get; } = caseId;

    public string? Field { get; } = field;
}
