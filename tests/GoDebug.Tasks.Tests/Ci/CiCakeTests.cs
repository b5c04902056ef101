using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>The Matrix and Comment targets through the real ./build.sh (real Cake runner).</summary>
[TestFixture]
[NonParallelizable]
public sealed class CiCakeTests
{
    [Test]
    public async Task Matrix_writes_the_step_outputs_and_a_bad_cap_fails_clearly()
    {
        using var dir = new TempDir("cimx");
        var output = dir.Combine("github output");
        var env = new Dictionary<string, string> { ["GITHUB_OUTPUT"] = output };
        await using var run = await BuildScript.RunAsync(["--target=Matrix", "--base=HEAD", "--max-jobs=3"], TimeSpan.FromMinutes(10), env);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var outputs = WorkflowFilesTests.ParseOutputs(output);
        Assert.That(outputs["matrix"], Is.EqualTo("{\"include\":[]}"), "HEAD...HEAD changes nothing");
        Assert.That(outputs["count"], Is.EqualTo("0"));

        await using var bad = await BuildScript.RunAsync(["--target=Matrix", "--base=HEAD", "--max-jobs=0"], TimeSpan.FromMinutes(5), env);
        Assert.That(bad.ExitCode, Is.Not.Zero);
        Assert.That(bad.Output, Does.Contain("The job cap 0 is not a positive number."));
    }

    [Test]
    public async Task Comment_posts_through_octokit_and_never_prints_the_token()
    {
        const string token = "ghs_CakeRunnerSecret0987654321";
        await using var github = new FakeGitHub();
        using var dir = new TempDir("cicm");
        var report = dir.Write("report dir/report.md", "## Profile\n| function | flat |\n|---|---|\n| main.work | 42% |\n");
        var eventPath = dir.Write("event.json", "{\"pull_request\":{\"number\":12}}");
        var summary = dir.Combine("summary.md");
        var env = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = token,
            ["GITHUB_REPOSITORY"] = "octo/mono",
            ["GITHUB_EVENT_PATH"] = eventPath,
            ["GITHUB_API_URL"] = github.Url,
            ["GITHUB_STEP_SUMMARY"] = summary,
        };

        await using var first = await BuildScript.RunAsync(["--target=Comment", "--comment-file=" + report], TimeSpan.FromMinutes(10), env);
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        await using var second = await BuildScript.RunAsync(["--target=Comment", "--comment-file=" + report], TimeSpan.FromMinutes(5), env);
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        Assert.That(github.Comments, Has.Count.EqualTo(1));
        Assert.That(github.Comments[0].Body, Does.StartWith(PullRequestComment.Marker).And.Contain("| main.work | 42% |"));
        Assert.That(second.Output, Does.Contain("Updated the report comment on octo/mono#12"));

        github.Override = _ => (403, "{\"message\":\"Resource not accessible by integration\"}", null);
        await using var refused = await BuildScript.RunAsync(["--target=Comment", "--comment-file=" + report, "--fail-on-comment-error"], TimeSpan.FromMinutes(5), env);
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.Output, Does.Contain("Resource not accessible by integration"));
        Assert.That(first.Output + second.Output + refused.Output, Does.Not.Contain(token));
    }
}
