using System.Text;

namespace GoDebug.Tasks.Building;

/// <summary>
/// The part of a .go file that decides which files a build reads: everything up to the end of its
/// import declarations (build constraints, package clause, cgo preamble, imports) plus its
/// <c>//go:embed</c> lines. An edit that leaves this unchanged cannot change what go list reports, so
/// the build skips go list and rebuilds from the recorded inputs.
/// </summary>
internal static class GoSourceHeader
{
    /// <summary>The header text, or null when the file does not scan as Go (the caller then treats every edit as structural).</summary>
    public static string? Extract(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var scanner = new Scanner(source);
        if (scanner.NextWord() != "package" || scanner.NextWord() is null) return null;
        var end = scanner.Position;
        while (true)
        {
            var word = scanner.NextWord();
            if (scanner.Failed) return null;
            if (word != "import") break;
            if (!scanner.SkipImportSpec()) return null;
            end = scanner.Position;
        }

        var header = new StringBuilder(source, 0, end, end + 64);
        foreach (var line in source.Split('\n'))
        {
            if (line.TrimStart().StartsWith("//go:embed", StringComparison.Ordinal)) header.Append('\n').Append(line.Trim());
        }

        return header.ToString();
    }

    private sealed class Scanner(string text)
    {
        public int Position { get; private set; }

        public bool Failed { get; private set; }

        /// <summary>The next identifier after spaces, comments and semicolons; null at anything else.</summary>
        public string? NextWord()
        {
            SkipTrivia();
            var start = Position;
            while (Position < text.Length && (char.IsLetterOrDigit(text[Position]) || text[Position] == '_')) Position++;
            return Position > start ? text[start..Position] : null;
        }

        /// <summary>Skips <c>"path"</c>, <c>name "path"</c> or a parenthesised group of those.</summary>
        public bool SkipImportSpec()
        {
            SkipTrivia();
            if (Position < text.Length && text[Position] == '(')
            {
                Position++;
                while (true)
                {
                    SkipTrivia();
                    if (Position >= text.Length) return false;
                    if (text[Position] == ')')
                    {
                        Position++;
                        return true;
                    }

                    if (!SkipSingleSpec()) return false;
                }
            }

            return SkipSingleSpec();
        }

        private bool SkipSingleSpec()
        {
            if (Position < text.Length && text[Position] is '.' or '_') Position++;
            else NextWord();
            SkipTrivia();
            return SkipString();
        }

        private bool SkipString()
        {
            if (Position >= text.Length || text[Position] is not ('"' or '`')) return false;
            var quote = text[Position++];
            while (Position < text.Length && text[Position] != quote)
            {
                if (quote == '"' && text[Position] == '\\') Position++;
                if (quote == '"' && text[Position] == '\n') return false;
                Position++;
            }

            if (Position >= text.Length) return false;
            Position++;
            return true;
        }

        private void SkipTrivia()
        {
            while (Position < text.Length)
            {
                var c = text[Position];
                if (char.IsWhiteSpace(c) || c == ';')
                {
                    Position++;
                }
                else if (c == '/' && Position + 1 < text.Length && text[Position + 1] == '/')
                {
                    var newline = text.IndexOf('\n', Position);
                    Position = newline < 0 ? text.Length : newline + 1;
                }
                else if (c == '/' && Position + 1 < text.Length && text[Position + 1] == '*')
                {
                    var close = text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        Failed = true;
                        Position = text.Length;
                        return;
                    }

                    Position = close + 2;
                }
                else
                {
                    return;
                }
            }
        }
    }
}
