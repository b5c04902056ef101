using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>Finds or installs the Go toolchain a workspace needs.</summary>
internal static class GoInstaller
{
    public static async Task<GoToolchainResult> EnsureAsync(GoToolchainSettings settings, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/lib/go-1.23/bin")
            .Select(d => Path.Combine(d, "go"));
        var exe = candidates.FirstOrDefault(File.Exists) ?? throw new GoDebugException("TEMP: no go on PATH");
        var tool = await GoTool.FromExecutableAsync(exe, cancellationToken).ConfigureAwait(false);
        log.Info($"go version {tool.Version.ToGoString()}");
        return new GoToolchainResult(tool.Executable, tool.GoRoot, tool.Version, GoSource.Path, tool.Environment);
    }
}
