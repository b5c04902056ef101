using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Cake;

/// <summary>Hot reload: watch a Go workspace, rebuild what a change reaches, and restart the program.</summary>
[CakeAliasCategory("Go")]
public static class WatchAliases
{
    /// <summary>
    /// Builds the workspace, runs <see cref="GoWatchSettings.Program"/> and keeps it current until Ctrl+C:
    /// a save rebuilds the main packages it reaches, stops the old process (SIGINT, the grace period, then
    /// its whole tree), waits for its ports to be free and starts the new one. A failed build leaves the
    /// old process serving. With <see cref="GoWatchSettings.Once"/> it stops once the program is first ready.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="go">The toolchain from <c>GoEnsureToolchain</c>.</param>
    /// <param name="settings">What to build, which program to run and how to watch.</param>
    /// <example><code>
    /// GoWatch(go, new GoWatchSettings { Build = new GoBuildSettings { Workspace = "samples/workspace" }, Program = "app" });
    /// </code></example>
    [CakeMethodAlias]
    public static void GoWatch(this ICakeContext context, GoToolchainResult go, GoWatchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(go);
        var absolute = Absolute(context, settings);
        CakeRun.Run(context, async (host, ct) =>
        {
            await GoWatcher.RunAsync(absolute, go.ToGoTool(), host, ct).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Relative folders mean the script's working directory (Cake's), not the process's.</summary>
    internal static GoWatchSettings Absolute(ICakeContext context, GoWatchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        string Resolve(string path) => new DirectoryPath(path).MakeAbsolute(context.Environment).FullPath;
        return settings with
        {
            Build = settings.Build with
            {
                Workspace = Resolve(settings.Build.Workspace),
                OutputDirectory = settings.Build.OutputDirectory is null ? null : Resolve(settings.Build.OutputDirectory),
            },
        };
    }
}
