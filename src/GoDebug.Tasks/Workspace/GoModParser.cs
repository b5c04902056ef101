using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// Reads go.mod and go.work files with the rules of the go command's strict (main module) parser, as the
/// release that will read them has them, and the model <c>go mod edit -json</c> / <c>go work edit -json</c> print
/// (entries with an empty path dropped, as modfile's Cleanup drops them). Any problem throws a
/// <see cref="GoDebugException"/> naming file:line:column and the offending token; no partial model is ever returned.
/// </summary>
/// <remarks>
/// <para>
/// <b>The Go in use</b> (<c>goInUse</c>) is the go command that will read the file: the toolchain a step resolved.
/// Each release's parser knows the directives of its time and refuses later ones as unknown (Go 1.23:
/// "unknown directive: tool"), and Go before 1.21 reads only two-part go lines. Where the parser runs before any
/// toolchain is resolved (the requirement resolver reading go.mod to choose one, a planner or check run without
/// go), it is null and the newest grammar this parser knows applies: the file is then read to learn what it asks
/// for, and the go command that later runs judges it by its own release's rules.
/// </para>
/// </remarks>
internal static partial class GoModParser
{
    private static readonly string[] ModBlocks = ["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"];
    private static readonly string[] WorkBlocks = ["godebug", "use", "replace"];

    /// <summary>Directives newer than Go 1.19, with the first go release whose parser accepts them.</summary>
    private static readonly (string Verb, GoVersion Since)[] NewerDirectives =
    [
        ("toolchain", GoVersion.Parse("1.21")),
        ("godebug", GoVersion.Parse("1.23")),
        ("tool", GoVersion.Parse("1.24")),
        ("ignore", GoVersion.Parse("1.25")),
    ];

    /// <summary>The first go whose parser takes three-part go lines (1.21.3) and prereleases (1.22rc1).</summary>
    private static readonly GoVersion ThreePartGoLines = GoVersion.Parse("1.21");

    public static GoModFile ReadMod(string path, GoVersion? goInUse = null) => ParseMod(Path.GetFullPath(path), ReadText(path), goInUse);

    public static GoWorkFile ReadWork(string path, GoVersion? goInUse = null) => ParseWork(Path.GetFullPath(path), ReadText(path), goInUse);

    public static GoModFile ParseMod(string file, string text, GoVersion? goInUse = null)
    {
        string? module = null;
        var moduleLine = 0;
        var deprecated = string.Empty;
        var common = new CommonDirectives();
        var require = new List<ModRequire>();
        var exclude = new List<ModuleVersion>();
        var retract = new List<ModRetract>();
        GoModLine? firstRetract = null;
        var tool = new List<string>();
        var ignore = new List<string>();

        foreach (var (statement, line, verb, args) in Lines(file, GoModSyntaxParser.Parse(file, text), ModBlocks, goInUse))
        {
            var ctx = new LineContext(file, line, verb, args, goInUse);
            if (common.TryAdd(ctx)) continue;
            switch (verb)
            {
                case "module":
                    if (module is not null) throw ctx.Fail("repeated module statement");
                    if (args.Count != 1) throw ctx.Fail("usage: module module/path");
                    module = ctx.String(0);
                    moduleLine = line.Start.Line;
                    deprecated = ParseDeprecation(DirectiveComment(statement, line));
                    break;
                case "require" or "exclude":
                    if (args.Count != 2) throw ctx.Fail($"usage: {verb} module/path v1.2.3");
                    var path = ctx.String(0);
                    var version = ctx.Version(1, path);
                    ctx.CheckMajor(path, version, 1);
                    if (verb == "require") require.Add(new ModRequire(path, version, IsIndirect(line), line.Start.Line));
                    else exclude.Add(new ModuleVersion(path, version));
                    break;
                case "retract":
                    retract.Add(ParseRetract(ctx, DirectiveComment(statement, line)));
                    firstRetract ??= line;
                    break;
                case "tool" or "ignore":
                    if (args.Count != 1) throw ctx.Fail($"{verb} directive expects exactly one argument");
                    (verb == "tool" ? tool : ignore).Add(ctx.String(0));
                    break;
                default:
                    throw ctx.Fail($"unknown directive: {verb}", 0, line.Tokens[0]);
            }
        }

        // modfile.fixRetract: a retraction names versions of the main module, so it needs a module line,
        // which may come anywhere in the file. Like the go command, only the first retract is reported.
        if (module is null && firstRetract is not null)
        {
            throw GoModSyntaxParser.Error(file, firstRetract.Start, "no module directive found, so retract cannot be used", string.Join(' ', firstRetract.Tokens.Select(t => t.Text)));
        }

        // modfile's Cleanup, which 'go mod edit' runs before printing: an entry with an empty path names nothing and
        // is dropped ('require "" v1.0.0' would otherwise reach the go command's loader, which panics on it).
        return new GoModFile(
            file, module ?? string.Empty, moduleLine, deprecated, common.Go, common.GoLine, common.Toolchain, common.ToolchainLine, common.CleanGodebug(),
            require.Where(r => r.Path.Length > 0).ToList(), FirstOfEach(exclude).Where(e => e.Path.Length > 0).ToList(), common.DistinctReplace(),
            retract.Where(r => r.Low.Length > 0 || r.High.Length > 0).ToList(), tool, ignore);
    }

