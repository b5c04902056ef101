using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

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
        => CakeRun.Run(context, (host, ct) => DelveSession.RunUntilStoppedAsync(settings, dlv, host, ct));

    /// <summary>
    /// Like <see cref="GoDebugServe(ICakeContext, DelveResult, DelveSessionSettings)"/> for one main package of a
    /// <c>GoBuild</c> result: <paramref name="program"/> names it (the full package path or its last elements,
    /// e.g. <c>app</c>); null or empty takes the first. <see cref="DelveSessionSettings.Program"/> and
    /// <see cref="DelveSessionSettings.WorkingDirectory"/> come from that target (its binary and module folder).
    /// </summary>
    /// <example><code>
    /// GoDebugServe(dlv, GoBuild(go), new DelveSessionSettings { ListenAddress = "127.0.0.1:2345" }, Argument("program", ""));
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="dlv">The Delve from <c>GoEnsureDelve</c>.</param>
    /// <param name="built">The debug build from <c>GoBuild</c>.</param>
    /// <param name="settings">Program arguments and where dlv listens.</param>
    /// <param name="program">Which main package to run; null or empty: the first.</param>
    /// <exception cref="CakeException"><paramref name="program"/> matches no built main package.</exception>
    [CakeMethodAlias]
    public static void GoDebugServe(this ICakeContext context, DelveResult dlv, GoBuildResult built, DelveSessionSettings settings, string? program = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CakeRun.Run(context, (host, ct) =>
        {
            var target = DebugTarget.Choose(built, program, host);
            return DelveSession.RunUntilStoppedAsync(settings with { Program = target.OutputPath, WorkingDirectory = target.ModuleDirectory }, dlv, host, ct);
        });
    }

    /// <summary>
    /// Like <see cref="GoDebugServe(ICakeContext, DelveResult, DelveSessionSettings)"/>, with hot reload: builds
    /// the workspace of <paramref name="watch"/>, runs <see cref="GoWatchSettings.Program"/> under one headless dlv
    /// and, on every save that reaches it, rebuilds and swaps the program inside the same dlv (halt, restart,
    /// continue), so <c>dlv connect</c> clients and IDE remote sessions keep their connection and breakpoints.
    /// Each reload prints one line with the time from save to ready. Ctrl+C stops dlv and the program.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="dlv">The Delve from <c>GoEnsureDelve</c>.</param>
    /// <param name="go">The toolchain from <c>GoEnsureToolchain</c>.</param>
    /// <param name="settings">Where dlv listens (and program arguments, overriding the watch's).</param>
    /// <param name="watch">What to build, which program to run and how to watch.</param>
    /// <example><code>
    /// GoDebugServe(dlv, go, new DelveSessionSettings { ListenAddress = "127.0.0.1:2345" }, new GoWatchSettings { Build = new GoBuildSettings { Workspace = "samples/workspace" } });
    /// </code></example>
    [CakeMethodAlias]
    public static void GoDebugServe(this ICakeContext context, DelveResult dlv, GoToolchainResult go, DelveSessionSettings settings, GoWatchSettings watch)
    {
        ArgumentNullException.ThrowIfNull(go);
        ArgumentNullException.ThrowIfNull(settings);
        var absolute = WatchAliases.Absolute(context, watch);
        CakeRun.Run(context, async (host, ct) =>
        {
            await GoWatcher.RunDebugAsync(absolute, settings, dlv, go.ToGoTool(), host, ct).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// Runs <see cref="DelveTraceSettings.Program"/> under <c>dlv trace --exec</c>, printing every call of a
    /// function matching <see cref="DelveTraceSettings.Pattern"/> with its arguments and return values, for
    /// <see cref="DelveTraceSettings.Duration"/> or until Ctrl+C; the trace is written under
    /// <see cref="DelveTraceSettings.OutputDirectory"/>. dlv and the program are stopped either way.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="dlv">The Delve from <c>GoEnsureDelve</c>.</param>
    /// <param name="settings">What to run and trace.</param>
    /// <returns>The path of the trace file.</returns>
    /// <example><code>
    /// GoDlvTrace(dlv, new DelveTraceSettings { Program = "samples/workspace/.godebug/bin/Debug/app", Pattern = "main\\.handle.*", Duration = TimeSpan.FromSeconds(30) });
    /// </code></example>
    [CakeMethodAlias]
    public static string GoDlvTrace(this ICakeContext context, DelveResult dlv, DelveTraceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CakeRun.Run(context, (host, ct) => DelveTracer.RunAsync(settings, dlv, host, ct));
    }

    /// <summary>
    /// Like <see cref="GoDlvTrace(ICakeContext, DelveResult, DelveTraceSettings)"/> for one main package of a
    /// <c>GoBuild</c> result (<paramref name="program"/> as for <c>GoDebugServe</c>; null or empty: the first).
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="dlv">The Delve from <c>GoEnsureDelve</c>.</param>
    /// <param name="built">The debug build from <c>GoBuild</c>.</param>
    /// <param name="settings">The pattern, duration and output folder.</param>
    /// <param name="program">Which main package to trace; null or empty: the first.</param>
    /// <returns>The path of the trace file.</returns>
    [CakeMethodAlias]
    public static string GoDlvTrace(this ICakeContext context, DelveResult dlv, GoBuildResult built, DelveTraceSettings settings, string? program = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return CakeRun.Run(context, (host, ct) =>
        {
            var target = DebugTarget.Choose(built, program, host);
            return DelveTracer.RunAsync(settings with { Program = target.OutputPath, WorkingDirectory = settings.WorkingDirectory ?? target.ModuleDirectory }, dlv, host, ct);
        });
    }
}
