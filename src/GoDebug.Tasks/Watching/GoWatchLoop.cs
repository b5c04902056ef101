using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Go;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Watching;

/// <summary>
/// Watch, build, swap: a change starts a build after a short quiet time; a change during the build
/// cancels it and starts again (a checkout of 500 files is one build); a build that produced a new
/// binary of the program swaps it in; a failed one leaves the old program serving.
/// </summary>
internal sealed class GoWatchLoop
{
    /// <summary>
    /// Three restarts each caused within this time of the previous ready look like the program feeding itself;
    /// a person saving that soon after each restart, three times over, is unlikely (a bench editing after
    /// each answer came 1.4 s after ready and was flagged with a 2 s window).
    /// </summary>
    private static readonly TimeSpan LoopWindow = TimeSpan.FromMilliseconds(500);
    private const int LoopRestarts = 3;

    private readonly GoWatchSettings _settings;
    private readonly GoTool _go;
    private readonly GoDebugHost _host;
    private readonly IWatchedProgram _program;
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private GoBuildTargetResult? _target;
    private long _readyAt;
    private int _loopCount;
    private HashSet<string> _loopFiles = new(StringComparer.Ordinal);

    public GoWatchLoop(GoWatchSettings settings, GoTool go, GoDebugHost host, IWatchedProgram program)
    {
        _settings = settings with { Build = program.BuildSettings(settings.Build) with { Workspace = Path.GetFullPath(settings.Build.Workspace) } };
        _go = go;
        _host = host;
        _program = program;
    }

    /// <summary>Builds that ran to their end (a build cancelled by a newer change is not counted).</summary>
    public int Builds { get; private set; }

    /// <summary>Builds cancelled because a change arrived while they ran.</summary>
    public int CancelledBuilds { get; private set; }

    /// <summary>Times the program was started or swapped and became ready.</summary>
    public int ReadyCount { get; private set; }

    /// <summary>Save-to-ready time of the last start or swap.</summary>
    public TimeSpan LastReadyTime { get; private set; }

    /// <summary>Our processes now (the program and its children, or dlv and the debuggee).</summary>
    public IReadOnlyList<int> ProcessIds => _program.ProcessIds;

