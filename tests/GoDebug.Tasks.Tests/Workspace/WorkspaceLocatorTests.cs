using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

/// <summary>The default workspace a scaffolded build.cake finds in a repository it was not told about.</summary>
public sealed class WorkspaceLocatorTests
{
    private const string Mod = "module example.com/m\n\ngo 1.19\n";

    private static string Locate(TempDir repo, RecordingLog log) => WorkspaceLocator.Locate(repo.Path, log, CancellationToken.None);

    [Test]
    public void The_folder_of_the_go_work_wins_over_modules_outside_it()
    {
        using var repo = new TempDir("loc");
        repo.Write("services/go.work", "go 1.19\n\nuse ./api\n");
        repo.Write("services/api/go.mod", Mod);
        repo.Write("tools/lint/go.mod", Mod);
        var log = new RecordingLog();

        Assert.That(Locate(repo, log), Is.EqualTo(repo.Combine("services")));
        Assert.That(log.Text, Does.Contain("Go workspace: services (its go.work)."));
    }

    [Test]
    public void A_go_work_inside_another_workspace_folder_leaves_the_outer_one()
    {
        using var repo = new TempDir("loc");
        repo.Write("go.work", "go 1.19\n\nuse ./a\n");
        repo.Write("a/go.mod", Mod);
        repo.Write("a/tools/go.work", "go 1.19\n\nuse ./x\n");
        repo.Write("a/tools/x/go.mod", Mod);

        Assert.That(Locate(repo, new RecordingLog()), Is.EqualTo(repo.Path));
    }

    [Test]
    public void Without_a_go_work_one_module_is_its_own_workspace()
    {
        using var repo = new TempDir("loc");
        repo.Write("src/svc/go.mod", Mod);
        repo.Write("src/svc/vendor/example.com/dep/go.mod", Mod);
        var log = new RecordingLog();

        Assert.That(Locate(repo, log), Is.EqualTo(repo.Combine("src", "svc")));
        Assert.That(log.Text, Does.Contain("Go workspace: src/svc (its go.mod; no go.work in the repository)."));
    }

    [Test]
    public void Without_a_go_work_several_modules_give_the_deepest_folder_holding_them_all()
    {
        using var repo = new TempDir("loc");
        repo.Write("go/services/api/go.mod", Mod);
        repo.Write("go/services/worker/go.mod", Mod);
        repo.Write("go/libs/auth/go.mod", Mod);
        repo.Write("go/libs/auth/testdata/fixture/go.mod", Mod);
        repo.Write("node_modules/pkg/go.mod", Mod);
        var log = new RecordingLog();

        Assert.That(Locate(repo, log), Is.EqualTo(repo.Combine("go")));
        Assert.That(log.Text, Does.Contain("Go workspace: go (the folder holding all 3 go.mod files; no go.work in the repository)."));
    }

    [Test]
    public void Two_go_work_files_side_by_side_are_named_and_neither_is_picked()
    {
        using var repo = new TempDir("loc");
        repo.Write("services/go.work", "go 1.19\n\nuse ./a\n");
        repo.Write("services/a/go.mod", Mod);
        repo.Write("tools/go.work", "go 1.19\n\nuse ./b\n");
        repo.Write("tools/b/go.mod", Mod);

        var error = Assert.Throws<GoDebugException>(() => Locate(repo, new RecordingLog()))!;
        Assert.That(error.Message, Does.StartWith("GO3021: ").And.Contain("2 Go workspaces (services/go.work, tools/go.work)"));
        Assert.That(GoDebug.Tasks.Cake.CakeHints.Instance.Render(error.Hint!), Is.EqualTo("pass --workspace=services"));
    }

    [Test]
    public void A_repository_without_go_says_so_and_names_the_setting()
    {
        using var repo = new TempDir("loc");
        repo.Write("src/App/App.csproj", "<Project />");
        repo.Write(".hidden/go.mod", Mod);

        var error = Assert.Throws<GoDebugException>(() => Locate(repo, new RecordingLog()))!;
        Assert.That(error.Message, Does.StartWith("GO3020: no go.work or go.mod under " + repo.Path));
        Assert.That(GoDebug.Tasks.Cake.CakeHints.Instance.Render(error.Hint!), Is.EqualTo("pass --workspace=PATH"));
    }
}
