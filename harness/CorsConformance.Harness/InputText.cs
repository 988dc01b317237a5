using System.Text;

namespace CorsConformance.Harness;

/// <summary>
/// Reads an input file's text (a case file, a known-deviations file, a report.json) strictly: bytes that are not UTF-8
/// are refused with their line, where File.ReadAllText would turn them into U+FFFD silently and a header value, an id or
/// a reason would carry a character the file never held. A UTF-8 byte order mark is skipped; a UTF-16 or UTF-32 file
/// with its mark is read as that encoding.
/// </summary>
public static class InputText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="InputFileException">The file does not exist, is a folder, cannot be read, or is not UTF-8: the file and the line named.</exception>
    public static string Read(string path)
    {
        if (Directory.Exists(path)) throw new InputFileException($"{path}: is a folder, not a file");
        if (!File.Exists(path)) throw new InputFileException($"{path}: the file does not exist");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{path}: cannot be read: {e.Message}", e);
        }
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0, 0, 0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        try
        {
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var at = start + Math.Max(0, e.Index);
            var line = 1 + bytes.AsSpan(0, Math.Min(at, bytes.Length)).Count((byte)'\n');
            throw new InputFileException($"{path}: line {line}: byte 0x{bytes[Math.Min(at, bytes.Length - 1)]:X2} (offset {at}) is not UTF-8; save the file as UTF-8", e);
        }
    }
}
