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
                if (modulePath is not null) modules.Add(new WorkspaceModule(modulePath, goMod));
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

    /// <summary>The <c>module</c> line of a go.mod; the only go.mod knowledge Doctor needs.</summary>
    private static string? ReadModulePath(string goMod)
    {
        foreach (var line in File.ReadLines(goMod))
        {
            var text = line;
            var comment = text.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0) text = text[..comment];
            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == "module") return fields[1].Trim('"', '`');
        }

        return null;
    }
}
