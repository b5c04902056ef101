using System.Text;

namespace GoDebug.Tasks.Building;

/// <summary>
/// The part of a .go file that decides which files a build reads, in a canonical form: its build constraints, package
/// name, the sorted set of paths it imports and its <c>//go:embed</c> lines. An edit that leaves this unchanged cannot
/// change what go list reports, so the build skips go list and rebuilds from the recorded inputs. Comments, layout,
/// import order and aliases are left out (a doc comment edited, goimports regrouping the block, <c>go list</c> ran
/// for nothing: 258 ms of the first reload of the sample app); a file importing "C" keeps its whole header as
/// written, since its preamble feeds cgo.
/// </summary>
internal static class GoSourceHeader
{
    /// <summary>The header text, or null when the file does not scan as Go (the caller then treats every edit as structural).</summary>
    public static string? Extract(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var scanner = new Scanner(source);
        if (scanner.NextWord() != "package") return null;
        var clause = scanner.Position - "package".Length;
        if (scanner.NextWord() is not { } name) return null;
        var header = new StringBuilder();
        // go reads build constraints only above the package clause.
        foreach (var line in source[..clause].Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("//go:build", StringComparison.Ordinal) || trimmed.StartsWith("// +build", StringComparison.Ordinal)) header.Append(trimmed).Append('\n');
        }

        header.Append("package ").Append(name).Append('\n');
        var imports = new SortedSet<string>(StringComparer.Ordinal);
        var end = scanner.Position;
        while (true)
        {
            var word = scanner.NextWord();
            if (scanner.Failed) return null;
            if (word != "import") break;
            if (!scanner.ReadImportSpec(imports)) return null;
            end = scanner.Position;
        }

        if (imports.Contains("C")) header.Append(source, 0, end).Append('\n');
        foreach (var path in imports) header.Append("import ").Append(path).Append('\n');
        foreach (var line in source.Split('\n'))
        {
            if (line.TrimStart().StartsWith("//go:embed", StringComparison.Ordinal)) header.Append(line.Trim()).Append('\n');
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

        /// <summary>Reads <c>"path"</c>, <c>name "path"</c> or a parenthesised group of those, adding each path.</summary>
        public bool ReadImportSpec(ISet<string> paths)
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

                    if (!ReadSingleSpec(paths)) return false;
                }
            }

            return ReadSingleSpec(paths);
        }

        private bool ReadSingleSpec(ISet<string> paths)
        {
            if (Position < text.Length && text[Position] is '.' or '_') Position++;
            else NextWord();
            SkipTrivia();
            var start = Position;
            if (!SkipString()) return false;
            paths.Add(text[(start + 1)..(Position - 1)]);
            return true;
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
