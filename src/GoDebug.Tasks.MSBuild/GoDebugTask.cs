using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Base of every GoDebug.Tasks MSBuild task: maps MSBuild cancellation (Ctrl+C in <c>dotnet build</c>)
/// to a token, the engine's log to MSBuild's, fix hints to MSBuild property names, and user errors to
/// MSBuild errors instead of stack traces.
/// </summary>
public abstract class GoDebugTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <summary>The MSBuild end of the log pipeline, which remembers what it reported.</summary>
    internal MSBuildGoDebugLog TaskLog { get; private set; } = null!;

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        TaskLog = new MSBuildGoDebugLog(Log);
        var environment = EnvironmentSnapshot.Capture();
        var host = new GoDebugHost(LogPipeline.Compose(TaskLog, environment, Console.Out), ProcessRunner.Default, environment, TimeProvider.System, MSBuildHints.Instance);
        try
        {
            // MSBuild calls Execute on its own thread with no sync context; blocking here is the host's contract.
            ExecuteAsync(host, _cancellation.Token).GetAwaiter().GetResult();
            // In GitHub Actions what the task reported becomes a section of the job summary; elsewhere this does nothing.
            host.Log.FlushStepSummary(GetType().Name);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogError("GoDebug.Tasks: cancelled; nothing was left half written.");
        }
        catch (GoDebugException ex)
        {
            Log.LogError(null, "GO0001", null, null, 0, 0, 0, 0, "{0}", ex.Describe(MSBuildHints.Instance));
        }

        return !Log.HasLoggedErrors;
    }

    internal abstract Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken);
}
