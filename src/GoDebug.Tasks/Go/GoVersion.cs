using System.Globalization;
using System.Text.RegularExpressions;

namespace GoDebug.Tasks.Go;

/// <summary>
/// A Go release version as Go spells it: <c>1.22</c> (a language version), <c>1.22.3</c>,
/// <c>1.23rc1</c>, <c>1.21beta2</c>, with or without the <c>go</c> prefix. Ordered the way the Go
/// toolchain orders them: <c>1.21</c> &lt; <c>1.21rc1</c> &lt; <c>1.21.0</c> &lt; <c>1.21.1</c>.
/// </summary>
public sealed partial record GoVersion : IComparable<GoVersion>
{
    private GoVersion(int major, int minor, int? patch, string prerelease)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
    }

    /// <summary>Major version (1).</summary>
    public int Major { get; }

    /// <summary>Minor version (22 in 1.22.3).</summary>
    public int Minor { get; }

    /// <summary>Patch number, or null for a language version such as <c>1.22</c> or a pre-release.</summary>
    public int? Patch { get; }

    /// <summary><c>rc1</c>, <c>beta2</c>, or empty.</summary>
    public string Prerelease { get; }

    /// <summary>True for a full release such as <c>1.22.3</c> (a pinned version).</summary>
    public bool IsRelease => Patch is not null && Prerelease.Length == 0;

    /// <summary>The language version (<c>1.22</c>) this belongs to.</summary>
    public GoVersion Language => new(Major, Minor, null, string.Empty);

    /// <summary>Parses a version; returns null when <paramref name="text"/> is not one.</summary>
    public static GoVersion? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return null;
        var major = int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture);
        var minor = m.Groups["minor"].Success ? int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture) : 0;
        int? patch = m.Groups["patch"].Success ? int.Parse(m.Groups["patch"].Value, CultureInfo.InvariantCulture) : null;
        var pre = m.Groups["pre"].Value;
        if (pre.Length > 0 && patch is not null) return null;
        // Go 1.21 changed go lines to full versions: "go 1" alone still means 1.0.
        return new GoVersion(major, minor, patch, pre);
    }

    /// <summary>Parses a version or throws <see cref="FormatException"/> naming the text.</summary>
    public static GoVersion Parse(string text)
        => TryParse(text) ?? throw new FormatException($"'{text}' is not a Go version (expected e.g. 1.22, 1.22.3 or go1.23rc1)");

    /// <inheritdoc />
    public int CompareTo(GoVersion? other)
    {
        if (other is null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c != 0) return c;
        c = Minor.CompareTo(other.Minor);
        if (c != 0) return c;
        c = Rank(this).CompareTo(Rank(other));
        if (c != 0) return c;
        if (Patch is not null && other.Patch is not null) return Patch.Value.CompareTo(other.Patch.Value);
        return ComparePrerelease(Prerelease, other.Prerelease);
    }

    /// <summary>Compares by Go's ordering.</summary>
    public static bool operator <(GoVersion a, GoVersion b) => a.CompareTo(b) < 0;

    /// <summary>Compares by Go's ordering.</summary>
    public static bool operator >(GoVersion a, GoVersion b) => a.CompareTo(b) > 0;

    /// <summary>Compares by Go's ordering.</summary>
    public static bool operator <=(GoVersion a, GoVersion b) => a.CompareTo(b) <= 0;

    /// <summary>Compares by Go's ordering.</summary>
    public static bool operator >=(GoVersion a, GoVersion b) => a.CompareTo(b) >= 0;

    /// <summary><c>1.22.3</c>, <c>1.22</c>, <c>1.23rc1</c> (no <c>go</c> prefix).</summary>
    public override string ToString()
        => Patch is not null ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}{Prerelease}";

    /// <summary>The form Go's release names use: <c>go1.22.3</c>.</summary>
    public string ToGoString() => "go" + ToString();

    // Language version < pre-releases < releases, within one major.minor.
    private static int Rank(GoVersion v) => v.Patch is not null ? 2 : v.Prerelease.Length > 0 ? 1 : 0;

    private static int ComparePrerelease(string a, string b)
    {
        static (int kind, int n) Split(string p)
        {
            if (p.Length == 0) return (0, 0);
            var kind = p.StartsWith("alpha", StringComparison.Ordinal) ? 0 : p.StartsWith("beta", StringComparison.Ordinal) ? 1 : 2;
            var digits = new string(p.SkipWhile(ch => !char.IsDigit(ch)).ToArray());
            return (kind, digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture));
        }

        var (ka, na) = Split(a);
        var (kb, nb) = Split(b);
        return ka != kb ? ka.CompareTo(kb) : na.CompareTo(nb);
    }

    [GeneratedRegex(@"^(?:go)?(?<major>\d+)(?:\.(?<minor>\d+))?(?:\.(?<patch>\d+)|(?<pre>(?:alpha|beta|rc)\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
