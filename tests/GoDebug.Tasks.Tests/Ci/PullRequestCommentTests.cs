using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>Octokit against a GitHub-shaped server on 127.0.0.1: the sticky comment and every refusal.</summary>
[TestFixture]
public sealed class PullRequestCommentTests
{
    private const string Token = "ghs_SecretTokenValue1234567890abcdef";

    private sealed class Job : IDisposable
    {
        public Job(FakeGitHub github, int pr = 7)
        {
            Dir = new TempDir("prc");
            Summary = Dir.Combine("step summary.md");
            var eventPath = Dir.Write("event.json", $"{{\"action\":\"synchronize\",\"number\":{pr},\"pull_request\":{{\"number\":{pr},\"head\":{{\"sha\":\"abc\"}}}}}}");
            Recorded = new RecordingLog();
            Log = new GitHubActionsLog(Recorded, Console, Dir.Path, Summary);
            Host = GoDebugHost.Create(Log) with
            {
                Environment = new EnvironmentSnapshot(
                    new Dictionary<string, string>
                    {
                        ["GITHUB_ACTIONS"] = "true",
                        ["GITHUB_TOKEN"] = Token,
                        ["GITHUB_REPOSITORY"] = "octo/repo",
                        ["GITHUB_EVENT_PATH"] = eventPath,
                        ["GITHUB_REF"] = "refs/heads/ignored",
                        ["GITHUB_API_URL"] = github.Url,
                        ["GITHUB_STEP_SUMMARY"] = Summary,
                    },
                    Dir.Path),
            };
        }

        public TempDir Dir { get; }

        public string Summary { get; }

        public StringWriter Console { get; } = new();

        public RecordingLog Recorded { get; }

        public GitHubActionsLog Log { get; }

        public GoDebugHost Host { get; }

        /// <summary>Every line any log, the console and the summary got.</summary>
        public string Everything => string.Join('\n', Recorded.Lines.Select(l => l.Message)) + Console + (File.Exists(Summary) ? File.ReadAllText(Summary) : string.Empty);

        public Task<PullRequestCommentResult> PostAsync(string markdown, bool fail = false)
            => PullRequestComment.PostAsync(markdown, new PullRequestCommentSettings { FailOnCommentError = fail, Timeout = TimeSpan.FromSeconds(10) }, Host, CancellationToken.None);

        public void Dispose() => Dir.Dispose();
    }

    [Test]
    public async Task First_run_creates_the_comment_and_the_second_updates_the_same_one()
    {
        await using var github = new FakeGitHub();
        github.AddComment("LGTM");
        github.AddComment("please rebase");
        github.AddComment("<!-- someone else's bot -->\nreport");
        using var job = new Job(github);

        var first = await job.PostAsync("## Build\n1 built");
        Assert.That(first.Created, Is.True);
        Assert.That(first.Problem, Is.Null);
        Assert.That(github.Comments, Has.Count.EqualTo(4));
        Assert.That(github.Comments[3].Body, Is.EqualTo(PullRequestComment.Marker + "\n## Build\n1 built"));

        var second = await job.PostAsync("## Build\n2 built");
        Assert.That(second.Created, Is.False);
        Assert.That(second.CommentId, Is.EqualTo(first.CommentId));
        Assert.That(github.Comments, Has.Count.EqualTo(4), "never a second copy");
        Assert.That(github.Comments[3].Body, Is.EqualTo(PullRequestComment.Marker + "\n## Build\n2 built"));
        Assert.That(github.Comments.Take(3).Select(c => c.Body), Is.EqualTo(new[] { "LGTM", "please rebase", "<!-- someone else's bot -->\nreport" }));

        var requests = github.Requests.Select(r => r.Request).ToList();
        Assert.That(requests, Has.Some.StartWith("GET /repos/octo/repo/issues/7/comments").And.Contains("page=2"), "followed the Link header to the page holding the marker");
        Assert.That(requests, Has.One.StartWith("POST /repos/octo/repo/issues/7/comments"));
        Assert.That(requests, Has.One.EqualTo($"PATCH /repos/octo/repo/issues/comments/{first.CommentId}"));
        Assert.That(github.Requests.All(r => r.Authorization?.EndsWith(Token, StringComparison.Ordinal) == true), "the token was sent");
        Assert.That(job.Everything, Does.Not.Contain(Token));
        Assert.That(job.Recorded.Text, Does.Contain("Updated the report comment on octo/repo#7"));
    }

