namespace GoDebug.Tasks.Toolchain;

/// <summary>Where a Go toolchain may come from.</summary>
public enum GoSource
{
    /// <summary>Our cache, then a go on PATH/GOROOT that satisfies, then a download, then Debian/Ubuntu packages.</summary>
    Auto,

    /// <summary>Only a toolchain already in our cache.</summary>
    Cache,

    /// <summary>Only a go found on PATH or under GOROOT.</summary>
    Path,

    /// <summary>Download from the go.dev release index (SHA-256 verified).</summary>
    Download,

    /// <summary>Debian/Ubuntu packages (golang-1.NN-go, golang-go): an installed one is used as is; installing one needs root.</summary>
    Apt,
}

/// <summary>How to find or install Go. Every property has a default; front ends only map.</summary>
public sealed record GoToolchainSettings
{
    /// <summary>Explicit requirement (<c>1.22</c> = at least 1.22.0, <c>1.22.3</c> pins). Null: read .go-version, go.work, go.mod.</summary>
    public string? Version { get; init; }

    /// <summary>Folder whose .go-version / go.work / go.mod state the requirement.</summary>
    public string WorkingDirectory { get; init; } = ".";

    /// <summary>Which source to use; <see cref="GoSource.Auto"/> tries them in order.</summary>
    public GoSource Source { get; init; } = GoSource.Auto;

    /// <summary>Per-user cache root. Null: GDTASKS_CACHE, else XDG_CACHE_HOME or ~/.cache, plus <c>godebug-tasks</c>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Base URL of the release index. Null: GO_DOWNLOAD_BASE_URL, else https://go.dev.</summary>
    public string? DownloadBaseUrl { get; init; }

    /// <summary>
    /// Whether the apt source fetches apt's package lists (<c>apt-get update</c>, as root) before asking for a Go
    /// package. Null (the default): only when they were never fetched or predate a source, as on a fresh machine,
    /// saying so in one line; true: always; false: never (the apt source then says to run it).
    /// </summary>
    public bool? AptUpdate { get; init; }

    /// <summary>Plain progress lines (no carriage-return redraws), as in CI logs.</summary>
    public bool PlainOutput { get; init; }
}
