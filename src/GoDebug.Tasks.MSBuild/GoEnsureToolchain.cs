using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Finds or installs the Go toolchain the workspace needs (cache, PATH, download, apt) and returns
/// the <c>go</c> later tasks run. MSBuild front end of the toolchain engine.
/// </summary>
public sealed class GoEnsureToolchain : GoDebugTask
{
    /// <summary>Folder whose .go-version, go.work or go.mod states the required Go version.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>Explicit requirement (<c>1.22</c> = at least 1.22.0, <c>1.22.3</c> pins); empty reads the workspace files.</summary>
    public string? GoVersion { get; set; }

    /// <summary><c>auto</c> (default), <c>cache</c>, <c>path</c>, <c>download</c> or <c>apt</c>.</summary>
    public string? GoSource { get; set; }

    /// <summary>Per-user cache root; empty uses GDTASKS_CACHE, else the XDG cache folder.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Fetch apt's package lists before asking apt for a Go package: empty (default) only when they were never fetched or predate a source, <c>true</c> always, <c>false</c> never.</summary>
    public string? AptUpdate { get; set; }

    /// <summary>Absolute path of the <c>go</c> to use.</summary>
    [Output]
    public string GoExecutable { get; private set; } = string.Empty;

    /// <summary>Its GOROOT.</summary>
    [Output]
    public string GoRoot { get; private set; } = string.Empty;

    /// <summary>Its version as <c>go version</c> reported it, e.g. <c>1.23.5</c>.</summary>
    [Output]
    public string GoVersionResolved { get; private set; } = string.Empty;

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new GoToolchainSettings
        {
            WorkingDirectory = WorkingDirectory,
            Version = TaskInputs.NullIfEmpty(GoVersion),
            Source = TaskInputs.ParseEnum(GoSource, nameof(GoSource), Toolchain.GoSource.Auto),
            CacheDirectory = TaskInputs.NullIfEmpty(CacheDirectory),
            AptUpdate = TaskInputs.ParseOptionalBool(AptUpdate, "GoAptUpdate"),
            // MSBuild logs are line based; a redrawn progress bar would only add noise.
            PlainOutput = true,
        };
        var result = await GoInstaller.EnsureAsync(settings, host, cancellationToken).ConfigureAwait(false);
        GoExecutable = result.GoExecutable;
        GoRoot = result.GoRoot;
        GoVersionResolved = result.Version.ToString();
        // The engine already reports its choice at high importance; this line is for -v:n logs and binlogs.
        Log.LogMessage(MessageImportance.Normal, "GoEnsureToolchain: {0} ({1}) at {2}", result.Version.ToGoString(), result.Source, result.GoExecutable);
    }
}
