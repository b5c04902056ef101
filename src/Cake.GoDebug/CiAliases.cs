using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>GitHub Actions helpers for mixed .NET/Go monorepos: the affected-job matrix.</summary>
[CakeAliasCategory("GoDebug")]
public static class CiAliases
{
    /// <summary>
    /// Plans a GitHub Actions job matrix: the Go modules changed since <see cref="AffectedMatrixSettings.Base"/>
    /// plus every workspace module depending on them, and the .NET projects building an affected Go workspace
    /// plus every project referencing one of those. A changed shared file (go.work, a workflow …) lists all.
    /// The JSON is logged and, inside Actions, written to the step outputs <c>matrix</c> and <c>count</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// Task("Matrix").Does(() => GoAffectedMatrix(new AffectedMatrixSettings { Base = Argument("base", "origin/main"), MaxJobs = 20 }));
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The base to compare with and the job cap.</param>
    /// <param name="go">The toolchain from <see cref="GoToolchainAliases.GoEnsureToolchain"/>, to list main packages; null leaves them out.</param>
    /// <returns>The affected items, their jobs and the matrix JSON.</returns>
    [CakeMethodAlias]
    public static AffectedMatrixResult GoAffectedMatrix(this ICakeContext context, AffectedMatrixSettings settings, GoToolchainResult? go = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        string Resolve(string path) => new DirectoryPath(path).MakeAbsolute(context.Environment).FullPath;
        var absolute = settings with
        {
            RepositoryRoot = settings.RepositoryRoot is null ? null : Resolve(settings.RepositoryRoot),
            Workspace = settings.Workspace is null ? null : Resolve(settings.Workspace),
        };
        return CakeRun.Run(context, (host, ct) => AffectedMatrix.PlanAsync(absolute, go?.ToGoTool(), host, ct));
    }

    /// <summary>
    /// Writes <paramref name="markdown"/> as this pull request's report comment: one comment per pull request,
    /// found by a hidden marker and edited in place. Token from <c>GITHUB_TOKEN</c>, repository and number from
    /// the Actions environment, API from <c>GITHUB_API_URL</c>. A refusal (a fork's read-only token, 401, 404,
    /// rate limit) is logged and the report goes to the step summary, unless
    /// <see cref="PullRequestCommentSettings.FailOnCommentError"/> is set.
    /// </summary>
    /// <example>
    /// <code>
    /// Task("Comment").Does(() => GoPullRequestComment(System.IO.File.ReadAllText("artifacts/report.md")));
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="markdown">The report.</param>
    /// <param name="settings">Whether a refusal fails the step; null: it does not.</param>
    /// <returns>The comment written, or why none was.</returns>
    [CakeMethodAlias]
    public static PullRequestCommentResult GoPullRequestComment(this ICakeContext context, string markdown, PullRequestCommentSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return CakeRun.Run(context, (host, ct) => PullRequestComment.PostAsync(markdown, settings ?? new PullRequestCommentSettings(), host, ct));
    }
}
