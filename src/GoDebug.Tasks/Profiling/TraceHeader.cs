using System.Text;
using System.Text.RegularExpressions;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// The 16-byte header every Go execution trace starts with: <c>go 1.NN trace</c> padded with NULs. The
/// format behind it changed in Go 1.22 (a new event model), so the Go version decides which
/// <c>go tool trace</c> can read it.
/// </summary>
internal sealed partial record TraceHeader(int Major, int Minor)
{
    public const int Length = 16;

    /// <summary>The language version as Go writes it, e.g. <c>1.23</c>.</summary>
    public string Version => $"{Major}.{Minor}";

    /// <summary>Traces of Go 1.22 and later use the new per-generation format.</summary>
    public bool IsGenerationFormat => Major > 1 || Minor >= 22;

    public static TraceHeader? TryParse(ReadOnlySpan<byte> data)
    {
        if (data.Length < Length) return null;
        var match = HeaderRegex().Match(Encoding.ASCII.GetString(data[..Length]));
        return match.Success ? new TraceHeader(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    public static TraceHeader? Read(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> buffer = stackalloc byte[Length];
        return stream.ReadAtLeast(buffer, Length, throwOnEndOfStream: false) == Length ? TryParse(buffer) : null;
    }

    [GeneratedRegex(@"^go (\d+)\.(\d+) trace\0+$")]
    private static partial Regex HeaderRegex();
}
