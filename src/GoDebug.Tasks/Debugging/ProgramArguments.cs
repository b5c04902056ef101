using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// Splits one line of program arguments into words the way a POSIX shell does, so a build script can take
/// them as a single option value: blanks separate words, <c>'...'</c> keeps everything literally,
/// <c>"..."</c> keeps everything but a backslash before <c>" \ $ `</c> or a newline, and an unquoted backslash
/// keeps the next character.
/// </summary>
/// <remarks>
/// Nothing is expanded: a shell would replace <c>$NAME</c>, <c>`command`</c> and a word-leading <c>~</c> (or one after
/// the <c>=</c> of <c>NAME=~/dir</c>), treat
/// <c>| &amp; ; &lt; &gt; ( )</c> as operators and a word-leading <c>#</c> as a comment, none of which a list of
/// program arguments can express, so those characters are refused unless quoted (<c>$</c> and <c>`</c> inside
/// single quotes only) rather than passed on with a meaning the user did not intend. Glob characters stay
/// literal, as a shell leaves a pattern that matches no file.
/// </remarks>
public static partial class ProgramArguments
{
    /// <summary>Splits <paramref name="line"/> into arguments.</summary>
    /// <param name="line">The arguments as they would be typed after the program's name in a shell.</param>
    /// <param name="source">What the line came from (an option or property name), named in every error.</param>
    /// <returns>The words, quotes removed; empty for a blank line.</returns>
    /// <exception cref="GoDebugException">An unterminated quote or an unquoted shell operator or expansion;
    /// the message names <paramref name="source"/> and the character's position.</exception>
    public static IReadOnlyList<string> Parse(string? line, string source)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(line)) return words;
        var word = new StringBuilder();
        // A word exists once any character or quote of it was seen: '' is an empty argument, blanks are none.
        var inWord = false;
        // bash expands ~ after the = (and after a :) of a word shaped like an assignment, NAME=~/x, unless it quoted any of it.
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = quoted = false;
                    break;
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) throw Unterminated(line, source, "single", i);
                    word.Append(line, i + 1, close - i - 1);
                    i = close;
                    inWord = quoted = true;
                    break;
                case '"':
                    i = DoubleQuoted(line, source, i, word);
                    inWord = quoted = true;
                    break;
                case '\\':
                    if (i + 1 == line.Length)
                    {
                        // bash keeps a backslash that ends the input.
                        word.Append('\\');
                    }
                    else if (line[++i] != '\n')
                    {
                        word.Append(line[i]);
                        quoted = true;
                    }

                    inWord = true;
                    break;
                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '$' or '`':
                case '#' or '~' when !inWord:
                case '~' when !quoted && line[i - 1] is '=' or ':' && AssignmentName().IsMatch(word.ToString()):
                    throw Refused(line, source, i);
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>Appends the double-quoted text opening at <paramref name="open"/>; returns the closing quote's index.</summary>
    private static int DoubleQuoted(string line, string source, int open, StringBuilder word)
    {
        for (var i = open + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"') return i;
            if (c is '$' or '`') throw Refused(line, source, i);
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`' or '\n')
            {
                if (line[++i] != '\n') word.Append(line[i]);
                continue;
            }

            word.Append(c);
        }

        throw Unterminated(line, source, "double", open);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=", RegexOptions.CultureInvariant)]
    private static partial Regex AssignmentName();

    private static GoDebugException Unterminated(string line, string source, string kind, int at)
        => new($"{source}: unterminated {kind} quote opened at character {at + 1} of: {line}");

    private static GoDebugException Refused(string line, string source, int at)
    {
        var meaning = line[at] switch
        {
            '$' or '`' or '~' => "expanded",
            '#' => "the start of a comment",
            _ => "an operator",
        };
        return new($"{source}: '{line[at]}' at character {at + 1} would be {meaning} in a shell and cannot be passed to the program; put it in single quotes to pass it as text: {line}");
    }
}
