using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>Turns MSBuild property strings into settings values, naming the property when one is wrong.</summary>
internal static class TaskInputs
{
    /// <summary>Empty means <paramref name="fallback"/>; anything else must name a member of <typeparamref name="TEnum"/> (any case).</summary>
    public static TEnum ParseEnum<TEnum>(string? value, string property, TEnum fallback)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        // Enum.TryParse also accepts numbers ("7"), which are never a meaningful property value here.
        var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? Enum.Parse<TEnum>(match)
            : throw new GoDebugException($"{property}='{value}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Empty means null (the engine decides); otherwise <c>true</c> or <c>false</c>, any case.</summary>
    public static bool? ParseOptionalBool(string? value, string property)
        => NullIfEmpty(value) is not { } text ? null
            : bool.TryParse(text, out var parsed) ? parsed
            : throw new GoDebugException($"{property}='{value}' is neither true nor false (leave it empty to let the step decide).");

    public static IReadOnlyList<string> List(IEnumerable<ITaskItem>? items)
        => items?.Select(i => i.ItemSpec.Trim()).Where(s => s.Length > 0).ToArray() ?? [];

    /// <summary>
    /// The go at <paramref name="executable"/>. Its version comes from <paramref name="knownVersion"/>
    /// (GoEnsureToolchain's <c>GoVersionResolved</c>) when that parses, so an incremental build does not
    /// start <c>go version</c> again for every task; otherwise from running it.
    /// </summary>
    public static async Task<GoTool> GoToolAsync(string executable, string? knownVersion, CancellationToken cancellationToken)
        => GoVersion.TryParse(knownVersion) is { } version
            ? new GoTool(Path.GetFullPath(executable), version, GoTool.EnvironmentFor(executable))
            : await GoTool.FromExecutableAsync(executable, cancellationToken).ConfigureAwait(false);
}
