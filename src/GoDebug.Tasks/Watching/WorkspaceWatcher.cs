using System.Threading.Channels;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Watching;

/// <summary>What the watcher saw: a path that changed, or a rescan when events were lost and anything may have changed.</summary>
internal sealed record WatchChange(string Path, bool Rescan = false);

/// <summary>
/// Reports changes under the watched roots: one recursive <see cref="FileSystemWatcher"/> per root (one
/// inotify instance each on Linux, however many modules the root holds), or a poll of the tree.
/// A lost-events overflow recreates the watchers and reports a rescan; exhausted inotify limits are
/// reported with the sysctl to raise and the watcher falls back to polling.
/// </summary>
internal sealed class WorkspaceWatcher : IAsyncDisposable
{
    private readonly WatchFilter _filter;
    private readonly GoDebugHost _host;
    private readonly TimeSpan _pollingInterval;
    private readonly Channel<WatchChange> _changes = Channel.CreateUnbounded<WatchChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<FileSystemWatcher> _watchers = [];
    /// <summary>How long after a folder appears its contents are looked at: well past the moment its watch is added.</summary>
    private static readonly TimeSpan NewFolderSettle = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _polling;
    private bool _disposed;
    private long _lastChange;

    public WorkspaceWatcher(WatchFilter filter, GoDebugHost host, bool polling, TimeSpan pollingInterval)
    {
        _filter = filter;
        _host = host;
        _pollingInterval = pollingInterval;
        IsPolling = polling;
    }

    public ChannelReader<WatchChange> Changes => _changes.Reader;

    /// <summary>When the newest change was reported (a <see cref="TimeProvider"/> timestamp; 0 before the first).</summary>
    public long LastChangeTimestamp => Volatile.Read(ref _lastChange);

    /// <summary>True when the tree is polled (asked for, or the event watcher could not start).</summary>
    public bool IsPolling { get; private set; }

    /// <summary>Starts watching; changes made after this returns are reported.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (IsPolling)
            {
                StartPolling();
                return;
            }

