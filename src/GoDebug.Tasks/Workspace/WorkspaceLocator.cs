using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// The Go workspace of a repository whose build script was not told one: the folder of its go.work; without one,
/// the folder of its only go.mod, or the deepest folder holding all of its go.mod files (where a go.work for them
/// belongs). Folders are searched as module discovery searches them. Two go.work files side by side are a choice
/// only the user can make, so they are named and nothing is picked.
/// </summary>
internal static class WorkspaceLocator
{
    /// <summary>No go.work and no go.mod anywhere under the repository.</summary>
    internal const string NoGoModule = "GO3020";

    /// <summary>The repository holds more than one go.work, none inside another's folder.</summary>
    internal const string SeveralWorkspaces = "GO3021";

    /// <summary>The workspace folder (absolute) under <paramref name="repositoryRoot"/>, relative to the host's working folder.</summary>
    public static string Locate(string repositoryRoot, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot, host.Environment.WorkingDirectory));
        var modules = ModuleDiscovery.Find(root, [], log, cancellationToken);
        var workspaces = OutermostGoWorkFolders(root, modules);
        if (workspaces.Count > 1)
        {
            var names = workspaces.Select(w => Shown(root, Path.Combine(w, "go.work"))).ToList();
            throw new GoDebugException(
                $"{SeveralWorkspaces}: {root} holds {workspaces.Count} Go workspaces ({string.Join(", ", names)}), so none is picked for you.",
                FixHint.Set(GoSetting.Workspace, ModuleDiscovery.Relative(root, workspaces[0])));
        }

        if (workspaces.Count == 1)
        {
            log.Info($"Go workspace: {Shown(root, workspaces[0])} (its go.work).");
            return workspaces[0];
        }

        if (modules.Count == 0)
        {
            throw new GoDebugException(
                $"{NoGoModule}: no go.work or go.mod under {root} (vendor, testdata, bin, obj, node_modules and folders starting with . or _ are not searched).",
                FixHint.Set(GoSetting.Workspace, "PATH"));
        }

        var common = modules.Skip(1).Aggregate(modules[0], CommonFolder);
        log.Info(modules.Count == 1
            ? $"Go workspace: {Shown(root, common)} (its go.mod; no go.work in the repository)."
            : $"Go workspace: {Shown(root, common)} (the folder holding all {modules.Count} go.mod files; no go.work in the repository).");
        return common;
    }

    /// <summary>
    /// The folders on the way from the root down to each module that hold a go.work, without those inside another
    /// one's folder (go itself uses the go.work nearest above the folder it runs in, and from the outer folder that
    /// is the outer one), sorted.
    /// </summary>
    private static List<string> OutermostGoWorkFolders(string root, IReadOnlyList<string> modules)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in modules.SelectMany(m => FoldersDownTo(root, m)).Prepend(root).Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, "go.work"))) found.Add(folder);
        }

        return found.Where(f => !found.Any(other => other != f && PathChecks.IsUnder(f, other))).ToList();
    }

    private static IEnumerable<string> FoldersDownTo(string root, string module)
    {
        for (var dir = module; dir is not null && PathChecks.IsUnder(dir, root); dir = Path.GetDirectoryName(dir))
        {
            yield return dir;
        }
    }

    private static string CommonFolder(string a, string b)
    {
        var common = a;
        while (!PathChecks.IsUnder(b, common)) common = Path.GetDirectoryName(common)!;
        return common;
    }

    /// <summary>A path as the user reads it: relative to the repository, "." for the repository itself.</summary>
    private static string Shown(string root, string path) => ModuleDiscovery.Relative(root, path);
}
