using System.IO.Compression;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

/// <summary>
/// Repositories as they are: a module with a committed vendor/ folder (made here: its one dependency served from a
/// file:// GOPROXY this fixture writes, then 'go mod vendor', then the module cache thrown away), built offline with
/// GOPROXY=off as plain 'go build' builds it. No go.work may be created there, nor for a module at the root; a
/// folder of plain modules still gets one.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VendoredWorkspaceTests
{
    private TempDir _dir = null!;
    private string _app = null!;
    private GoTool _offline = null!;

    /// <summary>What go sees with no network and no module cache: only vendor/ can supply example.com/dep.</summary>
    private Dictionary<string, string> Offline => new()
    {
        ["GOPROXY"] = "off",
        ["GOFLAGS"] = string.Empty,
        ["GOMODCACHE"] = _dir.Combine("empty module cache"),
        ["GOWORK"] = string.Empty,
    };

    [OneTimeSetUp]
    public async Task VendorAModule()
    {
        _dir = new TempDir("vendored");
        var proxy = WriteProxy(_dir.Combine("proxy"));
        _app = _dir.Combine("app");
        Write(_app, "go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/dep v1.0.0\n");
        Write(_app, "main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { fmt.Println(dep.Greeting()) }\n");

        var go = await RealTools.GoAsync();
        var online = With(go, new Dictionary<string, string>
        {
            ["GOPROXY"] = new Uri(proxy).AbsoluteUri,
            ["GOSUMDB"] = "off",
            ["GOFLAGS"] = "-modcacherw",
            ["GOMODCACHE"] = _dir.Combine("modcache"),
        });
        (await online.RunAsync(["mod", "tidy"], _app, CancellationToken.None)).EnsureSuccess();
        (await online.RunAsync(["mod", "vendor"], _app, CancellationToken.None)).EnsureSuccess();
        TempDir.DeleteTree(_dir.Combine("modcache"));
        Assert.That(Path.Combine(_app, "vendor", "modules.txt"), Does.Exist);
        _offline = With(go, Offline);
    }

    [OneTimeTearDown]
    public void Remove() => _dir.Dispose();

    private static GoTool With(GoTool go, IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string?>(go.Environment);
        foreach (var (k, v) in extra) env[k] = v;
        return go with { Environment = env };
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A GOPROXY=file:// tree serving example.com/dep v1.0.0.</summary>
    private static string WriteProxy(string proxy)
    {
        const string goMod = "module example.com/dep\n\ngo 1.19\n";
        var dir = Path.Combine(proxy, "example.com", "dep", "@v");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "list"), "v1.0.0\n");
        File.WriteAllText(Path.Combine(dir, "v1.0.0.info"), """{"Version":"v1.0.0","Time":"2026-01-01T00:00:00Z"}""");
        File.WriteAllText(Path.Combine(dir, "v1.0.0.mod"), goMod);
        using var zip = ZipFile.Open(Path.Combine(dir, "v1.0.0.zip"), ZipArchiveMode.Create);
        foreach (var (name, content) in new[] { ("go.mod", goMod), ("dep.go", "package dep\n\nfunc Greeting() string { return \"hello from vendor\" }\n") })
        {
            using var writer = new StreamWriter(zip.CreateEntry("example.com/dep@v1.0.0/" + name).Open());
            writer.Write(content);
        }

        return proxy;
    }

    /// <summary>A copy of the vendored module under <paramref name="target"/>, so each test changes only its own.</summary>
    private string CopyApp(string target)
    {
        foreach (var file in Directory.EnumerateFiles(_app, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_app, file);
            if (relative.StartsWith(".godebug", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        return target;
    }

    [Test]
    public async Task A_go_work_would_break_the_offline_build_that_vendor_gives()
    {
        // The facts the rule rests on, with the real go: vendor/ builds offline; under a go.work with a second module
        // no go reads it; under 'use .' alone Go 1.22 and later do not either (they read only 'go work vendor' output).
        using var dir = new TempDir("vendorwork");
        var app = CopyApp(dir.Combine("app"));
        Write(dir.Path, "other/go.mod", "module example.com/other\n\ngo 1.19\n");
        var plain = await _offline.RunAsync(["build", "-o", dir.Combine("plain.bin"), "."], app, CancellationToken.None);
        Assert.That(plain.ExitCode, Is.Zero, plain.StandardError);

        File.WriteAllText(dir.Combine("go.work"), "go 1.19\n\nuse (\n\t./app\n\t./other\n)\n");
        var two = await _offline.RunAsync(["build", "-o", dir.Combine("two.bin"), "."], app, CancellationToken.None);
        Assert.That(two.ExitCode, Is.Not.Zero, $"go {_offline.Version} built the vendored module in a two-module workspace offline");
        Assert.That(two.StandardError, Does.Contain("example.com/dep@v1.0.0"));

        File.Delete(dir.Combine("go.work"));
        File.WriteAllText(Path.Combine(app, "go.work"), "go 1.19\n\nuse .\n");
        var alone = await _offline.RunAsync(["build", "-o", dir.Combine("alone.bin"), "."], app, CancellationToken.None);
        Assert.That(alone.ExitCode == 0, Is.EqualTo(_offline.Version.Language < GoVersion.Parse("1.22")), $"go {_offline.Version} with 'use .': {alone.StandardError}");
    }

    [Test]
    public async Task The_engine_writes_no_go_work_for_a_vendored_module_names_the_code_and_builds_it_offline()
    {
        using var dir = new TempDir("vendorsync");
        var app = CopyApp(dir.Combine("app"));
        var log = new RecordingLog();

        var sync = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = app }, _offline, log, CancellationToken.None);

        Assert.That(File.Exists(Path.Combine(app, "go.work")), Is.False);
        Assert.That(sync.Changed, Is.False);
        Assert.That(sync.ModuleDirectories, Is.EqualTo(new[] { app }));
        var notice = log.Diagnostics.Single();
        Assert.That((notice.Code, notice.Severity, notice.File), Is.EqualTo((GoWorkSynchronizer.VendoredNotWritten, GoDiagnosticSeverity.Notice, Path.Combine(app, "vendor", "modules.txt"))));
        Assert.That(notice.Message, Does.StartWith($"{Path.Combine(app, "go.work")} not written: {Path.Combine(app, "vendor", "modules.txt")} makes go build {app} from its vendor folder"));
        Assert.That(notice.Message, Does.Not.Contain("Point the workspace"), "the workspace already is that module");

        var check = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = app, Check = true }, _offline, new RecordingLog(), CancellationToken.None);
        Assert.That(check.Changed, Is.False, "a go.work that must not exist is not out of date");

        var built = await GoBuilder.BuildAsync(new GoBuildSettings { Workspace = app }, _offline, new RecordingLog(), CancellationToken.None);
        Assert.That(built.Succeeded, Is.True, string.Join("\n", built.Diagnostics));
        var run = await ProcessRunner.Default.RunAsync(built.Targets.Single().OutputPath, [], app, CancellationToken.None);
        Assert.That(run.StandardOutput.Trim(), Is.EqualTo("hello from vendor"));
        Assert.That(File.Exists(Path.Combine(app, "go.work")), Is.False);
    }

    [Test]
    public async Task The_cake_build_of_a_vendored_module_succeeds_offline_without_writing_go_work()
    {
        using var dir = new TempDir("vendorcake");
        var app = CopyApp(dir.Combine("app"));

        await using var run = await BuildScript.RunAsync(["--target=Build", "--workspace=" + app, "--plain-output=true"], TimeSpan.FromMinutes(10), Offline);

        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Contain($"notice {GoWorkSynchronizer.VendoredNotWritten}: {Path.Combine(app, "go.work")} not written"));
        Assert.That(run.Output, Does.Contain("built    example.com/app -> " + Path.Combine(app, ".godebug", "bin", "Debug", "app")));
        Assert.That(File.Exists(Path.Combine(app, "go.work")), Is.False);
    }

    [Test]
    public async Task The_msbuild_sync_says_what_it_did_not_write()
    {
        using var dir = new TempDir("vendormsb");
        var app = CopyApp(dir.Combine("app"));
        var run = await TargetsProject.RunAsync(dir.Combine("proj"), "GoWorkSync", ["GoWorkspace=" + app], Offline.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput);
        Assert.That(run.StandardOutput, Does.Contain($"{GoWorkSynchronizer.VendoredNotWritten}: {Path.Combine(app, "go.work")} not written"));
        Assert.That(File.Exists(Path.Combine(app, "go.work")), Is.False);
    }

    [Test]
    public async Task A_folder_holding_a_vendored_module_gets_no_go_work_and_is_told_where_to_point()
    {
        using var dir = new TempDir("vendorfolder");
        var app = CopyApp(dir.Combine("services", "app"));
        Write(dir.Path, "libs/util/go.mod", "module example.com/util\n\ngo 1.19\n");
        var log = new RecordingLog();

        await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, _offline, log, CancellationToken.None);

        Assert.That(File.Exists(dir.Combine("go.work")), Is.False);
        Assert.That(log.Diagnostics.Single().Message, Does.EndWith($"Point the workspace at {app} to build it."));
    }

    [Test]
    public async Task A_module_at_the_root_gets_no_go_work_even_with_nested_modules()
    {
        using var dir = new TempDir("rootmodule");
        Write(dir.Path, "go.mod", "module example.com/root\n\ngo 1.19\n");
        Write(dir.Path, "tools/go.mod", "module example.com/root/tools\n\ngo 1.19\n");
        var log = new RecordingLog();

        var sync = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, log, CancellationToken.None);

        Assert.That(File.Exists(dir.Combine("go.work")), Is.False);
        Assert.That(sync.Findings.Single().Code, Is.EqualTo(GoWorkSynchronizer.SingleModuleNotWritten));
        Assert.That(sync.Findings.Single().Message, Is.EqualTo($"{dir.Combine("go.work")} not written: {dir.Path} is a module itself, which go builds as it is; a go.work would put its 1 nested module in place of the versions it requires."));

        File.Delete(dir.Combine("tools", "go.mod"));
        var single = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None);
        Assert.That(single.Findings.Single().Message, Does.EndWith($"{dir.Path} is a single module, which go builds as it is."));
    }

    [Test]
    public async Task A_folder_of_two_plain_modules_still_gets_its_go_work_and_an_existing_one_stays_in_sync()
    {
        using var dir = new TempDir("twomodules");
        Write(dir.Path, "a/go.mod", "module example.com/a\n\ngo 1.19\n");
        Write(dir.Path, "b/go.mod", "module example.com/b\n\ngo 1.19\n");

        var sync = await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None);
        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo("go 1.19\n\nuse (\n\t./a\n\t./b\n)\n"));
        Assert.That(sync.Findings, Is.Empty);

        // A go.work the user keeps beside a vendored module is theirs: go already resolves in workspace mode there.
        CopyApp(dir.Combine("c"));
        await GoWorkSynchronizer.SyncAsync(new GoWorkSyncSettings { Workspace = dir.Path }, null, new RecordingLog(), CancellationToken.None);
        Assert.That(File.ReadAllText(dir.Combine("go.work")), Is.EqualTo("go 1.19\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n"));
    }
}
