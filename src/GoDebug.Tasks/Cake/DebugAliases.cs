using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>Runs Go programs under a headless Delve server.</summary>
[CakeAliasCategory("Go")]
public static class GoDebugAliases
{
    /// <summary>
    /// Starts <see cref="DelveSessionSettings.Program"/> under <c>dlv exec --headless</c> on a loopback
    /// address, waits until dlv answers its API, and serves until Ctrl+C or the program exits. Ctrl+C
    /// stops dlv and the program together.
    /// </summary>
    /// <example><code>
    /// GoDebugServe(dlv, new DelveSessionSettings { Program = "samples/workspace/.godebug/bin/Debug/app" });
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="dlv">The Delve from <c>GoEnsureDelve</c>.</param>
    /// <param name="settings">What to run and where dlv listens.</param>
    [CakeMethodAlias]
    public static void GoDebugServe(this ICakeContext context, DelveResult dlv, DelveSessionSettings settings)
        => CakeRun.Run(context, (log, ct) => DelveSession.RunUntilStoppedAsync(settings, dlv, log, ct));
}
