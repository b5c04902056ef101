using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Debugging;

/// <summary>Which built main package a debug session runs.</summary>
internal static class DebugTarget
{
    /// <summary>
    /// The target whose package is <paramref name="name"/> or ends with <c>/name</c>; with no name, the first
    /// (logging that there were several to choose from).
    /// </summary>
    public static GoBuildTargetResult Choose(GoBuildResult built, string? name, GoDebugHost host)
    {
        ArgumentNullException.ThrowIfNull(built);
        var wanted = name?.Trim() ?? string.Empty;
        var chosen = built.Targets
            .Where(t => wanted.Length == 0 || t.Package == wanted || t.Package.EndsWith("/" + wanted, StringComparison.Ordinal))
            .ToList();
        if (chosen.Count == 0)
        {
            throw new GoDebugException($"Program '{wanted}' matches none of the built main packages: {string.Join(", ", built.Targets.Select(t => t.Package))}.", FixHint.Set(GoSetting.Program, built.Targets[0].Package));
        }

        if (wanted.Length == 0 && chosen.Count > 1)
        {
            host.Log.Info($"Several main packages; debugging {chosen[0].Package} (to choose another: {host.Hints.Render(FixHint.Set(GoSetting.Program, "NAME"))}).");
        }

        return chosen[0];
    }
}
