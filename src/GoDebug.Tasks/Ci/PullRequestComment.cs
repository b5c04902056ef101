using System.Globalization;
using System.Net;
using System.Text.Json;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using Octokit;

namespace GoDebug.Tasks.Ci;

/// <summary>How the pull request comment is written.</summary>
public sealed record PullRequestCommentSettings
{
    /// <summary>Fail the step when the comment cannot be written; by default the report goes to the step summary instead.</summary>
    public bool FailOnCommentError { get; init; }

    /// <summary>How long one API call may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>What happened to the comment.</summary>
/// <param name="CommentId">The comment's id, or null when none was written.</param>
/// <param name="Created">True when this run created it, false when it updated the existing one.</param>
/// <param name="Problem">Why it was not written (and the report went to the step summary), or null.</param>
public sealed record PullRequestCommentResult(long? CommentId, bool Created, string? Problem);

/// <summary>
/// One comment per pull request, found again by a hidden marker and edited in place, so every push updates
/// the same report instead of adding another. The token comes from <c>GITHUB_TOKEN</c>, the repository and
/// number from the Actions environment. When GitHub refuses (a fork's read-only token, a bad token, no such
/// pull request, a rate limit), the reason is logged plainly, the report goes to the step summary, and the
/// step still passes unless asked to fail. The token is never written to any log.
/// </summary>
internal static class PullRequestComment
{
    public const string Marker = "<!-- godebug-tasks -->";

    public static async Task<PullRequestCommentResult> PostAsync(string markdown, PullRequestCommentSettings settings, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var env = host.Environment;
        var body = Fit(Marker + "\n" + markdown);
        var token = env.Get("GITHUB_TOKEN");
        var repository = env.Get("GITHUB_REPOSITORY");
        var number = PullRequestNumber(env, host.Log);
        if (token is null || repository is null || number is null || repository.Split('/') is not [var owner, var name])
        {
            var missing = token is null ? "GITHUB_TOKEN is not set (pass it to the step: env: GITHUB_TOKEN: ${{ github.token }})"
                : repository is null || !repository.Contains('/') ? "GITHUB_REPOSITORY is not set to owner/name"
                : "this run is not for a pull request (no pull_request in GITHUB_EVENT_PATH, GITHUB_REF is not refs/pull/N/...)";
            return Fallback(missing, body, settings, host);
        }

        var api = GitHubApi.BaseAddress(env);
        var client = GitHubApi.Create(api, token, settings.Timeout);
        try
        {
            var comments = await client.Issue.Comment.GetAllForIssue(owner, name, number.Value).WaitAsync(cancellationToken).ConfigureAwait(false);
            var existing = comments.FirstOrDefault(c => c.Body?.Contains(Marker, StringComparison.Ordinal) == true);
            if (existing is null)
            {
                var created = await client.Issue.Comment.Create(owner, name, number.Value, body).WaitAsync(cancellationToken).ConfigureAwait(false);
                host.Log.Info($"Created the report comment on {repository}#{number} ({created.HtmlUrl}).");
                return new PullRequestCommentResult(created.Id, Created: true, null);
            }

            var updated = await client.Issue.Comment.Update(owner, name, existing.Id, body).WaitAsync(cancellationToken).ConfigureAwait(false);
            host.Log.Info($"Updated the report comment on {repository}#{number} ({updated.HtmlUrl}).");
            return new PullRequestCommentResult(updated.Id, Created: false, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, repository, number.Value, api, host.Time) is { } problem)
        {
            return Fallback(problem, body, settings, host);
        }
    }

    /// <summary>GitHub refuses a comment body over 65,536 characters (422); a longer report is cut at a line with a note.</summary>
    internal const int MaxBodyCharacters = 65_536;

    internal static string Fit(string body)
    {
        if (body.Length <= MaxBodyCharacters) return body;
        var note = FormattableString.Invariant($"\n\n> **Report truncated:** GitHub allows {MaxBodyCharacters:N0} characters per comment; {body.Length:N0} were written. The job summary and log have the rest.\n");
        var cut = body.LastIndexOf('\n', MaxBodyCharacters - note.Length - 1);
        return body[..Math.Max(cut, 0)] + note;
    }

