using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Hosting;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Plans the GitHub Actions job matrix: the Go modules changed since <see cref="Base"/>, every module depending on
/// them, the .NET projects building those modules through this package and every project referencing those.
/// In GitHub Actions the matrix is also the step outputs <c>matrix</c> and <c>count</c>. MSBuild front end of the
/// affected-matrix planner.
/// </summary>
public sealed class GoAffectedMatrix : GoDebugTask
{
    /// <summary>The commit, branch or tag to compare with (the pull request's base); the diff is <c>base...HEAD</c>.</summary>
    public string? Base { get; set; }

    /// <summary>At most this many jobs; more items share jobs. Default 256 (GitHub's per-matrix limit).</summary>
    public int MaxJobs { get; set; } = 256;

    /// <summary>The checkout's root; empty: the git checkout holding <see cref="Workspace"/>, else <see cref="ProjectDirectory"/>.</summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>The project's folder; relative paths are taken from here.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The Go workspace whose modules are planned; empty: every module in the repository.</summary>
    public string? Workspace { get; set; }

    /// <summary>Fetch a base missing from a shallow clone (and deepen it). Default true.</summary>
    public bool Fetch { get; set; } = true;

    /// <summary>The go from GoEnsureToolchain, to list each module's main packages; empty leaves them out.</summary>
    public string? GoExecutable { get; set; }

    /// <summary>GoEnsureToolchain's resolved version, so go is not asked again.</summary>
    public string? GoVersionResolved { get; set; }

    /// <summary>The value for <c>strategy.matrix</c>: <c>{"include":[{name, go, dotnet, items}]}</c>.</summary>
    [Output]
    public string Matrix { get; private set; } = string.Empty;

    /// <summary>How many jobs the matrix has (0 when nothing is affected).</summary>
    [Output]
    public int JobCount { get; private set; }

    /// <summary>Every affected module (module path) and project (repository-relative file), with <c>Kind</c> (go, dotnet), <c>Folder</c> (repository-relative; MSBuild reserves <c>Directory</c>) and <c>Mains</c> metadata.</summary>
    [Output]
    public ITaskItem[] AffectedItems { get; private set; } = [];

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var go = TaskInputs.NullIfEmpty(GoExecutable) is { } executable
            ? await TaskInputs.GoToolAsync(executable, GoVersionResolved, cancellationToken).ConfigureAwait(false)
            : null;
        var settings = new AffectedMatrixSettings
        {
            RepositoryRoot = TaskInputs.NullIfEmpty(RepositoryRoot) is { } root ? Path.GetFullPath(root, ProjectDirectory) : null,
            Workspace = TaskInputs.NullIfEmpty(Workspace) is { } workspace ? Path.GetFullPath(workspace, ProjectDirectory) : null,
            Base = TaskInputs.NullIfEmpty(Base),
            MaxJobs = MaxJobs,
            Fetch = Fetch,
        };

        // Without a workspace the engine plans the checkout holding the folder it runs from: here, the project's.
        var fromProject = host with { Environment = new EnvironmentSnapshot(host.Environment.Variables, ProjectDirectory) };
        var result = await AffectedMatrix.PlanAsync(settings, go, fromProject, cancellationToken).ConfigureAwait(false);
        Matrix = result.Json;
        JobCount = result.Jobs.Count;
        AffectedItems = result.Items.Select(item =>
        {
            var task = new Microsoft.Build.Utilities.TaskItem(item.Path);
            task.SetMetadata("Kind", item.Kind);
            task.SetMetadata("Folder", item.Directory);
            task.SetMetadata("Mains", string.Join(';', item.Mains));
            return (ITaskItem)task;
        }).ToArray();
    }
}
