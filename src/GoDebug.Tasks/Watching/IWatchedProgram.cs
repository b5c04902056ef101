using GoDebug.Tasks.Building;

namespace GoDebug.Tasks.Watching;

/// <summary>The program a watch keeps current: run plainly, or under dlv.</summary>
internal interface IWatchedProgram : IAsyncDisposable
{
    /// <summary>True while the program (or dlv serving it) runs.</summary>
    bool IsRunning { get; }

    /// <summary>Our processes now: the program and its children, or dlv and its debuggee.</summary>
    IReadOnlyList<int> ProcessIds { get; }

    /// <summary>Starts <paramref name="target"/>'s binary and returns the ports it listens on once ready.</summary>
    Task<IReadOnlySet<int>> StartAsync(GoBuildTargetResult target, CancellationToken cancellationToken);

    /// <summary>Swaps the running program for the binary now at <paramref name="target"/>'s path; returns once ready.</summary>
    Task<IReadOnlySet<int>> ReloadAsync(GoBuildTargetResult target, CancellationToken cancellationToken);
}

/// <summary>When a started program counts as ready: once it listens, or after a timeout for programs that never do.</summary>
internal static class Readiness
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Waits until a process of <paramref name="processes"/> listens on a TCP port (returning the ports),
    /// <paramref name="exited"/> completes, or <paramref name="timeout"/> passes (returning none).
    /// /proc offers no notification for a new listener, so this looks every 10 ms.
    /// </summary>
    public static async Task<IReadOnlySet<int>> WaitAsync(Func<IReadOnlyList<int>> processes, Task exited, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (!exited.IsCompleted && time.GetTimestamp() < deadline)
        {
            var ports = ProcessTable.ListeningPorts(processes());
            if (ports.Count > 0) return ports;
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }

        return new HashSet<int>();
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until nothing listens on <paramref name="ports"/>; false if something still does.</summary>
    public static async Task<bool> PortsReleasedAsync(IReadOnlySet<int> ports, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (ProcessTable.StillListening(ports).Count > 0)
        {
            if (time.GetTimestamp() >= deadline) return false;
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
