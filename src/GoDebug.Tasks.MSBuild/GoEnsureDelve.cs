using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Finds or installs Delve for the Go that <see cref="GoEnsureToolchain"/> chose (installed, <c>go install</c>,
/// apt) and returns the <c>dlv</c> to run. MSBuild front end of the Delve installer.
/// </summary>
public sealed class GoEnsureDelve : GoDebugTask
{
    /// <summary>The go from <see cref="GoEnsureToolchain"/>.</summary>
    [Required]
    public string GoExecutable { get; set; } = string.Empty;

    /// <summary>Its version (GoEnsureToolchain's <c>GoVersionResolved</c>), so go is not asked again.</summary>
    public string? GoVersion { get; set; }

    /// <summary><c>latest</c> (default) or a tag such as <c>v1.23.1</c>, for <c>go install</c>.</summary>
    public string? DelveVersion { get; set; }

    /// <summary><c>Auto</c> (default), <c>Existing</c>, <c>GoInstall</c> or <c>Apt</c>.</summary>
    public string? DelveSource { get; set; }

    /// <summary>Per-user cache root; empty uses GDTASKS_CACHE, else the XDG cache folder.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Fetch apt's package lists before installing delve with apt: empty (default) only when they were never fetched or predate a source, <c>true</c> always, <c>false</c> never.</summary>
    public string? AptUpdate { get; set; }

    /// <summary>Absolute path of the <c>dlv</c> to use.</summary>
    [Output]
    public string DlvExecutable { get; private set; } = string.Empty;

    /// <summary>What <c>dlv version</c> reported.</summary>
    [Output]
    public string DlvVersion { get; private set; } = string.Empty;

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new DelveSettings
        {
            Version = TaskInputs.NullIfEmpty(DelveVersion) ?? "latest",
            Source = TaskInputs.ParseEnum(DelveSource, "GoDelveSource", Toolchain.DelveSource.Auto),
            CacheDirectory = TaskInputs.NullIfEmpty(CacheDirectory),
            AptUpdate = TaskInputs.ParseOptionalBool(AptUpdate, "GoAptUpdate"),
        };
        var go = await TaskInputs.GoToolAsync(GoExecutable, GoVersion, cancellationToken).ConfigureAwait(false);
        var result = await DelveInstaller.EnsureAsync(settings, go, host, cancellationToken).ConfigureAwait(false);
        DlvExecutable = result.DlvExecutable;
        DlvVersion = result.Version;
    }
}
