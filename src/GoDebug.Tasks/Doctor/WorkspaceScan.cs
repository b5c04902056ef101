using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Doctor;

/// <summary>A module found under the workspace.</summary>
/// <param name="Path">Its module path, e.g. <c>example.com/sample/app</c>.</param>
/// <param name="GoMod">Absolute path of its go.mod.</param>
internal sealed record WorkspaceModule(string Path, string GoMod)
{
    public string Directory => System.IO.Path.GetDirectoryName(GoMod)!;
}

/// <summary>One walk over the workspace: how many folders a watcher would watch, and which modules live there.</summary>
internal sealed record WorkspaceScan(int DirectoryCount, IReadOnlyList<WorkspaceModule> Modules)
{
    // Folders no watcher or build of the workspace looks into.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "vendor", "node_modules" };

    /// <param name="root">Absolute workspace folder.</param>
    /// <param name="exclude">A folder not to descend into (a module cache inside the workspace holds thousands of go.mod files).</param>
    /// <param name="cancellationToken">Ctrl+C; large trees take a while.</param>
    public static WorkspaceScan Run(string root, string? exclude, CancellationToken cancellationToken)
    {
        var count = 0;
        var modules = new List<WorkspaceModule>();
        var pending = new Stack<(string Dir, bool GoIgnored)>();
        pending.Push((root, false));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (dir, goIgnored) = pending.Pop();
            count++;
            var goMod = Path.Combine(dir, "go.mod");
            if (!goIgnored && File.Exists(goMod))
            {
                var modulePath = ReadModulePath(goMod);
                if (!string.IsNullOrEmpty(modulePath)) modules.Add(new WorkspaceModule(modulePath, goMod));
            }

            foreach (var child in new DirectoryInfo(dir).EnumerateDirectories("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (Skipped.Contains(child.Name) || string.Equals(child.FullName, exclude, StringComparison.Ordinal)) continue;
                // The go command ignores testdata and folders starting with . or _: go.mod files there are fixtures, not modules.
                pending.Push((child.FullName, goIgnored || child.Name == "testdata" || child.Name[0] is '.' or '_'));
            }
        }

        return new WorkspaceScan(count, modules.OrderBy(m => m.GoMod, StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// The go.mod's module path, empty without a module line and null when go rejects the file: either way the folder
    /// is no module go can build or debug, and when it is the workspace's own go.mod, Doctor already reports the
    /// parse error as GODR003.
    /// </summary>
    private static string? ReadModulePath(string goMod)
    {
        try
        {
            return GoModParser.ReadMod(goMod).Module;
        }
        catch (GoDebugException)
        {
            return null;
        }
    }
}
