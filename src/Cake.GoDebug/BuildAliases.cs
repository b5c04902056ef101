using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>Incremental Go builds of a workspace's main packages from a Cake script or Frosting task.</summary>
[CakeAliasCategory("Go")]
public static class BuildAliases
{
    /// <summary>
    /// Builds the workspace's main packages (or <see cref="GoBuildSettings.Targets"/>) with the
    /// configuration's flags, skipping every target whose inputs did not change since its last
    /// successful build. Compile errors are logged with absolute file, line and column first.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="go">The toolchain from <c>GoEnsureToolchain</c>.</param>
    /// <param name="settings">What to build and how; null builds every main package of the current folder's workspace in Debug.</param>
    /// <returns>Each target, built or skipped, with its binary path.</returns>
    /// <exception cref="CakeException">A target failed to build (the previous binary is kept).</exception>
    /// <example>
    /// <code>
    /// var result = GoBuild(go, new GoBuildSettings { Workspace = "samples/workspace", Configuration = GoBuildConfiguration.Debug });
    /// </code>
    /// </example>
    [CakeMethodAlias]
    public static GoBuildResult GoBuild(this ICakeContext context, GoToolchainResult go, GoBuildSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(go);
        var result = CakeRun.Run(context, (host, ct) => GoBuilder.BuildAsync(Absolute(context, settings), go.ToGoTool(), host, ct));
        if (!result.Succeeded)
        {
            var failed = result.Targets.Where(t => !t.Succeeded).Select(t => t.Package);
            throw new CakeException($"{GoBuilder.BuildFailedCode}: go build failed for {string.Join(", ", failed)} ({result.Diagnostics.Count} diagnostic(s) above).");
        }

        return result;
    }

    /// <summary>Removes the configuration's binaries and build state, so the next <see cref="GoBuild"/> builds every target.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Which workspace and configuration; null cleans Debug of the current folder's workspace.</param>
    [CakeMethodAlias]
    public static void GoClean(this ICakeContext context, GoBuildSettings? settings = null)
        => CakeRun.Run(context, async (host, ct) =>
        {
            await GoBuilder.CleanAsync(Absolute(context, settings), host, ct).ConfigureAwait(false);
            return true;
        });

    /// <summary>Relative folders mean the script's working directory (Cake's), not the process's.</summary>
    private static GoBuildSettings Absolute(ICakeContext context, GoBuildSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        var given = settings ?? new GoBuildSettings();
        string Resolve(string path) => new DirectoryPath(path).MakeAbsolute(context.Environment).FullPath;
        return given with
        {
            Workspace = Resolve(given.Workspace),
            OutputDirectory = given.OutputDirectory is null ? null : Resolve(given.OutputDirectory),
        };
    }
}
