using GoDebug.Tasks.Building;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// The parameters of a Go build, shared by <see cref="GoBuild"/> and <see cref="GoWriteBuildSettings"/> so the
/// settings the targets record for their up-to-date check are read exactly as the build reads them.
/// </summary>
public abstract class GoBuildSettingsTask : GoDebugTask
{
    /// <summary>Root of the Go workspace (go.work) or a single module.</summary>
    [Required]
    public string Workspace { get; set; } = string.Empty;

    /// <summary><c>Debug</c> (no optimisation or inlining, for debuggers; the default) or <c>Release</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Main packages to build (import paths or directories); none builds every main package.</summary>
    public ITaskItem[]? Targets { get; set; }

    /// <summary>Also compile-check library modules.</summary>
    public bool CheckLibraries { get; set; }

    /// <summary>Extra build tags.</summary>
    public ITaskItem[]? Tags { get; set; }

    /// <summary>Extra <c>-ldflags</c>.</summary>
    public string? LdFlags { get; set; }

    /// <summary>Build with the race detector.</summary>
    public bool Race { get; set; }

    /// <summary>Cross-compile target OS; empty for the host.</summary>
    public string? GoOS { get; set; }

    /// <summary>Cross-compile target architecture; empty for the host.</summary>
    public string? GoArch { get; set; }

    /// <summary>Where binaries go; empty uses <c>&lt;workspace&gt;/.godebug/bin/&lt;configuration&gt;</c>.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>The <c>go</c> to build with, usually <see cref="GoEnsureToolchain.GoExecutable"/>.</summary>
    [Required]
    public string GoExecutable { get; set; } = string.Empty;

    /// <summary>The version of <see cref="GoExecutable"/> when already known (<see cref="GoEnsureToolchain.GoVersionResolved"/>); empty runs <c>go version</c> to find it.</summary>
    public string? GoVersion { get; set; }

    /// <summary>The engine's settings from these parameters; a bad value names its MSBuild property.</summary>
    internal GoBuildSettings BuildSettings() => new()
    {
        Workspace = Workspace,
        Configuration = TaskInputs.ParseEnum(Configuration, "GoConfiguration", GoBuildConfiguration.Debug),
        Targets = TaskInputs.List(Targets),
        CheckLibraries = CheckLibraries,
        Tags = TaskInputs.List(Tags),
        LdFlags = TaskInputs.NullIfEmpty(LdFlags),
        Race = Race,
        GoOS = TaskInputs.NullIfEmpty(GoOS),
        GoArch = TaskInputs.NullIfEmpty(GoArch),
        OutputDirectory = TaskInputs.NullIfEmpty(OutputDirectory),
    };

    /// <summary>The go of <see cref="GoExecutable"/>, its version from <see cref="GoVersion"/> when given.</summary>
    internal Task<GoTool> GoAsync(CancellationToken cancellationToken) => TaskInputs.GoToolAsync(GoExecutable, GoVersion, cancellationToken);
}
