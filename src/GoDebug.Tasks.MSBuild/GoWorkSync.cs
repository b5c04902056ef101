using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Workspace;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Writes (or, with <see cref="Check"/>, verifies) a deterministic go.work listing every module under
/// <see cref="Workspace"/>. MSBuild front end of the workspace sync engine.
/// </summary>
public sealed class GoWorkSync : GoDebugTask
{
    /// <summary>Root of the Go workspace, where go.work lives.</summary>
    [Required]
    public string Workspace { get; set; } = string.Empty;

    /// <summary>Write nothing and fail when go.work is out of date (a CI gate).</summary>
    public bool Check { get; set; }

    /// <summary>Extra directory globs, relative to <see cref="Workspace"/>, to leave out of discovery.</summary>
    public ITaskItem[]? Exclude { get; set; }

    /// <summary>The <c>go</c> to consult (from <see cref="GoEnsureToolchain"/>); empty lets the engine work without one.</summary>
    public string? GoExecutable { get; set; }

    /// <summary>The version of <see cref="GoExecutable"/> when already known (<see cref="GoEnsureToolchain.GoVersionResolved"/>); empty runs <c>go version</c> to find it.</summary>
    public string? GoVersion { get; set; }

    /// <summary>Absolute directories of the modules go.work uses, sorted.</summary>
    [Output]
    public ITaskItem[] ModuleDirectories { get; private set; } = [];

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new GoWorkSyncSettings
        {
            Workspace = Workspace,
            Check = Check,
            Exclude = TaskInputs.List(Exclude),
        };
        var go = TaskInputs.NullIfEmpty(GoExecutable) is { } executable
            ? await TaskInputs.GoToolAsync(executable, GoVersion, cancellationToken).ConfigureAwait(false)
            : null;
        var result = await GoWorkSynchronizer.SyncAsync(settings, go, host, cancellationToken).ConfigureAwait(false);
        TaskLog.DiagnosticsNotYetReported(result.Findings);
        ModuleDirectories = result.ModuleDirectories.Select(d => (ITaskItem)new TaskItem(d)).ToArray();
        if (Check && result.Changed)
        {
            Log.LogError(null, "GO3010", null, result.GoWorkPath, 0, 0, 0, 0, "{0}", "go.work is out of date (the difference is logged above); build without GoWorkSyncCheck=true to update it.");
        }
    }
}
