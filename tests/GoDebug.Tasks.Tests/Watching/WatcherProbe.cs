using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

/// <summary>A started <see cref="WorkspaceWatcher"/> over one folder and the changes it reported.</summary>
internal sealed class WatcherProbe : IAsyncDisposable
{
    private readonly List<WatchChange> _seen = [];

    private WatcherProbe(WorkspaceWatcher watcher, RecordingLog log)
    {
        Watcher = watcher;
        Log = log;
    }

    public WorkspaceWatcher Watcher { get; }

    public RecordingLog Log { get; }

    public static WatcherProbe Start(string root, bool polling = false, IReadOnlyList<string>? exclude = null)
    {
        var log = new RecordingLog();
        var watcher = new WorkspaceWatcher(new WatchFilter([root], exclude ?? [], []), GoDebugHost.Create(log), polling, TimeSpan.FromMilliseconds(50));
        watcher.Start();
        return new WatcherProbe(watcher, log);
    }

    /// <summary>Waits for a change matching <paramref name="match"/> and returns every change reported up to it.</summary>
    public async Task<IReadOnlyList<WatchChange>> WaitForAsync(Func<WatchChange, bool> match, double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!_seen.Any(match))
        {
            try
            {
                _seen.Add(await Watcher.Changes.ReadAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no matching change within {seconds} s; saw: {string.Join(", ", _seen.Select(c => c.Path))}");
            }
        }

        return _seen.ToList();
    }

    /// <summary>Forgets what was reported so far.</summary>
    public void Clear() => _seen.Clear();

    public ValueTask DisposeAsync() => Watcher.DisposeAsync();
}
