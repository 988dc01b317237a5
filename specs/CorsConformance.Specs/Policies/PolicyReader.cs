using System.Text.Json;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// Reads and checks a policy file (JSON). Every error names the file and the field. Text in, policy out: the caller reads
/// the file. The schema is documented in docs/server-under-test.md.
/// </summary>
public static partial class PolicyReader
{
    private static readonly string[] Fields =
        ["$schema", "resources", "allowedOrigins", "allowedMethods", "allowedHeaders", "exposedHeaders", "allowCredentials", "maxAge", "disallowedOrigin"];

    /// <summary>The most characters of an origin, a method or a header name in a policy's lists.</summary>
    public const int MaxNameLength = 1_024;

    /// <summary>The most origins, and the most routes, a policy lists.</summary>
    public const int MaxEntries = 1_000;

    /// <summary>The most route × origin pairs a policy makes (each some forty browser calls), as a case file holds at most
    /// 10,000 cases.</summary>
    public const int MaxRouteOrigins = 10_000;

    public static CorsPolicy Read(string json, string fileName)
    {
        try
        {
            return ReadFields(json, fileName);
        }
        catch (PolicyException e) when (e.Field is not null && e.Line is null && JsonLines.Of(json).Line(e.Field) is { } line)
        {
            // The field's line, as the README promises for every bad input: a field alone left a long policy to be searched.
            throw new PolicyException(e.File, e.Field, e.Problem, line);
        }
    }

    private static CorsPolicy ReadFields(string json, string fileName)
    {
        // JsonDocument.Parse(string) threw ArgumentException ("Cannot transcode invalid UTF-16") on a raw lone surrogate.
        if (JsonLines.LoneSurrogate(json) is { } at) throw new PolicyException(fileName, null, $"is not text: a lone UTF-16 surrogate at line {at}");
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
        }
        catch (JsonException e)
        {
            // System.Text.Json's message ends with its own 0-based " LineNumber: 1 | BytePositionInLine: 0.", which read as
            // another line than the one named here.
            var why = e.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0].TrimEnd('.', ' ');
            throw new PolicyException(fileName, null, $"is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): {why}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new PolicyException(fileName, null, "must be a JSON object");
        // "\ud800" parses as JSON but is no text: reading it threw InvalidOperationException out of the reader (a stack trace).
        if (LoneSurrogate(root, "") is { } broken)
        {
            throw new PolicyException(fileName, broken.Length == 0 ? null : broken, "holds a lone surrogate (a \\uD800–\\uDFFF escape without its pair), which is no text");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            // A field twice ("allowCredentials": false, … "allowCredentials": true) is refused: the last silently won.
            if (!seen.Add(property.Name)) throw new PolicyException(fileName, property.Name, "is given twice");
            if (!Fields.Contains(property.Name))
            {
                throw new PolicyException(fileName, property.Name, $"is not a known field; expected one of: {string.Join(", ", Fields.Skip(1))}");
            }
        }

        var origins = Strings(root, "allowedOrigins", fileName, required: true);
        var anyOrigin = origins.Contains("*");
        var rules = new List<OriginRule>();
        foreach (var origin in origins.Where(o => o != "*"))
        {
            if (OriginSyntax.Problem(origin, pattern: true) is { } problem)
            {
                throw new PolicyException(fileName, "allowedOrigins", $"'{origin}' is not a serialized origin (scheme://host[:port]), a pattern scheme://*.domain, or *: {problem}");
            }
            rules.Add(new OriginRule(origin));
        }
        var methods = Strings(root, "allowedMethods", fileName, required: false);
        foreach (var method in methods.Where(m => !Fetch.Http.IsToken(m)))
        {
            throw new PolicyException(fileName, "allowedMethods", $"'{method}' is not a method token");
        }
        Once(origins, "allowedOrigins", fileName);
        Once(methods, "allowedMethods", fileName);
        var headers = Strings(root, "allowedHeaders", fileName, required: false);
        var exposed = Strings(root, "exposedHeaders", fileName, required: false);
        foreach (var name in headers.Concat(exposed).Where(h => h != "*" && !Fetch.Http.IsToken(h)))
        {
            throw new PolicyException(fileName, headers.Contains(name) ? "allowedHeaders" : "exposedHeaders", $"'{name}' is not a header name");
        }
        Once(headers, "allowedHeaders", fileName);
        Once(exposed, "exposedHeaders", fileName);
        var credentials = root.TryGetProperty("allowCredentials", out var c)
            ? c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : throw new PolicyException(fileName, "allowCredentials", "must be true or false")
            : false;
        if (credentials && anyOrigin)
        {
            throw new PolicyException(fileName, "allowedOrigins", "'*' cannot be combined with allowCredentials: browsers never share a credentialed response with Access-Control-Allow-Origin: * — list the origins");
        }
        long? maxAge = root.TryGetProperty("maxAge", out var m)
            ? m.ValueKind == JsonValueKind.Number && m.TryGetInt64(out var seconds) && seconds >= 0 ? seconds : throw new PolicyException(fileName, "maxAge", "must be a whole number of seconds, 0 or more")
            : null;
        var disallowed = root.TryGetProperty("disallowedOrigin", out var d)
            ? d.ValueKind != JsonValueKind.String ? throw new PolicyException(fileName, "disallowedOrigin", "must be a serialized origin (a string)")
            : OriginSyntax.Problem(d.GetString()!, pattern: false) is { } wrong ? throw new PolicyException(fileName, "disallowedOrigin", $"'{d.GetString()}' is not a serialized origin: {wrong}")
            : d.GetString()!
            : CorsPolicy.DefaultDisallowedOrigin;
        if (rules.Any(r => r.Matches(disallowed)) || anyOrigin && root.TryGetProperty("disallowedOrigin", out _))
        {
            throw new PolicyException(fileName, "disallowedOrigin", $"'{disallowed}' is allowed by allowedOrigins, so it cannot probe a refusal");
        }
        var routes = Routes(root, fileName);
        // Each route is tried from each origin (some forty browser calls each, forged origins included): a policy of
        // 10,000 origins made 250,000 cases and stalled test discovery for two minutes. Bounded as a case file is.
        if (origins.Count > MaxEntries) throw new PolicyException(fileName, "allowedOrigins", $"lists {origins.Count:N0} origins: at most {MaxEntries:N0}");
        if (routes.Count > MaxEntries) throw new PolicyException(fileName, "resources", $"lists {routes.Count:N0} routes: at most {MaxEntries:N0}");
        if ((long)Math.Max(1, routes.Count) * Math.Max(1, origins.Count) > MaxRouteOrigins)
        {
            throw new PolicyException(fileName, "resources", $"{routes.Count:N0} routes, each tried from {origins.Count:N0} origins (allowedOrigins), make "
                + $"{(long)routes.Count * origins.Count:N0} pairs of some forty browser calls each: at most {MaxRouteOrigins:N0} pairs — split the policy into files run one at a time");
        }
        return new CorsPolicy(routes, rules, anyOrigin, methods, headers, exposed, credentials, maxAge, disallowed);
    }

