using System.Text;

namespace GoDebug.Tasks.Workspace;

/// <summary>A unified diff (<c>diff -u</c> form, 3 lines of context) of two small text files.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string oldText, string newText, string oldLabel, string newLabel)
    {
        if (string.Equals(oldText, newText, StringComparison.Ordinal)) return string.Empty;
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var ops = Edits(a, b);
        var sb = new StringBuilder().Append("--- ").AppendLine(oldLabel).Append("+++ ").AppendLine(newLabel);
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // Grow a hunk while changes are at most 2*Context unchanged lines apart.
            var start = Math.Max(0, i - Context);
            var end = i;
            var lastChange = i;
            while (end < ops.Count && end - lastChange <= 2 * Context)
            {
                if (ops[end].Kind != ' ') lastChange = end;
                end++;
            }

            end = Math.Min(ops.Count, lastChange + Context + 1);
            var hunk = ops.GetRange(start, end - start);
            var oldStart = hunk[0].OldIndex + 1;
            var newStart = hunk[0].NewIndex + 1;
            var oldCount = hunk.Count(o => o.Kind != '+');
            var newCount = hunk.Count(o => o.Kind != '-');
            sb.Append("@@ -").Append(Range(oldCount == 0 ? oldStart - 1 : oldStart, oldCount))
              .Append(" +").Append(Range(newCount == 0 ? newStart - 1 : newStart, newCount)).AppendLine(" @@");
            foreach (var op in hunk) sb.Append(op.Kind).AppendLine(op.Text);
            i = end;
        }

        return sb.ToString();
    }

    private static string Range(int start, int count) => count == 1 ? start.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{start},{count}");

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private readonly record struct Op(char Kind, string Text, int OldIndex, int NewIndex);

    /// <summary>Longest-common-subsequence edit script; common head and tail are trimmed first so the table stays small.</summary>
    private static List<Op> Edits(string[] a, string[] b)
    {
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail]) tail++;
        var n = a.Length - head - tail;
        var m = b.Length - head - tail;
        var lcs = new int[n + 1, m + 1];
        for (var x = n - 1; x >= 0; x--)
        {
            for (var y = m - 1; y >= 0; y--)
            {
                lcs[x, y] = a[head + x] == b[head + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
            }
        }

        var ops = new List<Op>(a.Length + b.Length);
        for (var k = 0; k < head; k++) ops.Add(new Op(' ', a[k], k, k));
        int p = 0, q = 0;
        while (p < n || q < m)
        {
            if (p < n && q < m && a[head + p] == b[head + q])
            {
                ops.Add(new Op(' ', a[head + p], head + p, head + q));
                p++;
                q++;
            }
            else if (p < n && (q == m || lcs[p + 1, q] >= lcs[p, q + 1]))
            {
                ops.Add(new Op('-', a[head + p], head + p, head + q));
                p++;
            }
            else
            {
                ops.Add(new Op('+', b[head + q], head + p, head + q));
                q++;
            }
        }

        for (var k = 0; k < tail; k++) ops.Add(new Op(' ', a[a.Length - tail + k], a.Length - tail + k, b.Length - tail + k));
        return ops;
    }
}
