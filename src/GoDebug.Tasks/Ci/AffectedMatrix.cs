using System.IO.Enumeration;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// Plans the CI job matrix of a pull request: the Go modules it changed plus every workspace module
/// that requires or replaces them (transitively), and the .NET projects that build an affected Go
/// workspace through this package plus every project referencing one of those. A changed shared file
/// (go.work, a workflow, global.json …) lists everything. Jobs are capped; more items share jobs.
/// </summary>
internal static class AffectedMatrix
{
    /// <summary>The project property our package reads for the Go workspace folder; the subject of this reader, not advice.</summary>
    private const string WorkspaceProperty = "GoWorkspace";

    // The JSON goes to a step output and a log, never into HTML, so '+' and non-ASCII folder names stay readable.
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<AffectedMatrixResult> PlanAsync(AffectedMatrixSettings settings, GoTool? go, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.Base))
        {
            throw new GoDebugException("No base to compare with: the matrix lists what changed since a base commit.", FixHint.Set(GoSetting.MatrixBase, "origin/main"));
        }

        if (settings.Base.StartsWith('-'))
        {
            throw new GoDebugException($"The base '{settings.Base}' starts with '-': git would read it as an option, not a commit.", FixHint.Set(GoSetting.MatrixBase, "origin/main"));
        }

        if (settings.MaxJobs < 1)
        {
            throw new GoDebugException($"The job cap {settings.MaxJobs} is not a positive number.", FixHint.Set(GoSetting.MatrixMaxJobs, "20"));
        }

        var (repo, workspace) = await RepositoryAsync(settings, host, cancellationToken).ConfigureAwait(false);
        var changed = await AffectedMatrixGit.ChangedFilesAsync(host, repo, settings.Base, settings.Fetch, settings.Remote, cancellationToken).ConfigureAwait(false);
        host.Log.Verbose($"{changed.Count} files changed since {settings.Base}.");

        var modules = ReadModules(repo, workspace, go?.Version, host.Log, cancellationToken);
        var projects = ReadProjects(repo, host.Log, cancellationToken);

        var shared = SharedPatterns(settings, repo, workspace);
        var sharedHit = changed.FirstOrDefault(f => shared.Any(p => FileSystemName.MatchesSimpleExpression(p, f, ignoreCase: false)));
        var reason = sharedHit is null ? null : $"{sharedHit} is shared by every module and project";
        if (reason is not null)
        {
            host.Log.Diagnostic(new GoDiagnostic(GoDiagnosticSeverity.Notice, CiCodes.SharedFileChanged, $"{sharedHit} changed: every module and project is affected.", Path.Combine(repo, sharedHit!)));
        }

        var affectedModules = reason is not null ? modules.ToHashSet() : ModuleClosure(modules, changed);
        var affectedProjects = reason is not null ? projects.ToHashSet() : ProjectClosure(projects, affectedModules, changed, repo);

        var mains = settings.ListMainPackages && go is not null && affectedModules.Count > 0
            ? await AffectedMatrixMains.ListAsync(go, host, workspace, affectedModules.Select(m => (m.Path, m.Directory)).ToList(), cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var items = affectedModules
            .OrderBy(m => m.Relative, StringComparer.Ordinal)
            .Select(m => new AffectedItem("go", m.Path, m.Relative, mains.TryGetValue(m.Path, out var list) ? list : []))
            .Concat(affectedProjects.OrderBy(p => p.Relative, StringComparer.Ordinal).Select(p => new AffectedItem("dotnet", p.Relative, DirectoryOf(p.Relative), [])))
            .ToList();
        var jobs = Chunk(items, settings.MaxJobs);
        var json = JsonSerializer.Serialize(new MatrixJson(jobs.Select(j => new MatrixJob(
            j.Count == 1 ? j[0].Directory : $"{j[0].Directory} +{j.Count - 1} more",
            j.Where(i => i.Kind == "go").Select(i => i.Directory).ToList(),
            j.Where(i => i.Kind == "dotnet").Select(i => i.Path).ToList(),
            j)).ToList()), Json);

        host.Log.Info(reason is not null
            ? $"All {modules.Count} modules and {projects.Count} projects affected ({reason}); {jobs.Count} jobs."
            : $"{affectedModules.Count} of {modules.Count} modules and {affectedProjects.Count} of {projects.Count} projects affected by {changed.Count} changed files; {jobs.Count} jobs.");
        host.Log.Info(json);
        if (host.Environment.Get("GITHUB_OUTPUT") is { } output)
        {
            WorkflowFiles.AppendOutput(output, "matrix", json);
            WorkflowFiles.AppendOutput(output, "count", jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new AffectedMatrixResult(reason is not null, reason, changed, items, jobs, json);
    }

    /// <summary>
    /// The checkout to diff and the workspace in it. The workspace decides: its history is the one that changed, so
    /// the checkout is the one git finds from the workspace folder, never the folder the build happens to run from.
    /// </summary>
    private static async Task<(string Repository, string Workspace)> RepositoryAsync(AffectedMatrixSettings settings, GoDebugHost host, CancellationToken cancellationToken)
    {
        static string Full(string path, string from) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, from));
        var cwd = host.Environment.WorkingDirectory;
        if (settings.RepositoryRoot is { } given)
        {
            var root = Full(given, cwd);
            var inside = Full(settings.Workspace ?? root, root);
            return PathChecks.IsUnder(inside, root)
                ? (root, inside)
                : throw new GoDebugException($"The workspace {inside} is not inside the repository {root}, so its changes are not in that history.", FixHint.Set(GoSetting.Workspace));
        }

        var (topLevel, prefix) = await AffectedMatrixGit.LocateAsync(host, Full(settings.Workspace ?? cwd, cwd), cancellationToken).ConfigureAwait(false);
        var workspace = settings.Workspace is null || prefix.Length == 0 ? topLevel : Path.Combine(topLevel, prefix.Replace('/', Path.DirectorySeparatorChar));
        host.Log.Verbose($"Planning the git checkout {topLevel} (workspace {ModuleDiscovery.Relative(topLevel, workspace)}).");
        return (topLevel, workspace);
    }

    private static List<string> SharedPatterns(AffectedMatrixSettings settings, string repo, string workspace)
    {
        // FileSystemName's '*' already spans '/', so '**' means the same; the workspace's own go.work is always shared.
        var patterns = (settings.SharedFiles ?? AffectedMatrixSettings.DefaultSharedFiles).Select(p => p.Replace('\\', '/').TrimStart('/').Replace("**", "*", StringComparison.Ordinal)).ToList();
        var rel = ModuleDiscovery.Relative(repo, workspace);
        if (rel != ".") patterns.AddRange([rel + "/go.work", rel + "/go.work.sum"]);
        return patterns;
    }

    /// <summary>A module with the repository-relative folder, and the workspace modules it requires or replaces with a local folder.</summary>
    private sealed record Module(string Path, string Directory, string Relative)
    {
        public List<Module> Dependents { get; } = [];
    }

    private sealed record Project(string File, string Relative, string? GoWorkspace, bool WorkspaceUnknown, IReadOnlyList<string> References)
    {
        public List<Project> Referrers { get; } = [];
    }

    private static List<Module> ReadModules(string repo, string workspace, GoVersion? goInUse, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var mods = ModuleDiscovery.Find(workspace, [], log, cancellationToken).Select(d => GoModParser.ReadMod(Path.Combine(d, "go.mod"), goInUse)).ToList();
        var modules = mods.Select(m => new Module(m.Module ?? ModuleDiscovery.Relative(repo, m.Directory), m.Directory, ModuleDiscovery.Relative(repo, m.Directory))).ToList();
        var byPath = new Dictionary<string, Module>(StringComparer.Ordinal);
        var byDir = new Dictionary<string, Module>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            byPath.TryAdd(m.Path, m);
            byDir[m.Directory] = m;
        }

        for (var i = 0; i < mods.Count; i++)
        {
            var mod = mods[i];
            var dependencies = mod.Require.Select(r => byPath.GetValueOrDefault(r.Path))
                .Concat(mod.Replace.Where(r => r.New.Version.Length == 0).Select(r => byDir.GetValueOrDefault(Path.TrimEndingDirectorySeparator(Path.GetFullPath(r.New.Path, mod.Directory)))))
                .OfType<Module>().Where(d => d != modules[i]).Distinct();
            foreach (var d in dependencies) d.Dependents.Add(modules[i]);
        }

        return modules;
    }

    /// <summary>Modules owning a changed file (the deepest module folder above it) and, transitively, their dependents.</summary>
    private static HashSet<Module> ModuleClosure(IReadOnlyList<Module> modules, IReadOnlyList<string> changed)
    {
        var byRelative = modules.ToDictionary(m => m.Relative, StringComparer.Ordinal);
        var affected = new HashSet<Module>();
        var pending = new Stack<Module>();
        foreach (var file in changed)
        {
            if (Owner(byRelative, file) is { } owner && affected.Add(owner)) pending.Push(owner);
        }

        while (pending.Count > 0)
        {
            foreach (var d in pending.Pop().Dependents)
            {
                if (affected.Add(d)) pending.Push(d);
            }
        }

        return affected;
    }

    private static T? Owner<T>(Dictionary<string, T> byRelativeDirectory, string file)
        where T : class
    {
        for (var dir = DirectoryOf(file); ; dir = DirectoryOf(dir))
        {
            if (byRelativeDirectory.TryGetValue(dir, out var owner)) return owner;
            if (dir == ".") return null;
        }
    }

    private static string DirectoryOf(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? "." : relative[..slash];
    }

    private static HashSet<Project> ProjectClosure(IReadOnlyList<Project> projects, HashSet<Module> modules, IReadOnlyList<string> changed, string repo)
    {
        var byDirectory = projects.GroupBy(p => DirectoryOf(p.Relative), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var affected = new HashSet<Project>();
        var pending = new Stack<Project>();
        void Add(Project p)
        {
            if (affected.Add(p)) pending.Push(p);
        }

        foreach (var p in projects)
        {
            // A workspace we could not resolve counts as touching every module: listing too much beats missing a build.
            var buildsAffected = p.WorkspaceUnknown
                ? modules.Count > 0
                : p.GoWorkspace is { } ws && modules.Any(m => PathChecks.IsUnder(m.Directory, ws) || PathChecks.IsUnder(ws, m.Directory));
            if (buildsAffected) Add(p);
        }

        foreach (var file in changed)
        {
            if (Owner(byDirectory, file) is { } owners) owners.ForEach(Add);
        }

        var byFile = projects.ToDictionary(p => p.File, StringComparer.Ordinal);
        foreach (var p in projects)
        {
            foreach (var r in p.References)
            {
                if (byFile.TryGetValue(r, out var target)) target.Referrers.Add(p);
            }
        }

        while (pending.Count > 0)
        {
            foreach (var r in pending.Pop().Referrers) Add(r);
        }

        return affected;
    }

    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };

    private static List<Project> ReadProjects(string repo, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var files = new FileSystemEnumerable<string>(repo, (ref FileSystemEntry e) => e.ToFullPath(), Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && (e.FileName.EndsWith(".csproj") || e.FileName.EndsWith(".fsproj") || e.FileName.EndsWith(".vbproj")),
            ShouldRecursePredicate = (ref FileSystemEntry e) => !(e.FileName.StartsWith(".") || e.FileName.SequenceEqual("bin") || e.FileName.SequenceEqual("obj") || e.FileName.SequenceEqual("node_modules") || e.FileName.SequenceEqual("vendor")),
        };
        var projects = new List<Project>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            projects.Add(ReadProject(repo, file, log));
        }

        return projects;
    }

    private static Project ReadProject(string repo, string file, IGoDebugLog log)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(file, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new GoDebugException($"{file}({ex.LineNumber},{ex.LinePosition}): not a readable project file: {ex.Message}");
        }

        var dir = Path.GetDirectoryName(file)!;
        var references = doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => Expand(v, dir))
            .OfType<string>()
            .Select(v => Path.GetFullPath(v, dir))
            .ToList();
        var usesPackage = doc.Descendants().Any(e => e.Name.LocalName == "PackageReference" && string.Equals((string?)e.Attribute("Include"), "GoDebug.Tasks", StringComparison.OrdinalIgnoreCase));

        // The last definition wins, as in MSBuild; without one, a project using the package builds its own folder.
        var property = doc.Descendants().LastOrDefault(e => e.Name.LocalName == WorkspaceProperty && e.Parent?.Name.LocalName == "PropertyGroup");
        string? workspace = null;
        var unknown = false;
        if (property is not null && property.Value.Trim().Length > 0)
        {
            var expanded = Expand(property.Value.Trim(), dir);
            if (expanded is null)
            {
                unknown = true;
                log.Warning($"{file}({((IXmlLineInfo)property).LineNumber}): the Go workspace '{property.Value.Trim()}' uses properties this planner cannot evaluate; the project counts as affected by any Go change.");
            }
            else
            {
                workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(expanded, dir));
            }
        }
        else if (usesPackage)
        {
            workspace = dir;
        }

        return new Project(file, ModuleDiscovery.Relative(repo, file), workspace, unknown, references);
    }

    /// <summary>The value with the two folder properties every project knows expanded and '\' as '/'; null when other properties remain.</summary>
    private static string? Expand(string value, string projectDirectory)
    {
        var dirWithSlash = projectDirectory + "/";
        var v = value.Replace("$(MSBuildProjectDirectory)", projectDirectory, StringComparison.OrdinalIgnoreCase)
            .Replace("$(MSBuildThisFileDirectory)", dirWithSlash, StringComparison.OrdinalIgnoreCase)
            .Replace('\\', '/');
        return v.Contains("$(", StringComparison.Ordinal) ? null : v;
    }

    /// <summary>Contiguous slices (neighbouring folders stay together) whose sizes differ by at most one.</summary>
    internal static IReadOnlyList<IReadOnlyList<T>> Chunk<T>(IReadOnlyList<T> items, int maxJobs)
    {
        var jobs = Math.Min(maxJobs, items.Count);
        var result = new List<IReadOnlyList<T>>(jobs);
        var start = 0;
        for (var j = 0; j < jobs; j++)
        {
            var size = (items.Count / jobs) + (j < items.Count % jobs ? 1 : 0);
            result.Add(items.Skip(start).Take(size).ToList());
            start += size;
        }

        return result;
    }

    private sealed record MatrixJson(IReadOnlyList<MatrixJob> Include);

    private sealed record MatrixJob(string Name, IReadOnlyList<string> Go, IReadOnlyList<string> Dotnet, IReadOnlyList<AffectedItem> Items);
}
