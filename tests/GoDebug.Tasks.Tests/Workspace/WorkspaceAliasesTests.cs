using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

/// <summary>The Cake aliases run by the real pinned Cake runner, loading the built addin.</summary>
public class WorkspaceAliasesTests
{
    [Test]
    public async Task GoWorkSync_writes_go_work_and_in_check_mode_fails_the_script_printing_the_diff()
    {
        using var dir = new TempDir("cake");
        dir.Write("ws/a/go.mod", "module example.com/a\n\ngo 1.21\n");
        var addin = typeof(GoDebug.Tasks.Cake.WorkspaceAliases).Assembly.Location;
        var ws = dir.Combine("ws");
        var script = dir.Write("check.cake", $$"""
            #r "{{addin}}"

            var synced = GoWorkSync(new GoWorkSyncSettings { Workspace = @"{{ws}}" });
            Information("synced changed=" + synced.Changed);
            System.IO.Directory.CreateDirectory(@"{{ws}}/b");
            System.IO.File.WriteAllText(@"{{ws}}/b/go.mod", "module example.com/b\n\ngo 1.22\n");
            GoWorkSync(new GoWorkSyncSettings { Workspace = @"{{ws}}", Check = true });
            Information("not reached");
            """);

        var result = await ProcessRunner.Default.RunAsync("dotnet", ["cake", script], RepoPaths.Root, CancellationToken.None);
        var output = result.StandardOutput + result.StandardError;

        Assert.That(result.ExitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("synced changed=True"));
        Assert.That(output, Does.Contain("is out of date").And.Contain("+go 1.22").And.Contain("+\t./b").And.Not.Contain("not reached"));
        Assert.That(File.ReadAllText(Path.Combine(ws, "go.work")), Is.EqualTo("go 1.21\n\nuse (\n\t./a\n)\n"), "check mode wrote nothing");
    }
}
