using System.Globalization;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Writes a Markdown report as the pull request's report comment: one comment per pull request, found by a hidden
/// marker and edited in place. Token from <c>GITHUB_TOKEN</c> (never logged), repository and number from the
/// Actions environment. A refusal (a fork's read-only token, 401, 404, rate limit) is a warning and the report
/// goes to the step summary, unless <see cref="FailOnCommentError"/>. MSBuild front end of the comment engine.
/// </summary>
public sealed class GoPullRequestComment : GoDebugTask
{
    /// <summary>The Markdown file to post.</summary>
    public string? File { get; set; }

    /// <summary>Fail the build when GitHub refuses the comment.</summary>
    public bool FailOnCommentError { get; set; }

    /// <summary>The comment's id; empty when none was written.</summary>
    [Output]
    public string CommentId { get; private set; } = string.Empty;

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var path = TaskInputs.NullIfEmpty(File) ?? throw new GoDebugException("GoCommentFile is not set: it names the Markdown report to post.");
        if (!System.IO.File.Exists(path)) throw new GoDebugException($"GoCommentFile '{path}': no such file.");
        var markdown = await System.IO.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var result = await PullRequestComment.PostAsync(markdown, new PullRequestCommentSettings { FailOnCommentError = FailOnCommentError }, host, cancellationToken).ConfigureAwait(false);
        CommentId = result.CommentId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
