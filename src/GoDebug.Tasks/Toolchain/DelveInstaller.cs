using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>Finds or installs Delve for the Go toolchain in use.</summary>
internal static class DelveInstaller
{
    public static Task<DelveResult> EnsureAsync(DelveSettings settings, GoTool go, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 2: delve");
}
