using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>The CI targets through real MSBuild: the comment against a GitHub-shaped server on 127.0.0.1, the matrix's own errors.</summary>
[TestFixture]
[NonParallelizable]
public sealed class CiMSBuildTests
{
    [Test]
    public async Task The_comment_target_posts_once_updates_in_place_warns_or_fails_on_refusal_and_never_prints_the_token()
    {
        const string token = "ghs_MSBuildSecret1234567890";
        await using var github = new FakeGitHub();
        using var dir = new TempDir("cimsb");
        dir.Write("proj/reports/report.md", "## Build\n| target | result |\n|---|---|\n| svc | built |\n");
        var summary = dir.Combine("summary.md");
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_TOKEN"] = token,
            ["GITHUB_REPOSITORY"] = "octo/mono",
            ["GITHUB_EVENT_PATH"] = dir.Write("event.json", "{\"pull_request\":{\"number\":7}}"),
            ["GITHUB_API_URL"] = github.Url,
            ["GITHUB_STEP_SUMMARY"] = summary,
        };
        var project = dir.Combine("proj");

        // A path relative to the project, as a property in a .csproj would be.
        var first = await TargetsProject.RunAsync(project, "GoPullRequestComment", ["GoCommentFile=reports/report.md"], environment);
        var second = await TargetsProject.RunAsync(project, "GoPullRequestComment", ["GoCommentFile=reports/report.md"], environment);

        Assert.That(first.ExitCode, Is.Zero, first.StandardOutput);
        Assert.That(second.ExitCode, Is.Zero, second.StandardOutput);
        Assert.That(github.Comments, Has.Count.EqualTo(1), "the second run edits the first comment");
        Assert.That(github.Comments[0].Body, Does.StartWith(PullRequestComment.Marker).And.Contain("| svc | built |"));

        github.Override = _ => (403, "{\"message\":\"Resource not accessible by integration\"}", null);
        var warned = await TargetsProject.RunAsync(project, "GoPullRequestComment", ["GoCommentFile=reports/report.md"], environment);
        var failed = await TargetsProject.RunAsync(project, "GoPullRequestComment", ["GoCommentFile=reports/report.md", "GoFailOnCommentError=true"], environment);

        Assert.That(warned.ExitCode, Is.Zero, "a fork's read-only token does not fail the build by default:\n" + warned.StandardOutput);
        Assert.That(warned.StandardOutput, Does.Contain("warning").And.Contain("Resource not accessible by integration"));
        Assert.That(File.ReadAllText(summary), Does.Contain("| svc | built |"), "the report went to the step summary instead");
        Assert.That(failed.ExitCode, Is.Not.Zero);
        Assert.That(failed.StandardOutput, Does.Contain("error").And.Contain("Resource not accessible by integration"));
        Assert.That(string.Concat(first.StandardOutput, second.StandardOutput, warned.StandardOutput, failed.StandardOutput), Does.Not.Contain(token));

        var unset = await TargetsProject.RunAsync(project, "GoPullRequestComment", [], environment);
        Assert.That(unset.ExitCode, Is.Not.Zero);
        Assert.That(unset.StandardOutput, Does.Contain("GoCommentFile is not set"));
    }

    [Test]
    public async Task The_matrix_target_outside_a_git_checkout_says_so_and_writes_no_output()
    {
        using var dir = new TempDir("cimsbnogit");
        var output = dir.Combine("github output");
        var run = await TargetsProject.RunAsync(dir.Combine("proj"), "GoAffectedMatrix", ["GoMatrixBase=HEAD"], new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = output, ["GIT_CEILING_DIRECTORIES"] = dir.Path });

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.StandardOutput, Does.Contain(dir.Combine("proj") + " is not inside a git checkout"));
        Assert.That(File.Exists(output), Is.False, "no matrix planned, no step output");
    }
}
