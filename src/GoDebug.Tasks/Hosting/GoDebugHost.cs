using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Hosting;

/// <summary>
/// The ambient state an engine may touch, handed in by the front end that started it: where to report,
/// how to start processes, the environment as it was when the step began, the clock, and the words
/// for fix hints. Engines read none of these from statics, so a test can replace any one of them.
/// </summary>
internal sealed record GoDebugHost(IGoDebugLog Log, IProcessRunner Processes, EnvironmentSnapshot Environment, TimeProvider Time, IHintRenderer Hints)
{
    /// <summary>Real processes, this process's environment now, the system clock.</summary>
    public static GoDebugHost Create(IGoDebugLog log, IHintRenderer? hints = null)
        => new(log, ProcessRunner.Default, EnvironmentSnapshot.Capture(), TimeProvider.System, hints ?? NeutralHintRenderer.Instance);

    /// <summary>
    /// A recording log stands for a whole real host (as <see cref="Create"/> makes it): callers that look back at
    /// what an engine reported, tests above all, pass the log they read instead of spelling the host out.
    /// </summary>
    public static implicit operator GoDebugHost(RecordingLog log) => Create(log);
}
