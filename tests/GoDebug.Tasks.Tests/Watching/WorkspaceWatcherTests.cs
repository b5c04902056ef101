using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

public class WorkspaceWatcherTests
{
    [TestCase("4913", true)]
    [TestCase("5036", true)]
    [TestCase("greet.go.swp", true)]
    [TestCase("greet.go~", true)]
    [TestCase(".#greet.go", true)]
    [TestCase("greet.go___jb_tmp___", true)]
    [TestCase("greet.go___jb_old___", true)]
    [TestCase("greet.go", false)]
    [TestCase("go.mod", false)]
    [TestCase("v2", false)]
    public void Editor_scratch_names_are_recognised(string name, bool scratch)
        => Assert.That(WatchFilter.IsEditorTemp(name), Is.EqualTo(scratch));

    [Test]
    public void Filter_takes_sources_module_files_and_configured_extensions_outside_skipped_folders()
    {
        using var dir = new TempDir("wf");
        var filter = new WatchFilter([dir.Path], ["generated/**", "*.pb.go"], ["html"]);
        filter.SetBuildInputs([dir.Combine("app", "static", "logo.svg")]);
        Assert.Multiple(() =>
        {
            Assert.That(filter.IsRelevant(dir.Combine("app", "main.go"), false), Is.True);
            Assert.That(filter.IsRelevant(dir.Combine("app", "go.sum"), false), Is.True);
            Assert.That(filter.IsRelevant(dir.Combine("go.work"), false), Is.True);
            Assert.That(filter.IsRelevant(dir.Combine("app", "page.html"), false), Is.True, "configured extension");
            Assert.That(filter.IsRelevant(dir.Combine("app", "static", "logo.svg"), false), Is.True, "an embedded file the last build read");
            Assert.That(filter.IsRelevant(dir.Combine("app", "README.md"), false), Is.False);
            Assert.That(filter.IsRelevant(dir.Combine(".godebug", "bin", "Debug", "x.go"), false), Is.False, "our outputs");
            Assert.That(filter.IsRelevant(dir.Combine("app", "vendor", "x", "x.go"), false), Is.False);
            Assert.That(filter.IsRelevant(dir.Combine("app", "testdata", "x.go"), false), Is.False);
            Assert.That(filter.IsRelevant(dir.Combine("generated", "deep", "x.go"), false), Is.False, "excluded folder glob");
            Assert.That(filter.IsRelevant(dir.Combine("app", "api.pb.go"), false), Is.False, "excluded name glob");
            Assert.That(filter.IsRelevant(dir.Combine("app", "_scratch.go"), false), Is.False, "go ignores _ files");
            Assert.That(filter.IsRelevant(dir.Combine("app", "4913"), null), Is.False, "vim's probe looks like a vanished folder but is not one");
            Assert.That(filter.IsRelevant(Path.Combine(Path.GetTempPath(), "elsewhere.go"), false), Is.False);
        });
    }

    [Test]
    public async Task Editor_temp_files_are_ignored_and_the_save_is_reported()
    {
        using var dir = new TempDir("ww");
        await using var probe = WatcherProbe.Start(dir.Path);
        foreach (var scratch in new[] { "4913", "greet.go.swp", "greet.go~", ".#greet.go", "greet.go___jb_tmp___", "notes.txt" })
        {
            dir.Write(scratch, "x");
        }

        var target = dir.Write("greet.go", "package greet\n");
        var seen = await probe.WaitForAsync(c => c.Path == target);
        Assert.That(seen.Select(c => c.Path), Is.All.EqualTo(target), "no scratch file was reported");
    }

    [Test]
    public async Task An_atomic_rename_save_is_reported_under_the_source_name()
    {
        using var dir = new TempDir("ww");
        var target = dir.Write("pkg/greet.go", "package greet\n");
        await using var probe = WatcherProbe.Start(dir.Path);
        var scratch = dir.Write("pkg/greet.go.tmp.1234", "package greet\n\nconst X = 1\n");
        File.Move(scratch, target, overwrite: true);
        var seen = await probe.WaitForAsync(c => c.Path == target);
        Assert.That(seen.Select(c => c.Path), Does.Not.Contain(scratch));
    }

    [Test]
    public async Task A_renamed_folder_is_a_change_and_stays_watched_under_its_new_name()
    {
        using var dir = new TempDir("ww");
        dir.Write("mod/old/x.go", "package old\n");
        await using var probe = WatcherProbe.Start(dir.Path);
        Directory.Move(dir.Combine("mod", "old"), dir.Combine("mod", "renamed"));
        await probe.WaitForAsync(c => c.Path == dir.Combine("mod", "renamed"));
        var moved = dir.Write("mod/renamed/x.go", "package renamed\n");
        await probe.WaitForAsync(c => c.Path == moved);

        // A folder created after the start is watched too (git checkout creates folders and files in them).
        var created = dir.Write("mod/fresh/deeper/y.go", "package deeper\n");
        await probe.WaitForAsync(c => c.Path == dir.Combine("mod", "fresh"));
        probe.Clear();
        File.AppendAllText(created, "// edit\n");
        await probe.WaitForAsync(c => c.Path == created);
        // Reported either by the folder's own watch or by the look inside the new folder; once that look has
        // happened the watch stands, and a second edit is reported by it alone.
        await Task.Delay(200);
        probe.Clear();
        File.AppendAllText(created, "// again\n");
        await probe.WaitForAsync(c => c.Path == created);

        Directory.Delete(dir.Combine("mod", "fresh"), recursive: true);
        await probe.WaitForAsync(c => c.Path == dir.Combine("mod", "fresh") || c.Path == created);
    }

