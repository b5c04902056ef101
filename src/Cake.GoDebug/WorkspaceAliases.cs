using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Cake;

/// <summary>Cake aliases for the Go workspace: go.work sync/check and VS Code debug configurations.</summary>
[CakeAliasCategory("GoDebug")]
public static class WorkspaceAliases
{
    /// <summary>
    /// Brings <c>go.work</c> in line with the modules under the workspace: sorted <c>use</c> entries,
    /// the highest <c>go</c> any module needs, toolchain/godebug/replace lines kept; written only when
    /// its content changes. With <see cref="GoWorkSyncSettings.Check"/> nothing is written and an
    /// out-of-date go.work fails the task, printing the difference (a CI gate).
    /// </summary>
    /// <example>
    /// <code>
    /// Task("Workspace").Does(() => GoWorkSync(new GoWorkSyncSettings { Workspace = "samples/workspace", Check = HasArgument("check") }));
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Workspace root, check mode and exclusions; null for the defaults (current folder, sync).</param>
    /// <param name="go">The toolchain from <see cref="GoToolchainAliases.GoEnsureToolchain"/>: go.mod and go.work are read as that go reads them (a directive newer than it is refused); null reads them as the newest go does.</param>
    /// <returns>The used module folders, whether go.work changed, the difference and any findings.</returns>
    /// <exception cref="CakeException">go.work is out of date in check mode, two modules share a path, or a go.mod/go.work is malformed.</exception>
    [CakeMethodAlias]
    public static GoWorkSyncResult GoWorkSync(this ICakeContext context, GoWorkSyncSettings? settings = null, GoToolchainResult? go = null)
    {
        var effective = settings ?? new GoWorkSyncSettings();
        var result = CakeRun.Run(context, (host, ct) => GoWorkSynchronizer.SyncAsync(effective, go?.ToGoTool(), host, ct));
        if (effective.Check && result.Changed)
        {
            throw new CakeException($"{result.GoWorkPath} is out of date; run the Workspace target without --check to update it.\n{result.Diff}");
        }

        return result;
    }

    /// <summary>
    /// The Go workspace of a repository, for a build script that was not told one: the folder of its go.work, else
    /// the folder of its only go.mod, else the deepest folder holding all of its go.mod files. Logs which one and why.
    /// </summary>
    /// <example>
    /// <code>
    /// string DefaultWorkspace() => GoFindWorkspace(MakeAbsolute(Directory("..")).FullPath);
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryRoot">The folder to search (vendor, testdata, bin, obj, node_modules and dot folders are skipped).</param>
    /// <returns>The absolute path of the workspace folder.</returns>
    /// <exception cref="CakeException">The repository holds no go.mod, or several go.work files side by side (they are named).</exception>
    [CakeMethodAlias]
    public static string GoFindWorkspace(this ICakeContext context, string repositoryRoot)
        => CakeRun.Run(context, (host, ct) => Task.FromResult(WorkspaceLocator.Locate(repositoryRoot, host, ct)));

    /// <summary>
    /// Writes <c>.vscode/launch.json</c> (a debug launch per main package, a test configuration per
    /// module, an attach to the headless dlv) and a <c>.code-workspace</c> with one folder per module.
    /// Configurations named <c>"Go: …"</c> are ours and replaced; every other one is kept. Lists main
    /// packages with <paramref name="go"/>, or, when it is null, with the toolchain the workspace requires
    /// (found or installed with the default <see cref="GoToolchainSettings"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// Task("VSCode").Does(() => GoVSCodeConfig(new GoVSCodeSettings { Workspace = "samples/workspace", DlvPort = 2345 }, GoEnsureToolchain()));
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Workspace root, build flags, environment, dlv address; null for the defaults.</param>
    /// <param name="go">The toolchain from <see cref="GoToolchainAliases.GoEnsureToolchain"/>; null finds or installs one with the defaults.</param>
    /// <returns>The files written and the names of our configurations.</returns>
    /// <exception cref="CakeException">An existing launch.json or .code-workspace cannot be parsed (it is left unchanged), or go.work is missing.</exception>
    [CakeMethodAlias]
    public static GoVSCodeResult GoVSCodeConfig(this ICakeContext context, GoVSCodeSettings? settings = null, GoToolchainResult? go = null)
    {
        var effective = settings ?? new GoVSCodeSettings();
        return CakeRun.Run(context, async (host, ct) =>
        {
            var toolchain = go ?? await GoInstaller.EnsureAsync(new GoToolchainSettings { WorkingDirectory = effective.Workspace }, host, ct).ConfigureAwait(false);
            return await VSCodeConfigWriter.WriteAsync(effective, toolchain.ToGoTool(), host, ct).ConfigureAwait(false);
        });
    }
}
