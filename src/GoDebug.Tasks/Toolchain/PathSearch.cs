namespace GoDebug.Tasks.Toolchain;

/// <summary>Finds executables the way a shell would, following links to the real file.</summary>
internal static class PathSearch
{
    public static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    /// <summary>Every <paramref name="name"/> on PATH (or on <paramref name="pathVariable"/> when given), in PATH order.</summary>
    public static IEnumerable<string> OnPath(string name, string? pathVariable = null)
        => (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, ExecutableName(name)))
            .Where(File.Exists);

    /// <summary>
    /// The file a link chain ends at: Debian's /usr/bin/go links to /usr/lib/go-1.19/bin/go, and GOROOT
    /// must come from the real location, not /usr.
    /// </summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var final = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        return final is null ? full : Path.GetFullPath(final.FullName);
    }
}
