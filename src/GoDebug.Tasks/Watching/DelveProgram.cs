using System.Text.Json.Nodes;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Watching;

/// <summary>
/// Runs the program under dlv behind a <see cref="DebugEndpoint"/> on the user's address for the whole watch. A swap
/// starts the new build under a fresh dlv stopped at its entry point while the old program still serves, gives it
/// every breakpoint, then stops the old program and dlv, waits for its ports, continues the new one and points the
/// endpoint at it: no halt of a running program is on the way (dlv's first stop of a process reads libc's debug info,
/// hundreds of ms). A build that dlv cannot start keeps the old one. A dlv that dies is reported at once, the program
/// it left is ended and dlv starts again on the same build, clients kept through the endpoint.
/// </summary>
internal sealed class DelveProgram : IWatchedProgram
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly GoWatchSettings _settings;
    private readonly DelveSessionSettings _session;
    private readonly DelveResult _dlv;
    private readonly GoDebugHost _host;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private DebugEndpoint? _endpoint;
    private DelveBackend? _current;
    private GoBuildTargetResult? _target;
    private IReadOnlySet<int> _lastPorts = new HashSet<int>();

    public DelveProgram(GoWatchSettings settings, DelveSessionSettings session, DelveResult dlv, GoDebugHost host)
    {
        _settings = settings;
        _session = session;
        _dlv = dlv;
        _host = host;
    }

    /// <summary>The address clients attach to, once started.</summary>
    internal DebugEndpoint? Endpoint => _endpoint;

    public bool IsRunning => _current is { } c && !c.Session.Completion.IsCompleted && !c.ProgramExited.IsCompleted;

    public IReadOnlyList<int> ProcessIds => _current is { Session.ProcessId: > 0 } c && !c.Session.Completion.IsCompleted ? [c.Session.ProcessId, .. ProcessTable.Descendants(c.Session.ProcessId)] : [];

    public async Task<IReadOnlySet<int>> StartAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
        => await SwapAsync(target, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlySet<int>> ReloadAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
        => await SwapAsync(target, cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlySet<int>> SwapAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SwapLockedAsync(target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task<IReadOnlySet<int>> SwapLockedAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
    {
        if (_endpoint is null)
        {
            _endpoint = DebugEndpoint.Open(_session.ListenAddress, _session.AllowRemote, _host);
            _endpoint.LastClientLeft = ResumeIfHaltedAsync;
        }

        DelveBackend next;
        try
        {
            next = await DelveBackend.StartAsync(SessionFor(target), _dlv, _host, cancellationToken).ConfigureAwait(false);
        }
        catch (GoDebugException ex) when (IsRunning)
        {
            _host.Log.Error($"{DebugCodes.NewDelveFailed}: dlv could not start {target.OutputPath} ({ex.Message}); the previous program and dlv keep serving.");
            return _lastPorts;
        }

        _host.Log.Verbose($"dlv {next.Session.ProcessId} holds {Path.GetFileName(target.OutputPath)} (pid {next.ProgramId}) at its entry point.");
        var old = _current;
        var endpoint = _endpoint;
        // Clients blocked in a resume command are answered by the continue below, which exists only after the swap.
        var nextStop = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.BeginSwap();
        try
        {
            foreach (var lost in await next.CopyBreakpointsAsync(endpoint.Breakpoints, cancellationToken).ConfigureAwait(false))
            {
                _host.Log.Warning($"{DebugCodes.BreakpointDropped}: no place for the breakpoint at {lost} in the new build; the others are set.");
            }

            if (old is not null)
            {
                await StopAsync(old).ConfigureAwait(false);
                _host.Log.Verbose($"The previous dlv {old.Session.ProcessId} and program are gone, their ports free.");
            }

            _current = next;
            _target = target;
            _ = WatchForDeathAsync(next);
        }
        catch
        {
            await next.DisposeAsync().ConfigureAwait(false);
            await endpoint.CompleteSwapAsync(_current?.Session.Endpoint, nextStop.Task, CancellationToken.None).ConfigureAwait(false);
            nextStop.TrySetResult(null);
            throw;
        }

        await endpoint.CompleteSwapAsync(next.Session.Endpoint, nextStop.Task, CancellationToken.None).ConfigureAwait(false);
        _ = ContinueAsync(next, nextStop);
        if (old is null)
        {
            _host.Log.Info($"dlv ready on {endpoint.Address} ({next.Session.Version}, on {next.Session.Endpoint} behind it); attach with 'dlv connect {endpoint.Address}' or the VS Code remote configuration: clients stay attached across reloads.");
        }

        return await WaitReadyAsync(next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the program and hands dlv's answer (at its next stop) to whoever waits for it.</summary>
    private static async Task ContinueAsync(DelveBackend backend, TaskCompletionSource<JsonNode?> nextStop)
    {
        try
        {
            nextStop.TrySetResult(await backend.ContinueAsync().ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException or GoDebugException)
        {
            // That dlv was stopped or died (the death watch reports it); a client still waiting is told so.
            nextStop.TrySetException(ex);
        }
    }

    private DelveSessionSettings SessionFor(GoBuildTargetResult target)
    {
        var environment = new Dictionary<string, string?>(_session.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in _host.Environment.Variables) environment.TryAdd(name, value);
        foreach (var (name, value) in _settings.ParsedProgramEnvironment()) environment[name] = value;
        return _session with
        {
            Program = target.OutputPath,
            WorkingDirectory = _session.WorkingDirectory ?? target.ModuleDirectory,
            ProgramArguments = _session.ProgramArguments.Count > 0 ? _session.ProgramArguments : _settings.ProgramArguments,
            Environment = environment,
        };
    }

    private async Task<IReadOnlySet<int>> WaitReadyAsync(DelveBackend backend, CancellationToken cancellationToken)
    {
        // dlv itself listens on its API port; only the debuggee's own ports say the program is up.
        var gone = Task.WhenAny(backend.Session.Completion, backend.ProgramExited);
        var ports = await Readiness.WaitAsync(() => ProcessTable.Descendants(backend.Session.ProcessId), gone, _settings.ReadyTimeout, _host.Time, cancellationToken, _lastPorts).ConfigureAwait(false);
        if (backend.ProgramExited.IsCompleted)
        {
            var status = await backend.ProgramExited.ConfigureAwait(false);
            // dlv answers the continue before the program's last words have come through its pipes.
            var output = await backend.Session.SettledOutputAsync(_host.Time, cancellationToken).ConfigureAwait(false);
            _host.Log.Error($"{DebugCodes.ProgramExitedAtStart}: {Path.GetFileName(backend.Program)} exited with status {status} at start under dlv; it is not ready. Its last output:{Environment.NewLine}  {(output.Count == 0 ? "(none)" : string.Join(Environment.NewLine + "  ", output))}");
            return new HashSet<int>();
        }

        backend.Ready = true;
        if (ports.Count > 0) _lastPorts = ports;
        return ports;
    }

    /// <summary>With no client left, a program left halted (at a breakpoint, by a halt) runs on: disconnecting never freezes the program.</summary>
    private async Task ResumeIfHaltedAsync()
    {
        try
        {
            await _lifecycle.WaitAsync(_disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: nothing to resume.
            return;
        }

        try
        {
            if (_current is not { } backend || _endpoint is not { ClientCount: 0 } || !IsRunning) return;
            if (!await backend.IsHaltedAsync(_disposing.Token).ConfigureAwait(false)) return;
            _host.Log.Info("The last debugger client left the program halted; continuing it.");
            _ = ContinueAsync(backend, new TaskCompletionSource<JsonNode?>());
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException or GoDebugException)
        {
            // dlv is going away; nothing to resume.
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>dlv exiting while it is still the current one was not our doing: say so, end the orphan, start dlv again.</summary>
    private async Task WatchForDeathAsync(DelveBackend backend)
    {
        if (!await backend.DelveExitedAsync().ConfigureAwait(false)) return;
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_current != backend || _disposing.IsCancellationRequested || _target is not { } target) return;
            // The orphan holds dlv's output pipes: only once it is ended does dlv's exit status come through them.
            var orphan = backend.ProgramId > 0 && ProcessTable.IsAlive(backend.ProgramId);
            await EndOrphanAsync(backend).ConfigureAwait(false);
            var exitCode = (await backend.Session.Completion.WaitAsync(StopTimeout).ConfigureAwait(false)).ExitCode;
            var signal = exitCode > 128 ? $" (signal {exitCode - 128})" : string.Empty;
            _host.Log.Error($"{DebugCodes.DelveDied}: dlv (pid {backend.Session.ProcessId}) exited unexpectedly with code {exitCode}{signal}; {(orphan ? $"ended the program it left behind (pid {backend.ProgramId})" : $"its program (pid {backend.ProgramId}) is gone too")}, starting dlv again on {target.OutputPath}. Debugger clients stay on {_endpoint?.Address}.");
            _current = null;
            var ports = await SwapLockedAsync(target, _disposing.Token).ConfigureAwait(false);
            if (IsRunning) _host.Log.Info($"dlv is back on {_endpoint?.Address} with {Path.GetFileName(target.OutputPath)} ({(ports.Count == 0 ? "not listening" : "listening on " + string.Join(", ", ports.Order()))}).");
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or GoDebugException or IOException or System.Net.Sockets.SocketException)
        {
            if (!_disposing.IsCancellationRequested) _host.Log.Error($"{DebugCodes.DelveDied}: dlv could not be started again: {ex.Message}; the next change that builds tries again.");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>A debuggee whose tracer died runs on detached, still holding its ports: end it by its pid.</summary>
    private async Task EndOrphanAsync(DelveBackend backend)
    {
        if (backend.ProgramId <= 0 || !ProcessTable.IsAlive(backend.ProgramId)) return;
        Kill(backend.ProgramId);
        await WaitStoppedAsync([backend.ProgramId]).ConfigureAwait(false);
    }

    /// <summary>Kills dlv and its debuggee and returns once both are gone and the program's ports are free for the next one.</summary>
    private async Task StopAsync(DelveBackend backend)
    {
        IReadOnlyList<int> tree = backend.Session.ProcessId > 0 ? [backend.Session.ProcessId, .. ProcessTable.Descendants(backend.Session.ProcessId)] : [];
        if (backend.ProgramId > 0 && !tree.Contains(backend.ProgramId)) tree = [.. tree, backend.ProgramId];
        await backend.DisposeAsync().ConfigureAwait(false);
        // A debuggee that lost its tracer before the tree kill reached it runs on detached, reparented away from dlv.
        foreach (var pid in tree.Where(ProcessTable.IsAlive)) Kill(pid);
        await WaitStoppedAsync(tree).ConfigureAwait(false);
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone in the meantime.
        }
    }

    private async Task WaitStoppedAsync(IReadOnlyList<int> tree)
    {
        // A process killed with its tree dies a moment after the kill returns; its listeners close only then.
        if (!await ProcessTable.GoneAsync(tree, StopTimeout, _host.Time, CancellationToken.None).ConfigureAwait(false)
            || !await ProcessTable.PortsReleasedAsync(_lastPorts, StopTimeout, _host.Time, CancellationToken.None).ConfigureAwait(false))
        {
            _host.Log.Warning($"dlv or the program (pids {string.Join(", ", tree)}) still runs or holds port(s) {string.Join(", ", _lastPorts)} {StopTimeout.TotalSeconds:0} s after it was stopped.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested) return;
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Clients first: none may reach the dlv being stopped, and the address is free when this returns.
            if (_endpoint is not null) await _endpoint.DisposeAsync().ConfigureAwait(false);
            if (_current is { } backend) await StopAsync(backend).ConfigureAwait(false);
            _current = null;
        }
        finally
        {
            _lifecycle.Release();
        }
    }
}