    /// <summary>A sentence for each refusal GitHub gives; null for anything else, which is a bug to surface.</summary>
    internal static string? Explain(Exception ex, string repository, int number, Uri api, TimeProvider time)
    {
        string Reset(DateTimeOffset reset)
        {
            var wait = reset - time.GetUtcNow();
            var minutes = Math.Max(0, (int)Math.Ceiling(wait.TotalMinutes));
            return string.Create(CultureInfo.InvariantCulture, $"until {reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (in {minutes} min)");
        }

        return ex switch
        {
            RateLimitExceededException r => $"GitHub's API rate limit for this token is used up {Reset(r.Reset)}: {r.Message}",
            SecondaryRateLimitExceededException s => $"GitHub's secondary rate limit stopped the request; retry later: {s.Message}",
            ApiException { StatusCode: (HttpStatusCode)429 } a => $"GitHub answered 429 Too Many Requests {RetryAfter(a, time, Reset)}: {a.Message}",
            ForbiddenException f when f.Message.Contains("Resource not accessible by integration", StringComparison.OrdinalIgnoreCase)
                => $"the token may not write comments on {repository}#{number} (403 Resource not accessible by integration). Pull requests from forks get a read-only GITHUB_TOKEN; for others give the job 'permissions: pull-requests: write'.",
            ForbiddenException f => $"GitHub refused the comment on {repository}#{number} (403): {f.Message}",
            AuthorizationException a => $"GitHub rejected the token (401 {a.Message}); it is expired or not a GitHub token.",
            NotFoundException => $"GitHub found no pull request #{number} in {repository} (404), or the token cannot see that repository.",
            ApiException a => $"GitHub answered {(int)a.StatusCode} for {repository}#{number}: {a.Message}",
            HttpRequestException or TaskCanceledException or TimeoutException => $"cannot reach the GitHub API at {api}: {ex.Message}",
            _ => null,
        };
    }

    private static string RetryAfter(ApiException ex, TimeProvider time, Func<DateTimeOffset, string> reset)
    {
        var headers = ex.HttpResponse?.Headers;
        if (headers is not null && headers.TryGetValue("x-ratelimit-reset", out var epoch) && long.TryParse(epoch, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return reset(DateTimeOffset.FromUnixTimeSeconds(seconds));
        }

        if (headers is not null && headers.TryGetValue("Retry-After", out var after) && int.TryParse(after, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wait))
        {
            return reset(time.GetUtcNow().AddSeconds(wait));
        }

        return "(no reset time given)";
    }

    private static PullRequestCommentResult Fallback(string problem, string body, PullRequestCommentSettings settings, GoDebugHost host)
    {
        var message = $"{CiCodes.CommentFailed}: no pull request comment: {problem}";
        if (settings.FailOnCommentError) throw new GoDebugException(message, FixHint.Set(GoSetting.FailOnCommentError, "false"));
        host.Log.Warning(message + " The report is in the step summary instead.");
        if (host.Environment.Get("GITHUB_STEP_SUMMARY") is { } summary) WorkflowFiles.AppendSummary(summary, body);
        return new PullRequestCommentResult(null, Created: false, problem);
    }

    /// <summary>The pull request of this run: the event payload's pull_request.number (or issue.number), else refs/pull/N/… in GITHUB_REF.</summary>
    internal static int? PullRequestNumber(EnvironmentSnapshot env, IGoDebugLog log)
    {
        if (env.Get("GITHUB_EVENT_PATH") is { } eventPath && File.Exists(eventPath))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(eventPath));
                foreach (var key in new[] { "pull_request", "issue" })
                {
                    if (doc.RootElement.TryGetProperty(key, out var pr) && pr.TryGetProperty("number", out var n) && n.TryGetInt32(out var value)) return value;
                }
            }
            catch (JsonException ex)
            {
                log.Warning($"{eventPath}: not a readable event payload ({ex.Message}); using GITHUB_REF.");
            }
        }

        var parts = env.Get("GITHUB_REF")?.Split('/');
        return parts is ["refs", "pull", var number, ..] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var fromRef) ? fromRef : null;
    }
}
