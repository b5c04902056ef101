using System.Text;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// The files and commands a GitHub Actions step talks to its runner through: <c>$GITHUB_OUTPUT</c>
/// (step outputs, heredoc form), <c>$GITHUB_STEP_SUMMARY</c> (Markdown, at most 1 MiB per step) and the
/// <c>::add-mask::</c> command.
/// </summary>
internal static class WorkflowFiles
{
    /// <summary>GitHub rejects a step summary over 1 MiB and shows none of it.</summary>
    public const int SummaryLimitBytes = 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Appends <c>name&lt;&lt;DELIM … DELIM</c> to the output file: the form the runner reads for any value,
    /// multi-line included. The delimiter is random and checked against the value, so a value can never end
    /// the block early and inject another output.
    /// </summary>
    public static void AppendOutput(string path, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            throw new GoDebugException($"Step output name '{name}' is not valid: use letters, digits, '_' or '-'.");
        }

        string delimiter;
        do
        {
            delimiter = "ghadelimiter_" + Guid.NewGuid().ToString("N");
        }
        while (value.Contains(delimiter, StringComparison.Ordinal));
        AppendWhole(path, $"{name}<<{delimiter}\n{value}\n{delimiter}\n");
    }

    /// <summary>
    /// Appends <paramref name="markdown"/> to the step summary file. When the file would pass
    /// <see cref="SummaryLimitBytes"/>, the text is cut at a line boundary and a note says how much was left
    /// out, so the summary is shortened, never rejected. Returns false when it had to cut.
    /// </summary>
    public static bool AppendSummary(string path, string markdown)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        var text = markdown.EndsWith('\n') ? markdown : markdown + "\n";
        var bytes = Utf8.GetByteCount(text);
        if (existing + bytes <= SummaryLimitBytes)
        {
            AppendWhole(path, text);
            return true;
        }

        // The note's length depends on the count it names; the full size is an upper bound on that count.
        string Note(long omitted) => FormattableString.Invariant($"\n> **Summary truncated:** GitHub shows at most 1 MiB per step; {omitted:N0} of {bytes:N0} bytes were left out. The full log has everything.\n");
        var room = SummaryLimitBytes - existing - Utf8.GetByteCount(Note(bytes));
        var cut = CutAtLine(text, Math.Max(0, room));
        AppendWhole(path, cut + Note(bytes - Utf8.GetByteCount(cut)));
        return false;
    }

    /// <summary>The <c>::add-mask::</c> lines for <paramref name="secret"/>: one per line, since the runner masks line by line.</summary>
    public static IEnumerable<string> MaskCommands(string secret)
        => secret.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => "::add-mask::" + l);

    /// <summary>The longest prefix of <paramref name="text"/> ending at a newline that fits in <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    private static string CutAtLine(string text, long maxBytes)
    {
        var used = 0L;
        var end = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length;
            var size = pair ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            if (used + size > maxBytes) break;
            used += size;
            if (pair) i++;
            else if (text[i] == '\n') end = i + 1;
        }

        return text[..end];
    }

    /// <summary>One write per block: two steps' processes appending at once never interleave inside a block.</summary>
    private static void AppendWhole(string path, string text)
    {
        var bytes = Utf8.GetBytes(text);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(bytes);
    }
}
