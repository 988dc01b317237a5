using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CorsConformance.Specs.Catalog;

/// <summary>
/// What a YAML input file (a case file, a known-deviations file) may not do before it is loaded: nest collections deeper
/// than <see cref="MaxDepth"/> (YamlDotNet loads a node tree recursively: 100,000 `[` overflow the stack and kill the
/// process, which no catch can turn into an error), hold more than one document (the second would be ignored, silently),
/// carry a YAML tag (`!!binary`, `!!timestamp`, `!custom`: none is part of the format, and each was ignored),
/// or expand through aliases (`*name`) to more than <see cref="MaxNodes"/> nodes (a "billion laughs": a few lines that
/// every walk of the tree expands to 10⁹ nodes). Checked on the parser's events, which YamlDotNet reads without
/// recursion, before anything builds the tree.
/// </summary>
public static class YamlLimits
{
    /// <summary>The deepest nesting of lists and mappings, aliases expanded. The catalog's deepest is under 10.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes a file may expand to, aliases expanded. The whole catalog is a few thousand.</summary>
    public const long MaxNodes = 200_000;

    /// <summary>Where the file first breaks a limit, and which; null when it keeps them (a YAML syntax error is left to the
    /// loader, which reports it with its place).</summary>
    public static (Mark At, string Problem)? Check(string text)
    {
        if (Unprintable(text) is { } character) return character;
        var parser = new Parser(new StringReader(text));
        // Per anchor: the nodes it expands to and how deep it reaches below itself.
        var anchors = new Dictionary<string, (long Size, int Depth)>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Start, int Depth, int Deepest)>();
        long nodes = 0;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                // A tag was dropped without a word: `!!binary aGVsbG8=` was read as the text "aGVsbG8=", `!!timestamp`,
                // `!!int demo/a` and any `!custom` tag as plain text, so the file meant something its reader did not.
                if (current is NodeEvent { Tag.IsEmpty: false } tagged)
                {
                    return (current.Start, $"holds the YAML tag '{Written(tagged.Tag.Value)}': the format uses no tags (a value is read as plain text, so the tag would be ignored); write the value without it");
                }
                switch (current)
                {
                    case DocumentStart:
                        if (++documents > 1) return (current.Start, "holds more than one YAML document (`---`): a file is one document, the rest would be ignored");
                        break;
                    case AnchorAlias alias:
                        var (size, depth) = anchors.TryGetValue(alias.Value.Value, out var a) ? a : (1, 0);
                        nodes += size;
                        if (Reach(open.Count + depth) is { } deep) return (current.Start, deep);
                        break;
                    case Scalar scalar:
                        nodes++;
                        if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = (1, 0);
                        break;
                    case NodeEvent { } start and (SequenceStart or MappingStart):
                        open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes, open.Count + 1, open.Count + 1));
                        nodes++;
                        if (Reach(open.Count) is { } tooDeep) return (current.Start, tooDeep);
                        break;
                    case SequenceEnd or MappingEnd:
                        var closed = open.Pop();
                        if (closed.Anchor is { } name) anchors[name] = (nodes - closed.Start, closed.Deepest - closed.Depth + 1);
                        if (open.Count > 0)
                        {
                            var parent = open.Pop();
                            open.Push(parent with { Deepest = Math.Max(parent.Deepest, closed.Deepest) });
                        }
                        break;
                }
                if (nodes > MaxNodes) return (current.Start, $"expands to more than {MaxNodes:N0} nodes through its aliases (*name)");
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return null;
        }
        return null;

        // As the file wrote it: `!!binary`, not its expansion tag:yaml.org,2002:binary.
        static string Written(string tag) => tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..] : tag;

        string? Reach(int depth)
        {
            if (depth > MaxDepth) return $"nests lists and mappings deeper than {MaxDepth} levels{(depth > open.Count ? " (aliases expanded)" : "")}";
            if (open.Count > 0 && open.Peek().Deepest < depth)
            {
                var top = open.Pop();
                open.Push(top with { Deepest = depth });
            }
            return null;
        }
    }

    /// <summary>The first character YAML does not allow in a file (its c-printable: tab, line breaks, and printable
    /// characters; not NUL, the other C0 and C1 controls but NEL, DEL, U+FFFE, U+FFFF or a lone surrogate), with its place.
    /// YamlDotNet read a NUL as nothing: `X-A\0: b` became the header X-A, a case other than the file's bytes; a control
    /// character meant for a value is written escaped in a double-quoted string ("\u0001").</summary>
    private static (Mark At, string Problem)? Unprintable(string text)
    {
        long line = 1, column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var printable = c is '\t' or '\n' or '\r' or '\u0085' or (>= ' ' and <= '~') or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD')
                || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]));
            if (!printable)
            {
                var what = char.IsSurrogate(c) ? "a lone UTF-16 surrogate" : "a control character";
                return (new Mark(i, line, column), $"holds {what} (U+{(int)c:X4}), which a YAML file may not hold; a value that needs it writes it escaped in a double-quoted string (\"\\u{(int)c:X4}\")");
            }
            if (char.IsHighSurrogate(c)) i++;
            if (c == '\n') { line++; column = 1; }
            else column++;
        }
        return null;
    }
}