    [Test]
    public async Task Files_written_into_new_folders_before_their_watch_stands_are_still_reported()
    {
        // As git checkout does: a folder, a folder in it and a file, each at once after the other. The kernel
        // watches a new folder only after its event was handled, so the file's own event may never come.
        using var dir = new TempDir("ww");
        await using var probe = WatcherProbe.Start(dir.Path);
        var files = Enumerable.Range(0, 100).Select(i => dir.Write($"mod/n{i}/inner/a.go", "package inner\n")).ToList();

        foreach (var file in files)
        {
            await probe.WaitForAsync(c => c.Path == file, seconds: 5);
        }
    }

    [Test]
    public async Task Changes_in_our_outputs_and_skipped_folders_are_not_reported()
    {
        using var dir = new TempDir("ww");
        Directory.CreateDirectory(dir.Combine(".godebug", "bin"));
        Directory.CreateDirectory(dir.Combine("vendor", "x"));
        await using var probe = WatcherProbe.Start(dir.Path, exclude: ["gen"]);
        dir.Write(".godebug/bin/y.go", "x");
        dir.Write("vendor/x/y.go", "x");
        dir.Write("gen/y.go", "x");
        var marker = dir.Write("main.go", "package main\n");
        var seen = await probe.WaitForAsync(c => c.Path == marker);
        Assert.That(seen.Select(c => c.Path), Is.All.EqualTo(marker));
    }

    [Test]
    public async Task An_overflow_rescans_and_keeps_watching()
    {
        using var dir = new TempDir("ww");
        await using var probe = WatcherProbe.Start(dir.Path);
        probe.Watcher.OnError(new InternalBufferOverflowException("Too many changes at once in directory"));
        await probe.WaitForAsync(c => c.Rescan);
        Assert.That(probe.Log.Text, Does.Contain(WatchCodes.Overflow).And.Contain("rescanning"));
        Assert.That(probe.Watcher.IsPolling, Is.False, "an overflow recreates the event watcher");
        var after = dir.Write("a.go", "package a\n");
        await probe.WaitForAsync(c => c.Path == after);
    }

    [Test]
    public async Task Polling_mode_reports_new_changed_and_deleted_files()
    {
        using var dir = new TempDir("ww");
        var existing = dir.Write("pkg/old.go", "package pkg\n");
        await using var probe = WatcherProbe.Start(dir.Path, polling: true);
        Assert.That(probe.Watcher.IsPolling, Is.True);
        var created = dir.Write("pkg/new.go", "package pkg\n");
        await probe.WaitForAsync(c => c.Path == created);
        File.Delete(existing);
        await probe.WaitForAsync(c => c.Path == existing);
        probe.Clear();
        File.WriteAllText(created, "package pkg\n\nconst Longer = true\n");
        await probe.WaitForAsync(c => c.Path == created);
    }

    [Test]
    public async Task Exhausted_inotify_limits_name_the_sysctl_and_fall_back_to_polling()
    {
        using var dir = new TempDir("ww");
        await using var probe = WatcherProbe.Start(dir.Path);
        probe.Watcher.OnError(new IOException("The configured user limit (8192) on the number of inotify watches has been reached, or the operating system failed to allocate a required resource."));
        Assert.That(probe.Watcher.IsPolling, Is.True);
        var error = probe.Log.Diagnostics.Single(d => d.Code == WatchCodes.InotifyLimit);
        Assert.That(error.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(error.Message, Does.Contain("fs.inotify.max_user_watches").And.Contain("polling"));
        var after = dir.Write("a.go", "package a\n");
        await probe.WaitForAsync(c => c.Path == after);
    }

    [Test]
    public async Task One_inotify_instance_per_root_however_many_modules()
    {
        using var dir = new TempDir("ww");
        for (var i = 0; i < 50; i++) dir.Write($"root/m{i}/go.mod", $"module example.com/m{i}\n\ngo 1.19\n");
        dir.Write("outside/go.mod", "module example.com/outside\n\ngo 1.19\n");
        dir.Write("root/go.work", "go 1.19\n\nuse (\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"\t./m{i}\n")) + "\t../outside\n)\n");
        var roots = GoWatchLoop.Roots(dir.Combine("root"), CancellationToken.None);
        Assert.That(roots, Is.EqualTo(new[] { dir.Combine("root"), dir.Combine("outside") }));

        var before = InotifyInstances();
        await using var watcher = new WorkspaceWatcher(new WatchFilter(roots, [], []), GoDebugHost.Create(new RecordingLog()), polling: false, TimeSpan.FromSeconds(1));
        watcher.Start();
        Assert.That(InotifyInstances() - before, Is.EqualTo(2));
    }

    /// <summary>inotify instances this process holds: file descriptors linked to anon_inode:inotify.</summary>
    internal static int InotifyInstances()
        => Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == "anon_inode:inotify";
            }
            catch (IOException)
            {
                return false;
            }
        });
}
