using System.Text.Json;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

/// <summary>Our go.mod/go.work model against the real go command's <c>go mod edit -json</c> / <c>go work edit -json</c>.</summary>
public class GoModParserTests
{
    private static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "Workspace", "Fixtures", "parse");

    // tool (Go 1.24) and ignore (Go 1.25) are newer than GoAtLeastAsync("1.21") may find; they are checked against
    // every go of this machine in Every_go_on_this_machine_and_the_parser_for_that_go_agree, and the documentation.
    private static IEnumerable<string> ModFixtures() => Fixtures("*.mod").Where(n => n is not ("tool.mod" or "ignore.mod"));

    private static IEnumerable<string> WorkFixtures() => Fixtures("*.work");

    private static IEnumerable<string> Fixtures(string pattern)
        => Directory.GetFiles(FixtureDir, pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(ModFixtures))]
    public async Task Go_mod_model_matches_go_mod_edit_json(string fixture)
    {
        var path = Path.Combine(FixtureDir, fixture);
        using var real = await GoJsonAsync("mod", path);
        AssertSameMod(GoModParser.ReadMod(path), real.RootElement);
    }

    private static void AssertSameMod(GoModFile ours, JsonElement r)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ours.Module, Is.EqualTo(r.GetProperty("Module").GetProperty("Path").GetString()), "Module.Path");
            Assert.That(ours.Deprecated, Is.EqualTo(Str(r.GetProperty("Module"), "Deprecated")), "Module.Deprecated");
            Assert.That(ours.Go ?? string.Empty, Is.EqualTo(Str(r, "Go")), "Go");
            Assert.That(ours.Toolchain ?? string.Empty, Is.EqualTo(Str(r, "Toolchain")), "Toolchain");
            Assert.That(ours.Require.Select(q => (q.Path, q.Version, q.Indirect)), Is.EqualTo(Items(r, "Require").Select(e => (Str(e, "Path"), Str(e, "Version"), e.TryGetProperty("Indirect", out var i) && i.GetBoolean()))), "Require");
            Assert.That(ours.Exclude.Select(e => (e.Path, e.Version)), Is.EqualTo(Items(r, "Exclude").Select(e => (Str(e, "Path"), Str(e, "Version")))), "Exclude");
            Assert.That(ours.Replace.Select(x => (x.Old.Path, x.Old.Version, x.New.Path, x.New.Version)), Is.EqualTo(Items(r, "Replace").Select(ReplaceTuple)), "Replace");
            Assert.That(ours.Retract.Select(x => (x.Low, x.High, x.Rationale)), Is.EqualTo(Items(r, "Retract").Select(e => (Str(e, "Low"), Str(e, "High"), Str(e, "Rationale")))), "Retract");
            // Go 1.24 and later print the tools; older go knows none.
            if (r.TryGetProperty("Tool", out _)) Assert.That(ours.Tool, Is.EqualTo(Items(r, "Tool").Select(e => Str(e, "Path"))), "Tool");
        });
    }

    private static void AssertSameWork(GoWorkFile ours, JsonElement r)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ours.Go ?? string.Empty, Is.EqualTo(Str(r, "Go")), "Go");
            Assert.That(ours.Use.Select(u => u.DiskPath), Is.EqualTo(Items(r, "Use").Select(e => Str(e, "DiskPath"))), "Use");
            Assert.That(ours.Replace.Select(x => (x.Old.Path, x.Old.Version, x.New.Path, x.New.Version)), Is.EqualTo(Items(r, "Replace").Select(ReplaceTuple)), "Replace");
        });
    }

    [TestCaseSource(nameof(WorkFixtures))]
    public async Task Go_work_model_matches_go_work_edit_json(string fixture)
    {
        var path = Path.Combine(FixtureDir, fixture);
        using var real = await GoJsonAsync("work", path);
        AssertSameWork(GoModParser.ReadWork(path), real.RootElement);
    }

    /// <summary>Files whose reading differs between go releases (directives, go lines), and the edges every release shares.</summary>
    private static IEnumerable<string> VersionedFixtures()
        => ["tool.mod", "ignore.mod", "all-directives.mod", "all.work", "empty-blocks.mod", "odd-spacing.mod", "empty-paths.mod", "empty-paths.work", "minimal.mod", "minimal.work"];

    /// <summary>Every go this machine has, each release once: the one on PATH first, then Debian's /usr/lib/go-1.N.</summary>
    private static async Task<IReadOnlyList<GoTool>> MachineGosAsync()
    {
        var debian = Directory.Exists("/usr/lib") ? Directory.GetDirectories("/usr/lib", "go-1.*").Select(d => Path.Combine(d, "bin", "go")).Where(File.Exists) : [];
        var gos = new List<GoTool>();
        foreach (var executable in PathSearch.OnPath("go").Concat(debian).Select(PathSearch.Resolve).Distinct(StringComparer.Ordinal))
        {
            var go = await GoTool.FromExecutableAsync(executable, CancellationToken.None);
            if (gos.All(g => g.Version != go.Version)) gos.Add(go);
        }

        Assert.That(gos, Is.Not.Empty, "no real go on this machine");
        return gos;
    }

    [TestCaseSource(nameof(VersionedFixtures))]
    public async Task Every_go_on_this_machine_and_the_parser_for_that_go_agree(string fixture)
    {
        var path = Path.Combine(FixtureDir, fixture);
        var kind = fixture.EndsWith(".work", StringComparison.Ordinal) ? "work" : "mod";
        foreach (var go in await MachineGosAsync())
        {
            var real = await go.RunAsync([kind, "edit", "-json", path], FixtureDir, CancellationToken.None);
            TestContext.Out.WriteLine($"go {go.Version}: {(real.Succeeded ? "accepts" : real.StandardError.Trim().ReplaceLineEndings(" | "))}");
            if (real.Succeeded)
            {
                using var json = JsonDocument.Parse(real.StandardOutput);
                try
                {
                    if (kind == "mod") AssertSameMod(GoModParser.ReadMod(path, go.Version), json.RootElement);
                    else AssertSameWork(GoModParser.ReadWork(path, go.Version), json.RootElement);
                }
                catch (GoDebugException ex)
                {
                    Assert.Fail($"go {go.Version} accepts {fixture}, the parser for it refuses: {ex.Message}");
                }

                continue;
            }

            var ours = Assert.Throws<GoDebugException>(() => _ = kind == "mod" ? GoModParser.ReadMod(path, go.Version) : (object)GoModParser.ReadWork(path, go.Version), $"go {go.Version} refuses {fixture}: {real.StandardError}");
            var goLine = Regex.Match(real.StandardError, Regex.Escape(fixture) + @":(\d+)");
            var ourLine = Regex.Match(ours!.Message, Regex.Escape(path) + @":(\d+):");
            Assert.That(ourLine.Groups[1].Value, Is.EqualTo(goLine.Groups[1].Value), $"go {go.Version}: {real.StandardError}\nours: {ours.Message}");
        }
    }

    [TestCase("tool.mod", "1.23.5", "tool.mod:5:1: tool: unknown directive: tool (go 1.23.5 reads no tool directive; go 1.24 and later do) (at 'tool')")]
    [TestCase("ignore.mod", "1.24.4", "ignore.mod:5:1: ignore: unknown directive: ignore (go 1.24.4 reads no ignore directive; go 1.25 and later do) (at 'ignore')")]
    [TestCase("all-directives.mod", "1.19.8", "all-directives.mod:5:4: go: invalid go version '1.21.3': must match format 1.23 (go 1.19.8 reads only two-part go versions; go 1.21 and later read more) (at '1.21.3')")]
    [TestCase("all.work", "1.20", "all.work:2:4: go: invalid go version '1.22.1': must match format 1.23 (go 1.20 reads only two-part go versions; go 1.21 and later read more) (at '1.22.1')")]
    public void A_directive_or_go_line_newer_than_the_go_in_use_is_refused_on_its_line(string fixture, string go, string message)
    {
        var path = Path.Combine(FixtureDir, fixture);
        var ex = Assert.Throws<GoDebugException>(() => _ = fixture.EndsWith(".work", StringComparison.Ordinal) ? GoModParser.ReadWork(path, GoVersion.Parse(go)) : (object)GoModParser.ReadMod(path, GoVersion.Parse(go)));
        Assert.That(ex!.Message, Is.EqualTo(Path.Combine(FixtureDir, message)));
    }

    [Test]
    public void Godebug_and_toolchain_need_the_releases_that_brought_them_and_blocks_say_so_too()
    {
        var toolchain = Assert.Throws<GoDebugException>(() => GoModParser.ParseMod("/w/go.mod", "module m\n\ngo 1.20\n\ntoolchain go1.21.0\n", GoVersion.Parse("1.20.14")));
        Assert.That(toolchain!.Message, Does.StartWith("/w/go.mod:5:1: toolchain: unknown directive: toolchain (go 1.20.14 reads no toolchain directive; go 1.21 and later do)"));
        var godebug = Assert.Throws<GoDebugException>(() => GoModParser.ParseWork("/w/go.work", "go 1.21\n\ngodebug (\n\tpanicnil=1\n)\n", GoVersion.Parse("1.22.9")));
        Assert.That(godebug!.Message, Does.StartWith("/w/go.work:3:1: unknown block type: godebug (go 1.22.9 reads no godebug directive; go 1.23 and later do)"));
        var tools = Assert.Throws<GoDebugException>(() => GoModParser.ParseMod("/w/go.mod", "module m\n\ntool (\n\texample.com/t\n)\n", GoVersion.Parse("1.23rc1")));
        Assert.That(tools!.Message, Does.StartWith("/w/go.mod:3:1: unknown block type: tool (go 1.23rc1 reads no tool directive; go 1.24 and later do)"));
        Assert.That(GoModParser.ParseMod("/w/go.mod", "module m\n\ntool (\n\texample.com/t\n)\n", GoVersion.Parse("1.24rc1")).Tool, Is.EqualTo(new[] { "example.com/t" }), "a 1.24 prerelease reads tool");
    }

    [Test]
    public void Without_a_toolchain_the_newest_grammar_applies()
    {
        // Read before any go is resolved (to choose one), a file asking for a newer go must still say what it asks for.
        Assert.That(GoModParser.ReadMod(Path.Combine(FixtureDir, "tool.mod")).Go, Is.EqualTo("1.24"));
        Assert.That(GoModParser.ReadMod(Path.Combine(FixtureDir, "ignore.mod")).Ignore, Has.Count.EqualTo(3));
        Assert.That(GoModParser.ReadMod(Path.Combine(FixtureDir, "ignore.mod"), GoVersion.Parse("1.25.0")).Ignore, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_byte_order_mark_is_refused_on_line_1_as_every_go_refuses_it_and_the_sync_names_the_file()
    {
        using var dir = new TempDir("bom");
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var mod = dir.Combine("m", "go.mod");
        Directory.CreateDirectory(dir.Combine("m"));
        File.WriteAllBytes(mod, [.. bom, .. System.Text.Encoding.UTF8.GetBytes("module example.com/m\n\ngo 1.19\n")]);
        var work = dir.Combine("go.work");
        File.WriteAllBytes(work, [.. bom, .. System.Text.Encoding.UTF8.GetBytes("go 1.19\n\nuse ./m\n")]);

        Assert.That(Assert.Throws<GoDebugException>(() => GoModParser.ReadMod(mod))!.Message, Is.EqualTo($"{mod}:1:1: unexpected input character '\\ufeff'"));
        Assert.That(Assert.Throws<GoDebugException>(() => GoModParser.ReadWork(work))!.Message, Is.EqualTo($"{work}:1:1: unexpected input character '\\ufeff'"));
        foreach (var go in await MachineGosAsync())
        {
            var real = await go.RunAsync(["mod", "edit", "-json", mod], dir.Path, CancellationToken.None);
            Assert.That(real.StandardError, Does.Contain("go.mod:1: unexpected input character '\\ufeff'"), $"go {go.Version}");
            var realWork = await go.RunAsync(["work", "edit", "-json", work], dir.Path, CancellationToken.None);
            Assert.That(realWork.StandardError, Does.Contain("go.work:1: unexpected input character '\\ufeff'"), $"go {go.Version}");
        }

        File.Delete(work);
        Directory.CreateDirectory(dir.Combine("n"));
        File.WriteAllText(dir.Combine("n", "go.mod"), "module example.com/n\n\ngo 1.19\n");
        var sync = Assert.ThrowsAsync<GoDebugException>(() => GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None));
        Assert.That(sync!.Message, Is.EqualTo($"{mod}:1:1: unexpected input character '\\ufeff'"));
        Assert.That(File.Exists(work), Is.False, "nothing written");
    }

    [Test]
    public void Empty_quoted_paths_are_dropped_as_go_mod_edit_drops_them()
    {
        // modfile's Cleanup, which go mod edit and go work edit run; the go command's loader panics on such a require.
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "empty-paths.mod"));
        Assert.That(mod.Require.Select(r => r.Path), Is.EqualTo(new[] { "example.com/kept" }));
        Assert.That((mod.Exclude.Count, mod.Retract.Count), Is.EqualTo((0, 0)));
        Assert.That(mod.Replace.Select(r => r.Old.Path), Is.EqualTo(new[] { "example.com/kept" }));
        var work = GoModParser.ReadWork(Path.Combine(FixtureDir, "empty-paths.work"));
        Assert.That(work.Use.Select(u => u.DiskPath), Is.EqualTo(new[] { "./kept" }));
        Assert.That(work.Replace, Is.Empty);
    }

    [Test]
    public void Repeated_excludes_and_replaces_are_dropped_as_go_drops_them()
    {
        // modfile.removeDups: the first exclude of a path@version stays, the last replace of an old path@version wins.
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "repeated-exclude.mod"));
        Assert.That(mod.Exclude.Select(e => $"{e.Path}@{e.Version}"), Is.EqualTo(new[] { "example.com/a@v1.0.0", "example.com/b@v1.0.0", "example.com/c@v0.1.0", "example.com/b@v1.0.1" }));
        var replaced = GoModParser.ReadMod(Path.Combine(FixtureDir, "repeated-replace.mod"));
        Assert.That(replaced.Replace.Select(r => (r.Old.Path, r.Old.Version, r.New.Path, r.Line)), Is.EqualTo(new[]
        {
            ("example.com/a", "v1.0.0", "../a2", 10),
            ("example.com/b", "v1.2.0", "../b-local", 11),
            ("example.com/a", string.Empty, "../a-all-again", 12),
        }));
        var work = GoModParser.ReadWork(Path.Combine(FixtureDir, "repeated-replace.work"));
        Assert.That(work.Replace.Select(r => r.New.Path), Is.EqualTo(new[] { "../y", "../x2", "../x-all" }));
    }

    [Test]
    public void Retracted_versions_are_kept_as_written_and_a_missing_module_line_is_an_empty_path()
    {
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "retract-unchecked.mod"));
        Assert.That(mod.Retract.Select(r => (r.Low, r.High)), Is.EqualTo(new[] { ("1.0.0", "1.0.0"), ("latest", "latest"), ("v1.2", "v1.2"), ("1.3.0", "latest"), ("v1.4.0", "v1.4.0") }));
        var bare = GoModParser.ReadMod(Path.Combine(FixtureDir, "no-module.mod"));
        Assert.That((bare.Module, bare.ModuleLine, bare.Require.Single().Path), Is.EqualTo((string.Empty, 0, "example.com/a")));
    }

    [Test]
    public async Task Retract_without_a_module_line_is_rejected_on_its_line_like_the_go_command()
    {
        using var dir = new TempDir("parse");
        var path = dir.Write("go.mod", "go 1.19\n\nrequire example.com/a v1.0.0\n\nretract (\n\tv1.0.0\n)\nretract v1.1.0\n");
        var ex = Assert.Throws<GoDebugException>(() => GoModParser.ReadMod(path));
        Assert.That(ex!.Message, Is.EqualTo($"{path}:6:2: no module directive found, so retract cannot be used (at 'v1.0.0')"));

        // go mod edit accepts the file; the go command's loader (go list) is what refuses it, on the first retract's line.
        var go = await RealTools.GoAsync();
        var offline = new Dictionary<string, string?> { ["GOWORK"] = "off", ["GOFLAGS"] = string.Empty, ["GOPROXY"] = "off" };
        var result = await ProcessRunner.Default.RunAsync(go.Command(["list", "-m"], dir.Path, offline), CancellationToken.None);
        Assert.That(result.ExitCode, Is.Not.Zero, result.StandardOutput);
        Assert.That(result.StandardError, Does.Contain("go.mod:6:2: no module directive found, so retract cannot be used"));
    }

    [Test]
    public void Godebug_and_toolchain_lines_are_read_as_the_go_documentation_describes()
    {
        // go 1.23's -json output has no Godebug field; https://go.dev/ref/mod#go-mod-file-godebug: "godebug key=value", single or block.
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "all-directives.mod"));
        Assert.That(mod.Godebug.Select(g => (g.Key, g.Value, g.Line)), Is.EqualTo(new[] { ("panicnil", "1", 9), ("asynctimerchan", "1", 13), ("http2client", "0", 14) }));
        var work = GoModParser.ReadWork(Path.Combine(FixtureDir, "all.work"));
        Assert.That((work.Toolchain, work.Godebug.Single().Key, work.Godebug.Single().Value), Is.EqualTo(("go1.23.0", "asynctimerchan", "1")));
    }

    [Test]
    public void Tool_directive_follows_the_go_1_24_documentation()
    {
        // https://go.dev/ref/mod#go-mod-file-tool: "tool" takes one package path, single line or block; quoted paths are unquoted.
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "tool.mod"));
        Assert.That(mod.Tool, Is.EqualTo(new[] { "golang.org/x/tools/cmd/stringer", "example.com/tools/cmd/gen", "example.com/quoted/cmd" }));
        Assert.That(mod.Go, Is.EqualTo("1.24"));
    }

    [Test]
    public void Ignore_directive_follows_the_go_1_25_documentation()
    {
        // https://go.dev/ref/mod#go-mod-file-ignore: "ignore" takes one directory path, single line or block.
        var mod = GoModParser.ReadMod(Path.Combine(FixtureDir, "ignore.mod"));
        Assert.That(mod.Ignore, Is.EqualTo(new[] { "./node_modules", "static", "./third party" }));
    }

    [Test]
    public void Tool_directive_takes_exactly_one_path()
    {
        var ex = Assert.Throws<GoDebugException>(() => GoModParser.ParseMod("/w/go.mod", "module m\n\ntool a b\n"));
        Assert.That(ex!.Message, Does.StartWith("/w/go.mod:3:1: tool: tool directive expects exactly one argument"));
    }

    public static IEnumerable<TestCaseData> MalformedMods()
    {
        TestCaseData Case(string name, string text, int line, int column, string token) => new TestCaseData(text, line, column, token).SetName("Malformed go.mod: " + name);
        yield return Case("block comment", "module m\n\ngo 1.21 /* no */\n", 3, 9, "/*");
        yield return Case("unterminated block", "module m\n\nrequire (\n\texample.com/a v1.0.0\n", 5, 1, "require (");
        yield return Case("unterminated string", "module \"example.com/m\n", 1, 22, "\"example.com/m");
        yield return Case("text after closing paren", "module m\nrequire (\n\texample.com/a v1.0.0\n) x\n", 4, 3, "x");
        yield return Case("unknown directive", "module m\n\nrequires example.com/a v1.0.0\n", 3, 1, "requires");
        yield return Case("unknown block", "module m\n\ngo (\n\t1.21\n)\n", 3, 1, "go");
        yield return Case("repeated go", "module m\ngo 1.21\ngo 1.22\n", 3, 1, "go 1.22");
        yield return Case("bad go version", "module m\ngo 1.21.x\n", 2, 4, "1.21.x");
        yield return Case("bad toolchain", "module m\ntoolchain 1.22.0\n", 2, 11, "1.22.0");
        yield return Case("bad require version", "module m\nrequire example.com/a 1.0.0\n", 2, 23, "1.0.0");
        yield return Case("require without version", "module m\nrequire (\n\texample.com/a\n)\n", 3, 2, "example.com/a");
        yield return Case("major suffix mismatch", "module m\nrequire example.com/a/v2 v1.0.0\n", 2, 26, "v1.0.0");
        yield return Case("v2 without suffix", "module m\nrequire example.com/a v2.0.0\n", 2, 23, "v2.0.0");
        yield return Case("raw string module", "module `example.com/raw`\n", 1, 8, "`example.com/raw`");
        yield return Case("replace module without version", "module m\nreplace example.com/a => example.com/b\n", 2, 26, "example.com/b");
        yield return Case("replace arrow glued", "module m\nreplace example.com/a=>../a\n", 2, 1, "replace example.com/a=>../a");
        yield return Case("replace dir with version", "module m\nreplace example.com/a => ../a v1.0.0\n", 2, 31, "v1.0.0");
        yield return Case("retract missing bracket", "module m\nretract [v1.0.0, v1.1.0\n", 2, 18, "v1.1.0");
        yield return Case("retract extra token", "module m\nretract v1.0.0 v1.1.0\n", 2, 16, "v1.1.0");
        yield return Case("godebug without value", "module m\ngodebug panicnil\n", 2, 9, "panicnil");
        yield return Case("two module lines", "module a\nmodule b\n", 2, 1, "module b");
        yield return Case("bad escape", "module \"example.com/\\q\"\n", 1, 8, "\"example.com/\\q\"");
    }

    [TestCaseSource(nameof(MalformedMods))]
    public async Task Malformed_go_mod_is_rejected_with_position_and_token_like_the_go_command(string text, int line, int column, string token)
    {
        using var dir = new TempDir("parse");
        var path = dir.Write("go.mod", text);
        var ex = Assert.Throws<GoDebugException>(() => GoModParser.ReadMod(path));
        Assert.That(ex!.Message, Does.StartWith($"{path}:{line}:{column}: "));
        Assert.That(ex.Message, Does.EndWith($"(at '{token}')"));

        // The real go refuses the same file, on the same line.
        var go = await RealTools.GoAsync();
        var result = await go.RunAsync(["mod", "edit", "-json", path], dir.Path, CancellationToken.None);
        Assert.That(result.ExitCode, Is.Not.Zero, "go accepted it: " + result.StandardOutput);
        var goLine = Regex.Match(result.StandardError, Regex.Escape(path) + @":(\d+)");
        Assert.That(goLine.Success ? int.Parse(goLine.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1, Is.EqualTo(line), result.StandardError);
    }

    [Test]
    public async Task Malformed_go_work_is_rejected_like_the_go_command()
    {
        using var dir = new TempDir("parse");
        var path = dir.Write("go.work", "go 1.22\n\nuse (\n\t./a\n\t./b ./c\n)\n\nrequire example.com/a v1.0.0\n");
        var ex = Assert.Throws<GoDebugException>(() => GoModParser.ReadWork(path));
        Assert.That(ex!.Message, Does.StartWith($"{path}:5:2: use: usage: use local/dir"));
        var go = await RealTools.GoAsync();
        var result = await go.RunAsync(["work", "edit", "-json", path], dir.Path, CancellationToken.None);
        Assert.That(result.StandardError, Does.Contain("go.work:5"));
    }

    private static async Task<JsonDocument> GoJsonAsync(string kind, string path)
    {
        // The fixtures use go lines only Go 1.21 and later parse (1.21.3, 1.22rc1); the PATH go may be 1.19.
        var go = await RealTools.GoAtLeastAsync("1.21");
        var result = await go.RunAsync([kind, "edit", "-json", path], Path.GetDirectoryName(path), CancellationToken.None);
        result.EnsureSuccess();
        return JsonDocument.Parse(result.StandardOutput);
    }

    private static string Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static IEnumerable<JsonElement> Items(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [];

    private static (string, string, string, string) ReplaceTuple(JsonElement e)
        => (Str(e.GetProperty("Old"), "Path"), Str(e.GetProperty("Old"), "Version"), Str(e.GetProperty("New"), "Path"), Str(e.GetProperty("New"), "Version"));
}
