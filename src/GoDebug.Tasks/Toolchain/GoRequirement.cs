using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// Which Go a workspace needs: a minimum (<c>go 1.22</c> means at least 1.22.0) or a pin
/// (<c>1.22.3</c>), and where that came from so errors and logs can name it.
/// </summary>
/// <param name="Version">The stated version.</param>
/// <param name="Exact">True when only <see cref="Version"/> itself will do.</param>
/// <param name="Origin">Where it was stated: a file path, or "setting".</param>
/// <param name="Line">1-based line in <see cref="Origin"/>, 0 for a setting.</param>
internal sealed record GoRequirement(GoVersion Version, bool Exact, string Origin, int Line)
{
    /// <summary>The lowest release that satisfies it (a language version <c>1.22</c> becomes <c>1.22.0</c>).</summary>
    public GoVersion Minimum => Version.Patch is null && Version.Prerelease.Length == 0 ? GoVersion.Parse($"{Version.Major}.{Version.Minor}.0") : Version;

    /// <summary>True when <paramref name="candidate"/> meets the requirement.</summary>
    public bool IsSatisfiedBy(GoVersion candidate) => Exact ? candidate.CompareTo(Version) == 0 : candidate >= Minimum;

    /// <summary>"go 1.22 or later (from /repo/go.mod:3)".</summary>
    public override string ToString()
        => $"go {Version}{(Exact ? string.Empty : " or later")} (from {Origin}{(Line > 0 ? $":{Line}" : string.Empty)})";
}

/// <summary>
/// Finds the requirement: an explicit setting, else <c>.go-version</c>, else go.work, else go.mod
/// (each the nearest one at or above the working directory). In go.work/go.mod a <c>toolchain</c>
/// line wins over the <c>go</c> line, as actions/setup-go reads them.
/// </summary>
internal static class GoRequirementResolver
{
    public static GoRequirement? Resolve(string? explicitVersion, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitVersion))
        {
            var v = GoVersion.TryParse(explicitVersion)
                ?? throw new GoDebugException($"Go version setting '{explicitVersion}' is not a Go version (expected e.g. 1.22 or 1.22.3).");
            return new GoRequirement(v, v.IsRelease, "setting", 0);
        }

        var start = Path.GetFullPath(workingDirectory);
        var versionFile = FindUpwards(start, ".go-version");
        if (versionFile is not null) return ReadGoVersionFile(versionFile);
        var modFile = FindUpwards(start, "go.work") ?? FindUpwards(start, "go.mod");
        return modFile is null ? null : ReadModFile(modFile);
    }

    internal static GoRequirement ReadGoVersionFile(string path)
    {
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var v = GoVersion.TryParse(text)
                ?? throw new GoDebugException($"{path}:{i + 1}: '{text}' is not a Go version (expected e.g. 1.22 or 1.22.3).");
            return new GoRequirement(v, v.IsRelease, path, i + 1);
        }

        throw new GoDebugException($"{path}: the file is empty; write a Go version such as 1.22.3 in it.");
    }

    /// <summary>
    /// The requirement a go.mod or go.work (any <c>*.work</c>, as GOWORK may name) states. The whole file is
    /// parsed, so a malformed line anywhere fails here with its file:line, as every go command would.
    /// </summary>
    internal static GoRequirement? ReadModFile(string path)
    {
        (string? Go, int GoLine, string? Toolchain, int ToolchainLine) d;
        if (path.EndsWith(".work", StringComparison.Ordinal))
        {
            var work = GoModParser.ReadWork(path);
            d = (work.Go, work.GoLine, work.Toolchain, work.ToolchainLine);
        }
        else
        {
            var mod = GoModParser.ReadMod(path);
            d = (mod.Go, mod.GoLine, mod.Toolchain, mod.ToolchainLine);
        }

        if (d.Toolchain is not null && d.Toolchain != "default")
        {
            var pin = ReleaseVersion(path, d.ToolchainLine, "toolchain", d.Toolchain);
            return new GoRequirement(pin, pin.IsRelease, path, d.ToolchainLine);
        }

        // A go line is a minimum by definition (the go command accepts any later toolchain).
        return d.Go is null ? null : new GoRequirement(ReleaseVersion(path, d.GoLine, "go", d.Go), false, path, d.GoLine);
    }

    /// <summary>The file syntax allows spellings no Go release has (go 1.21.0rc1, toolchain go1.22.5-corp); those cannot be installed.</summary>
    private static GoVersion ReleaseVersion(string path, int line, string directive, string text)
        => GoVersion.TryParse(text)
            ?? throw new GoDebugException($"{path}:{line}: {directive} '{text}' is not a Go release version (expected e.g. 1.23.0, or go1.23.0 for toolchain).");

    private static string? FindUpwards(string directory, string fileName)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, fileName);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }
}
