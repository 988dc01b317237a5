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

    /// <summary>The most an input file may hold. The largest report.json of the whole catalog in every engine is a few
    /// megabytes; a device that never ends (/dev/zero, or a link to it in a --history folder) was read until the process
    /// died of "Out of memory" (exit 134).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>How long opening the file may take: a named pipe (FIFO) that no program writes to blocks open() for ever,
    /// and one named *.json in a --history folder hung the command.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);

    /// <exception cref="InputFileException">The file does not exist, is a folder, cannot be read, or is not UTF-8: the file and the line named.</exception>
    public static string Read(string path)
    {
        if (Directory.Exists(path)) throw new InputFileException($"{path}: is a folder, not a file");
        if (!File.Exists(path)) throw new InputFileException($"{path}: the file does not exist");
        var bytes = ReadBounded(path);
        // UTF-32 and UTF-16 by their marks, strictly too: a StreamReader turned a lone surrogate or a cut last character
        // into U+FFFD without a word, as File.ReadAllText does with bytes that are not UTF-8.
        (Encoding Encoding, int Mark, string Name)? wide = bytes switch
        {
            [0xFF, 0xFE, 0, 0, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32"),
            [0, 0, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32"),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16"),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16"),
            _ => null,
        };
        if (wide is var (encoding, mark, name))
        {
            try
            {
                return encoding.GetString(bytes, mark, bytes.Length - mark);
            }
            catch (DecoderFallbackException e)
            {
                var at = mark + Math.Max(0, e.Index);
                throw new InputFileException($"{path}: the bytes at offset {at} are not {name} (its byte order mark says {name}; a lone surrogate or a cut last character); save the file as UTF-8", e);
            }
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

    /// <summary>Why a file another reader will read (System.CommandLine's response file, @FILE) cannot be read whole, or
    /// null: it does not open within <see cref="OpenTimeout"/> (a named pipe no program writes to), it is larger than
    /// <see cref="MaxBytes"/>, or it says it is empty but yields bytes (a device such as /dev/zero, which that reader
    /// read until it died, exit 134). A pipe that does open is left unread for the reader.</summary>
    public static string? NotReadableWhole(string path)
    {
        var open = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1));
        try
        {
            if (!open.Wait(OpenTimeout)) return $"it did not open within {OpenTimeout.TotalSeconds:0} s (a named pipe no program writes to?)";
            using var stream = open.Result;
            if (!stream.CanSeek) return null;
            if (stream.Length > MaxBytes) return $"it holds more than {MaxBytes / (1024 * 1024)} MiB";
            return stream.Length == 0 && stream.ReadByte() >= 0 ? "it is a device that never ends (such as /dev/zero), not a file" : null;
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            return e.InnerException.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>The file's bytes, at most <see cref="MaxBytes"/>, from a file that opens within <see cref="OpenTimeout"/>.</summary>
    private static byte[] ReadBounded(string path)
    {
        // Opened on another thread: .NET cannot ask whether a path is a FIFO, and opening one without a writer never
        // returns. The thread left waiting on such a pipe ends with the process.
        var open = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan));
        try
        {
            if (!open.Wait(OpenTimeout))
            {
                throw new InputFileException($"{path}: cannot be read: it did not open within {OpenTimeout.TotalSeconds:0} s (a named pipe no program writes to?); give a regular file");
            }
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{path}: cannot be read: {e.InnerException.Message}", e.InnerException);
        }
        using var stream = open.Result;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new InputFileException($"{path}: holds more than {MaxBytes / (1024 * 1024)} MiB (a device that never ends, such as /dev/zero?); no input file of the suite is that large");
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{path}: cannot be read: {e.Message}", e);
        }
        return buffer.ToArray();
    }
}
