namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>
/// Text that quotes a server's bytes, kept to a size a reader can take in: a line past <see cref="MaxLine"/> characters
/// keeps its first <see cref="KeptOfLongLine"/> and says how many more there were. A server answering a 100 KB
/// Access-Control-Allow-Origin (raw-socket stand-in, 2026-12-07) made each failure of the server-under-test run quote it in
/// the standard's reason, the evidence and the browser's words — 1.2 MB of test output for six failures — and the audit's
/// reason 100 KB on one line. The verdict was right; the evidence could not be read.
/// </summary>
public static class BoundedText
{
    /// <summary>The longest line kept whole (no line of the suite's own words comes near it).</summary>
    public const int MaxLine = 4096;

    /// <summary>How much of a longer line is kept.</summary>
    public const int KeptOfLongLine = 1024;

    /// <summary><paramref name="text"/> with every line past <see cref="MaxLine"/> characters cut to its first
    /// <see cref="KeptOfLongLine"/>, followed by "… (N more characters of this line not shown)".</summary>
    public static string Of(string text)
    {
        if (text.Length <= MaxLine) return text;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > MaxLine)
            {
                lines[i] = lines[i][..KeptOfLongLine] + $"… ({lines[i].Length - KeptOfLongLine:N0} more characters of this line not shown)";
            }
        }
        return string.Join('\n', lines);
    }
}
