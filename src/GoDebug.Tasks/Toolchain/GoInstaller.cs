using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>Finds or installs the Go toolchain a workspace needs.</summary>
internal static class GoInstaller
{
    public static Task<GoToolchainResult> EnsureAsync(GoToolchainSettings settings, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 2: toolchain engine");
}
