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
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Keep the process alive long enough for the engine to clean up; a second Ctrl+C is not intercepted.
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
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
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