    [Test]
    public async Task A_fork_token_403_is_explained_and_the_report_goes_to_the_summary()
    {
        await using var github = new FakeGitHub();
        github.Override = r => r.HttpMethod == "POST"
            ? (403, "{\"message\":\"Resource not accessible by integration\",\"documentation_url\":\"https://docs.github.com/rest/issues/comments#create-an-issue-comment\",\"status\":\"403\"}", null)
            : null;
        using var job = new Job(github);

        var result = await job.PostAsync("## Profile\ntop: main.leak");
        Assert.That(result.CommentId, Is.Null);
        Assert.That(result.Problem, Does.Contain("403 Resource not accessible by integration").And.Contain("forks").And.Contain("pull-requests: write"));
        Assert.That(job.Recorded.Lines.Single(l => l.Level == "warning").Message, Does.StartWith(CiCodes.CommentFailed).And.Contain("step summary instead"));
        Assert.That(File.ReadAllText(job.Summary), Does.Contain("## Profile\ntop: main.leak"));
        Assert.That(github.Comments, Is.Empty);

        var ex = Assert.ThrowsAsync<GoDebugException>(() => job.PostAsync("x", fail: true));
        Assert.That(ex!.Message, Does.Contain("Resource not accessible by integration"));
        Assert.That(ex.Hint!.Settings.Single().Setting, Is.EqualTo(GoSetting.FailOnCommentError));
        Assert.That(job.Everything + ex.Message, Does.Not.Contain(Token));
    }

    [Test]
    public async Task A_rate_limit_403_names_the_reset_time()
    {
        await using var github = new FakeGitHub();
        var reset = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        github.Override = _ => (403, "{\"message\":\"API rate limit exceeded for installation ID 4242.\",\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}",
            new Dictionary<string, string> { ["x-ratelimit-limit"] = "5000", ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture), ["x-ratelimit-resource"] = "core" });
        using var job = new Job(github);

        var result = await job.PostAsync("report");
        var expected = DateTimeOffset.FromUnixTimeSeconds(reset).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(result.Problem, Does.Contain("rate limit").And.Contain($"until {expected} UTC (in 60 min)").And.Contain("installation ID 4242"));
        Assert.That(job.Everything, Does.Not.Contain(Token));
    }

    [TestCase(401, "{\"message\":\"Bad credentials\"}", "rejected the token (401")]
    [TestCase(404, "{\"message\":\"Not Found\"}", "no pull request #7 in octo/repo (404)")]
    [TestCase(429, "{\"message\":\"Too many requests\"}", "429 Too Many Requests until")]
    public async Task Other_refusals_are_explained_without_failing(int status, string body, string expected)
    {
        await using var github = new FakeGitHub();
        github.Override = _ => (status, body, new Dictionary<string, string> { ["Retry-After"] = "120" });
        using var job = new Job(github);

        var result = await job.PostAsync("report");
        Assert.That(result.Problem, Does.Contain(expected));
        Assert.That(File.ReadAllText(job.Summary), Does.Contain(PullRequestComment.Marker + "\nreport"));
        Assert.That(job.Everything, Does.Not.Contain(Token));
    }

    [Test]
    public async Task An_unreachable_api_and_a_push_build_fall_back_quietly()
    {
        await using var github = new FakeGitHub();
        using var job = new Job(github);
        var closed = Ports.Free();
        var host = job.Host with { Environment = job.Host.Environment.With("GITHUB_API_URL", $"http://127.0.0.1:{closed}") };
        var unreachable = await PullRequestComment.PostAsync("r", new PullRequestCommentSettings(), host, CancellationToken.None);
        Assert.That(unreachable.Problem, Does.Contain($"cannot reach the GitHub API at http://127.0.0.1:{closed}/"));

        var push = job.Host with { Environment = job.Host.Environment.With("GITHUB_EVENT_PATH", null).With("GITHUB_REF", "refs/heads/main") };
        var notPr = await PullRequestComment.PostAsync("r", new PullRequestCommentSettings(), push, CancellationToken.None);
        Assert.That(notPr.Problem, Does.Contain("not for a pull request"));
        Assert.That(github.Requests, Is.Empty);

        var fromRef = job.Host.Environment.With("GITHUB_EVENT_PATH", null).With("GITHUB_REF", "refs/pull/31/merge");
        Assert.That(PullRequestComment.PullRequestNumber(fromRef, job.Recorded), Is.EqualTo(31));
        Assert.That(job.Everything, Does.Not.Contain(Token));
    }
}

[TestFixture]
public sealed class PullRequestCommentBodyTests
{
    [Test]
    public void A_report_over_githubs_comment_limit_is_cut_at_a_line_with_a_note()
    {
        var body = PullRequestComment.Marker + "\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"| row {i} | value |\n"));
        var fitted = PullRequestComment.Fit(body);
        Assert.That(fitted.Length, Is.LessThanOrEqualTo(PullRequestComment.MaxBodyCharacters));
        Assert.That(fitted, Does.StartWith(PullRequestComment.Marker));
        Assert.That(fitted, Does.EndWith($"were written. The job summary and log have the rest.\n"));
        var rows = fitted.Split('\n').Where(l => l.StartsWith("| row", StringComparison.Ordinal)).ToList();
        Assert.That(rows, Has.All.EndWith("| value |"));
        Assert.That(PullRequestComment.Fit("short"), Is.EqualTo("short"));
    }
}
