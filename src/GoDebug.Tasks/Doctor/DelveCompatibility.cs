using System.Globalization;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>Which Go a Delve release can debug.</summary>
internal static partial class DelveCompatibility
{
    /// <summary>"Delve Debugger\nVersion: 1.20.2\nBuild: …" → (1, 20, 2); null when no version line.</summary>
    public static Version? ParseVersionOutput(string output)
    {
        var m = VersionLine().Match(output);
        return m.Success
            ? new Version(Number(m, "major"), Number(m, "minor"), Number(m, "patch"))
            : null;
    }

    /// <summary>
    /// The newest Go language version a Delve release supports. Since 1.20 Delve's minor tracks Go's
    /// (1.20.x → Go 1.20, 1.21.x → Go 1.21, …). Before that, 1.7–1.9 supported Go 1.17–1.19, and the
    /// numbers 1.10–1.19 were skipped, so anything else below 1.20 is treated as at most Go 1.19.
    /// </summary>
    public static GoVersion MaxSupportedGo(Version delve)
    {
        var goMinor = delve.Minor >= 20 ? delve.Minor
            : delve.Minor <= 9 ? delve.Minor + 10
            : 19;
        return GoVersion.Parse($"1.{goMinor}");
    }

    public static bool Supports(Version delve, GoVersion go)
        => delve.Major > 1 || go.Language <= MaxSupportedGo(delve);

    private static int Number(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*Version:\s*v?(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
