using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// Composes the engine log every front end hands out: its host's log (Cake, MSBuild) at the core, with the
/// decorators the environment calls for around it. One place, so Cake and MSBuild users get the same output.
/// </summary>
internal static class LogPipeline
{
    public static IGoDebugLog Compose(IGoDebugLog hostLog, EnvironmentSnapshot environment, TextWriter console)
        => environment.IsGitHubActions
            ? new GitHubActionsLog(hostLog, console, environment.Get("GITHUB_WORKSPACE"), environment.Get("GITHUB_STEP_SUMMARY"))
            : hostLog;
}
