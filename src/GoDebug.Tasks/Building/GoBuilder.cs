using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Building;

/// <summary>Incremental per-target Go builds.</summary>
internal static class GoBuilder
{
    public static Task<GoBuildResult> BuildAsync(GoBuildSettings settings, GoTool go, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 4: build engine");

    /// <summary>Removes the outputs and state of <paramref name="settings"/>'s configuration.</summary>
    public static Task CleanAsync(GoBuildSettings settings, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 4: clean");
}
