using System.Runtime.InteropServices;
using Cake.Core;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Cake;

/// <summary>
/// Runs one engine call for an alias: Ctrl+C becomes a cancelled token (so the engine can kill its
/// process tree and remove temp files) and the engine's log goes to Cake's.
/// </summary>
internal static class CakeRun
{
    public static T Run<T>(ICakeContext context, Func<IGoDebugLog, CancellationToken, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var cts = new CancellationTokenSource();
        // Ctrl+C (SIGINT) and a CI runner's SIGTERM both become cancellation, so the engine can kill its
        // process tree and remove temp files before the runner exits; a second signal is not intercepted.
        void OnSignal(PosixSignalContext signal)
        {
            if (cts.IsCancellationRequested) return;
            signal.Cancel = true;
            cts.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var log = new CakeGoDebugLog(context.Log);
            // Cake aliases are synchronous; run the async engine on the thread pool so no sync context can deadlock it.
            return Task.Run(() => call(log, cts.Token), cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new CakeException("Cancelled (Ctrl+C); nothing was left half written.");
        }
        catch (GoDebugException ex)
        {
            throw new CakeException(ex.Message);
        }
    }
}
