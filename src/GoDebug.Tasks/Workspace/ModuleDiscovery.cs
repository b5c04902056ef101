using System.IO.Enumeration;
using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// Finds every go.mod under a root. Skips what the go command skips when matching packages
/// (<c>vendor</c>, <c>testdata</c>, names starting with <c>.</c> or <c>_</c>), the usual build
/// output and tool folders (<c>node_modules</c>, <c>bin</c>, <c>obj</c>) and user globs. A directory
/// link is followed only when it resolves inside the root and to a folder not visited yet, so links
/// never lead out of the tree or round in a loop.
/// </summary>
internal static class ModuleDiscovery
{
    private static readonly HashSet<string> SkippedNames = new(StringComparer.Ordinal) { "vendor", "testdata", "node_modules", "bin", "obj" };

    /// <summary>True for a folder name discovery never enters (the watcher skips the same ones).</summary>
    internal static bool IsSkippedDirectory(string name) => SkippedNames.Contains(name) || name.StartsWith('.') || name.StartsWith('_');

    /// <summary>Absolute directories holding a go.mod, sorted ordinally by their path relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Find(string root, IReadOnlyList<string> excludeGlobs, IGoDebugLog? log, CancellationToken cancellationToken)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(fullRoot)) throw new GoDebugException($"Workspace folder '{fullRoot}' does not exist (set the workspace path).");
        var excludes = excludeGlobs.Select(g => (Pattern: Glob(g), ByPath: g.Replace('\\', '/').Trim('/').Contains('/', StringComparison.Ordinal))).ToList();
        var realRoot = RealPath(fullRoot);
        var visited = new HashSet<string>(StringComparer.Ordinal) { realRoot };
        var found = new List<string>();
        var pending = new Stack<(string Dir, string Relative, string Real)>();
        pending.Push((fullRoot, string.Empty, realRoot));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (dir, relative, real) = pending.Pop();
            try
            {
                foreach (var (name, isLink) in Entries(dir))
                {
                    if (name is null)
                    {
                        found.Add(dir);
                        continue;
                    }

                    if (IsSkippedDirectory(name)) continue;
                    var childRelative = relative.Length == 0 ? name : relative + "/" + name;
                    if (excludes.Any(g => g.Pattern.IsMatch(g.ByPath ? childRelative : name)))
                    {
                        log?.Verbose($"Skipping {childRelative} (excluded by a setting).");
                        continue;
                    }

                    // Without links a child's real path is its parent's plus its name; only links need resolving.
                    var childPath = Path.Combine(dir, name);
                    var childReal = isLink ? RealPath(childPath) : Path.Combine(real, name);
                    if (isLink && (!PathChecks.IsUnder(childReal, realRoot) || !Directory.Exists(childReal)))
                    {
                        log?.Verbose($"Skipping link {childRelative} -> {childReal} (outside the workspace).");
                        continue;
                    }

                    if (!visited.Add(childReal))
                    {
                        log?.Verbose($"Skipping {childRelative} -> {childReal} (already visited).");
                        continue;
                    }

                    pending.Push((childPath, childRelative, childReal));
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or DirectoryNotFoundException)
            {
                log?.Warning($"Cannot read {dir}: {ex.Message}; skipped.");
            }
        }

        return found.OrderBy(d => Relative(fullRoot, d), StringComparer.Ordinal).ToList();
    }

    private static readonly EnumerationOptions Listing = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    /// <summary>
    /// Sub-folders (name, is a link) and a (null, false) entry when the folder holds a go.mod. A raw
    /// enumeration: no FileSystemInfo per entry, and the link flag comes with the listing instead of a
    /// readlink per folder; 2,000 modules make that the difference.
    /// </summary>
    private static FileSystemEnumerable<(string? Name, bool IsLink)> Entries(string dir)
        => new(dir, (ref FileSystemEntry e) => e.IsDirectory ? (e.FileName.ToString(), (e.Attributes & FileAttributes.ReparsePoint) != 0) : (null, false), Listing)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.IsDirectory || e.FileName.SequenceEqual("go.mod"),
        };

    /// <summary>
    /// The .go files (tests included) of a module's packages as a <c>./...</c> pattern sees them, relative
    /// to <paramref name="moduleDirectory"/> with forward slashes and sorted: folders named <c>testdata</c> or
    /// <c>vendor</c> or starting with <c>.</c>/<c>_</c>, nested modules and directory links are not entered
    /// (go ignores links there, and following one could loop). Empty when the folder is gone.
    /// </summary>
    public static IReadOnlyList<string> GoFilesOfModule(string moduleDirectory, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(moduleDirectory);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            if (!Directory.Exists(dir)) continue;
            foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                if (e is DirectoryInfo d)
                {
                    if (d.Name is "testdata" or "vendor" || d.Name.StartsWith('.') || d.Name.StartsWith('_') || d.LinkTarget is not null
                        || File.Exists(Path.Combine(d.FullName, "go.mod"))) continue;
                    pending.Push(d.FullName);
                }
                else if (e.Name.EndsWith(".go", StringComparison.Ordinal))
                {
                    files.Add(Relative(moduleDirectory, e.FullName));
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The path of <paramref name="dir"/> relative to <paramref name="root"/>, forward slashes, "." for the root itself.</summary>
    public static string Relative(string root, string dir) => Path.GetRelativePath(root, dir).Replace('\\', '/');

    /// <summary>The path with every link along it resolved (the parent chain included), for loop and escape checks.</summary>
    private static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full);
        var resolvedParent = parent is null ? null : RealPath(parent);
        var here = resolvedParent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
        var info = new DirectoryInfo(here);
        if (info.LinkTarget is null) return here;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? here : RealPath(target.FullName);
    }

    /// <summary>A directory glob: <c>**</c> spans folders, <c>*</c> and <c>?</c> stay inside one name.</summary>
    internal static Regex Glob(string pattern)
    {
        var p = pattern.Replace('\\', '/').Trim('/');
        if (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        var sb = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                var slash = i + 2 < p.Length && p[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
