using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Workspace;

/// <summary>Writes (or checks) a deterministic go.work from the modules under a root.</summary>
internal static class GoWorkSynchronizer
{
    public static Task<GoWorkSyncResult> SyncAsync(GoWorkSyncSettings settings, GoTool? go, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 3: go.work sync");
}
