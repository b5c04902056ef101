using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>
/// The matrix for a workspace in a git repository other than this checkout: a repository of its own, whose last
/// commit changed one module (core) that two others depend on (util requires it, api requires util), beside a leaf
/// nobody needs. The plan must be that repository's, from the engine, the Cake script and MSBuild alike; a workspace
/// in no repository is refused with its code.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ForeignRepositoryMatrixTests
{
    private static readonly string[] Affected = ["go:go/libs/core", "go:go/libs/util", "go:go/svc/api"];

    private TempDir _dir = null!;
    private string _repo = null!;
    private string _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateRepository()
    {
        _dir = new TempDir("mxforeign");
        _repo = _dir.Combine("their repo");
        _workspace = Path.Combine(_repo, "go");
        Write("go/go.work", "go 1.19\n\nuse (\n\t./libs/core\n\t./libs/util\n\t./svc/api\n\t./svc/leaf\n)\n");
        Write("go/libs/core/go.mod", "module example.com/core\n\ngo 1.19\n");
        Write("go/libs/core/core.go", "package core\n\nfunc Name() string { return \"core\" }\n");
        Write("go/libs/util/go.mod", "module example.com/util\n\ngo 1.19\n\nrequire example.com/core v0.0.0\n");
        Write("go/libs/util/util.go", "package util\n\nimport \"example.com/core\"\n\nfunc Name() string { return core.Name() }\n");
        Write("go/svc/api/go.mod", "module example.com/api\n\ngo 1.19\n\nrequire example.com/util v0.0.0\n");
        Write("go/svc/api/main.go", "package main\n\nimport \"example.com/util\"\n\nfunc main() { println(util.Name()) }\n");
        Write("go/svc/leaf/go.mod", "module example.com/leaf\n\ngo 1.19\n");
        Write("go/svc/leaf/main.go", "package main\n\nfunc main() {}\n");
        await Git.RunAsync(_repo, "init", "-q");
        await Git.RunAsync(_repo, "add", "-A");
        await Git.RunAsync(_repo, "commit", "-qm", "base");
        Write("go/libs/core/core.go", "package core\n\nfunc Name() string { return \"core, changed\" }\n");
        await Git.RunAsync(_repo, "commit", "-qam", "change core");
    }

    [OneTimeTearDown]
    public void Remove() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A host whose current folder is this checkout, as a build started here has it.</summary>
    private static GoDebugHost FromThisCheckout(RecordingLog log)
    {
        var host = GoDebugHost.Create(log);
        return host with { Environment = new EnvironmentSnapshot(host.Environment.Variables, RepoPaths.Root) };
    }

    [Test]
    public async Task The_engine_plans_the_repository_holding_the_workspace_not_the_folder_it_runs_in()
    {
        var log = new RecordingLog();
        var r = await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { Workspace = _workspace, Base = "HEAD~1" }, await RealTools.GoAsync(), FromThisCheckout(log), CancellationToken.None);

        Assert.That(r.ChangedFiles, Is.EqualTo(new[] { "go/libs/core/core.go" }), "the workspace repository's last commit");
        Assert.That(r.Items.Select(i => i.Kind + ":" + i.Directory), Is.EqualTo(Affected));
        Assert.That(r.Items.Single(i => i.Directory == "go/svc/api").Mains, Is.EqualTo(new[] { "example.com/api" }));
        Assert.That(log.Text, Does.Contain("3 of 4 modules and 0 of 0 projects affected by 1 changed files"));
    }

    [Test]
    public async Task A_workspace_reached_through_a_link_is_planned_in_the_real_repository()
    {
        var link = _dir.Combine("link to their workspace");
        Directory.CreateSymbolicLink(link, _workspace);
        var r = await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { Workspace = link, Base = "HEAD~1", ListMainPackages = false }, null, FromThisCheckout(new RecordingLog()), CancellationToken.None);
        Assert.That(r.Items.Select(i => i.Kind + ":" + i.Directory), Is.EqualTo(Affected));
    }

    [Test]
    public void A_workspace_in_no_git_repository_is_refused_with_its_code_and_no_other_plan()
    {
        using var loose = new TempDir("mxnogit");
        loose.Write("m/go.mod", "module example.com/m\n\ngo 1.19\n");
        using var output = new TempDir("mxnogitout");
        var log = new RecordingLog();
        var host = FromThisCheckout(log);
        host = host with { Environment = host.Environment.With("GITHUB_OUTPUT", output.Combine("out")) };

        var ex = Assert.ThrowsAsync<GoDebugException>(() => AffectedMatrix.PlanAsync(new AffectedMatrixSettings { Workspace = loose.Path, Base = "HEAD~1" }, null, host, CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith($"{CiCodes.NotARepository}: {loose.Path} is not inside a git checkout (fatal: not a git repository"));
        Assert.That(File.Exists(output.Combine("out")), Is.False, "no matrix planned, no step output");
        Assert.That(log.Text, Does.Not.Contain("modules and"), "this checkout was not planned instead");

        var missing = Assert.ThrowsAsync<GoDebugException>(() => AffectedMatrix.PlanAsync(new AffectedMatrixSettings { Workspace = loose.Combine("gone"), Base = "HEAD~1" }, null, host, CancellationToken.None));
        Assert.That(missing!.Message, Does.StartWith($"{CiCodes.NotARepository}: {loose.Combine("gone")} does not exist"));
    }

    [Test]
    public async Task The_cake_script_plans_the_workspace_repository_and_refuses_a_folder_outside_git()
    {
        using var dir = new TempDir("mxforeigncake");
        var output = dir.Combine("github output");
        await using var run = await BuildScript.RunAsync(["--target=Matrix", "--workspace=" + _workspace, "--base=HEAD~1"], TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["GITHUB_OUTPUT"] = output });

        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Contain("3 of 4 modules and 0 of 0 projects affected by 1 changed files; 3 jobs."));
        var matrix = WorkflowFilesTests.ParseOutputs(output)["matrix"];
        Assert.That(matrix, Does.Contain("\"go\":[\"go/libs/core\"]").And.Contain("\"go\":[\"go/libs/util\"]").And.Contain("\"go\":[\"go/svc/api\"]"));
        Assert.That(matrix, Does.Not.Contain("leaf"));

        using var loose = new TempDir("mxforeignnogit");
        loose.Write("go.mod", "module example.com/loose\n\ngo 1.19\n");
        var refusedOutput = dir.Combine("refused output");
        await using var refused = await BuildScript.RunAsync(["--target=Matrix", "--workspace=" + loose.Path, "--base=HEAD~1"], TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["GITHUB_OUTPUT"] = refusedOutput });
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.Output, Does.Contain($"{CiCodes.NotARepository}: {loose.Path} is not inside a git checkout"));
        Assert.That(File.Exists(refusedOutput), Is.False);
    }

    [Test]
    public async Task The_msbuild_target_plans_the_workspace_repository_from_a_project_outside_it()
    {
        using var dir = new TempDir("mxforeignmsb");
        var run = await TargetsProject.RunAsync(dir.Combine("proj"), "GoAffectedMatrix", ["GoMatrixBase=HEAD~1", "GoMatrixWorkspace=" + _workspace], null, ["-getItem:GoAffected"]);

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
        Assert.That(run.StandardOutput, Does.Contain("\"Folder\": \"go/libs/core\"").And.Contain("\"Folder\": \"go/libs/util\"").And.Contain("\"Folder\": \"go/svc/api\""));
        Assert.That(run.StandardOutput, Does.Not.Contain("go/svc/leaf"));
    }
}
