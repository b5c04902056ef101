using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>Cake aliases that find or install Go and Delve.</summary>
[CakeAliasCategory("Go")]
public static class GoToolchainAliases
{
    /// <summary>
    /// Finds or installs the Go toolchain the workspace needs (explicit version, else .go-version, go.work,
    /// go.mod): our cache, a go on PATH/GOROOT, a SHA-256-verified download, or Debian/Ubuntu packages.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Where to look and what to require; null uses the defaults.</param>
    /// <returns>The go to use and the environment (GOROOT, PATH, GOTOOLCHAIN=local) later steps run it with.</returns>
    /// <example>
    /// <code>
    /// var go = GoEnsureToolchain(new GoToolchainSettings { WorkingDirectory = "samples/workspace" });
    /// </code>
    /// </example>
    [CakeMethodAlias]
    public static GoToolchainResult GoEnsureToolchain(this ICakeContext context, GoToolchainSettings? settings = null)
        => CakeRun.Run(context, (host, token) => GoInstaller.EnsureAsync(settings ?? new GoToolchainSettings(), host, token));

    /// <summary>
    /// Finds dlv (GOBIN, GOPATH/bin, PATH, our cache) at or above the minimum version, else installs it with
    /// <c>go install</c> into our cache, else from Debian's delve package; records whether it supports <paramref name="go"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="go">The toolchain from <see cref="GoEnsureToolchain"/>.</param>
    /// <param name="settings">Version, minimum and source; null uses the defaults.</param>
    /// <returns>The dlv to use, its version, and whether it needs <c>--check-go-version=false</c>.</returns>
    /// <example>
    /// <code>
    /// var dlv = GoEnsureDelve(GoEnsureToolchain());
    /// </code>
    /// </example>
    [CakeMethodAlias]
    public static DelveResult GoEnsureDelve(this ICakeContext context, GoToolchainResult go, DelveSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(go);
        return CakeRun.Run(context, (host, token) => DelveInstaller.EnsureAsync(settings ?? new DelveSettings(), go.ToGoTool(), host, token));
    }
}
