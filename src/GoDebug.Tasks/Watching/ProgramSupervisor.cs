using GoDebug.Tasks.Building;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Watching;

/// <summary>
/// Runs the program without a debugger. A swap stops the old process (the stop signal, the grace period, then
/// its whole tree), waits until the ports it listened on are free, and starts the new binary.
/// </summary>
internal sealed class ProgramSupervisor : IWatchedProgram
{
    private static readonly TimeSpan PortRelease = TimeSpan.FromSeconds(5);
    private readonly GoWatchSettings _settings;
    private readonly GoDebugHost _host;
    private Running? _current;
    private IReadOnlySet<int> _lastPorts = new HashSet<int>();

    public ProgramSupervisor(GoWatchSettings settings, GoDebugHost host)
    {
        _settings = settings;
        _host = host;
    }

    private sealed record Running(int ProcessId, Task<ProcessResult> Exit, CancellationTokenSource Forceful, CancellationTokenSource Graceful)
    {
        public bool Stopping { get; set; }
    }

    public bool IsRunning => _current is { Exit.IsCompleted: false };

    public IReadOnlyList<int> ProcessIds => _current is { } c && !c.Exit.IsCompleted ? [c.ProcessId, .. ProcessTable.Descendants(c.ProcessId)] : [];

    public async Task<IReadOnlySet<int>> StartAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in _host.Environment.Variables) environment[name] = value;
        foreach (var (name, value) in _settings.ParsedProgramEnvironment()) environment[name] = value;
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var forceful = new CancellationTokenSource();
        var graceful = new CancellationTokenSource();
        var spec = new ProcessSpec(target.OutputPath, _settings.ProgramArguments)
        {
            WorkingDirectory = target.ModuleDirectory,
            Environment = environment,
            OnStandardOutput = _host.Log.Info,
            OnStandardError = _host.Log.Info,
            OnStarted = started.SetResult,
            GracefulStop = graceful.Token,
            DefaultSignals = true,
            StopSignal = (int)_settings.StopSignal,
        };
        var exit = _host.Processes.RunAsync(spec, forceful.Token);
        if (await Task.WhenAny(started.Task, exit).ConfigureAwait(false) == exit) await exit.ConfigureAwait(false);
        var running = new Running(await started.Task.ConfigureAwait(false), exit, forceful, graceful);
        _current = running;
        _ = ReportExitAsync(running, Path.GetFileName(target.OutputPath));
        var ports = await Readiness.WaitAsync(() => ProcessIds, exit, _settings.ReadyTimeout, _host.Time, cancellationToken, _lastPorts).ConfigureAwait(false);
        if (ports.Count > 0) _lastPorts = ports;
        return ports;
    }

    private async Task ReportExitAsync(Running running, string name)
    {
        try
        {
            var result = await running.Exit.ConfigureAwait(false);
            if (!running.Stopping) _host.Log.Warning($"{WatchCodes.ProgramExited}: {name} exited with code {result.ExitCode}; the next change that builds starts it again.");
        }
        catch (OperationCanceledException)
        {
            // We stopped it.
        }
    }

    public Task<IReadOnlySet<int>> ReloadAsync(GoBuildTargetResult target, CancellationToken cancellationToken) => StartAsync(target, cancellationToken);

    /// <summary>No debugger reads the program's DWARF: the reload profile links without it unless the user keeps it.</summary>
    public GoBuildSettings BuildSettings(GoBuildSettings build) => build with { Profile = _settings.KeepDwarf ? GoBuildProfile.ReloadWithDwarf : GoBuildProfile.Reload };

    /// <summary>The stop signal, the grace period, then the whole tree; returns once the process is gone and its ports are free.</summary>
    private async Task StopAsync()
    {
        if (_current is not { } running) return;
        _current = null;
        running.Stopping = true;
        var tree = running.Exit.IsCompleted ? [] : ProcessTable.Descendants(running.ProcessId);
        // The kernel closes a process's sockets before its parent can reap it: a program without children has freed
        // its ports by the time it is stopped, and only a tree whose children are killed (and die a moment later)
        // needs its ports looked up now and waited for below.
        var ports = tree.Count == 0 ? new HashSet<int>() : ProcessTable.ListeningPorts(tree.Prepend(running.ProcessId));
        try
        {
            if (!running.Exit.IsCompleted)
            {
                var asked = _host.Time.GetTimestamp();
                await running.Graceful.CancelAsync().ConfigureAwait(false);
                try
                {
                    await running.Exit.WaitAsync(_settings.GracePeriod, _host.Time).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    _host.Log.Info($"The program did not stop within {_settings.GracePeriod.TotalSeconds:0.#} s of SIG{_settings.StopSignal.ToString().ToUpperInvariant()}; killing its process tree.");
                    await running.Forceful.CancelAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _host.Log.Verbose($"The program stopped {_host.Time.GetElapsedTime(asked).TotalMilliseconds:0} ms after SIG{_settings.StopSignal.ToString().ToUpperInvariant()}.");
                    throw;
                }
            }

            await running.Exit.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // How a stopped process's task ends.
        }
        finally
        {
            running.Forceful.Dispose();
            running.Graceful.Dispose();
        }

        // Children the program started and left behind when it exited on SIGINT are part of what we stop.
        foreach (var pid in tree.Where(ProcessTable.IsAlive))
        {
            try
            {
                using var orphan = System.Diagnostics.Process.GetProcessById(pid);
                orphan.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone in the meantime.
            }
        }

        if (!await ProcessTable.PortsReleasedAsync(ports, PortRelease, _host.Time, CancellationToken.None).ConfigureAwait(false))
        {
            _host.Log.Warning($"Port(s) {string.Join(", ", ports)} are still in use {PortRelease.TotalSeconds:0} s after the program stopped; the new one may fail to listen.");
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
