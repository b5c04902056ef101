using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

public class GoWorkSynchronizerTests
{
    /// <summary>Two real modules (api uses util) plus go.mod files in every place discovery must skip.</summary>
    private static TempDir Tree()
    {
        var dir = new TempDir("sync");
        dir.Write("svc/api/go.mod", "module example.com/api\n\ngo 1.21\n\nrequire example.com/util v0.0.0\n");
        dir.Write("svc/api/main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/util\"\n)\n\nfunc main() { fmt.Println(util.Name()) }\n");
        dir.Write("lib/util/go.mod", "module example.com/util\n\ngo 1.22.3\n");
        dir.Write("lib/util/util.go", "package util\n\nfunc Name() string { return \"util\" }\n");
        foreach (var skipped in new[] { "lib/util/testdata/fake", "vendor/v", ".hidden/h", "_old/o", "node_modules/n", "bin/b", "obj/o", "tools/legacy/l" })
        {
            dir.Write(skipped + "/go.mod", $"module example.com/skipped/{skipped.Replace('/', '_')}\n\ngo 1.99\n");
        }

        return dir;
    }

    private static GoWorkSyncSettings Settings(TempDir dir, bool check = false) => new() { Workspace = dir.Path, Check = check, Exclude = ["tools/legacy"] };

