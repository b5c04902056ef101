using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Go;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Watching;

/// <summary>Entry points of the watch engine for the front ends.</summary>
internal static class GoWatcher
{
    /// <summary>Keeps the program current without a debugger until cancelled (Ctrl+C ends it normally) or, with Once, until first ready.</summary>
    public static Task RunAsync(GoWatchSettings settings, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
        => RunAsync(settings, go, host, new ProgramSupervisor(settings, host), cancellationToken);

    /// <summary>Keeps the program current under one headless dlv whose clients stay attached across reloads.</summary>
    public static Task RunDebugAsync(GoWatchSettings settings, DelveSessionSettings session, DelveResult dlv, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
        => RunAsync(settings, go, host, new DelveProgram(settings, session, dlv, host), cancellationToken);

    private static async Task RunAsync(GoWatchSettings settings, GoTool go, GoDebugHost host, IWatchedProgram program, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var loop = new GoWatchLoop(settings, go, host, program);
        try
        {
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a watch ends; RunAsync stopped the program on the way out.
            host.Log.Info("Stopped watching; the program and its processes are stopped.");
        }
    }
}
