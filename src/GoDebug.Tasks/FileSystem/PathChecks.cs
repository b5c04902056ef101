namespace GoDebug.Tasks.FileSystem;

/// <summary>Comparisons of paths as the file system sees them (full, without a trailing separator, case-sensitive).</summary>
internal static class PathChecks
{
    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies below it.</summary>
    public static bool IsUnder(string path, string directory)
    {
        var full = Normalize(path);
        var dir = Normalize(directory);
        return full == dir || full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>True when both name the same folder or file (not following links).</summary>
    public static bool SamePath(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
