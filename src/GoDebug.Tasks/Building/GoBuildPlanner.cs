using System.Text;
using System.Text.Json;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Building;

/// <summary>A target to build: a main package, or a library module's compile check (no output path).</summary>
/// <param name="Package">Import path, or <c>module/...</c> for a library check.</param>
/// <param name="ModuleDirectory">Absolute directory of its module.</param>
/// <param name="OutputPath">Absolute binary path; empty for a library check.</param>
/// <param name="Pattern">What go build is given for it: the import path, or <c>moduleDir/...</c> for a library check.</param>
/// <param name="Files">Every input file: sources of its in-workspace packages, go.mod/go.sum/go.work.</param>
/// <param name="Directories">The directories of those packages.</param>
internal sealed record PlannedTarget(string Package, string ModuleDirectory, string OutputPath, string Pattern, IReadOnlyList<string> Files, IReadOnlyList<string> Directories)
{
    public bool IsLibraryCheck => OutputPath.Length == 0;
}

/// <summary>The targets of a build with their inputs, and the package directories diagnostics resolve against.</summary>
internal sealed record GoBuildPlan(IReadOnlyList<PlannedTarget> Targets, IReadOnlyDictionary<string, string> PackageDirectories, IReadOnlyList<string> ModuleDirectories, IReadOnlyList<string> WorkspaceFiles);

