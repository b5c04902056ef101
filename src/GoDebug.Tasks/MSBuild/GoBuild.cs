using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Builds the workspace's main packages incrementally (unchanged targets are skipped by fingerprint);
/// Go compile errors become MSBuild errors with file, line and column. MSBuild front end of the build engine.
/// </summary>
public sealed class GoBuild : GoDebugTask
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

    /// <summary>
    /// Every binary of a target that built or was up to date; metadata <c>Package</c> (import path),
    /// <c>ModuleDirectory</c> and <c>Skipped</c> (true when its inputs had not changed).
    /// </summary>
    [Output]
    public ITaskItem[] Binaries { get; private set; } = [];

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new GoBuildSettings
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
        var go = await TaskInputs.GoToolAsync(GoExecutable, GoVersion, cancellationToken).ConfigureAwait(false);
        var result = await GoBuilder.BuildAsync(settings, go, host, cancellationToken).ConfigureAwait(false);
        TaskLog.DiagnosticsNotYetReported(result.Diagnostics);
        // Library compile checks succeed without a binary (empty OutputPath).
        Binaries = result.Targets.Where(t => t.Succeeded && t.OutputPath.Length > 0).Select(ToItem).ToArray();
        var failed = result.Targets.Where(t => !t.Succeeded).Select(t => t.Package).ToArray();
        if (failed.Length > 0 && !Log.HasLoggedErrors)
        {
            Log.LogError(null, "GO4001", null, null, 0, 0, 0, 0, "{0}", $"go build failed for {string.Join(", ", failed)}; see the output above.");
        }
    }

    private static ITaskItem ToItem(GoBuildTargetResult target)
    {
        var item = new TaskItem(target.OutputPath);
        item.SetMetadata("Package", target.Package);
        item.SetMetadata("ModuleDirectory", target.ModuleDirectory);
        item.SetMetadata("Skipped", target.Skipped ? "true" : "false");
        return item;
    }
}