    /// <summary>`resources`: each a path or an absolute http(s) URL, or an object { "path": …, "allowedMethods": [...] }.</summary>
    private static IReadOnlyList<PolicyRoute> Routes(JsonElement root, string fileName)
    {
        if (!root.TryGetProperty("resources", out var value)) return [];
        if (value.ValueKind != JsonValueKind.Array) throw new PolicyException(fileName, "resources", "must be a list of routes (a path such as \"/api/items\", an absolute http(s) URL, or { \"path\": …, \"allowedMethods\": [...] })");
        var routes = new List<PolicyRoute>();
        var index = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var field = $"resources[{index++}]";
            PolicyRoute route;
            if (entry.ValueKind == JsonValueKind.String)
            {
                route = new PolicyRoute(entry.GetString()!);
            }
            else if (entry.ValueKind == JsonValueKind.Object)
            {
                if (entry.EnumerateObject().GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    throw new PolicyException(fileName, $"{field}.{twice.Key}", "is given twice");
                }
                foreach (var property in entry.EnumerateObject().Where(p => p.Name is not ("path" or "allowedMethods")))
                {
                    throw new PolicyException(fileName, $"{field}.{property.Name}", "is not a known field of a route; expected path, allowedMethods");
                }
                if (!entry.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String)
                {
                    throw new PolicyException(fileName, $"{field}.path", "is required: the route's path (\"/api/items\") or absolute http(s) URL, a string");
                }
                IReadOnlyList<string>? methods = null;
                if (entry.TryGetProperty("allowedMethods", out _))
                {
                    methods = Strings(entry, "allowedMethods", fileName, required: false, $"{field}.allowedMethods");
                    foreach (var method in methods.Where(m => !Fetch.Http.IsToken(m)))
                    {
                        throw new PolicyException(fileName, $"{field}.allowedMethods", $"'{method}' is not a method token");
                    }
                    Once(methods, $"{field}.allowedMethods", fileName);
                }
                route = new PolicyRoute(path.GetString()!, methods);
            }
            else
            {
                throw new PolicyException(fileName, field, "must be a path, an absolute http(s) URL, or { \"path\": …, \"allowedMethods\": [...] }");
            }
            var where = entry.ValueKind == JsonValueKind.Object ? field + ".path" : field;
            // An http(s) URL .NET cannot parse (a space or an empty label in the host) was said to be no path: the reason.
            if (!route.IsAbsolute && HttpScheme().IsMatch(route.Path) && ResourceUrl.Problem(route.Path, out _) is { } unparsed)
            {
                throw new PolicyException(fileName, where, unparsed);
            }
            if (!route.IsAbsolute && (!route.Path.StartsWith('/') || route.Path.StartsWith("//", StringComparison.Ordinal) || !Uri.TryCreate(route.Path, UriKind.Relative, out _)))
            {
                throw new PolicyException(fileName, where, $"'{route.Path}' is neither a path starting with / nor an absolute http(s) URL");
            }
            // A NUL or a line break in a path was taken, to be sent in a request line no server reads as the route.
            if (route.Path.Any(char.IsControl))
            {
                throw new PolicyException(fileName, where, $"'{string.Concat(route.Path.Select(ch => char.IsControl(ch) ? $"\\x{(int)ch:x2}" : ch.ToString()))}' holds a control character (NUL, a line break…), which no request line carries");
            }
            // An invisible one (U+FEFF, a zero-width space, a right-to-left override) named a route, and its cases, that read
            // the same as another's in every report; a browser sends it percent-encoded, as the policy can write it.
            if (route.Path.FirstOrDefault(ch => char.GetUnicodeCategory(ch) is System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator) is var invisible and not '\0')
            {
                var encoded = string.Concat(System.Text.Encoding.UTF8.GetBytes(invisible.ToString()).Select(b => $"%{b:X2}"));
                throw new PolicyException(fileName, where, $"holds U+{(int)invisible:X4}, a character that renders as nothing or as other text: if the route has it, write it percent-encoded ({encoded}), as a browser sends it");
            }
            if (route.Path.Contains('#')) throw new PolicyException(fileName, where, $"'{route.Path}' has a fragment, which is never sent to a server");
            if (route.IsAbsolute && ResourceUrl.Problem(new Uri(route.Path)) is { } problem) throw new PolicyException(fileName, where, problem);
            if (routes.Any(r => r.Path == route.Path)) throw new PolicyException(fileName, where, $"'{route.Path}' is listed twice");
            routes.Add(route);
        }
        return routes;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^https?://", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex HttpScheme();

