using System.Globalization;
using System.Text;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Workspace;

/// <summary>A place in a go.mod/go.work: 1-based line and 1-based rune column, as Go's modfile counts them.</summary>
internal readonly record struct GoModPosition(int Line, int Column, int Offset);

/// <summary>One lexical token of a go.mod/go.work line.</summary>
internal readonly record struct GoModToken(string Text, GoModPosition Start, bool IsString);

/// <summary>A directive line: its tokens (the verb first unless it sits in a block) and the comments Go attaches to it.</summary>
internal sealed class GoModLine
{
    public required IReadOnlyList<GoModToken> Tokens { get; init; }

    public List<string> Before { get; } = [];

    public List<string> Suffix { get; } = [];

    public GoModPosition Start => Tokens[0].Start;

    /// <summary>Offset just past the line's last character (newline excluded), for copying the source text verbatim.</summary>
    public int EndOffset { get; set; }
}

/// <summary>A top-level statement: a single line or a <c>verb ( ... )</c> block.</summary>
internal sealed class GoModStatement
{
    public required IReadOnlyList<GoModToken> Verb { get; init; }

    /// <summary>Null for a single-line statement; the block's lines otherwise.</summary>
    public List<GoModLine>? Block { get; init; }

    /// <summary>The single line (verb included) when <see cref="Block"/> is null.</summary>
    public GoModLine? Line { get; init; }

    public List<string> Before { get; } = [];

    public List<string> Suffix { get; } = [];

    public int StartOffset { get; set; }

    public int EndOffset { get; set; }

    public GoModPosition Start => Verb[0].Start;
}

/// <summary>
/// Lexer and statement parser with the grammar of golang.org/x/mod/modfile (read.go): tokens are
/// identifiers, "interpreted" and `raw` strings and ( ) [ ] { } , punctuation; <c>//</c> comments
/// run to the end of the line; a line ending in <c>(</c> opens a block closed by a line holding <c>)</c>.
/// </summary>
internal sealed class GoModSyntaxParser
{
    private enum Kind { Newline, LParen, RParen, Punct, String, Ident, Comment, EolComment, Eof }

    private readonly record struct Tok(Kind Kind, string Text, GoModPosition Start, int End);

    private readonly string _file;
    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _column = 1;
    private Tok _next;

    private GoModSyntaxParser(string file, string text)
    {
        _file = file;
        _text = text;
        _next = Read();
    }

    public static List<GoModStatement> Parse(string file, string text) => new GoModSyntaxParser(file, text).ParseFile();

    /// <summary>The error every parse problem becomes: file:line:column, the message and the offending token.</summary>
    public static GoDebugException Error(string file, GoModPosition at, string message, string? token)
        => new($"{file}:{at.Line}:{at.Column}: {message}{(string.IsNullOrEmpty(token) ? string.Empty : $" (at '{token}')")}");

    private List<GoModStatement> ParseFile()
    {
        var statements = new List<GoModStatement>();
        List<string>? pending = null;
        while (true)
        {
            switch (_next.Kind)
            {
                case Kind.Newline:
                    Lex();
                    pending = null;
                    break;
                case Kind.Comment:
                    (pending ??= []).Add(Lex().Text);
                    break;
                case Kind.Eof:
                    return statements;
                default:
                    var statement = ParseStatement(inBlock: false);
                    if (pending is not null)
                    {
                        statement.Before.AddRange(pending);
                        statement.Line?.Before.AddRange(pending);
                    }

                    pending = null;
                    statements.Add(statement);
                    break;
            }
        }
    }

