using System.Globalization;
using System.Text.RegularExpressions;

namespace GoDebug.Tasks.Profiling;

/// <summary>Parses the text forms front ends receive: profile lists and sizes.</summary>
public static partial class ProfileSet
{
    /// <summary>
    /// "heap,cpu,trace" (commas or semicolons; pprof's own names such as <c>profile</c> and <c>threadcreate</c> work
    /// too; "all" or empty means every profile) into profile kinds.
    /// </summary>
    /// <param name="text">The list.</param>
    /// <returns>The kinds, empty for all.</returns>
    /// <exception cref="Diagnostics.GoDebugException">An entry names no profile.</exception>
    public static IReadOnlyList<ProfileKind> Parse(string? text)
    {
        var entries = (text ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0 || entries.Any(e => e.Equals("all", StringComparison.OrdinalIgnoreCase))) return [];
        return entries.Select(e => ProfileKinds.TryParse(e)
                ?? throw ProfilingCodes.Error(ProfilingCodes.BadSetting, $"'{e}' is not a profile; use any of: all, {string.Join(", ", ProfileKinds.All.Select(ProfileKinds.Endpoint))}, cpu.", Diagnostics.FixHint.Set(Diagnostics.GoSetting.ProfileSet, "heap,goroutine,cpu")))
            .Distinct().ToList();
    }

    /// <summary>"8MB", "512KiB", "1.5GB", "1048576" (bytes; KB/MB/GB are powers of 1024 here, as Go's runtime reports memory); null when unreadable.</summary>
    /// <param name="text">The size.</param>
    /// <returns>Bytes, or null.</returns>
    public static long? TryParseSize(string? text)
    {
        var match = SizeRegex().Match(text ?? string.Empty);
        if (!match.Success) return null;
        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var scale = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1L,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0L,
        };
        return scale == 0 ? null : (long)(number * scale);
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")]
    private static partial Regex SizeRegex();
}
