using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// How the Go and Delve installers report walking their sources: each fallback says on one line why the source
/// before it gave nothing, and when none gives anything the error lists every refusal once, in full.
/// </summary>
internal static class SourceChain
{
    /// <summary>Logs <paramref name="refusal"/> (the source that gave nothing and why) and the source tried next, on one line.</summary>
    public static void FallingBack(IGoDebugLog log, string refusal, string next) => log.Info($"{OneLine(refusal).TrimEnd('.')}; trying {next} next.");

    /// <summary><paramref name="headline"/> followed by one "Tried:" list of every refusal.</summary>
    public static string Tried(string headline, IEnumerable<string> refusals)
        => headline + " Tried:" + string.Concat(refusals.Select(r => Environment.NewLine + "  - " + r));

    /// <summary>
    /// A refusal as one line: a failed command's output can run to many lines, and its first line (the command)
    /// and last (go's own error, as a rule) say why.
    /// </summary>
    internal static string OneLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length switch
        {
            0 => string.Empty,
            1 => lines[0],
            _ => $"{lines[0]} … {lines[^1]}",
        };
    }
}
