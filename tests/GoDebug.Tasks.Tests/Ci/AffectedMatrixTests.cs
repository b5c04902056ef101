using System.Text.Json;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>
/// The matrix planner on a real git repository: four Go modules (core ← util ← api, and a lone leaf) in a
/// go.work, a .NET project building the api module, one referencing that project and an unrelated one.
/// Each branch changes one thing since the base commit.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AffectedMatrixTests
{
    private TempDir _fixture = null!;
    private string _origin = null!;
    private string _base = null!;

    [OneTimeSetUp]
    public async Task CreateRepository()
    {
        _fixture = new TempDir("mx");
        _origin = _fixture.Combine("origin repo");
        Directory.CreateDirectory(_origin);
        Write("go.work", "go 1.19\n\nuse (\n\t./go/libs/core\n\t./go/libs/util\n\t./go/svc/api\n\t./go/svc/leaf\n)\n");
        Write("go/libs/core/go.mod", "module example.com/core\n\ngo 1.19\n");
        Write("go/libs/core/core.go", "package core\n\nfunc Name() string { return \"core\" }\n");
        Write("go/libs/util/go.mod", "module example.com/util\n\ngo 1.19\n\nrequire example.com/core v0.0.0\n\nreplace example.com/core => ../core\n");
        Write("go/libs/util/util.go", "package util\n\nimport \"example.com/core\"\n\nfunc Name() string { return core.Name() }\n");
        Write("go/svc/api/go.mod", "module example.com/api\n\ngo 1.19\n\nrequire example.com/util v0.0.0\n");
        Write("go/svc/api/main.go", "package main\n\nimport \"example.com/util\"\n\nfunc main() { println(util.Name()) }\n");
        Write("go/svc/api/cmd/tool/main.go", "package main\n\nfunc main() {}\n");
        Write("go/svc/api/internal/h/h.go", "package h\n");
        Write("go/svc/leaf/go.mod", "module example.com/leaf\n\ngo 1.19\n");
        Write("go/svc/leaf/main.go", "package main\n\nfunc main() {}\n");
        Write("dotnet/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <GoWorkspace>$(MSBuildProjectDirectory)/../../go/svc/api</GoWorkspace>\n  </PropertyGroup>\n</Project>\n");
        Write("dotnet/Web/Web.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <ProjectReference Include=\"..\\Api\\Api.csproj\" />\n  </ItemGroup>\n</Project>\n");
        Write("dotnet/Other/Other.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        Write("README.md", "fixture\n");
        await Git.RunAsync(_origin, "init", "-q");
        await Git.RunAsync(_origin, "add", "-A");
        await Git.RunAsync(_origin, "commit", "-qm", "base");
        _base = await Git.RunAsync(_origin, "rev-parse", "HEAD");
        await Branch("leaf", ("go/svc/leaf/main.go", "package main\n\nfunc main() { println(1) }\n"));
        await Branch("core", ("go/libs/core/core.go", "package core\n\nfunc Name() string { return \"core2\" }\n"));
        await Branch("api", ("go/svc/api/internal/h/h.go", "package h\n\nconst X = 1\n"));
        await Branch("work", ("go.work", "go 1.19\n\nuse (\n\t./go/libs/core\n\t./go/libs/util\n\t./go/svc/api\n\t./go/svc/leaf\n)\n// touched\n"));
        await Branch("docs", ("README.md", "fixture, edited\n"));
        await Git.RunAsync(_origin, "checkout", "-q", "main");
    }

    private void Write(string rel, string text)
    {
        var path = Path.Combine(_origin, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A branch off the base with two commits (the change, then an unrelated README-free no-op), so history is more than one step deep.</summary>
    private async Task Branch(string name, (string File, string Text) change)
    {
        await Git.RunAsync(_origin, "checkout", "-q", "-b", name, _base);
        Write(change.File, change.Text);
        await Git.RunAsync(_origin, "commit", "-qam", "change " + name);
        await Git.RunAsync(_origin, "commit", "-q", "--allow-empty", "-m", "follow-up " + name);
    }

    [OneTimeTearDown]
    public void Remove() => _fixture.Dispose();

    private async Task<string> CloneAsync(string branch, params string[] extra)
    {
        var target = _fixture.Combine($"clone {branch} {Guid.NewGuid():N}"[..20]);
        await Git.RunAsync(_fixture.Path, ["clone", "-q", .. extra, "-b", branch, "file://" + _origin, target]);
        return target;
    }

    private static GoDebugHost Host(RecordingLog log, string? output = null)
    {
        var host = GoDebugHost.Create(log);
        return host with { Environment = host.Environment.With("GITHUB_OUTPUT", output) };
    }

    private async Task<AffectedMatrixResult> PlanAsync(string clone, RecordingLog log, int maxJobs = 256, string? output = null, bool fetch = true)
        => await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { RepositoryRoot = clone, Base = _base, MaxJobs = maxJobs, Fetch = fetch }, await RealTools.GoAsync(), Host(log, output), CancellationToken.None);

    private static string[] Names(AffectedMatrixResult r) => r.Items.Select(i => i.Kind + ":" + i.Directory).ToArray();

    [Test]
    public async Task A_leaf_change_lists_only_the_leaf()
    {
        var r = await PlanAsync(await CloneAsync("leaf"), new RecordingLog());
        Assert.That(r.ChangedFiles, Is.EqualTo(new[] { "go/svc/leaf/main.go" }));
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/svc/leaf" }));
        Assert.That(r.Items[0].Mains, Is.EqualTo(new[] { "example.com/leaf" }));
        Assert.That(r.AllAffected, Is.False);
    }

    [Test]
    public async Task A_shared_module_change_lists_every_dependent_and_the_dotnet_projects_building_them()
    {
        var r = await PlanAsync(await CloneAsync("core"), new RecordingLog());
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/libs/core", "go:go/libs/util", "go:go/svc/api", "dotnet:dotnet/Api", "dotnet:dotnet/Web" }));
        Assert.That(r.Items.Single(i => i.Directory == "go/svc/api").Mains, Is.EqualTo(new[] { "example.com/api", "example.com/api/cmd/tool" }));
        Assert.That(r.Items.Single(i => i.Directory == "go/libs/core").Mains, Is.Empty);
    }

    [Test]
    public async Task A_go_change_lists_the_project_that_builds_it_and_the_projects_referencing_that_one()
    {
        using var dir = new TempDir("mxo");
        var output = dir.Combine("github output");
        var r = await PlanAsync(await CloneAsync("api"), new RecordingLog(), output: output);
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/svc/api", "dotnet:dotnet/Api", "dotnet:dotnet/Web" }));

        var outputs = WorkflowFilesTests.ParseOutputs(output);
        Assert.That(outputs["matrix"], Is.EqualTo(r.Json));
        Assert.That(outputs["count"], Is.EqualTo("3"));
        using var json = JsonDocument.Parse(outputs["matrix"]);
        var include = json.RootElement.GetProperty("include");
        Assert.That(include.GetArrayLength(), Is.EqualTo(3));
        var first = include[0];
        Assert.That(first.GetProperty("name").GetString(), Is.EqualTo("go/svc/api"));
        Assert.That(first.GetProperty("go")[0].GetString(), Is.EqualTo("go/svc/api"));
        var item = first.GetProperty("items")[0];
        Assert.That(item.GetProperty("kind").GetString(), Is.EqualTo("go"));
        Assert.That(item.GetProperty("path").GetString(), Is.EqualTo("example.com/api"));
        Assert.That(item.GetProperty("directory").GetString(), Is.EqualTo("go/svc/api"));
        Assert.That(item.GetProperty("mains").GetArrayLength(), Is.EqualTo(2));
        Assert.That(include[2].GetProperty("dotnet")[0].GetString(), Is.EqualTo("dotnet/Web/Web.csproj"));
    }

    [Test]
    public async Task The_MSBuild_target_plans_from_a_project_inside_the_clone_and_names_its_property_when_the_base_is_missing()
    {
        var clone = await CloneAsync("api");
        using var dir = new TempDir("mxmsb");
        var output = dir.Combine("github output");
        var environment = new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = output };
        var project = Path.Combine(clone, "build", "ci");

        var run = await TargetsProject.RunAsync(project, "GoAffectedMatrix", [$"GoMatrixBase={_base}", "GoMatrixMaxJobs=2"], environment, ["-getProperty:GoMatrixJobCount", "-getItem:GoAffected"]);

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
        using var msbuild = JsonDocument.Parse(run.StandardOutput);
        Assert.That(msbuild.RootElement.GetProperty("Properties").GetProperty("GoMatrixJobCount").GetString(), Is.EqualTo("2"), "three items capped at two jobs");
        var affected = msbuild.RootElement.GetProperty("Items").GetProperty("GoAffected").EnumerateArray()
            .Select(i => i.GetProperty("Kind").GetString() + ":" + i.GetProperty("Folder").GetString()).ToArray();
        Assert.That(affected, Is.EqualTo(new[] { "go:go/svc/api", "dotnet:dotnet/Api", "dotnet:dotnet/Web" }), "found from the git checkout holding the project");
        var api = msbuild.RootElement.GetProperty("Items").GetProperty("GoAffected")[0];
        Assert.That(api.GetProperty("Mains").GetString(), Is.EqualTo("example.com/api;example.com/api/cmd/tool"), "main packages listed with the go GoEnsureToolchain found");
        var outputs = WorkflowFilesTests.ParseOutputs(output);
        Assert.That(outputs["count"], Is.EqualTo("2"));
        Assert.That(outputs["matrix"], Does.Contain("\"dotnet/Web/Web.csproj\""));

        var missing = await TargetsProject.RunAsync(project, "GoAffectedMatrix", [], environment);
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.StandardOutput, Does.Contain("No base to compare with").And.Contain("<GoMatrixBase>origin/main</GoMatrixBase>"), "the hint names the MSBuild property, not a Cake flag");
        Assert.That(missing.StandardOutput, Does.Not.Contain("--base"));
    }

    [Test]
    public async Task A_go_work_change_lists_everything_and_the_job_cap_holds()
    {
        var log = new RecordingLog();
        var r = await PlanAsync(await CloneAsync("work"), log, maxJobs: 2);
        Assert.That(r.AllAffected, Is.True);
        Assert.That(r.Reason, Does.Contain("go.work"));
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/libs/core", "go:go/libs/util", "go:go/svc/api", "go:go/svc/leaf", "dotnet:dotnet/Api", "dotnet:dotnet/Other", "dotnet:dotnet/Web" }));
        Assert.That(r.Jobs, Has.Count.EqualTo(2));
        Assert.That(r.Jobs.SelectMany(j => j), Is.EqualTo(r.Items), "every item in exactly one job, in order");
        Assert.That(r.Jobs.Select(j => j.Count), Is.EqualTo(new[] { 4, 3 }));
        Assert.That(log.Diagnostics.Single().Code, Is.EqualTo(CiCodes.SharedFileChanged));
    }

    [Test]
    public async Task A_change_outside_every_module_and_project_lists_nothing()
    {
        using var dir = new TempDir("mxe");
        var output = dir.Combine("out");
        var r = await PlanAsync(await CloneAsync("docs"), new RecordingLog(), output: output);
        Assert.That(r.Items, Is.Empty);
        Assert.That(WorkflowFilesTests.ParseOutputs(output)["count"], Is.EqualTo("0"));
        Assert.That(r.Json, Is.EqualTo("{\"include\":[]}"));
    }

    [Test]
    public void A_base_that_looks_like_an_option_is_refused_before_git_runs()
    {
        var ex = Assert.ThrowsAsync<GoDebugException>(async () => await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { RepositoryRoot = _origin, Base = "--output=/tmp/x" }, null, Host(new RecordingLog()), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("'--output=/tmp/x' starts with '-'"));
        Assert.That(ex.Hint!.Settings.Single().Setting, Is.EqualTo(GoSetting.MatrixBase));
    }

    [Test]
    public void Chunking_a_thousand_modules_keeps_the_cap_and_balances_jobs()
    {
        var items = Enumerable.Range(0, 1000).ToList();
        var jobs = AffectedMatrix.Chunk(items, 30);
        Assert.That(jobs, Has.Count.EqualTo(30));
        Assert.That(jobs.Select(j => j.Count).Distinct().Order(), Is.EqualTo(new[] { 33, 34 }));
        Assert.That(jobs.SelectMany(j => j), Is.EqualTo(items));
        Assert.That(AffectedMatrix.Chunk(items.Take(3).ToList(), 30), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_shallow_clone_without_the_base_fetches_it()
    {
        var clone = await CloneAsync("core", "--depth", "1");
        Assert.That(await Git.RunAsync(clone, "rev-parse", "--is-shallow-repository"), Is.EqualTo("true"));
        var log = new RecordingLog();
        var r = await PlanAsync(clone, log);
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/libs/core", "go:go/libs/util", "go:go/svc/api", "dotnet:dotnet/Api", "dotnet:dotnet/Web" }));
        Assert.That(log.Text, Does.Contain("not in this clone; fetching it from origin"));
        Assert.That(log.Text, Does.Contain("Shallow clone: deepening by 100 commits"), "the one-commit history did not reach the merge base");
    }

    [Test]
    public async Task A_single_branch_shallow_clone_fetches_a_remote_tracking_base()
    {
        var clone = await CloneAsync("leaf", "--depth", "1");
        var log = new RecordingLog();
        var r = await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { RepositoryRoot = clone, Base = "origin/main" }, null, Host(log), CancellationToken.None);
        Assert.That(Names(r), Is.EqualTo(new[] { "go:go/svc/leaf" }));
        Assert.That(r.Items[0].Mains, Is.Empty, "no go given, no main packages listed");
        Assert.That(await Git.RunAsync(clone, "rev-parse", "origin/main"), Is.EqualTo(_base));
    }

    [Test]
    public async Task A_shallow_clone_whose_base_cannot_be_fetched_says_which_fetch_to_run()
    {
        var clone = await CloneAsync("core", "--depth", "1");
        await Git.RunAsync(clone, "remote", "set-url", "origin", "file://" + _fixture.Combine("gone"));
        var ex = Assert.ThrowsAsync<GoDebugException>(async () => await PlanAsync(clone, new RecordingLog()));
        Assert.That(ex!.Message, Does.StartWith(CiCodes.BaseMissing).And.Contain(_base));
        Assert.That(ex.Hint!.Note, Does.Contain($"git fetch --no-tags origin {_base}").And.Contain("fetch-depth: 0"));

        var noFetch = Assert.ThrowsAsync<GoDebugException>(async () => await PlanAsync(await CloneAsync("core", "--depth", "1"), new RecordingLog(), fetch: false));
        Assert.That(noFetch!.Message, Does.Contain("is not in this clone"));
    }
}
