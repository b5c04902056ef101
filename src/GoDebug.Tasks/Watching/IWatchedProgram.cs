using GoDebug.Tasks.Building;
using GoDebug.Tasks.Processes;

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

    /// <summary>How the watch builds for this program; unchanged (a debug build with DWARF) unless it says otherwise.</summary>
    GoBuildSettings BuildSettings(GoBuildSettings build) => build;
}

/// <summary>When a started program counts as ready: once it listens, or after a timeout for programs that never do.</summary>
internal static class Readiness
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Reading the kernel's two listener tables costs microseconds, so a reload looks for its ports this often.</summary>
    private static readonly TimeSpan ExpectedPoll = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Waits until a process of <paramref name="processes"/> listens on a TCP port (returning the ports),
    /// <paramref name="exited"/> completes, or <paramref name="timeout"/> passes (returning none).
    /// /proc offers no notification for a new listener, so this looks every 10 ms; a reload passes the ports the
    /// previous build listened on as <paramref name="expected"/>, and then only the listener tables are read, every
    /// millisecond, until one of those ports is taken, which the process tree then confirms.
    /// </summary>
    public static async Task<IReadOnlySet<int>> WaitAsync(Func<IReadOnlyList<int>> processes, Task exited, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken, IReadOnlySet<int>? expected = null)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        long? lastFull = null;
        while (!exited.IsCompleted && time.GetTimestamp() < deadline)
        {
            var quick = expected is { Count: > 0 };
            var taken = quick && ProcessTable.StillListening(expected!).Count > 0;
            // The full look still runs at the usual pace: the new build may listen on other ports than the last.
            if (!quick || taken || lastFull is not { } last || time.GetElapsedTime(last) >= Poll)
            {
                lastFull = time.GetTimestamp();
                var ports = ProcessTable.ListeningPorts(processes());
                if (ports.Count > 0) return ports;
                // Someone else took the expected port: the quick look would fire on every round from now on.
                if (taken) expected = null;
            }

            await Task.Delay(quick ? ExpectedPoll : Poll, time, cancellationToken).ConfigureAwait(false);
        }

        return new HashSet<int>();
    }
}
