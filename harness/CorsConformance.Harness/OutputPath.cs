namespace CorsConformance.Harness;

/// <summary>
/// Where a command writes (--out, --sarif): checked before anything runs, so a folder given where a file is needed (or a
/// file where a folder is) is exit 2 at once rather than a stack trace after a run of minutes; and written so that an
/// error (a read-only file system, a full disk) is that same exit 2, naming the path, with no file of the set left behind.
/// </summary>
public static class OutputPath
{
    /// <summary>A file to write: not empty, not a folder, and under no file.</summary>
    /// <exception cref="InputFileException">The path cannot be a file: the option and the path named.</exception>
    public static void CheckFile(string path, string option)
    {
        Check(path, option);
        if (Directory.Exists(path)) throw new InputFileException($"{path}: {option} names a folder; it needs a file to write");
        // A folder that does not exist yet (`results/`): `run` ran every engine and then failed on "Access to the path is
        // denied", its results lost; `audit` after every probe (hostile-input round 3).
        if (path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar) || Path.GetFileName(path) is "." or "..")
        {
            throw new InputFileException($"{path}: {option} names a folder (the path ends in a separator or a dot); it needs a file to write");
        }
        CheckParents(Path.GetDirectoryName(Path.GetFullPath(path)), path, option);
    }

    /// <summary>A folder to write <paramref name="files"/> into: not a file, under no file, and none of the files a folder.</summary>
    /// <exception cref="InputFileException">The path cannot be that folder: the option and the path named.</exception>
    public static void CheckFolder(string folder, string option, params string[] files)
    {
        Check(folder, option);
        if (File.Exists(folder)) throw new InputFileException($"{folder}: {option} names a file; it needs a folder to write {string.Join(", ", files)} into");
        CheckParents(Path.GetDirectoryName(Path.GetFullPath(folder)), folder, option);
        foreach (var file in files.Select(f => Path.Combine(folder, f)).Where(Directory.Exists))
        {
            throw new InputFileException($"{file}: is a folder, so {option} {folder} cannot hold the file of that name");
        }
    }

    /// <summary>Writes every file or none: one that fails (its path and why named) removes those written before it.</summary>
    /// <exception cref="InputFileException">A file could not be written.</exception>
    public static async Task WriteAllAsync(IReadOnlyList<(string Path, string Text)> files)
    {
        var written = new List<string>();
        // The folders that do not exist yet: made here, and removed again if nothing could be written into them.
        var made = files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f.Path))).OfType<string>().Distinct().Where(d => !Directory.Exists(d)).ToList();
        try
        {
            foreach (var (path, text) in files)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent) Directory.CreateDirectory(parent);
                await File.WriteAllTextAsync(path, text);
                written.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in written) File.Delete(path);
            foreach (var folder in made.Where(d => Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any())) Directory.Delete(folder);
            var failed = files[written.Count].Path;
            throw new InputFileException($"{failed}: cannot be written: {e.Message}", e);
        }
    }

    private static void Check(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputFileException($"{option} is empty: give a path");
        if (path.IndexOfAny([.. Path.GetInvalidPathChars()]) >= 0) throw new InputFileException($"{option} '{path}' holds a character no path may hold (a NUL byte?)");
    }

    /// <summary>The nearest ancestor that exists must be a folder: under a file, nothing can be made.</summary>
    private static void CheckParents(string? parent, string path, string option)
    {
        for (var at = parent; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) throw new InputFileException($"{path}: {option} lies under {at}, which is a file, not a folder");
            if (Directory.Exists(at)) return;
        }
    }
}