    /// <summary>The path of the first string or name holding a lone surrogate ("" for the root), or null.</summary>
    private static string? LoneSurrogate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try { element.GetString(); }
                catch (InvalidOperationException) { return path; }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (LoneSurrogate(item, $"{path}[{index++}]") is { } at) return at;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return path.Length == 0 ? "(a field name)" : path + ".(a field name)"; }
                    if (LoneSurrogate(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } at) return at;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The list, refused at its first entry that repeats an earlier one whatever its case. An entry twice made two
    /// cases of one id ("PUT" and "put", "X-Request-Id" and "x-request-id"), and the run's verdicts, keyed by id, ended in
    /// "An item with the same key has already been added" in every engine. Checked after each entry's own syntax.</summary>
    private static IReadOnlyList<string> Once(IReadOnlyList<string> list, string name, string fileName)
    {
        for (var i = 1; i < list.Count; i++)
        {
            var first = list.Take(i).ToList().FindIndex(e => string.Equals(e, list[i], StringComparison.OrdinalIgnoreCase));
            if (first >= 0)
            {
                throw new PolicyException(fileName, $"{name}[{i}]", $"'{list[i]}' is listed twice{(list[first] == list[i] ? "" : $" (as '{list[first]}')")}: name each once (names are matched whatever their case)");
            }
        }
        return list;
    }

    private static IReadOnlyList<string> Strings(JsonElement root, string field, string fileName, bool required, string? name = null)
    {
        name ??= field;
        if (!root.TryGetProperty(field, out var value))
        {
            return required ? throw new PolicyException(fileName, name, "is required") : [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new PolicyException(fileName, name, "must be a list of strings");
        }
        var list = value.EnumerateArray().Select(v => v.GetString()!).ToList();
        if (required && list.Count == 0) throw new PolicyException(fileName, name, "must not be empty");
        // A method or header name of 100,000 characters was taken (the mutation sweep), to be sent in a preflight whose
        // refusal by the server's own size limits (nginx: 8 KiB a header line) would read as the policy not kept.
        if (list.Select((entry, i) => (entry, i)).FirstOrDefault(x => x.entry.Length > MaxNameLength) is { entry: { } longest, i: var at })
        {
            throw new PolicyException(fileName, $"{name}[{at}]", $"'{longest[..40]}…' is {longest.Length:N0} characters long: at most {MaxNameLength:N0}, which a server's own limits on a request's head let through");
        }
        return list;
    }
}

/// <summary>A policy file that cannot be used: names the file and the field.</summary>
public sealed class PolicyException(string file, string? field, string problem, int? line = null)
    : Exception($"{file}{(field is null ? "" : $": field '{field}'")}{(line is { } at ? $" (line {at})" : "")} {problem}")
{
    public string File { get; } = file;

    public string? Field { get; } = field;

    public string Problem { get; } = problem;

    /// <summary>The line the field starts on, where the reader could tell.</summary>
    public int? Line { get; } = line;

    /// <summary>None: a bad policy is a bad input, and the message names the file and the field (a team's test run, which
    /// reads the policy in its own fixture, printed the suite's frames under it).</summary>
    public override string? StackTrace => null;
}
