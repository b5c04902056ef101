using GoDebug.Tasks.Building;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Builds the workspace's main packages incrementally (unchanged targets are skipped by fingerprint);
/// Go compile errors become MSBuild errors with file, line and column. MSBuild front end of the build engine.
/// </summary>
public sealed class GoBuild : GoBuildSettingsTask
{
    /// <summary>
    /// Every binary of a target that built or was up to date; metadata <c>Package</c> (import path),
    /// <c>ModuleDirectory</c> and <c>Skipped</c> (true when its inputs had not changed).
    /// </summary>
    [Output]
    public ITaskItem[] Binaries { get; private set; } = [];

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = BuildSettings();
        var go = await GoAsync(cancellationToken).ConfigureAwait(false);
        var started = host.Time.GetTimestamp();
        var result = await GoBuilder.BuildAsync(settings, go, host, cancellationToken).ConfigureAwait(false);
        TaskLog.DiagnosticsNotYetReported(result.Diagnostics);
        host.Log.FlushBuildSummary(result, host.Time.GetElapsedTime(started));
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
