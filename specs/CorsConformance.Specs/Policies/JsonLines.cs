using System.Text;
using System.Text.Json;

namespace CorsConformance.Specs.Policies;

/// <summary>
/// The line each value of a JSON text starts on, by its path (`resources[1].path`, `engines[0].summary`): JsonDocument
/// keeps no positions, so an error found after parsing named the field but not the line the README promises. Names match
/// regardless of case (a report is read so).
/// </summary>
public sealed class JsonLines
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    private JsonLines() { }

    /// <summary>The lines of <paramref name="json"/>; empty when it does not parse (its syntax error has its own line).</summary>
    /// <summary>The line of the first lone UTF-16 surrogate of a JSON text, or null: text that is no text, which
    /// JsonDocument.Parse(string) answers with an ArgumentException rather than a JsonException.</summary>
    public static int? LoneSurrogate(string json)
    {
        var line = 1;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '\n') line++;
            else if (char.IsHighSurrogate(c) && i + 1 < json.Length && char.IsLowSurrogate(json[i + 1])) i++;
            else if (char.IsSurrogate(c)) return line;
        }
        return null;
    }

    public static JsonLines Of(string json)
    {
        var lines = new JsonLines();
        var bytes = Encoding.UTF8.GetBytes(json);
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        }
        int Line(long offset)
        {
            var at = starts.BinarySearch((int)offset);
            return (at >= 0 ? at : ~at - 1) + 1;
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 });
        // Per open container: its path, and the next index (arrays) or the name just read (objects).
        var open = new Stack<(string Path, bool Array, int Next, string? Name)>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var top = open.Pop();
                    open.Push(top with { Name = reader.GetString() });
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    open.Pop();
                    continue;
                }
                var path = "";
                if (open.Count > 0)
                {
                    var parent = open.Pop();
                    path = parent.Array ? $"{parent.Path}[{parent.Next}]" : parent.Path.Length == 0 ? parent.Name ?? "" : $"{parent.Path}.{parent.Name}";
                    open.Push(parent.Array ? parent with { Next = parent.Next + 1 } : parent);
                }
                lines._lines.TryAdd(path, Line(reader.TokenStartIndex));
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) open.Push((path, reader.TokenType == JsonTokenType.StartArray, 0, null));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // What was read so far is still right; the rest has no line.
        }
        return lines;
    }

    /// <summary>The line <paramref name="path"/> starts on, or that of its nearest parent that has one.</summary>
    public int? Line(string path)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (_lines.TryGetValue(p, out var line)) return line;
            if (p.Length == 0) return null;
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
