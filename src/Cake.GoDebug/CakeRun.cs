using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cake.Core;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Cake;

/// <summary>
/// Runs one engine call for an alias: Ctrl+C becomes a cancelled token (so the engine can kill its
/// process tree and remove temp files), Cake's environment and log become the engine's host, and fix
/// hints are worded as this repository's Cake arguments.
/// </summary>
internal static class CakeRun
{
    public static T Run<T>(ICakeContext context, Func<GoDebugHost, CancellationToken, Task<T>> call, [CallerMemberName] string step = "")
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
            var host = Host(context);
            var started = host.Time.GetTimestamp();
            // Cake aliases are synchronous; run the async engine on the thread pool so no sync context can deadlock it.
            var result = Task.Run(() => call(host, cts.Token), cts.Token).GetAwaiter().GetResult();
            // In GitHub Actions each alias call becomes a section of the job summary; elsewhere these do nothing.
            if (result is GoBuildResult built) host.Log.FlushBuildSummary(built, host.Time.GetElapsedTime(started));
            else host.Log.FlushStepSummary(step);
            return result;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new CakeException("Cancelled (Ctrl+C); nothing was left half written.");
        }
        catch (GoDebugException ex)
        {
            throw new CakeException(ex.Describe(CakeHints.Instance));
        }
    }

    /// <summary>The engine's view of this Cake run: Cake's environment (so Cake's own test doubles reach the engine), its log, our hint words.</summary>
    internal static GoDebugHost Host(ICakeContext context)
    {
        var environment = new EnvironmentSnapshot(
            context.Environment.GetEnvironmentVariables().ToDictionary(kv => kv.Key, kv => kv.Value ?? string.Empty),
            context.Environment.WorkingDirectory.FullPath);
        var log = LogPipeline.Compose(new CakeGoDebugLog(context.Log), environment, Console.Out);
        return new GoDebugHost(log, ProcessRunner.Default, environment, TimeProvider.System, CakeHints.Instance);
    }
}
