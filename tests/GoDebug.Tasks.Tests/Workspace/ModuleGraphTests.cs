using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

public class ModuleGraphTests
{
    /// <summary>lib &lt;- mid &lt;- app, a c/d require cycle, mains in app and app/cmd/tool, a main excluded by a build constraint.</summary>
    internal static async Task<TempDir> SyncedTreeAsync()
    {
        var dir = new TempDir("graph");
        dir.Write("lib/go.mod", "module example.com/lib\n\ngo 1.21\n");
        dir.Write("lib/lib.go", "package lib\n\nfunc V() int { return 1 }\n");
        dir.Write("mid/go.mod", "module example.com/mid\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n");
        dir.Write("mid/mid.go", "package mid\n\nimport \"example.com/lib\"\n\nfunc V() int { return lib.V() }\n");
        dir.Write("mid/gen/gen.go", "//go:build ignore\n\npackage main\n\nfunc main() {}\n");
        dir.Write("app/go.mod", "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/lib v0.0.0\n\texample.com/mid v0.0.0\n)\n");
        dir.Write("app/main.go", "package main\n\nimport \"example.com/mid\"\n\nfunc main() { println(mid.V()) }\n");
        dir.Write("app/cmd/tool/main.go", "package main\n\nfunc main() {}\n");
        dir.Write("cyc/c/go.mod", "module example.com/c\n\ngo 1.21\n\nrequire example.com/d v0.0.0\n");
        dir.Write("cyc/d/go.mod", "module example.com/d\n\ngo 1.21\n\nrequire example.com/c v0.0.0\n");
        await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None);
        return dir;
    }

    [Test]
    public async Task Modules_come_after_what_they_require_and_cycles_are_reported_not_fatal()
    {
        using var dir = await SyncedTreeAsync();
        var log = new RecordingLog();

        var graph = await ModuleGraph.LoadAsync(dir.Path, await RealTools.GoAsync(), log, CancellationToken.None);

        var order = graph.Modules.Select(m => m.Path).ToList();
        Assert.That(order.IndexOf("example.com/lib"), Is.LessThan(order.IndexOf("example.com/mid")));
        Assert.That(order.IndexOf("example.com/mid"), Is.LessThan(order.IndexOf("example.com/app")));
        Assert.That(order, Is.EquivalentTo(new[] { "example.com/app", "example.com/c", "example.com/d", "example.com/lib", "example.com/mid" }));
        Assert.That(graph.Modules.Single(m => m.Path == "example.com/app").Requires, Is.EqualTo(new[] { "example.com/lib", "example.com/mid" }));
        Assert.That(graph.Cycles, Is.EqualTo(new[] { new[] { "example.com/c", "example.com/d" } }));
        Assert.That(log.Diagnostics.Single().Code, Is.EqualTo("GO3005"));
    }

    [Test]
    public async Task Main_packages_come_from_go_list_and_respect_build_constraints()
    {
        using var dir = await SyncedTreeAsync();

        var graph = await ModuleGraph.LoadAsync(dir.Path, await RealTools.GoAsync(), new RecordingLog(), CancellationToken.None);

        var mains = graph.Modules.SelectMany(m => m.MainPackages).Select(p => (p.ImportPath, p.Directory)).ToList();
        Assert.That(mains, Is.EquivalentTo(new[] { ("example.com/app", dir.Combine("app")), ("example.com/app/cmd/tool", dir.Combine("app", "cmd", "tool")) }));
    }

    [Test]
    public async Task Each_main_package_belongs_to_its_innermost_module_once_also_in_a_folder_with_a_space()
    {
        using var dir = new TempDir("graph nested");
        dir.Write("my app/go.mod", "module example.com/app\n\ngo 1.21\n");
        dir.Write("my app/main.go", "package main\n\nfunc main() {}\n");
        dir.Write("my app/tools/go.mod", "module example.com/tools\n\ngo 1.21\n");
        dir.Write("my app/tools/gen/main.go", "package main\n\nfunc main() {}\n");
        await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None);

        var graph = await ModuleGraph.LoadAsync(dir.Path, await RealTools.GoAsync(), new RecordingLog(), CancellationToken.None);

        var mains = graph.Modules.ToDictionary(m => m.Path, m => m.MainPackages.Select(p => (p.ImportPath, p.Directory)).ToList());
        Assert.That(mains["example.com/app"], Is.EqualTo(new[] { ("example.com/app", dir.Combine("my app")) }));
        Assert.That(mains["example.com/tools"], Is.EqualTo(new[] { ("example.com/tools/gen", dir.Combine("my app", "tools", "gen")) }));
    }

    [Test]
    public async Task Main_packages_are_cached_until_the_directory_set_changes()
    {
        using var dir = await SyncedTreeAsync();
        var go = await RealTools.GoAsync();
        var first = await ModuleGraph.LoadAsync(dir.Path, go, new RecordingLog(), CancellationToken.None);
        var cache = ModuleGraph.CachePath(dir.Path);
        Assert.That((first.FromCache, File.Exists(cache)), Is.EqualTo((false, true)));

        // Proof the second load reads the cache rather than go list: an edit to the cached answer shows up.
        File.WriteAllText(cache, File.ReadAllText(cache).Replace("example.com/app/cmd/tool", "example.com/app/cmd/from-cache", StringComparison.Ordinal));
        var second = await ModuleGraph.LoadAsync(dir.Path, go, new RecordingLog(), CancellationToken.None);
        Assert.That(second.FromCache, Is.True);
        Assert.That(second.Modules.SelectMany(m => m.MainPackages).Select(p => p.ImportPath), Does.Contain("example.com/app/cmd/from-cache"));

        dir.Write("mid/cmd/server/main.go", "package main\n\nfunc main() {}\n");
        var third = await ModuleGraph.LoadAsync(dir.Path, go, new RecordingLog(), CancellationToken.None);
        Assert.That(third.FromCache, Is.False);
        Assert.That(third.Modules.SelectMany(m => m.MainPackages).Select(p => p.ImportPath), Is.EquivalentTo(new[] { "example.com/app", "example.com/app/cmd/tool", "example.com/mid/cmd/server" }));
    }

    [Test]
    public async Task Changing_a_go_mod_refreshes_the_cache()
    {
        using var dir = await SyncedTreeAsync();
        var go = await RealTools.GoAsync();
        await ModuleGraph.LoadAsync(dir.Path, go, new RecordingLog(), CancellationToken.None);
        dir.Write("lib/go.mod", "module example.com/lib\n\ngo 1.22\n");

        var again = await ModuleGraph.LoadAsync(dir.Path, go, new RecordingLog(), CancellationToken.None);

        Assert.That(again.FromCache, Is.False);
    }

    [Test]
    public void Module_go_files_skip_links_nested_modules_and_ignored_folders()
    {
        using var dir = new TempDir("tree");
        dir.Write("m/go.mod", "module example.com/m\n");
        dir.Write("m/main.go", "package main\n");
        dir.Write("m/cmd/x/main_test.go", "package main\n");
        dir.Write("m/testdata/t.go", "package t\n");
        dir.Write("m/_old/o.go", "package o\n");
        dir.Write("m/nested/go.mod", "module example.com/nested\n");
        dir.Write("m/nested/n.go", "package n\n");
        // A link back to the module root: following it would never end.
        Directory.CreateSymbolicLink(dir.Combine("m", "cmd", "loop"), dir.Combine("m"));

        var files = ModuleDiscovery.GoFilesOfModule(dir.Combine("m"), CancellationToken.None);

        Assert.That(files, Is.EqualTo(new[] { "cmd/x/main_test.go", "main.go" }));
    }

    [Test]
    public void Order_is_dependencies_first_and_deterministic()
    {
        var edges = new Dictionary<string, IReadOnlyList<string>>
        {
            ["z"] = ["y"],
            ["y"] = ["x"],
            ["x"] = [],
            ["a"] = ["x"],
        };
        var (order, cycles) = ModuleGraph.Order(edges);
        Assert.That(order, Is.EqualTo(new[] { "x", "a", "y", "z" }));
        Assert.That(cycles, Is.Empty);
    }
}
