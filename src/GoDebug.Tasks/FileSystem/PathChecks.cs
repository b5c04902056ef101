namespace GoDebug.Tasks.FileSystem;

/// <summary>Comparisons of paths as the file system sees them (full, without a trailing separator, case-sensitive).</summary>
internal static class PathChecks
{
    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies below it.</summary>
    public static bool IsUnder(string path, string directory)
    {
        var full = Normalize(path);
        var dir = Normalize(directory);
        // A file-system root keeps its separator after trimming ("/"), so it is the prefix as it is.
        var prefix = dir.EndsWith(Path.DirectorySeparatorChar) ? dir : dir + Path.DirectorySeparatorChar;
        return full == dir || full.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>True when both name the same folder or file (not following links).</summary>
    public static bool SamePath(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
