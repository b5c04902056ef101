namespace GoDebug.Tasks.Ci;

/// <summary>What the affected-matrix planner compares and how it shapes the job matrix.</summary>
public sealed record AffectedMatrixSettings
{
    /// <summary>Files under the repository root whose change marks every module and project affected (default).</summary>
    public static IReadOnlyList<string> DefaultSharedFiles { get; } =
    [
        "go.work", "go.work.sum", ".github/workflows/**", "global.json", "Directory.Build.props", "Directory.Build.targets",
        "Directory.Packages.props", "NuGet.config", "nuget.config", ".config/dotnet-tools.json",
    ];

    /// <summary>The git repository's root (the checkout). Null: the git checkout holding <see cref="Workspace"/> (or, without one, the current folder).</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The Go workspace folder whose modules are planned (go.work or loose modules). Null: every module of the repository.</summary>
    public string? Workspace { get; init; }

    /// <summary>The commit, branch or tag to compare with (the pull request's base); the diff is <c>base...HEAD</c>.</summary>
    public string? Base { get; init; }

    /// <summary>At most this many jobs; more modules share jobs. GitHub runs at most 256 jobs per matrix.</summary>
    public int MaxJobs { get; init; } = 256;

    /// <summary>Repository-relative globs (<c>*</c>, <c>**</c>) of files whose change marks everything affected; replaces <see cref="DefaultSharedFiles"/>.</summary>
    public IReadOnlyList<string>? SharedFiles { get; init; }

    /// <summary>Fetch the base (and deepen a shallow clone) from <see cref="Remote"/> when it is missing.</summary>
    public bool Fetch { get; init; } = true;

    /// <summary>The git remote to fetch a missing base from.</summary>
    public string Remote { get; init; } = "origin";

    /// <summary>List each affected module's main packages with <c>go list</c> (needs go); off leaves them empty.</summary>
    public bool ListMainPackages { get; init; } = true;
}

/// <summary>One entry of the matrix: a Go module or a .NET project.</summary>
/// <param name="Kind"><c>go</c> or <c>dotnet</c>.</param>
/// <param name="Path">The module path, or the project file relative to the repository.</param>
/// <param name="Directory">The folder relative to the repository root, forward slashes.</param>
/// <param name="Mains">Import paths of the module's main packages; empty for a project.</param>
public sealed record AffectedItem(string Kind, string Path, string Directory, IReadOnlyList<string> Mains);

/// <summary>The planned matrix.</summary>
/// <param name="AllAffected">True when a shared file changed (or nothing could be compared) and everything is listed.</param>
/// <param name="Reason">Why everything is affected, or null.</param>
/// <param name="ChangedFiles">Repository-relative files that differ from the base.</param>
/// <param name="Items">Every affected module and project.</param>
/// <param name="Jobs">Items grouped into at most the configured number of jobs.</param>
/// <param name="Json">The value for <c>strategy.matrix</c>: <c>{"include":[{name, go, dotnet, items}]}</c>.</param>
public sealed record AffectedMatrixResult(bool AllAffected, string? Reason, IReadOnlyList<string> ChangedFiles, IReadOnlyList<AffectedItem> Items, IReadOnlyList<IReadOnlyList<AffectedItem>> Jobs, string Json);