/// <summary>Asks go which main packages the workspace has and which files each one reads.</summary>
internal static class GoBuildPlanner
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = false };

    /// <summary>go.work and go.work.sum of the workspace root (absent for a single module).</summary>
    public static IReadOnlyList<string> WorkspaceFiles(GoBuildOptions options)
        => [Path.Combine(options.Workspace, "go.work"), Path.Combine(options.Workspace, "go.work.sum")];

    /// <summary>Plans every target the settings select: discovered main packages or the chosen ones, plus library checks.</summary>
    public static async Task<GoBuildPlan> PlanAsync(GoBuildOptions options, GoTool go, CancellationToken cancellationToken)
    {
        var modules = (await ListModulesAsync(options, go, cancellationToken).ConfigureAwait(false))
            .Where(m => m.Main && m.Dir is not null)
            .ToList();
        var settings = options.Settings;
        var discover = settings.Targets.Count == 0;
        var chosen = settings.Targets.Select(t => ChosenTarget(options, t)).ToList();
        var patterns = new List<string>(chosen.Select(c => c.Pattern));
        // Directory patterns: an import-path pattern such as example.com/mod/... makes go load the whole
        // module graph, which fails offline when workspace modules require each other without replaces.
        if (discover || settings.CheckLibraries) patterns.AddRange(modules.Select(m => ModulePattern(m.Dir!)));
        var packages = await ListPackagesAsync(options, go, patterns, cancellationToken).ConfigureAwait(false);
        var roots = packages.Values.Where(p => !p.DepOnly && p.Module is { Main: true }).ToList();

        List<GoListPackage> mains;
        if (discover)
        {
            mains = roots.Where(p => p.IsMain).OrderBy(p => p.ImportPath, StringComparer.Ordinal).ToList();
        }
        else
        {
            mains = chosen.Select(c => ResolveChosen(c, packages.Values)).ToList();
        }

        var clashing = mains.GroupBy(p => options.GoOutputFileName(p.ImportPath), StringComparer.Ordinal).Where(g => g.Count() > 1)
            .SelectMany(g => g).Select(p => p.ImportPath).ToHashSet(StringComparer.Ordinal);
        var targets = mains.Select(p => PlanTarget(options, packages, [p], p.ImportPath, options.OutputPathFor(p.ImportPath, clashing.Contains(p.ImportPath)))).ToList();
        if (settings.CheckLibraries)
        {
            foreach (var module in modules)
            {
                var inModule = roots.Where(p => string.Equals(p.Module!.Path, module.Path, StringComparison.Ordinal)).ToList();
                if (inModule.Count == 0 || inModule.Any(p => p.IsMain)) continue;
                targets.Add(PlanTarget(options, packages, inModule, ModulePattern(module.Dir!), string.Empty, module.Path + "/..."));
            }
        }

        return new GoBuildPlan(targets, PackageDirectories(packages), modules.Select(m => Path.GetFullPath(m.Dir!)).ToList(), WorkspaceFiles(options));
    }

    /// <summary>Plans again only the given targets (their inputs changed; the module set did not).</summary>
    public static async Task<GoBuildPlan> ReplanAsync(GoBuildOptions options, GoTool go, IReadOnlyList<TargetState> targets, IReadOnlyList<string> moduleDirectories, CancellationToken cancellationToken)
    {
        var packages = await ListPackagesAsync(options, go, targets.Select(t => t.Pattern).ToList(), cancellationToken).ConfigureAwait(false);
        var planned = new List<PlannedTarget>();
        foreach (var target in targets)
        {
            if (target.OutputPath.Length == 0)
            {
                var modulePath = target.Package[..^"/...".Length];
                var inModule = packages.Values.Where(p => !p.DepOnly && string.Equals(p.Module?.Path, modulePath, StringComparison.Ordinal)).ToList();
                if (inModule.Count > 0) planned.Add(PlanTarget(options, packages, inModule, target.Pattern, string.Empty, target.Package));
            }
            else if (packages.TryGetValue(target.Pattern, out var main) && main.IsMain)
            {
                planned.Add(PlanTarget(options, packages, [main], main.ImportPath, target.OutputPath));
            }
        }

        return new GoBuildPlan(planned, PackageDirectories(packages), moduleDirectories, WorkspaceFiles(options));
    }

    /// <summary>Fails unless the workspace root has its own go.work or go.mod (go would otherwise search parent folders).</summary>
    public static void EnsureWorkspace(GoBuildOptions options)
    {
        if (!File.Exists(Path.Combine(options.Workspace, "go.work")) && !File.Exists(Path.Combine(options.Workspace, "go.mod")))
        {
            throw new GoDebugException($"Go workspace '{options.Workspace}' (setting Workspace) has neither go.work nor go.mod.");
        }
    }

    private static string ModulePattern(string moduleDirectory) => Path.Combine(Path.GetFullPath(moduleDirectory), "...");

    private static async Task<IReadOnlyList<GoListModule>> ListModulesAsync(GoBuildOptions options, GoTool go, CancellationToken cancellationToken)
    {
        var result = await ProcessesFor(options, go, ["list", "-m", "-json"], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new GoDebugException($"'{result.CommandLine}' in {options.Workspace} failed: {result.StandardError.Trim()} (is Workspace a folder with go.work or go.mod?)");
        }

        return await ParseStreamAsync<GoListModule>(result.StandardOutput, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyDictionary<string, GoListPackage>> ListPackagesAsync(GoBuildOptions options, GoTool go, IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        // -e: a package with errors is still listed, so go build (not go list) reports them with positions.
        var args = new List<string> { "list", "-e", "-deps", "-json=" + GoListPackage.Fields };
        args.AddRange(options.SelectionFlags());
        args.AddRange(patterns);
        var result = await ProcessesFor(options, go, args, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) throw new GoDebugException($"'{result.CommandLine}' in {options.Workspace} failed: {result.StandardError.Trim()}");
        var list = await ParseStreamAsync<GoListPackage>(result.StandardOutput, cancellationToken).ConfigureAwait(false);
        var byPath = new Dictionary<string, GoListPackage>(StringComparer.Ordinal);
        foreach (var package in list) byPath[package.ImportPath] = package;
        return byPath;
    }

    private static Task<Processes.ProcessResult> ProcessesFor(GoBuildOptions options, GoTool go, IReadOnlyList<string> args, CancellationToken cancellationToken)
        => Processes.ProcessRunner.Default.RunAsync(go.Command(args, options.Workspace, options.Environment), cancellationToken);

    private static async Task<IReadOnlyList<T>> ParseStreamAsync<T>(string output, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(output));
        var items = new List<T>();
        await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable<T>(stream, topLevelValues: true, Json, cancellationToken).ConfigureAwait(false))
        {
            if (item is not null) items.Add(item);
        }

        return items;
    }

    private sealed record Chosen(string Setting, string Pattern, string? Directory);

    /// <summary>A directory (relative to the workspace or absolute) is given to go list as an absolute path; anything else is an import path.</summary>
    private static Chosen ChosenTarget(GoBuildOptions options, string target)
    {
        if (string.IsNullOrWhiteSpace(target)) throw new GoDebugException("Targets contains an empty entry; give import paths or package directories.");
        var directory = Path.GetFullPath(Path.Combine(options.Workspace, target));
        return Directory.Exists(directory) ? new Chosen(target, directory, directory) : new Chosen(target, target, null);
    }

    private static GoListPackage ResolveChosen(Chosen chosen, IEnumerable<GoListPackage> packages)
    {
        var match = packages.FirstOrDefault(p => !p.DepOnly && (chosen.Directory is null
            ? string.Equals(p.ImportPath, chosen.Pattern, StringComparison.Ordinal)
            : p.Dir is not null && string.Equals(Path.GetFullPath(p.Dir), chosen.Directory, StringComparison.Ordinal)));
        if (match is null || match.Module is not { Main: true })
        {
            var why = match?.Error?.Err ?? "not a package of a workspace module";
            throw new GoDebugException($"Target '{chosen.Setting}' (setting Targets): {why}.");
        }

        if (!match.IsMain) throw new GoDebugException($"Target '{chosen.Setting}' (setting Targets) is package {match.Name}, not a main package; use CheckLibraries to compile-check libraries.");
        return match;
    }

    private static PlannedTarget PlanTarget(GoBuildOptions options, IReadOnlyDictionary<string, GoListPackage> packages, IReadOnlyList<GoListPackage> roots, string pattern, string outputPath, string? name = null)
    {
        var files = new HashSet<string>(WorkspaceFiles(options), StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        var closure = roots.SelectMany(r => r.Deps.Prepend(r.ImportPath)).Distinct(StringComparer.Ordinal);
        foreach (var path in closure)
        {
            if (!packages.TryGetValue(path, out var package) || package.Standard || package.Module is not { IsLocal: true } module || package.Dir is null) continue;
            files.UnionWith(package.SourceFiles());
            directories.Add(Path.GetFullPath(package.Dir));
            // go.sum keys everything this module pulls from outside the workspace.
            var moduleDir = module.Replace?.Dir ?? module.Dir;
            if (moduleDir is not null)
            {
                files.Add(Path.GetFullPath(Path.Combine(moduleDir, "go.mod")));
                files.Add(Path.GetFullPath(Path.Combine(moduleDir, "go.sum")));
            }
        }

        var root = roots[0].Module!;
        return new PlannedTarget(
            name ?? roots[0].ImportPath,
            Path.GetFullPath(root.Dir ?? roots[0].Dir!),
            outputPath,
            pattern,
            files.Order(StringComparer.Ordinal).ToList(),
            directories.Order(StringComparer.Ordinal).ToList());
    }

    private static Dictionary<string, string> PackageDirectories(IReadOnlyDictionary<string, GoListPackage> packages)
        => packages.Values.Where(p => p.Dir is not null && p.Module is { IsLocal: true }).ToDictionary(p => p.ImportPath, p => Path.GetFullPath(p.Dir!), StringComparer.Ordinal);
}
