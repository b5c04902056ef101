using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// Rewrites one array of a JSON-with-comments file in place: chosen elements are dropped, new ones
/// appended, and every other byte (the user's comments, formatting, trailing commas, other
/// elements) stays exactly as it was. Used for launch.json so a merge does not strip the user's comments.
/// </summary>
internal static class JsoncArraySplice
{
    private enum T { Open, Close, OpenArray, CloseArray, Colon, Comma, String, Literal }

    private readonly record struct Token(T Kind, int Start, int End);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The text with the array at top-level key <paramref name="key"/> spliced, or null when the file has
    /// no such array (the caller then writes the file from scratch). The text must already be known to parse.
    /// </summary>
    public static string? Replace(string text, string key, Func<string, bool> drop, IReadOnlyList<JsonObject> append)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0 || tokens[0].Kind != T.Open) return null;
        var i = 1;
        while (i < tokens.Count && tokens[i].Kind == T.String)
        {
            var name = JsonSerializer.Deserialize<string>(text.AsSpan(tokens[i].Start, tokens[i].End - tokens[i].Start));
            var valueAt = i + 2;
            var after = SkipValue(tokens, valueAt);
            if (name == key)
            {
                return tokens[valueAt].Kind == T.OpenArray ? Splice(text, tokens, valueAt, after - 1, drop, append) : null;
            }

            i = after < tokens.Count && tokens[after].Kind == T.Comma ? after + 1 : after;
        }

        return null;
    }

    private static string Splice(string text, List<Token> tokens, int open, int close, Func<string, bool> drop, IReadOnlyList<JsonObject> append)
    {
        var elements = new List<(int LeadStart, int Start, int End)>();
        var k = open + 1;
        var leadStart = tokens[open].End;
        while (k < close)
        {
            var end = SkipValue(tokens, k);
            elements.Add((leadStart, tokens[k].Start, tokens[end - 1].End));
            if (end < close && tokens[end].Kind == T.Comma)
            {
                leadStart = tokens[end].End;
                end++;
            }
            else
            {
                leadStart = tokens[end - 1].End;
            }

            k = end;
        }

        var trailingStart = leadStart;
        var firstLead = elements.Count > 0 ? text[elements[0].LeadStart..elements[0].Start] : text[tokens[open].End..tokens[close].Start];
        var newline = firstLead.LastIndexOf('\n');
        var indent = newline >= 0 && firstLead[(newline + 1)..].All(c => c is ' ' or '\t') && firstLead.Length > newline + 1 ? firstLead[(newline + 1)..] : LineIndent(text, tokens[open].Start) + "  ";

        var parts = new List<string>();
        foreach (var (lead, start, end) in elements)
        {
            if (!drop(text[start..end])) parts.Add(text[lead..start] + text[start..end]);
        }

        foreach (var o in append)
        {
            parts.Add("\n" + indent + o.ToJsonString(Indented).Replace("\n", "\n" + indent, StringComparison.Ordinal));
        }

        var trailing = text[trailingStart..tokens[close].Start];
        if (!trailing.Contains('\n', StringComparison.Ordinal)) trailing = "\n" + LineIndent(text, tokens[open].Start) + trailing.TrimStart();
        return new StringBuilder(text.Length + 1024)
            .Append(text, 0, tokens[open].End)
            .AppendJoin(',', parts)
            .Append(trailing)
            .Append(text, tokens[close].Start, text.Length - tokens[close].Start)
            .ToString();
    }

    private static string LineIndent(string text, int at)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        var n = 0;
        while (lineStart + n < text.Length && text[lineStart + n] is ' ' or '\t') n++;
        return text.Substring(lineStart, n);
    }

    /// <summary>Index just past the value starting at token <paramref name="i"/>.</summary>
    private static int SkipValue(List<Token> tokens, int i)
    {
        if (tokens[i].Kind is not (T.Open or T.OpenArray)) return i + 1;
        var depth = 0;
        do
        {
            depth += tokens[i].Kind is T.Open or T.OpenArray ? 1 : tokens[i].Kind is T.Close or T.CloseArray ? -1 : 0;
            i++;
        }
        while (depth > 0 && i < tokens.Count);
        return i;
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') i++;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
            }
            else if (c == '"')
            {
                var start = i++;
                while (i < s.Length && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
                tokens.Add(new Token(T.String, start, ++i));
            }
            else if ("{}[]:,".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(c switch { '{' => T.Open, '}' => T.Close, '[' => T.OpenArray, ']' => T.CloseArray, ':' => T.Colon, _ => T.Comma }, i, ++i));
            }
            else
            {
                var start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]) && !"{}[]:,/\"".Contains(s[i], StringComparison.Ordinal)) i++;
                tokens.Add(new Token(T.Literal, start, i));
            }
        }

        return tokens;
    }
}