            try
            {
                CreateWatchers();
            }
            catch (IOException ex) when (IsInotifyLimit(ex))
            {
                FallBackToPolling(ex);
            }
        }
    }

    /// <summary>Handles a watcher error: overflow rescans, exhausted inotify limits switch to polling.</summary>
    internal void OnError(Exception error)
    {
        lock (_gate)
        {
            if (_disposed || IsPolling) return;
            if (error is IOException io && IsInotifyLimit(io))
            {
                DisposeWatchers();
                FallBackToPolling(io);
            }
            else
            {
                // Overflow (or any other loss): the events since are unknown, so watch afresh and let the
                // build compare the tree with its recorded inputs.
                _host.Log.Warning($"{WatchCodes.Overflow}: file events were lost ({error.Message}); rescanning the workspace.");
                DisposeWatchers();
                try
                {
                    CreateWatchers();
                }
                catch (IOException ex) when (IsInotifyLimit(ex))
                {
                    FallBackToPolling(ex);
                }

                Report(new WatchChange(_filter.Roots[0], Rescan: true));
            }
        }
    }

    private void CreateWatchers()
    {
        foreach (var root in _filter.Roots)
        {
            var watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => Seen(e.FullPath, e.ChangeType);
            watcher.Created += (_, e) => Seen(e.FullPath, e.ChangeType);
            watcher.Deleted += (_, e) => Seen(e.FullPath, e.ChangeType);
            watcher.Renamed += (_, e) =>
            {
                // An atomic save renames a scratch file onto the source: the new name is the change; a
                // source renamed away (or a folder moved) changes what builds under its old name too.
                Seen(e.OldFullPath, WatcherChangeTypes.Deleted, Directory.Exists(e.FullPath));
                Seen(e.FullPath, e.ChangeType);
            };
            // The handler may recreate the watcher that raised the error; do that off its event thread.
            watcher.Error += (_, e) => _ = Task.Run(() => OnError(e.GetException()));
            _watchers.Add(watcher);
            watcher.EnableRaisingEvents = true;
        }
    }

    private void Seen(string path, WatcherChangeTypes type, bool? isDirectory = null)
    {
        var directory = isDirectory ?? (type == WatcherChangeTypes.Deleted ? null : Directory.Exists(path));
        // A deleted path cannot be asked whether it was a folder; the filter decides from its name.
        if (type == WatcherChangeTypes.Changed && directory == true) return;
        if (!_filter.IsRelevant(path, directory)) return;
        Report(new WatchChange(path));
        if (directory == true && type is WatcherChangeTypes.Created or WatcherChangeTypes.Renamed) _ = ReportFolderContentsAsync(path);
    }

    /// <summary>
    /// A folder that appears (git checkout, a folder moved in) is watched only after its own event is handled, so
    /// what is written into it, and into folders in it, before then raises no event. Once the watches stand, the
    /// files found inside are reported as changes; later writes raise their own events.
    /// </summary>
    private async Task ReportFolderContentsAsync(string folder)
    {
        try
        {
            var token = _stop.Token;
            await Task.Delay(NewFolderSettle, _host.Time, token).ConfigureAwait(false);
            foreach (var file in Snapshot([folder], token).Keys) Report(new WatchChange(file));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed meanwhile: nobody reads the changes any more.
        }
    }

    private void Report(WatchChange change)
    {
        Volatile.Write(ref _lastChange, _host.Time.GetTimestamp());
        _changes.Writer.TryWrite(change);
    }

    private void FallBackToPolling(IOException error)
    {
        var sysctl = error.Message.Contains("watches", StringComparison.OrdinalIgnoreCase) ? "fs.inotify.max_user_watches" : "fs.inotify.max_user_instances";
        var hint = FixHint.Text($"raise the limit, e.g. 'sudo sysctl {sysctl}=524288' (persist it in /etc/sysctl.d/)");
        _host.Log.Diagnostic(new GoDiagnostic(GoDiagnosticSeverity.Error, WatchCodes.InotifyLimit,
            $"cannot watch the workspace for changes: the inotify limit {sysctl} is exhausted ({error.Message.Trim()}); polling every {_pollingInterval.TotalMilliseconds:0} ms instead. Fix: {_host.Hints.Render(hint)}."));
        IsPolling = true;
        StartPolling();
    }

    private static bool IsInotifyLimit(IOException error) => error.Message.Contains("inotify", StringComparison.OrdinalIgnoreCase);

    private void StartPolling()
    {
        var before = Snapshot(_filter.Roots, _stop.Token);
        _polling = Task.Run(() => PollAsync(before, _stop.Token));
    }

    private async Task PollAsync(Dictionary<string, (long Length, DateTime Written)> before, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_pollingInterval, _host.Time, cancellationToken).ConfigureAwait(false);
                var now = Snapshot(_filter.Roots, cancellationToken);
                foreach (var (path, stamp) in now)
                {
                    if (!before.TryGetValue(path, out var old) || old != stamp) Report(new WatchChange(path));
                }

                foreach (var path in before.Keys.Where(p => !now.ContainsKey(p)))
                {
                    Report(new WatchChange(path));
                }

                before = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Size and write time of every relevant file under <paramref name="folders"/> (what polling compares).</summary>
    private Dictionary<string, (long, DateTime)> Snapshot(IEnumerable<string> folders, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        var pending = new Stack<string>(folders);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            try
            {
                foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo sub)
                    {
                        // A location inside the folder tells whether the folder itself is skipped or excluded.
                        if (sub.LinkTarget is null && _filter.IsWatchedLocation(Path.Combine(sub.FullName, "-"))) pending.Push(sub.FullName);
                    }
                    else if (_filter.IsRelevant(entry.FullName, isDirectory: false))
                    {
                        var file = (FileInfo)entry;
                        files[file.FullName] = (file.Length, file.LastWriteTimeUtc);
                    }
                }
            }
            catch (Exception ex) when (ex is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
            {
                // A folder removed or unreadable while walking: the next poll sees the tree as it is then.
            }
        }

        return files;
    }

    private void DisposeWatchers()
    {
        foreach (var watcher in _watchers)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }

        _watchers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            DisposeWatchers();
            _stop.Cancel();
        }

        if (_polling is not null) await _polling.ConfigureAwait(false);

        _stop.Dispose();
        _changes.Writer.TryComplete();
    }
}
