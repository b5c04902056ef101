namespace GoDebug.Tasks.Toolchain;

/// <summary>Where Delve may come from.</summary>
public enum DelveSource
{
    /// <summary>An installed dlv (GOBIN, GOPATH/bin, PATH, our cache), then <c>go install</c>, then Debian's delve.</summary>
    Auto,

    /// <summary>Only a dlv already installed.</summary>
    Existing,

    /// <summary><c>go install github.com/go-delve/delve/cmd/dlv@version</c> into our cache.</summary>
    GoInstall,

    /// <summary>Debian/Ubuntu's delve package; needs root.</summary>
    Apt,
}

/// <summary>How to find or install Delve.</summary>
public sealed record DelveSettings
{
    /// <summary>Version for <c>go install</c>: <c>latest</c> or e.g. <c>v1.23.1</c>.</summary>
    public string Version { get; init; } = "latest";

    /// <summary>An installed dlv older than this is not used.</summary>
    public string MinimumVersion { get; init; } = "1.20.0";

    /// <summary>Which source to use.</summary>
    public DelveSource Source { get; init; } = DelveSource.Auto;

    /// <summary>Per-user cache root; null picks the same default as <see cref="GoToolchainSettings.CacheDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Whether the apt source fetches apt's package lists before installing delve; as <see cref="GoToolchainSettings.AptUpdate"/>.</summary>
    public bool? AptUpdate { get; init; }
}

/// <summary>The Delve later steps use.</summary>
/// <param name="DlvExecutable">Absolute path of <c>dlv</c>.</param>
/// <param name="Version">What <c>dlv version</c> reported, e.g. 1.20.2.</param>
/// <param name="SupportsGoVersion">False when this dlv predates the Go in use; later steps then pass <c>--check-go-version=false</c>.</param>
/// <param name="Source">Where it came from.</param>
public sealed record DelveResult(string DlvExecutable, string Version, bool SupportsGoVersion, DelveSource Source)
{
    /// <summary>Arguments every dlv invocation adds: a dlv older than the Go in use refuses to start without the opt-out.</summary>
    internal IReadOnlyList<string> CompatibilityArguments => SupportsGoVersion ? [] : ["--check-go-version=false"];
}
