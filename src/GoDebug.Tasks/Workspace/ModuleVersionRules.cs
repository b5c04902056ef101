using System.Globalization;
using System.Text;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// The checks golang.org/x/mod applies to strings, versions and paths in go.mod lines (module,
/// semver): canonical versions, /vN major suffixes, quoting.
/// </summary>
internal static class ModuleVersionRules
{
    /// <summary>Go's parseString: unquotes "..." (strconv.Unquote rules); any other quote character is refused.</summary>
    public static string? Unquote(string token, out string? error)
    {
        error = null;
        if (token.StartsWith('"')) return UnquoteInterpreted(token, out error);
        if (token.IndexOfAny(['"', '\'', '`']) >= 0)
        {
            // The go command lexes `raw` strings but refuses them (and stray quotes) in directive arguments.
            error = "unquoted string cannot contain quote";
            return null;
        }

        return token;
    }

    /// <summary>semver.Canonical plus a kept <c>+incompatible</c>, or null when not a semantic version.</summary>
    public static string? Canonical(string v)
    {
        if (!TryParseSemver(v, out var major, out var minor, out var patch, out var pre, out var build)) return null;
        var canonical = $"v{major}.{minor}.{patch}{pre}";
        return build == "+incompatible" ? canonical + build : canonical;
    }

    /// <summary>The major version ("v2") of a valid semantic version.</summary>
    public static string Major(string v) => TryParseSemver(v, out var major, out _, out _, out _, out _) ? "v" + major : string.Empty;

    /// <summary>module.SplitPathVersion: the "/vN" (or gopkg.in ".vN") suffix of a module path; false when it is malformed.</summary>
    public static bool TrySplitPathMajor(string path, out string pathMajor)
    {
        pathMajor = string.Empty;
        if (path.StartsWith("gopkg.in/", StringComparison.Ordinal))
        {
            var unstable = path.EndsWith("-unstable", StringComparison.Ordinal);
            var p = unstable ? path[..^"-unstable".Length] : path;
            var i = p.Length;
            while (i > 0 && char.IsAsciiDigit(p[i - 1])) i--;
            if (i <= 1 || i == p.Length || p[i - 1] != 'v' || p[i - 2] != '.') return false;
            if (p[i] == '0' && p.Length - i > 1) return false;
            pathMajor = path[(i - 2)..];
            return true;
        }

        var end = path.Length;
        var dot = false;
        while (end > 0 && (char.IsAsciiDigit(path[end - 1]) || path[end - 1] == '.'))
        {
            if (path[end - 1] == '.') dot = true;
            end--;
        }

        if (end <= 1 || end == path.Length || path[end - 1] != 'v' || path[end - 2] != '/') return true;
        var major = path[(end - 2)..];
        if (dot || major.Length <= 2 || major[2] == '0' || major == "/v1") return false;
        pathMajor = major;
        return true;
    }

    /// <summary>module.CheckPathMajor: null when <paramref name="version"/> fits the path's major suffix, else why not.</summary>
    public static string? CheckPathMajor(string version, string pathMajor)
    {
        if (pathMajor.StartsWith(".v", StringComparison.Ordinal) && pathMajor.EndsWith("-unstable", StringComparison.Ordinal)) return null;
        if (version.StartsWith("v0.0.0-", StringComparison.Ordinal) && pathMajor == ".v1") return null;
        var m = Major(version);
        string want;
        if (pathMajor.Length == 0)
        {
            if (m is "v0" or "v1" || version.EndsWith("+incompatible", StringComparison.Ordinal)) return null;
            want = "v0 or v1";
        }
        else
        {
            if (m == pathMajor[1..]) return null;
            want = pathMajor[1..];
        }

        return $"version {version} invalid: should be {want}, not {m}";
    }