    /// <summary>One line's tokens; at top level a line ending in "(" opens a block instead (Go's parseStmt and parseLine in one).</summary>
    private GoModStatement ParseStatement(bool inBlock)
    {
        var first = Lex();
        var tokens = new List<GoModToken> { ToToken(first) };
        var end = first.End;
        while (true)
        {
            var tok = Lex();
            if (IsEol(tok.Kind))
            {
                var line = new GoModLine { Tokens = tokens, EndOffset = end };
                if (tok.Kind == Kind.EolComment) line.Suffix.Add(tok.Text);
                return new GoModStatement { Verb = tokens, Line = line, StartOffset = first.Start.Offset, EndOffset = end };
            }

            if (inBlock)
            {
                tokens.Add(ToToken(tok));
                end = tok.End;
                continue;
            }

            if (tok.Kind == Kind.LParen && IsEol(_next.Kind))
            {
                return ParseBlock(tokens, first.Start.Offset);
            }

            if (tok.Kind == Kind.LParen && _next.Kind == Kind.RParen)
            {
                var rparen = Lex();
                if (IsEol(_next.Kind))
                {
                    var eol = Lex();
                    var empty = new GoModStatement { Verb = tokens, Block = [], StartOffset = first.Start.Offset, EndOffset = rparen.End };
                    if (eol.Kind == Kind.EolComment) empty.Suffix.Add(eol.Text);
                    return empty;
                }

                tokens.Add(ToToken(tok));
                tokens.Add(ToToken(rparen));
                end = rparen.End;
                continue;
            }

            tokens.Add(ToToken(tok));
            end = tok.End;
        }
    }

    private GoModStatement ParseBlock(List<GoModToken> verb, int startOffset)
    {
        var lines = new List<GoModLine>();
        var comments = new List<string>();
        while (true)
        {
            switch (_next.Kind)
            {
                case Kind.EolComment:
                    // The comment after "(" belongs to the parenthesis, not to any directive.
                    Lex();
                    break;
                case Kind.Newline:
                    Lex();
                    if ((comments.Count == 0 && lines.Count > 0) || (comments.Count > 0 && comments[^1].Length > 0)) comments.Add(string.Empty);
                    break;
                case Kind.Comment:
                    comments.Add(Lex().Text);
                    break;
                case Kind.Eof:
                    throw Error(_file, _next.Start, $"syntax error (unterminated block started at {_file}:{verb[0].Start.Line}:{verb[0].Start.Column})", string.Join(' ', verb.Select(t => t.Text)) + " (");
                case Kind.RParen:
                    var rparen = Lex();
                    if (!IsEol(_next.Kind))
                    {
                        throw Error(_file, _next.Start, "syntax error (expected newline after closing paren)", _next.Text);
                    }

                    var eol = Lex();
                    var block = new GoModStatement { Verb = verb, Block = lines, StartOffset = startOffset, EndOffset = rparen.End };
                    if (eol.Kind == Kind.EolComment) block.Suffix.Add(eol.Text);
                    return block;
                default:
                    var line = ParseStatement(inBlock: true).Line!;
                    line.Before.AddRange(comments);
                    comments.Clear();
                    lines.Add(line);
                    break;
            }
        }
    }

    private static bool IsEol(Kind kind) => kind is Kind.Newline or Kind.EolComment or Kind.Eof;

    private static GoModToken ToToken(Tok tok) => new(tok.Text, tok.Start, tok.Kind == Kind.String);

    private Tok Lex()
    {
        var tok = _next;
        _next = Read();
        return tok;
    }

    private GoModPosition Here => new(_line, _column, _pos);

    private Tok Read()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\r')
            {
                Advance();
                continue;
            }

            if (At("//"))
            {
                var start = Here;
                var lineStart = _text.LastIndexOf('\n', Math.Max(_pos - 1, 0)) + 1;
                if (_pos == 0) lineStart = 0;
                var suffix = _text.AsSpan(lineStart, _pos - lineStart).Trim().Length > 0;
                while (_pos < _text.Length && Advance() != '\n')
                {
                }

                var text = _text[start.Offset.._pos].TrimEnd('\n');
                if (text.EndsWith('\r')) text = text[..^1];
                return new Tok(suffix ? Kind.EolComment : Kind.Comment, text, start, _pos);
            }

