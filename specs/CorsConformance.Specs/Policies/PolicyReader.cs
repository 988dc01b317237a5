using System.Text.Json;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// Reads and checks a policy file (JSON). Every error names the file and the field. Text in, policy out: the caller reads
/// the file. The schema is documented in README.md ("Server under test").
/// </summary>
public static class PolicyReader
{
    private static readonly string[] Fields =
        ["$schema", "resources", "allowedOrigins", "allowedMethods", "allowedHeaders", "exposedHeaders", "allowCredentials", "maxAge", "disallowedOrigin"];

    public static CorsPolicy Read(string json, string fileName)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
        }
        catch (JsonException e)
        {
            throw new PolicyException(fileName, null, $"is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new PolicyException(fileName, null, "must be a JSON object");
        foreach (var property in root.EnumerateObject())
        {
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
        var headers = Strings(root, "allowedHeaders", fileName, required: false);
        var exposed = Strings(root, "exposedHeaders", fileName, required: false);
        foreach (var name in headers.Concat(exposed).Where(h => h != "*" && !Fetch.Http.IsToken(h)))
        {
            throw new PolicyException(fileName, headers.Contains(name) ? "allowedHeaders" : "exposedHeaders", $"'{name}' is not a header name");
        }
        var resources = Strings(root, "resources", fileName, required: false);
        foreach (var resource in resources.Where(r => !Uri.TryCreate(r, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
        {
            throw new PolicyException(fileName, "resources", $"'{resource}' is not an absolute http(s) URL");
        }
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
        return new CorsPolicy(resources, rules, anyOrigin, methods, headers, exposed, credentials, maxAge, disallowed);
    }

    private static IReadOnlyList<string> Strings(JsonElement root, string field, string fileName, bool required)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            return required ? throw new PolicyException(fileName, field, "is required") : [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new PolicyException(fileName, field, "must be a list of strings");
        }
        var list = value.EnumerateArray().Select(v => v.GetString()!).ToList();
        if (required && list.Count == 0) throw new PolicyException(fileName, field, "must not be empty");
        return list;
    }
}

/// <summary>A policy file that cannot be used: names the file and the field.</summary>
public sealed class PolicyException(string file, string? field, string problem)
    : Exception($"{file}{(field is null ? "" : $": field '{field}'")} {problem}")
{
    public string File { get; } = file;

    public string? Field { get; } = field;
}