    [Test]
    public async Task Sync_writes_sorted_use_entries_and_the_highest_go_and_skips_testdata_vendor_hidden_and_excluded()
    {
        using var dir = Tree();
        var result = await GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None);

        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo("go 1.22.3\n\nuse (\n\t./lib/util\n\t./svc/api\n)\n"));
        Assert.That(result.Changed, Is.True);
        Assert.That(result.ModuleDirectories, Is.EqualTo(new[] { dir.Combine("lib", "util"), dir.Combine("svc", "api") }));
    }

    [Test]
    public async Task Real_go_lists_exactly_the_used_modules_and_builds_the_synced_workspace()
    {
        using var dir = Tree();
        // lib/util asks for go 1.22.3, the highest go line, which the synced go.work carries: the go for it comes
        // from the installer reading that go.mod, as a user's would.
        var go = await RealTools.GoForAsync(dir.Combine("lib", "util"));
        var log = new RecordingLog();
        await GoWorkSynchronizer.SyncAsync(Settings(dir), go, log, CancellationToken.None);
        Assert.That(log.Lines.Where(l => l.Level == "warning"), Is.Empty, $"go {go.Version} satisfies the synced go.work");

        var list = (await go.RunAsync(["list", "-m"], dir.Path, CancellationToken.None)).EnsureSuccess();
        Assert.That(list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "example.com/api", "example.com/util" }));

        var exe = dir.Combine("api.bin");
        (await go.RunAsync(["build", "-o", exe, "example.com/api"], dir.Path, CancellationToken.None)).EnsureSuccess();
        var run = await GoDebug.Tasks.Processes.ProcessRunner.Default.RunAsync(exe, [], dir.Path, CancellationToken.None);
        Assert.That(run.StandardOutput.Trim(), Is.EqualTo("util"));
    }

    [Test]
    public async Task Second_sync_writes_nothing_and_keeps_the_mtime()
    {
        using var dir = Tree();
        await GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None);
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(dir.Combine("go.work"), stamp);

        var second = await GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None);

        Assert.That((second.Changed, second.Diff), Is.EqualTo((false, string.Empty)));
        Assert.That(File.GetLastWriteTimeUtc(dir.Combine("go.work")), Is.EqualTo(stamp));
    }

    [Test]
    public async Task Check_mode_reports_a_diff_and_writes_nothing_then_passes_once_synced()
    {
        using var dir = Tree();
        const string stale = "go 1.21\n\nuse (\n\t./gone\n\t./svc/api\n)\n";
        dir.Write("go.work", stale);

        var check = await GoWorkSynchronizer.SyncAsync(Settings(dir, check: true), null, new RecordingLog(), CancellationToken.None);

        Assert.That(check.Changed, Is.True);
        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo(stale));
        Assert.That(check.Diff, Is.EqualTo(
            "--- go.work (current)\n+++ go.work (synced)\n@@ -1,6 +1,6 @@\n-go 1.21\n+go 1.22.3\n \n use (\n-\t./gone\n+\t./lib/util\n \t./svc/api\n )\n"));

        await GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None);
        var again = await GoWorkSynchronizer.SyncAsync(Settings(dir, check: true), null, new RecordingLog(), CancellationToken.None);
        Assert.That((again.Changed, again.Diff), Is.EqualTo((false, string.Empty)));
    }

    [Test]
    public async Task Check_mode_without_a_go_work_reports_the_whole_file()
    {
        using var dir = Tree();
        var check = await GoWorkSynchronizer.SyncAsync(Settings(dir, check: true), null, new RecordingLog(), CancellationToken.None);
        Assert.That(check.Changed, Is.True);
        Assert.That(File.Exists(dir.Combine("go.work")), Is.False);
        Assert.That(check.Diff, Does.StartWith("--- /dev/null\n+++ go.work (synced)\n@@ -0,0 +1,6 @@\n+go 1.22.3\n"));
    }

    [Test]
    public async Task Toolchain_godebug_replace_and_header_are_kept_and_go_is_never_lowered()
    {
        using var dir = Tree();
        dir.Write("go.work",
            "// Shared workspace; managed by the build.\n\ngo 1.23.1\n\ntoolchain go1.23.5\n\n// debug settings\ngodebug (\n\tpanicnil=1 // for old code\n)\n\nuse ./svc/api\n\nreplace example.com/x v1.0.0 => ./forks/x // local fork\n");

        await GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None);

        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo(
            "// Shared workspace; managed by the build.\n\ngo 1.23.1\n\ntoolchain go1.23.5\n\n// debug settings\ngodebug (\n\tpanicnil=1 // for old code\n)\n\nuse (\n\t./lib/util\n\t./svc/api\n)\n\nreplace example.com/x v1.0.0 => ./forks/x // local fork\n"));
    }

    [Test]
    public async Task Duplicate_module_path_is_an_error_naming_both_directories_and_nothing_is_written()
    {
        using var dir = Tree();
        dir.Write("copy/util/go.mod", "module example.com/util\n\ngo 1.22\n");
        var log = new RecordingLog();

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoWorkSynchronizer.SyncAsync(Settings(dir), null, log, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(dir.Combine("copy", "util")).And.Contain(dir.Combine("lib", "util")).And.Contain("example.com/util"));
        var diagnostic = log.Diagnostics.Single();
        Assert.That((diagnostic.Severity, diagnostic.Code, diagnostic.Line), Is.EqualTo((GoDiagnosticSeverity.Error, "GO3001", 1)));
        Assert.That(File.Exists(dir.Combine("go.work")), Is.False);
    }

    [Test]
    public async Task Replace_of_a_used_module_and_an_overridden_require_are_notices_with_their_lines()
    {
        using var dir = Tree();
        var apiMod = dir.Write("svc/api/go.mod", "module example.com/api\n\ngo 1.21\n\nrequire (\n\texample.com/util v1.4.0\n\texample.com/placeholder v0.0.0\n)\n\nreplace example.com/util => ../../lib/util\n");
        dir.Write("svc/placeholder/go.mod", "module example.com/placeholder\n\ngo 1.21\n");
        var log = new RecordingLog();

        var result = await GoWorkSynchronizer.SyncAsync(Settings(dir), null, log, CancellationToken.None);

        Assert.That(result.Findings.Select(f => (f.Severity, f.Code, f.File, f.Line)), Is.EquivalentTo(new[]
        {
            (GoDiagnosticSeverity.Notice, "GO3002", (string?)apiMod, 10),
            (GoDiagnosticSeverity.Notice, "GO3003", (string?)apiMod, 6),
        }));
        Assert.That(log.Diagnostics, Is.EquivalentTo(result.Findings));
    }

    [Test]
    public async Task Malformed_go_mod_in_the_tree_fails_with_its_position_and_leaves_go_work_untouched()
    {
        using var dir = Tree();
        const string before = "go 1.21\n\nuse ./svc/api\n";
        dir.Write("go.work", before);
        var bad = dir.Write("lib/broken/go.mod", "module example.com/broken\n\ngo 1.22\nrequire example.com/x\n");

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoWorkSynchronizer.SyncAsync(Settings(dir), null, new RecordingLog(), CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith($"{bad}:4:1: require: usage: require module/path v1.2.3"));
        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo(before));
    }

    [Test]
    public void Discovery_does_not_follow_links_out_of_the_root_or_round_a_loop()
    {
        using var outside = new TempDir("outside");
        outside.Write("ext/go.mod", "module example.com/ext\n");
        using var dir = Tree();
        Directory.CreateSymbolicLink(dir.Combine("svc", "loop"), dir.Combine("svc"));
        Directory.CreateSymbolicLink(dir.Combine("external"), outside.Combine("ext"));
        Directory.CreateSymbolicLink(dir.Combine("alias"), dir.Combine("lib"));

        var found = ModuleDiscovery.Find(dir.Path, ["tools/legacy"], null, CancellationToken.None);

        // "alias" reaches lib/util a second time: visited once, under whichever name the walk meets first.
        var relative = found.Select(f => ModuleDiscovery.Relative(dir.Path, f)).ToList();
        Assert.That(relative.Where(f => !f.StartsWith("alias", StringComparison.Ordinal) && !f.StartsWith("lib", StringComparison.Ordinal)), Is.EqualTo(new[] { "svc/api" }), string.Join(", ", relative));
        Assert.That(relative, Has.Count.EqualTo(2), string.Join(", ", relative));
    }

    [Test]
    public void Exclude_globs_match_names_anywhere_or_paths_from_the_root()
    {
        using var dir = Tree();
        dir.Write("svc/legacy-a/go.mod", "module example.com/la\n");
        dir.Write("deep/x/generated/go.mod", "module example.com/gen\n");

        var found = ModuleDiscovery.Find(dir.Path, ["legacy-*", "deep/**/generated", "tools/legacy"], null, CancellationToken.None);

        Assert.That(found.Select(f => ModuleDiscovery.Relative(dir.Path, f)), Is.EqualTo(new[] { "lib/util", "svc/api" }));
    }

    [Test]
    public async Task Use_entries_outside_the_root_are_kept_while_their_go_mod_exists()
    {
        using var outside = new TempDir("outside");
        outside.Write("shared/go.mod", "module example.com/shared\n\ngo 1.20\n");
        using var dir = Tree();
        var rel = Path.GetRelativePath(dir.Path, outside.Combine("shared")).Replace('\\', '/');
        dir.Write("go.work", $"go 1.21\n\nuse (\n\t{rel}\n\t../does-not-exist\n)\n");
        var log = new RecordingLog();

        var result = await GoWorkSynchronizer.SyncAsync(Settings(dir), null, log, CancellationToken.None);

        Assert.That(result.ModuleDirectories, Does.Contain(outside.Combine("shared")));
        Assert.That(File.ReadAllText(dir.Combine("go.work")), Does.Contain($"\t{rel}\n").And.Not.Contain("does-not-exist"));
        Assert.That(log.Lines.Any(l => l.Level == "warning" && l.Message.Contains("../does-not-exist", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Sample_workspace_go_work_is_in_sync()
    {
        var before = File.ReadAllBytes(Path.Combine(RepoPaths.SampleWorkspace, "go.work"));

        var check = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = RepoPaths.SampleWorkspace, Check = true }, null, new RecordingLog(), CancellationToken.None);

        Assert.That((check.Changed, check.Diff), Is.EqualTo((false, string.Empty)));
        Assert.That(check.ModuleDirectories.Select(d => Path.GetFileName(d)), Is.EqualTo(new[] { "app", "module-a", "module-b" }));
        Assert.That(File.ReadAllBytes(Path.Combine(RepoPaths.SampleWorkspace, "go.work")), Is.EqualTo(before));
    }
}
