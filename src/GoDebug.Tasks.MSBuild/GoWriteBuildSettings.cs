using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Building;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Writes the record of a Go build's settings (Go version, flags, output folder, targets and every environment
/// variable the build engine fingerprints, such as CGO_ENABLED and GOFLAGS) to <see cref="File"/>, only when it
/// changed. As an input of the <c>GoBuild</c> target it makes MSBuild skip the Go build exactly when the engine
/// would find every target up to date.
/// </summary>
public sealed class GoWriteBuildSettings : GoBuildSettingsTask
{
    /// <summary>The record's path, usually under the intermediate output folder.</summary>
    [Required]
    public string File { get; set; } = string.Empty;

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var go = await GoAsync(cancellationToken).ConfigureAwait(false);
        if (GoBuildSettingsRecord.Write(File, BuildSettings(), go, host.Environment))
        {
            Log.LogMessage(MessageImportance.Low, "GoWriteBuildSettings: the Go build settings changed; {0} rewritten.", File);
        }
    }
}
