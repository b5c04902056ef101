using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>One release in go.dev's <c>/dl/?mode=json</c> index.</summary>
internal sealed record GoRelease(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("stable")] bool Stable,
    [property: JsonPropertyName("files")] IReadOnlyList<GoReleaseFile> Files);

/// <summary>One downloadable file of a release.</summary>
internal sealed record GoReleaseFile(
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("arch")] string Arch,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("kind")] string Kind);

/// <summary>The os/arch pair go.dev names its archives by.</summary>
internal sealed record GoPlatform(string Os, string Arch)
{
    public static GoPlatform Current { get; } = new(CurrentOs(), CurrentArch());

    public override string ToString() => $"{Os}/{Arch}";

    private static string CurrentOs()
        => OperatingSystem.IsWindows() ? "windows"
            : OperatingSystem.IsMacOS() ? "darwin"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : "linux";

    private static string CurrentArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "armv6l",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.LoongArch64 => "loong64",
        Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };
}

/// <summary>Reads go.dev's release index and picks the archive a requirement calls for.</summary>
internal static class GoReleaseIndex
{
    public static IReadOnlyList<GoRelease> Parse(string json, string url)
    {
        try
        {
            return JsonSerializer.Deserialize<List<GoRelease>>(json)
                ?? throw new GoDebugException($"{url}: the release index is empty.");
        }
        catch (JsonException ex)
        {
            throw new GoDebugException($"{url}: the release index is not go.dev's JSON shape: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The archive for <paramref name="platform"/> that meets <paramref name="requirement"/> (any, when
    /// null): the newest patch of the required language version when there is one (as actions/setup-go
    /// reads <c>go 1.22</c>), else the newest release that satisfies. Unstable releases count only when
    /// the requirement itself names a pre-release.
    /// </summary>
    public static (GoVersion Version, GoReleaseFile File)? Choose(IEnumerable<GoRelease> releases, GoRequirement? requirement, GoPlatform platform)
    {
        var allowUnstable = requirement is not null && requirement.Version.Prerelease.Length > 0;
        var candidates = releases
            .Where(r => r.Stable || allowUnstable)
            .Select(r => (Version: GoVersion.TryParse(r.Version), Release: r))
            .Where(x => x.Version is not null && (requirement is null || requirement.IsSatisfiedBy(x.Version)))
            .Select(x => (Version: x.Version!, File: x.Release.Files.FirstOrDefault(f =>
                f.Kind == "archive" && f.Os == platform.Os && f.Arch == platform.Arch)))
            .Where(x => x.File is not null)
            .OrderByDescending(x => x.Version)
            .ToList();
        if (candidates.Count == 0) return null;
        var sameLanguage = requirement is null ? [] : candidates.Where(x => x.Version.Language == requirement.Version.Language).ToList();
        var (version, file) = sameLanguage.Count > 0 ? sameLanguage[0] : candidates[0];
        return (version, file!);
    }
}
