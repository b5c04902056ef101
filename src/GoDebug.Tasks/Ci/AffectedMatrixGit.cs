using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// The files a branch changed since its base (<c>git diff --name-only base...HEAD</c>, renames as both
/// names). CI checkouts are often shallow (actions/checkout's default depth is 1): a missing base is
/// fetched, and a history too short to hold the merge base is deepened a few times before giving up
/// with the exact commands that would make it work.
/// </summary>
internal static class AffectedMatrixGit
{
    private const int DeepenSteps = 4;
    private const int DeepenBy = 100;

    public static async Task<IReadOnlyList<string>> ChangedFilesAsync(GoDebugHost host, string repository, string baseRef, bool fetch, string remote, CancellationToken cancellationToken)
    {
        if (!await HasCommitAsync(host, repository, baseRef, cancellationToken).ConfigureAwait(false))
        {
            var refspec = FetchRefspec(baseRef, remote);
            if (!fetch) throw Missing(baseRef, $"the base '{baseRef}' is not in this clone", remote, refspec);
            host.Log.Info($"The base '{baseRef}' is not in this clone; fetching it from {remote} ...");
            var fetched = await GitAsync(host, repository, ["fetch", "--no-tags", "--depth=" + DeepenBy, remote, refspec], cancellationToken).ConfigureAwait(false);
            if (!fetched.Succeeded || !await HasCommitAsync(host, repository, baseRef, cancellationToken).ConfigureAwait(false))
            {
                throw Missing(baseRef, $"the base '{baseRef}' is not in this clone and 'git fetch {remote} {refspec}' failed: {fetched.StandardError.Trim()}", remote, refspec);
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var mergeBase = await GitAsync(host, repository, ["merge-base", baseRef, "HEAD"], cancellationToken).ConfigureAwait(false);
            if (mergeBase.Succeeded) break;
            var shallow = await GitAsync(host, repository, ["rev-parse", "--is-shallow-repository"], cancellationToken).ConfigureAwait(false);
            var isShallow = shallow.StandardOutput.Trim() == "true";
            if (!isShallow) throw new GoDebugException($"'{baseRef}' and HEAD share no history in {repository}; compare with a base on the same branch line.", FixHint.Text("pass the pull request's base commit"));
            if (!fetch || attempt == DeepenSteps)
            {
                throw Missing(baseRef, $"this shallow clone does not reach the merge base of '{baseRef}' and HEAD", remote, FetchRefspec(baseRef, remote));
            }

            host.Log.Info($"Shallow clone: deepening by {DeepenBy} commits to find the merge base of '{baseRef}' and HEAD ...");
            var deepened = await GitAsync(host, repository, ["fetch", "--no-tags", "--deepen=" + DeepenBy, remote], cancellationToken).ConfigureAwait(false);
            if (!deepened.Succeeded)
            {
                throw Missing(baseRef, $"this shallow clone does not reach the merge base of '{baseRef}' and HEAD and 'git fetch --deepen={DeepenBy} {remote}' failed: {deepened.StandardError.Trim()}", remote, FetchRefspec(baseRef, remote));
            }
        }

        var diff = (await GitAsync(host, repository, ["-c", "core.quotePath=false", "diff", "--name-only", "--no-renames", "-z", baseRef + "...HEAD"], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        return diff.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The root of the git checkout holding <paramref name="directory"/> and the folder's path inside it (forward
    /// slashes, empty for the root), as git sees them: links along the way resolved, so the two always fit together.
    /// </summary>
    public static async Task<(string TopLevel, string Prefix)> LocateAsync(GoDebugHost host, string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new GoDebugException($"{CiCodes.NotARepository}: {directory} does not exist, so it is in no git checkout to compare with a base commit.", FixHint.Set(GoSetting.Workspace));
        }

        var result = await GitAsync(host, directory, ["rev-parse", "--show-toplevel", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        var lines = result.StandardOutput.Split('\n');
        return result.Succeeded && lines is [{ Length: > 0 } root, var prefix, ..]
            ? (Path.GetFullPath(root), prefix.TrimEnd('/'))
            : throw new GoDebugException(
                $"{CiCodes.NotARepository}: {directory} is not inside a git checkout ({result.StandardError.Trim()}), so nothing can be compared with a base commit.",
                FixHint.Text("run it in a clone (in a workflow: after actions/checkout), with the workspace inside it"));
    }

    private static GoDebugException Missing(string baseRef, string what, string remote, string refspec)
        => new($"{CiCodes.BaseMissing}: {what}, so the changed files cannot be listed.",
            FixHint.Text($"git fetch --no-tags {remote} {refspec} && git fetch --unshallow {remote} (in a workflow: actions/checkout with fetch-depth: 0)"));

    /// <summary>A remote-tracking name (<c>origin/main</c>) is fetched into itself; a SHA or other ref as it is.</summary>
    private static string FetchRefspec(string baseRef, string remote)
        => baseRef.StartsWith(remote + "/", StringComparison.Ordinal)
            ? $"+refs/heads/{baseRef[(remote.Length + 1)..]}:refs/remotes/{baseRef}"
            : baseRef;

    private static async Task<bool> HasCommitAsync(GoDebugHost host, string repository, string baseRef, CancellationToken cancellationToken)
        => (await GitAsync(host, repository, ["rev-parse", "--verify", "--quiet", baseRef + "^{commit}"], cancellationToken).ConfigureAwait(false)).Succeeded;

    private static Task<ProcessResult> GitAsync(GoDebugHost host, string repository, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        // No prompt for credentials in CI: a fetch that needs them fails at once instead of hanging.
        => host.Processes.RunAsync(new ProcessSpec("git", arguments) { WorkingDirectory = repository, Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" } }, cancellationToken);
}