            if (At("/*")) throw Error(_file, Here, "mod files must use // comments (not /* */ comments)", "/*");
            break;
        }

        var begin = Here;
        if (_pos >= _text.Length) return new Tok(Kind.Eof, string.Empty, begin, _pos);
        var ch = _text[_pos];
        switch (ch)
        {
            case '\n':
                Advance();
                return new Tok(Kind.Newline, "\n", begin, _pos);
            case '(':
                Advance();
                return new Tok(Kind.LParen, "(", begin, _pos);
            case ')':
                Advance();
                return new Tok(Kind.RParen, ")", begin, _pos);
            case '[' or ']' or '{' or '}' or ',':
                Advance();
                return new Tok(Kind.Punct, ch.ToString(), begin, _pos);
            case '"' or '`':
                Advance();
                while (true)
                {
                    if (_pos >= _text.Length) throw Error(_file, begin, "unexpected EOF in string", _text[begin.Offset..]);
                    if (_text[_pos] == '\n') throw Error(_file, Here, "unexpected newline in string", _text[begin.Offset.._pos]);
                    var r = Advance();
                    if (r == ch) break;
                    if (r == '\\' && ch != '`')
                    {
                        if (_pos >= _text.Length) throw Error(_file, begin, "unexpected EOF in string", _text[begin.Offset..]);
                        Advance();
                    }
                }

                return new Tok(Kind.String, _text[begin.Offset.._pos], begin, _pos);
        }

        if (!IsIdent(_pos)) throw Error(_file, begin, $"unexpected input character {QuoteRune(Rune.TryGetRuneAt(_text, _pos, out var bad) ? bad : Rune.ReplacementChar)}", null);
        while (_pos < _text.Length && IsIdent(_pos))
        {
            if (At("//")) break;
            if (At("/*")) throw Error(_file, Here, "mod files must use // comments (not /* */ comments)", "/*");
            Advance();
        }

        return new Tok(Kind.Ident, _text[begin.Offset.._pos], begin, _pos);
    }

    private bool At(string prefix) => string.CompareOrdinal(_text, _pos, prefix, 0, prefix.Length) == 0;

    private bool IsIdent(int i)
    {
        var c = _text[i];
        if (c < 0x80) return c > ' ' && c < 0x7f && c is not ('(' or ')' or '[' or ']' or '{' or '}' or ',');
        var rune = Rune.GetRuneAt(_text, i);
        if (rune.Value is ' ' or '(' or ')' or '[' or ']' or '{' or '}' or ',') return false;
        if (Rune.IsWhiteSpace(rune)) return false;
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    /// <summary>
    /// The rune as go's %q prints it (strconv.QuoteRune). Only runes that are not printable, or are spaces, stop the
    /// lexer, and those are always escaped: a byte-order mark reads <c>'\ufeff'</c>, as in go's message.
    /// </summary>
    private static string QuoteRune(Rune rune) => rune.Value switch
    {
        '\a' => @"'\a'",
        '\b' => @"'\b'",
        '\f' => @"'\f'",
        '\n' => @"'\n'",
        '\r' => @"'\r'",
        '\t' => @"'\t'",
        '\v' => @"'\v'",
        < 0x20 or 0x7f => string.Create(CultureInfo.InvariantCulture, $"'\\x{rune.Value:x2}'"),
        < 0x10000 => string.Create(CultureInfo.InvariantCulture, $"'\\u{rune.Value:x4}'"),
        _ => string.Create(CultureInfo.InvariantCulture, $"'\\U{rune.Value:x8}'"),
    };

    /// <summary>Consumes one rune (a surrogate pair counts once, as Go counts runes).</summary>
    private char Advance()
    {
        var c = _text[_pos];
        _pos += char.IsHighSurrogate(c) && _pos + 1 < _text.Length ? 2 : 1;
        if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        return c;
    }
}