    /// <summary>Completes once the program has been ready <paramref name="count"/> times in all.</summary>
    public Task WhenReadyAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (ReadyCount >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The folders watched: the workspace root, and each go.work module outside it.</summary>
    public static IReadOnlyList<string> Roots(string workspace, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var roots = new List<string> { root };
        if (!File.Exists(Path.Combine(root, "go.work"))) return roots;
        foreach (var module in GoWorkSynchronizer.ReadWorkspace(root, cancellationToken).Select(m => m.Directory).Order(StringComparer.Ordinal))
        {
            if (!roots.Any(r => PathChecks.IsUnder(module, r))) roots.Add(module);
        }

        return roots;
    }

    /// <summary>Runs until cancelled (or, with <see cref="GoWatchSettings.Once"/>, until the program is first ready).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _settings.ParsedProgramEnvironment();
        var roots = Roots(_settings.Build.Workspace, cancellationToken);
        var filter = new WatchFilter(roots, _settings.ExcludeGlobs, _settings.Extensions);
        await using var watcher = new WorkspaceWatcher(filter, _host, _settings.Polling, _settings.PollingInterval);
        try
        {
            // Watch before the first build, so an edit made while it runs is not missed.
            watcher.Start();
            _host.Log.Info($"Watching {string.Join(", ", roots)} ({(watcher.IsPolling ? $"polling every {_settings.PollingInterval.TotalMilliseconds:0} ms" : "file events")}).");
            var changes = new List<WatchChange>();
            var savedAt = _host.Time.GetTimestamp();
            var first = true;
            while (true)
            {
                if (!first)
                {
                    changes.Clear();
                    if (!await watcher.Changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return;
                    savedAt = _host.Time.GetTimestamp();
                    Drain(watcher, changes);
                }

                var result = await BuildUntilQuietAsync(watcher, changes, cancellationToken).ConfigureAwait(false);
                filter.SetBuildInputs(result.InputFiles);
                var ready = await ApplyAsync(result, changes, first, savedAt, filter, cancellationToken).ConfigureAwait(false);
                first = false;
                if (ready && _settings.Once)
                {
                    _host.Log.Info("Ready once; stopping (Once).");
                    return;
                }
            }
        }
        finally
        {
            await _program.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int Drain(WorkspaceWatcher watcher, List<WatchChange> changes)
    {
        var n = 0;
        while (watcher.Changes.TryRead(out var change))
        {
            changes.Add(change);
            n++;
        }

        return n;
    }

    /// <summary>Waits for the changes to settle, then builds; a change during the build cancels it and the cycle starts over.</summary>
    private async Task<GoBuildResult> BuildUntilQuietAsync(WorkspaceWatcher watcher, List<WatchChange> changes, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The quiet time counts from the newest change, so the several events of one save cost one wait, not one each.
            while (changes.Count > 0)
            {
                Drain(watcher, changes);
                var quiet = _host.Time.GetElapsedTime(watcher.LastChangeTimestamp);
                if (quiet >= _settings.Debounce) break;
                await Task.Delay(_settings.Debounce - quiet, _host.Time, cancellationToken).ConfigureAwait(false);
            }

            using var building = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var build = GoBuilder.BuildAsync(_settings.Build, _go, _host, building.Token);
            var changed = watcher.Changes.WaitToReadAsync(building.Token).AsTask();
            if (await Task.WhenAny(build, changed).ConfigureAwait(false) == build)
            {
                await building.CancelAsync().ConfigureAwait(false);
                var result = await build.ConfigureAwait(false);
                Builds++;
                return result;
            }

            await building.CancelAsync().ConfigureAwait(false);
            try
            {
                await build.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Superseded by the newer change.
            }

            cancellationToken.ThrowIfCancellationRequested();
            CancelledBuilds++;
            _host.Log.Verbose("Files changed during the build; building again.");
            Drain(watcher, changes);
        }
    }

    /// <summary>Starts or swaps the program after a build; true when it became ready.</summary>
    private async Task<bool> ApplyAsync(GoBuildResult result, List<WatchChange> changes, bool first, long savedAt, WatchFilter filter, CancellationToken cancellationToken)
    {
        var workspace = _settings.Build.Workspace;
        var what = Describe(workspace, changes);
        _target ??= result.Targets.Any(t => t.OutputPath.Length > 0) ? DebugTarget.Choose(result, _settings.Program, _host) : null;
        var mine = _target is null ? null : result.Targets.FirstOrDefault(t => t.Package == _target.Package);
        if (mine is null || !mine.Succeeded)
        {
            var state = _program.IsRunning ? "the running program keeps serving the previous build" : "nothing runs";
            _host.Log.Error($"{WatchCodes.BuildFailed}: {(mine?.Package ?? "the program")} failed to build after {what}; {state} until a change builds.");
            return false;
        }

        if (_program.IsRunning && mine.Skipped)
        {
            _host.Log.Info($"No running binary uses {what}; nothing restarted.");
            return false;
        }

        var reload = _program.IsRunning;
        if (reload) NoteRestartCause(changes, savedAt, filter);
        var ports = reload
            ? await _program.ReloadAsync(mine, cancellationToken).ConfigureAwait(false)
            : await _program.StartAsync(mine, cancellationToken).ConfigureAwait(false);
        if (!_program.IsRunning)
        {
            _host.Log.Error($"{Path.GetFileName(mine.OutputPath)} exited before it was ready.");
            return false;
        }

        var elapsed = _host.Time.GetElapsedTime(savedAt);
        var listening = ports.Count == 0 ? "not listening" : "listening on " + string.Join(", ", ports.Order());
        var verb = first ? "started" : reload ? "reloaded" : "restarted";
        _host.Log.Info($"{Path.GetFileName(mine.OutputPath)} {verb} in {elapsed.TotalMilliseconds:0} ms {(first ? string.Empty : "from save to ready ")}({listening}){(first ? string.Empty : " after " + what)}.");
        _readyAt = _host.Time.GetTimestamp();
        lock (_gate)
        {
            LastReadyTime = elapsed;
            ReadyCount++;
            foreach (var waiter in _waiters.Where(w => w.Count <= ReadyCount).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return true;
    }

    /// <summary>
    /// A program that writes into the tree it is watched from restarts itself forever. Three restarts in
    /// a row, each caused by files changed within moments of the previous start, name those files and
    /// leave them unwatched.
    /// </summary>
    private void NoteRestartCause(List<WatchChange> changes, long savedAt, WatchFilter filter)
    {
        var files = changes.Where(c => !c.Rescan).Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        // Measured from the previous ready to the first change (negative when it came while the program was starting).
        var soon = _readyAt != 0 && _host.Time.GetElapsedTime(_readyAt, savedAt) < LoopWindow && files.Count > 0;
        _loopFiles = soon ? (_loopCount == 0 ? files : _loopFiles.Intersect(files).ToHashSet(StringComparer.Ordinal)) : new HashSet<string>(StringComparer.Ordinal);
        _loopCount = soon && _loopFiles.Count > 0 ? _loopCount + 1 : 0;
        if (_loopCount < LoopRestarts) return;
        var names = string.Join(", ", _loopFiles.Order(StringComparer.Ordinal).Select(f => ModuleDiscovery.Relative(_settings.Build.Workspace, f)));
        _host.Log.Warning($"{WatchCodes.RestartLoop}: restart loop: the program changes {names} each time it starts, which restarts it; ignoring those files from now on (exclude them from watching to keep it so).");
        filter.Ignore(_loopFiles);
        _loopCount = 0;
    }

    private static string Describe(string workspace, List<WatchChange> changes)
    {
        if (changes.Count == 0) return "the first build";
        if (changes.Any(c => c.Rescan)) return "a rescan";
        var files = changes.Select(c => ModuleDiscovery.Relative(workspace, c.Path)).Distinct(StringComparer.Ordinal).ToList();
        return files.Count <= 3 ? string.Join(", ", files) : $"{string.Join(", ", files.Take(3))} and {files.Count - 3} more";
    }
}
