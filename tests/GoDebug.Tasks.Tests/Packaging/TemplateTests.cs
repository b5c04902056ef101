using System.Text.Json;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>
/// The README's first commands in a repository outside this checkout: `dotnet new install GoDebug.Templates@V` from
/// the feed its nuget.config names, `dotnet new godebug`, then the scaffolded build.sh and build.ps1. The steps share
/// the one scaffolded repository (a Go workspace in services/), so they run in order.
/// </summary>
[NonParallelizable]
public sealed partial class TemplateTests
{
    private static readonly string[] Written =
    [
        "build.sh", "build.ps1", "build/build.cake", "build/godebug.cake", "build/.gitignore",
        ".config/dotnet-tools.json", "global.json", ".github/workflows/godebug.yml",
    ];

    private UserRepository _repo = null!;
    private ProcessResult _install = null!;
    private ProcessResult _scaffold = null!;

    private string Version => _repo.Feed.Version;

    [OneTimeSetUp]
    public async Task InstallAndScaffoldOnce()
    {
        _repo = await UserRepository.CreateAsync("tpl");
        _repo.AddSampleWorkspace("services");
        // The README's three commands, as it has them: install, scaffold, then the main job (run below with --once).
        var commands = Readme.Blocks("## Use it in your repository", "bash")
            .SelectMany(b => b.Split('\n'))
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.Length > 0)
            .SkipWhile(l => !l.StartsWith("dotnet new install ", StringComparison.Ordinal))
            .Select(l => l.Replace(Readme.Version, Version, StringComparison.Ordinal).Split(' '))
            .ToList();
        Assert.That(commands.Select(c => string.Join(' ', c)), Is.EqualTo(new[] { $"dotnet new install GoDebug.Templates@{Version}", "dotnet new godebug", "./build.sh --target=Debug" }));
        _install = await _repo.DotnetNewAsync(commands[0][2..]);
        _scaffold = await _repo.DotnetNewAsync(commands[1][2..]);
    }

    [OneTimeTearDown]
    public void RemoveRepository() => _repo?.Dispose();

    [Test]
    [Order(0)]
    public void Scaffold_writes_the_scripts_the_addin_pinned_to_the_packed_version_and_the_shared_targets()
    {
        Assert.That(_install.ExitCode, Is.Zero, _install.StandardOutput + _install.StandardError);
        Assert.That(_install.StandardOutput, Does.Contain("godebug"));
        Assert.That(_scaffold.ExitCode, Is.Zero, _scaffold.StandardOutput + _scaffold.StandardError);
        Assert.That(_scaffold.StandardOutput, Does.Contain("Next: ./build.sh --target=Debug"));

        foreach (var file in Written) Assert.That(File.Exists(_repo.Combine(file.Split('/'))), Is.True, file);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the scaffold's executable bits are Unix file modes");
        foreach (var script in new[] { "build.sh", "build.ps1" })
        {
            Assert.That(File.GetUnixFileMode(_repo.Combine(script)).HasFlag(UnixFileMode.UserExecute), Is.True, $"{script} runs as ./{script}");
        }

        var cake = File.ReadAllText(_repo.Combine("build", "build.cake"));
        Assert.That(cake, Does.Contain($"#addin nuget:?package=Cake.GoDebug&version={Version}&loaddependencies=true\n#load \"godebug.cake\"\n"));
        Assert.That(cake, Does.Contain("string DefaultWorkspace() => GoFindWorkspace(repoRoot);").And.EndWith("RunTarget(target);\n"));
        Assert.That(File.ReadAllText(_repo.Combine("build", "godebug.cake")), Is.EqualTo(File.ReadAllText(RepoPaths.CakeTasks)),
            "users get the very targets this repository's build.cake loads");

        using var manifest = JsonDocument.Parse(File.ReadAllText(_repo.Combine(".config", "dotnet-tools.json")));
        var tools = manifest.RootElement.GetProperty("tools").EnumerateObject().Select(t => (t.Name, t.Value.GetProperty("version").GetString())).ToList();
        Assert.That(tools, Is.EqualTo(new[] { ("cake.tool", (string?)"7.0.0") }), "build.ps1 needs no PowerShell tool: it runs in the user's pwsh");
        Assert.That(File.ReadAllText(_repo.Combine("global.json")), Is.EqualTo(File.ReadAllText(Path.Combine(RepoPaths.Root, "global.json"))));
    }

    [Test]
    [Order(1)]
    public async Task Debug_once_finds_the_workspace_builds_it_and_serves_the_program_under_dlv()
    {
        var dlvPort = Ports.Free();
        var appPort = Ports.Free();

        var run = await _repo.RunAsync(_repo.Combine("build.sh"), "--target=Debug", "--once", $"--dlv-listen=127.0.0.1:{dlvPort}", $"--program-args=-addr 127.0.0.1:{appPort}");

        var output = run.StandardOutput + run.StandardError;
        Assert.That(run.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Go workspace: services (its go.work)."));
        Assert.That(output, Does.Contain($"dlv ready on 127.0.0.1:{dlvPort}"));
        var ready = ReadyLine().Match(output);
        Assert.That(ready.Success, Is.True, "the program under dlv became ready:\n" + output);
        Assert.That(ready.Groups["ports"].Value.Split(", "), Does.Contain(appPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).Or.Contain($"127.0.0.1:{appPort}"), ready.Value);
        Assert.That(output, Does.Contain("Ready once; stopping"));
        Assert.That(File.Exists(_repo.Combine("services", ".godebug", "bin", "Debug", "app")), Is.True);
        Assert.That(await Ports.ClosesWithinAsync(dlvPort, TimeSpan.FromSeconds(5)), Is.True, "dlv must not outlive the build");
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the program must not outlive the build");
        Assert.That(Directory.Exists(_repo.Combine("build", "tools", "Addins")), Is.True, "Cake restored the addin where build/.gitignore ignores it");
        var status = await _repo.RunAsync("git", "status", "--porcelain", "--untracked-files=all", "build");
        Assert.That(status.StandardOutput, Does.Not.Contain("build/tools/"));
    }

    [Test]
    [Order(2)]
    public async Task Scaffolding_again_writes_nothing_and_names_the_files()
    {
        var before = _repo.Snapshot();

        var again = await _repo.DotnetNewAsync("godebug");

        var output = again.StandardOutput + again.StandardError;
        Assert.That(again.ExitCode, Is.EqualTo(73), output);
        foreach (var file in Written) Assert.That(output, Does.Contain("Overwrite   ./" + file), output);
        Assert.That(_repo.Snapshot(), Is.EqualTo(before), "not one byte changed");
    }

    [Test]
    [Order(3)]
    public async Task Build_ps1_runs_the_same_script()
    {
        var run = await _repo.RunAsync("dotnet", BuildScript.PowerShell.Value, "-NoProfile", "-File", _repo.Combine("build.ps1"), "--target=Build");

        var output = run.StandardOutput + run.StandardError;
        Assert.That(run.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain($"example.com/sample/app -> {_repo.Combine("services", ".godebug", "bin", "Debug", "app")}"));
    }

    [Test]
    [Order(4)]
    public async Task A_second_go_work_beside_the_first_stops_with_both_named_and_workspace_chooses()
    {
        _repo.Write("tools/go.work", "go 1.19\n\nuse ./lint\n");
        _repo.Write("tools/lint/go.mod", "module example.com/lint\n\ngo 1.19\n");
        _repo.Write("tools/lint/main.go", "package main\n\nfunc main() {}\n");

        var refused = await _repo.RunAsync(_repo.Combine("build.sh"), "--target=Build");

        var output = refused.StandardOutput + refused.StandardError;
        Assert.That(refused.ExitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("GO3021: ").And.Contain("2 Go workspaces (services/go.work, tools/go.work)").And.Contain("pass --workspace=services"));

        // The workspace is looked for only by targets that use it.
        var unrelated = await _repo.RunAsync(_repo.Combine("build.sh"), "--target=Comment");
        Assert.That(unrelated.StandardOutput + unrelated.StandardError, Does.Contain("--comment-file=PATH is required").And.Not.Contain("GO3021"));

        var chosen = await _repo.RunAsync(_repo.Combine("build.sh"), "--target=Build", "--workspace=tools");
        Assert.That(chosen.ExitCode, Is.Zero, chosen.StandardOutput + chosen.StandardError);
        Assert.That(File.Exists(_repo.Combine("tools", ".godebug", "bin", "Debug", "lint")), Is.True, chosen.StandardOutput);
    }

    [Test]
    public async Task A_repository_with_its_own_build_sh_gets_nothing_and_is_told_which_file()
    {
        using var repo = await UserRepository.CreateAsync("tplown");
        repo.Write("build.sh", "#!/bin/sh\necho mine\n");
        (await repo.DotnetNewAsync("install", repo.Feed.Package("GoDebug.Templates"))).EnsureSuccess();
        var before = repo.Snapshot();

        var run = await repo.DotnetNewAsync("godebug");

        var output = run.StandardOutput + run.StandardError;
        Assert.That(run.ExitCode, Is.EqualTo(73), output);
        Assert.That(output, Does.Contain("Overwrite   ./build.sh"));
        Assert.That(output, Does.Not.Contain("./build/build.cake"), "only the file that exists is named");
        Assert.That(repo.Snapshot(), Is.EqualTo(before), "nothing written, build.sh untouched");
    }

    [Test]
    public async Task A_repository_that_pins_its_sdk_and_has_a_tool_manifest_keeps_both()
    {
        using var repo = await UserRepository.CreateAsync("tplpin");
        repo.Write("global.json", "{\n  \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestMajor\" }\n}\n");
        repo.Write(".config/dotnet-tools.json", "{\n  \"version\": 1,\n  \"isRoot\": true,\n  \"tools\": {}\n}\n");
        (await repo.DotnetNewAsync("install", repo.Feed.Package("GoDebug.Templates"))).EnsureSuccess();
        var before = repo.Snapshot();

        var refused = await repo.DotnetNewAsync("godebug");

        var output = refused.StandardOutput + refused.StandardError;
        Assert.That(refused.ExitCode, Is.EqualTo(73), output);
        Assert.That(output, Does.Contain("Overwrite   ./global.json").And.Contain("Overwrite   ./.config/dotnet-tools.json"));
        Assert.That(repo.Snapshot(), Is.EqualTo(before));

        var kept = await repo.DotnetNewAsync("godebug", "--global-json", "false", "--tool-manifest", "false");

        Assert.That(kept.ExitCode, Is.Zero, kept.StandardOutput + kept.StandardError);
        var after = repo.Snapshot();
        Assert.That(after["global.json"], Is.EqualTo(before["global.json"]));
        Assert.That(after[Path.Combine(".config", "dotnet-tools.json")], Is.EqualTo(before[Path.Combine(".config", "dotnet-tools.json")]));
        Assert.That(after.Keys, Does.Contain(Path.Combine("build", "build.cake")).And.Contain("build.sh"));
    }

    [Test]
    public void Scaffolded_build_ps1_forwards_signals_with_the_very_launcher_of_this_repository()
    {
        static string Launcher(string file)
        {
            var text = File.ReadAllText(file);
            var start = text.IndexOf("$launcherSource = @'\n", StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThan(0), file);
            return text[start..text.IndexOf("\n'@\n", start, StringComparison.Ordinal)];
        }

        Assert.That(
            Launcher(Path.Combine(RepoPaths.Root, "src", "GoDebug.Templates", "content", "godebug", "build.ps1")),
            Is.EqualTo(Launcher(Path.Combine(RepoPaths.Root, "build.ps1"))),
            "the signal forwarding the build.ps1 tests prove is the one users get");
    }

    // "app started in 812 ms (listening on 40123)."
    [GeneratedRegex(@"\bapp started in \d+ ms \(listening on (?<ports>[^)]*)\)")]
    private static partial Regex ReadyLine();
}