    /// <summary>modfile's removeDups for exclude: the first line of a repeated path@version stays, in its place.</summary>
    private static List<ModuleVersion> FirstOfEach(List<ModuleVersion> exclude)
    {
        var seen = new HashSet<ModuleVersion>();
        return exclude.Where(seen.Add).ToList();
    }

    public static GoWorkFile ParseWork(string file, string text, GoVersion? goInUse = null)
    {
        var common = new CommonDirectives();
        var use = new List<WorkUse>();
        var statements = GoModSyntaxParser.Parse(file, text);
        foreach (var (_, line, verb, args) in Lines(file, statements, WorkBlocks, goInUse))
        {
            var ctx = new LineContext(file, line, verb, args, goInUse);
            if (common.TryAdd(ctx)) continue;
            if (verb != "use") throw ctx.Fail($"unknown directive: {verb}", 0, line.Tokens[0]);
            if (args.Count != 1) throw ctx.Fail("usage: use local/dir");
            var dir = ctx.String(0);
            // modfile's Cleanup: 'use ""' names no folder and is dropped.
            if (dir.Length > 0) use.Add(new WorkUse(dir, line.Start.Line));
        }

        // The first statement's leading comments are the file's header; they are kept once, as the header.
        var texts = statements.Select((s, i) => (s.Verb[0].Text, SourceText(text, s, includeComments: i > 0))).ToList();
        // Everything before the first directive is comments and blank lines: the file's header.
        var header = text[..(statements.Count > 0 ? statements[0].StartOffset : text.Length)].Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return new GoWorkFile(file, common.Go, common.GoLine, common.Toolchain, common.ToolchainLine, common.CleanGodebug(), use, common.DistinctReplace(), texts, header);
    }

    /// <summary>The statement's own text (leading comments and trailing comment included), line endings normalised.</summary>
    private static string SourceText(string text, GoModStatement s, bool includeComments)
    {
        var end = text.IndexOf('\n', s.EndOffset);
        var body = text[s.StartOffset..(end < 0 ? text.Length : end)].Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\r', ' ', '\t');
        return !includeComments || s.Before.Count == 0 ? body : string.Join('\n', s.Before) + "\n" + body;
    }

