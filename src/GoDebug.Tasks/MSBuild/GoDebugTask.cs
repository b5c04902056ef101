using GoDebug.Tasks.Diagnostics;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Base of every GoDebug.Tasks MSBuild task: maps MSBuild cancellation (Ctrl+C in <c>dotnet build</c>)
/// to a token and user errors to MSBuild errors instead of stack traces.
/// </summary>
public abstract class GoDebugTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        var log = new MSBuildGoDebugLog(Log);
        try
        {
            // MSBuild calls Execute on its own thread with no sync context; blocking here is the host's contract.
            ExecuteAsync(log, _cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogError("GoDebug.Tasks: cancelled; nothing was left half written.");
        }
        catch (GoDebugException ex)
        {
            Log.LogError(null, "GO0001", null, null, 0, 0, 0, 0, "{0}", ex.Message);
        }

        return !Log.HasLoggedErrors;
    }

    internal abstract Task ExecuteAsync(MSBuildGoDebugLog log, CancellationToken cancellationToken);
}
