using System.Text.RegularExpressions;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Watching;

/// <summary>
/// Which paths under a watched root matter: Go sources and module files, configured extensions and
/// every file the last build read (embedded files, cgo sources), outside the folders module discovery
/// skips (<c>.godebug</c>, <c>vendor</c>, <c>testdata</c>, dot folders ...) and outside excluded globs.
/// Editor scratch files never count.
/// </summary>
internal sealed class WatchFilter
{
    private static readonly HashSet<string> ModuleFiles = new(StringComparer.Ordinal) { "go.mod", "go.sum", "go.work", "go.work.sum" };
    private readonly IReadOnlyList<string> _roots;
    private readonly List<(Regex Pattern, bool ByPath)> _excludes;
    private readonly HashSet<string> _extensions;
    private volatile HashSet<string> _inputs = new(StringComparer.Ordinal);
    private volatile HashSet<string> _ignored = new(StringComparer.Ordinal);

    public WatchFilter(IReadOnlyList<string> roots, IReadOnlyList<string> excludeGlobs, IReadOnlyList<string> extensions)
    {
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToList();
        _excludes = excludeGlobs.Select(g => (ModuleDiscovery.Glob(g), g.Replace('\\', '/').Trim('/').Contains('/', StringComparison.Ordinal))).ToList();
        _extensions = extensions.Select(e => e.StartsWith('.') ? e : "." + e).Append(".go").ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The files the last build read; any of them (an embedded template, a .c file) is a change.</summary>
    public void SetBuildInputs(IEnumerable<string> files) => _inputs = files.ToHashSet(StringComparer.Ordinal);

    /// <summary>Files to ignore from now on (those a program keeps rewriting).</summary>
    public void Ignore(IEnumerable<string> files) => _ignored = _ignored.Concat(files).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when an editor writes <paramref name="name"/> as a scratch file, never as a source.</summary>
    public static bool IsEditorTemp(string name)
        => name.Length == 0
           || name.All(char.IsAsciiDigit) // vim's write probe: 4913, then 5036, 5159 ...
           || name.EndsWith('~')
           || name.StartsWith(".#", StringComparison.Ordinal)
           || name.EndsWith(".swp", StringComparison.Ordinal) || name.EndsWith(".swx", StringComparison.Ordinal) || name.EndsWith(".swo", StringComparison.Ordinal)
           || name.Contains("___jb_tmp___", StringComparison.Ordinal) || name.Contains("___jb_old___", StringComparison.Ordinal);

    /// <summary>False when <paramref name="path"/> lies in a skipped or excluded folder, or outside every root.</summary>
    public bool IsWatchedLocation(string path)
    {
        var root = _roots.FirstOrDefault(r => FileSystem.PathChecks.IsUnder(path, r));
        if (root is null) return false;
        var relative = ModuleDiscovery.Relative(root, path);
        if (relative == ".") return true;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (ModuleDiscovery.IsSkippedDirectory(parts[i])) return false;
        }

        // A glob excludes a folder and everything under it: match it against every leading part of the path.
        return !_excludes.Any(g => g.ByPath
            ? Enumerable.Range(1, parts.Length).Any(n => g.Pattern.IsMatch(string.Join('/', parts.Take(n))))
            : parts.Any(g.Pattern.IsMatch));
    }

    /// <summary>
    /// True when a change of <paramref name="path"/> can change a build. A folder counts (a rename or
    /// delete moves every source in it); so does a vanished name without an extension, which may have been one.
    /// </summary>
    public bool IsRelevant(string path, bool? isDirectory = null)
    {
        var name = Path.GetFileName(path);
        if (IsEditorTemp(name) || !IsWatchedLocation(path) || _ignored.Contains(path)) return false;
        var directory = isDirectory ?? Directory.Exists(path);
        if (directory) return !ModuleDiscovery.IsSkippedDirectory(name);
        // go ignores files whose names start with . or _, so editors' hidden scratch copies do not count either.
        if (name.StartsWith('.') || name.StartsWith('_')) return false;
        if (ModuleFiles.Contains(name) || _extensions.Contains(Path.GetExtension(name)) || _inputs.Contains(path)) return true;
        return isDirectory is null && Path.GetExtension(name).Length == 0 && !File.Exists(path);
    }
}