    /// <summary>
    /// The file's text as go reads it: UTF-8 bytes as they are. A byte-order mark stays in the text, where the lexer
    /// refuses it on line 1 as go does ("unexpected input character '\ufeff'"); File.ReadAllText would drop it silently.
    /// </summary>
    internal static string ReadText(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GoDebugException($"{path}: cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>Flattens statements into directive lines; a block's verb is prepended and its type checked.</summary>
    private static IEnumerable<(GoModStatement Statement, GoModLine Line, string Verb, List<GoModToken> Args)> Lines(string file, List<GoModStatement> statements, string[] blockVerbs, GoVersion? goInUse)
    {
        foreach (var s in statements)
        {
            if (s.Block is null)
            {
                var directive = s.Verb[0].Text;
                if (NotYetKnown(directive, goInUse) is { } since)
                {
                    throw GoModSyntaxParser.Error(file, s.Start, $"{directive}: unknown directive: {directive} (go {goInUse} reads no {directive} directive; go {since} and later do)", directive);
                }

                yield return (s, s.Line!, directive, s.Verb.Skip(1).ToList());
                continue;
            }

            var verb = string.Join(' ', s.Verb.Select(t => t.Text));
            if (s.Verb.Count > 1 || Array.IndexOf(blockVerbs, verb) < 0)
            {
                throw GoModSyntaxParser.Error(file, s.Start, $"unknown block type: {verb}", verb);
            }

            if (NotYetKnown(verb, goInUse) is { } blockSince)
            {
                throw GoModSyntaxParser.Error(file, s.Start, $"unknown block type: {verb} (go {goInUse} reads no {verb} directive; go {blockSince} and later do)", verb);
            }

            foreach (var line in s.Block)
            {
                yield return (s, line, verb, line.Tokens.ToList());
            }
        }
    }

    /// <summary>The first go release that reads <paramref name="verb"/>, when the Go in use predates it; null when it reads it.</summary>
    private static GoVersion? NotYetKnown(string verb, GoVersion? goInUse)
    {
        if (goInUse is null) return null;
        foreach (var (directive, since) in NewerDirectives)
        {
            if (directive == verb) return goInUse.Language < since ? since : null;
        }

        return null;
    }

    private static string ParseGo(LineContext ctx)
    {
        if (ctx.Args.Count != 1) throw ctx.Fail("go directive expects exactly one argument");
        var v = ctx.Args[0].Text;
        if (ctx.GoInUse is { } go && go.Language < ThreePartGoLines)
        {
            if (!TwoPartGoVersionPattern().IsMatch(v)) throw ctx.Fail($"invalid go version '{v}': must match format 1.23 (go {go} reads only two-part go versions; go {ThreePartGoLines} and later read more)", 0);
            return v;
        }

        if (!GoVersionPattern().IsMatch(v)) throw ctx.Fail($"invalid go version '{v}': must match format 1.23.0", 0);
        return v;
    }

    private static string ParseToolchain(LineContext ctx)
    {
        if (ctx.Args.Count != 1) throw ctx.Fail("toolchain directive expects exactly one argument");
        var v = ctx.Args[0].Text;
        if (!ToolchainPattern().IsMatch(v)) throw ctx.Fail($"invalid toolchain version '{v}': must match format go1.23.0 or default", 0);
        return v;
    }

    private static GoDebugSetting ParseGodebug(LineContext ctx)
    {
        if (ctx.Args.Count != 1 || ctx.Args[0].Text.IndexOfAny(['"', '`', '\'', ',']) >= 0) throw ctx.Fail("usage: godebug key=value", ctx.Args.Count > 0 ? 0 : -1);
        var at = ctx.Args[0].Text.IndexOf('=', StringComparison.Ordinal);
        if (at < 0) throw ctx.Fail("usage: godebug key=value", 0);
        return new GoDebugSetting(ctx.Args[0].Text[..at], ctx.Args[0].Text[(at + 1)..], ctx.Line.Start.Line);
    }

    private static ModReplace ParseReplace(LineContext ctx)
    {
        var args = ctx.Args;
        var arrow = args.Count >= 2 && args[1].Text == "=>" ? 1 : 2;
        if (args.Count < arrow + 2 || args.Count > arrow + 3 || args[arrow].Text != "=>")
        {
            throw ctx.Fail($"usage: {ctx.Verb} module/path [v1.2.3] => other/module v1.4 or {ctx.Verb} module/path [v1.2.3] => ../local/directory");
        }

        var oldPath = ctx.String(0);
        var oldVersion = string.Empty;
        if (arrow == 2)
        {
            oldVersion = ctx.Version(1, oldPath);
            ctx.CheckMajor(oldPath, oldVersion, 1);
        }
        else if (!ModuleVersionRules.TrySplitPathMajor(oldPath, out _))
        {
            throw ctx.Fail($"invalid module path {oldPath}", 0);
        }

        var newPath = ctx.String(arrow + 1);
        var newVersion = string.Empty;
        if (args.Count == arrow + 2)
        {
            if (!ModuleVersionRules.IsDirectoryPath(newPath))
            {
                throw ctx.Fail(newPath.Contains('@', StringComparison.Ordinal)
                    ? "replacement module must match format 'path version', not 'path@version'"
                    : "replacement module without version must be directory path (rooted or starting with . or ..)", arrow + 1);
            }

            if (Path.DirectorySeparatorChar == '/' && newPath.Contains('\\', StringComparison.Ordinal))
            {
                throw ctx.Fail("replacement directory appears to be Windows path (on a non-windows system)", arrow + 1);
            }
        }
        else
        {
            newVersion = ctx.Version(arrow + 2, newPath);
            if (ModuleVersionRules.IsDirectoryPath(newPath)) throw ctx.Fail($"replacement module directory path \"{newPath}\" cannot have version", arrow + 2);
        }

        return new ModReplace(new ModuleVersion(oldPath, oldVersion), new ModuleVersion(newPath, newVersion), ctx.Line.Start.Line);
    }

    /// <summary>
    /// modfile's parseVersionInterval with dontFixRetract: versions are only unquoted, never checked or made
    /// canonical, so <c>retract 1.0.0</c> and <c>retract latest</c> stay as written, as <c>go mod edit -json</c> prints them.
    /// </summary>
    private static ModRetract ParseRetract(LineContext ctx, string rationale)
    {
        var a = ctx.Args;
        if (a.Count == 0 || a[0].Text == "(") throw ctx.Fail("expected '[' or version", a.Count == 0 ? -1 : 0);
        string low, high;
        int next;
        if (a[0].Text != "[")
        {
            low = high = ctx.String(0);
            next = 1;
        }
        else
        {
            if (a.Count < 2) throw ctx.Fail("expected version after '['", 0);
            low = ctx.String(1);
            if (a.Count < 3 || a[2].Text != ",") throw ctx.Fail("expected ',' after version", a.Count < 3 ? 1 : 2);
            if (a.Count < 4) throw ctx.Fail("expected version after ','", 2);
            high = ctx.String(3);
            if (a.Count < 5 || a[4].Text != "]") throw ctx.Fail("expected ']' after version", a.Count < 5 ? 3 : 4);
            next = 5;
        }

        if (a.Count > next) throw ctx.Fail($"unexpected token after version: \"{a[next].Text}\"", next);
        return new ModRetract(low, high, rationale, ctx.Line.Start.Line);
    }

    /// <summary>modfile.parseDirectiveComment: the line's comments, else (in a block) the block's.</summary>
    private static string DirectiveComment(GoModStatement statement, GoModLine line)
    {
        IEnumerable<string> comments = line.Before.Concat(line.Suffix).ToList();
        if (statement.Block is not null && line.Before.Count == 0 && line.Suffix.Count == 0)
        {
            comments = statement.Before.Concat(statement.Suffix);
        }

        return string.Join('\n', comments.Where(c => c.StartsWith("//", StringComparison.Ordinal)).Select(c => c[2..].Trim()));
    }

    private static string ParseDeprecation(string comment)
    {
        var m = DeprecatedPattern().Match(comment);
        return m.Success ? m.Groups[1].Value : string.Empty;
    }

    private static bool IsIndirect(GoModLine line)
    {
        if (line.Suffix.Count == 0) return false;
        var f = line.Suffix[0][2..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (f.Length == 1 && f[0] == "indirect") || (f.Length > 1 && f[0] == "indirect;");
    }

    [GeneratedRegex(@"^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GoVersionPattern();

    [GeneratedRegex(@"^([1-9][0-9]*)\.(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TwoPartGoVersionPattern();

    [GeneratedRegex(@"^default$|^go1($|\.)", RegexOptions.CultureInvariant)]
    private static partial Regex ToolchainPattern();

    [GeneratedRegex(@"(?:^|\n\n)Deprecated: *(.*?)(?:\z|\n\n)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DeprecatedPattern();

    /// <summary>The directives go.mod and go.work share: go, toolchain, godebug, replace.</summary>
    private sealed class CommonDirectives
    {
        public string? Go { get; private set; }

        public int GoLine { get; private set; }

        public string? Toolchain { get; private set; }

        public int ToolchainLine { get; private set; }

        public List<GoDebugSetting> Godebug { get; } = [];

        /// <summary>modfile's Cleanup: a setting with an empty key is dropped.</summary>
        public List<GoDebugSetting> CleanGodebug() => Godebug.Where(g => g.Key.Length > 0).ToList();

        private readonly List<ModReplace> _replace = [];

        /// <summary>modfile's removeDups for replace: of a repeated old path@version the last line wins, in its own place.</summary>
        public List<ModReplace> DistinctReplace()
        {
            var later = new HashSet<ModuleVersion>();
            var kept = new List<ModReplace>();
            for (var i = _replace.Count - 1; i >= 0; i--)
            {
                // Cleanup then drops a replacement of the empty path.
                if (later.Add(_replace[i].Old) && _replace[i].Old.Path.Length > 0) kept.Add(_replace[i]);
            }

            kept.Reverse();
            return kept;
        }

        public bool TryAdd(LineContext ctx)
        {
            switch (ctx.Verb)
            {
                case "go":
                    if (Go is not null) throw ctx.Fail("repeated go statement");
                    Go = ParseGo(ctx);
                    GoLine = ctx.Line.Start.Line;
                    return true;
                case "toolchain":
                    if (Toolchain is not null) throw ctx.Fail("repeated toolchain statement");
                    Toolchain = ParseToolchain(ctx);
                    ToolchainLine = ctx.Line.Start.Line;
                    return true;
                case "godebug":
                    Godebug.Add(ParseGodebug(ctx));
                    return true;
                case "replace":
                    _replace.Add(ParseReplace(ctx));
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>One directive line being interpreted; failures point at the token at fault.</summary>
    private sealed class LineContext(string file, GoModLine line, string verb, List<GoModToken> args, GoVersion? goInUse)
    {
        public GoModLine Line => line;

        public GoVersion? GoInUse => goInUse;

        public string Verb => verb;

        public List<GoModToken> Args => args;

        /// <summary>An error at argument <paramref name="arg"/> (-1: the verb / line start).</summary>
        public GoDebugException Fail(string message, int arg = -1, GoModToken? token = null)
        {
            var at = token ?? (arg >= 0 && arg < args.Count ? args[arg] : line.Tokens[0]);
            var text = arg < 0 && token is null ? string.Join(' ', line.Tokens.Select(t => t.Text)) : at.Text;
            return GoModSyntaxParser.Error(file, at.Start, $"{verb}: {message}", text);
        }

        public string String(int arg)
        {
            var value = ModuleVersionRules.Unquote(args[arg].Text, out var error);
            return value ?? throw Fail($"invalid quoted string: {error}", arg);
        }

        public string Version(int arg, string path)
        {
            var raw = String(arg);
            return ModuleVersionRules.Canonical(raw)
                ?? throw Fail($"{path}: version \"{raw}\" invalid: must be of the form v1.2.3", arg);
        }

        public void CheckMajor(string path, string version, int versionArg)
        {
            if (!ModuleVersionRules.TrySplitPathMajor(path, out var major)) throw Fail($"invalid module path {path}", 0);
            var problem = ModuleVersionRules.CheckPathMajor(version, major);
            if (problem is not null) throw Fail($"{path}: {problem}", versionArg);
        }
    }
}