    /// <summary>modfile.IsDirectoryPath: rooted or ./ ../ relative paths, in Unix and Windows spellings.</summary>
    public static bool IsDirectoryPath(string ns)
        => ns is "." or ".." || ns.StartsWith("./", StringComparison.Ordinal) || ns.StartsWith(@".\", StringComparison.Ordinal)
           || ns.StartsWith("../", StringComparison.Ordinal) || ns.StartsWith(@"..\", StringComparison.Ordinal)
           || ns.StartsWith('/') || ns.StartsWith('\\') || (ns.Length >= 2 && char.IsAsciiLetter(ns[0]) && ns[1] == ':');

    /// <summary>modfile.AutoQuote: quotes a token only when it could not stand alone on a go.mod line.</summary>
    public static string AutoQuote(string s)
    {
        var must = s.Length == 0 || s.Contains("//", StringComparison.Ordinal) || s.Contains("/*", StringComparison.Ordinal);
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value is ' ' or '"' or '\'' or '`') must = true;
            else if (r.Value is '(' or ')' or '[' or ']' or '{' or '}' or ',') must |= s.Length > 1;
            else if (Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned) must = true;
        }

        if (!must) return s;
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static bool TryParseSemver(string v, out string major, out string minor, out string patch, out string pre, out string build)
    {
        major = minor = patch = pre = build = string.Empty;
        if (v.Length < 2 || v[0] != 'v') return false;
        var i = 1;
        if (!Number(v, ref i, out major)) return false;
        if (i == v.Length)
        {
            minor = patch = "0";
            return true;
        }

        if (v[i] != '.') return false;
        i++;
        if (!Number(v, ref i, out minor)) return false;
        if (i == v.Length)
        {
            patch = "0";
            return true;
        }

        if (v[i] != '.') return false;
        i++;
        if (!Number(v, ref i, out patch)) return false;
        if (i < v.Length && v[i] == '-')
        {
            var start = i;
            i++;
            if (!Identifiers(v, ref i, prerelease: true)) return false;
            pre = v[start..i];
        }

        if (i < v.Length && v[i] == '+')
        {
            var start = i;
            i++;
            if (!Identifiers(v, ref i, prerelease: false)) return false;
            build = v[start..i];
        }

        return i == v.Length;
    }

    private static bool Number(string v, ref int i, out string digits)
    {
        var start = i;
        while (i < v.Length && char.IsAsciiDigit(v[i])) i++;
        digits = v[start..i];
        return digits.Length > 0 && (digits.Length == 1 || digits[0] != '0');
    }

    private static bool Identifiers(string v, ref int i, bool prerelease)
    {
        var start = i;
        while (true)
        {
            var idStart = i;
            while (i < v.Length && (char.IsAsciiLetterOrDigit(v[i]) || v[i] == '-')) i++;
            if (i == idStart) return false;
            var id = v.AsSpan(idStart, i - idStart);
            if (prerelease && id.Length > 1 && id[0] == '0' && !id.ContainsAnyExcept("0123456789")) return false;
            if (i < v.Length && v[i] == '.')
            {
                i++;
                continue;
            }

            return i > start;
        }
    }

    private static string? UnquoteInterpreted(string token, out string? error)
    {
        error = null;
        if (token.Length < 2 || token[^1] != '"')
        {
            error = "invalid syntax";
            return null;
        }

        var sb = new StringBuilder();
        for (var i = 1; i < token.Length - 1; i++)
        {
            var c = token[i];
            if (c == '"' || c == '\n')
            {
                error = "invalid syntax";
                return null;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= token.Length - 1)
            {
                error = "invalid syntax";
                return null;
            }

            var e = token[i];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case 'x' or 'u' or 'U':
                    var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n >= token.Length || !int.TryParse(token.AsSpan(i + 1, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || (e != 'x' && !Rune.IsValid(code)))
                    {
                        error = "invalid syntax";
                        return null;
                    }

                    // Go's \xNN is a byte; in a module path only ASCII makes sense, and that maps one to one.
                    sb.Append(e == 'x' ? ((char)code).ToString() : new Rune(code).ToString());
                    i += n;
                    break;
                case >= '0' and <= '7':
                    if (!IsOctal(token, i, 3, out var octal) || octal > 255)
                    {
                        error = "invalid syntax";
                        return null;
                    }

                    sb.Append((char)octal);
                    i += 2;
                    break;
                default:
                    error = "invalid syntax";
                    return null;
            }
        }

        return sb.ToString();
    }

    private static bool IsOctal(string s, int at, int count, out int value)
    {
        value = 0;
        for (var k = 0; k < count; k++)
        {
            if (at + k >= s.Length - 1 || s[at + k] is < '0' or > '7') return false;
            value = (value * 8) + (s[at + k] - '0');
        }

        return true;
    }
}
