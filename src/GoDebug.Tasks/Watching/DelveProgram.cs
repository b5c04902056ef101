using System.Net.Sockets;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Watching;

/// <summary>
/// Runs the program under one headless dlv for the whole watch. A swap never kills dlv: the new binary
/// is already at the path dlv runs (the build renames it into place), so halt, Restart without a
/// rebuild and continue relaunch it while every client keeps its connection and breakpoints. Only when
/// dlv refuses the restart is dlv itself started again on the same address.
/// </summary>
internal sealed class DelveProgram : IWatchedProgram
{
    private static readonly TimeSpan RpcTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly GoWatchSettings _settings;
    private readonly DelveSessionSettings _session;
    private readonly DelveResult _dlv;
    private readonly GoDebugHost _host;
    private DelveSession? _current;
    private string? _runningBinary;
    private IReadOnlySet<int> _lastPorts = new HashSet<int>();

    public DelveProgram(GoWatchSettings settings, DelveSessionSettings session, DelveResult dlv, GoDebugHost host)
    {
        _settings = settings;
        _session = session;
        _dlv = dlv;
        _host = host;
    }

    public bool IsRunning => _current is { Completion.IsCompleted: false };

    public IReadOnlyList<int> ProcessIds => _current is { ProcessId: > 0 } s && !s.Completion.IsCompleted ? [s.ProcessId, .. ProcessTable.Descendants(s.ProcessId)] : [];

    public async Task<IReadOnlySet<int>> StartAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);
        var environment = new Dictionary<string, string?>(_session.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in _host.Environment.Variables) environment.TryAdd(name, value);
        foreach (var (name, value) in _settings.ParsedProgramEnvironment()) environment[name] = value;
        var settings = _session with
        {
            Program = target.OutputPath,
            WorkingDirectory = _session.WorkingDirectory ?? target.ModuleDirectory,
            ProgramArguments = _session.ProgramArguments.Count > 0 ? _session.ProgramArguments : _settings.ProgramArguments,
            Environment = environment,
            Continue = true,
        };
        _current = await DelveSession.StartAsync(settings, _dlv, _host, cancellationToken).ConfigureAwait(false);
        _runningBinary = target.OutputPath;
        return await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<int>> ReloadAsync(GoBuildTargetResult target, CancellationToken cancellationToken)
    {
        if (_current is not { } session || session.Completion.IsCompleted) return await StartAsync(target, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(_runningBinary, target.OutputPath, StringComparison.Ordinal))
        {
            // dlv's Restart relaunches the path it was started with, which would bring back the old build.
            _host.Log.Warning($"{WatchCodes.DelveRestartFailed}: the program is now built to {target.OutputPath}, not {_runningBinary}, which dlv runs; starting dlv again on {_session.ListenAddress}. Debugger clients must reattach.");
            return await StartAsync(target, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RpcTimeout);
            await using var rpc = await DelveRpcClient.ConnectAsync(session.Endpoint.Address.ToString(), session.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            await rpc.CommandAsync("halt", timeout.Token).ConfigureAwait(false);
            var discarded = await rpc.RestartAsync(timeout.Token).ConfigureAwait(false);
            foreach (var lost in discarded) _host.Log.Warning($"dlv dropped a breakpoint in the new build: {lost}");
            // continue answers only at the next stop; this connection closes right after, the target runs on.
            await rpc.SendAsync("Command", new JsonObject { ["name"] = "continue" }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is GoDebugException or IOException or SocketException or OperationCanceledException)
        {
            _host.Log.Warning($"{WatchCodes.DelveRestartFailed}: dlv could not restart the program in place ({ex.Message}); starting dlv again on {_session.ListenAddress}. Debugger clients must reattach.");
            return await StartAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlySet<int>> WaitReadyAsync(CancellationToken cancellationToken)
    {
        var session = _current!;
        // dlv itself listens on its API port; only the debuggee's own ports say the program is up.
        var ports = await Readiness.WaitAsync(() => ProcessTable.Descendants(session.ProcessId), session.Completion, _settings.ReadyTimeout, _host.Time, cancellationToken, _lastPorts).ConfigureAwait(false);
        if (ports.Count > 0) _lastPorts = ports;
        return ports;
    }

    /// <summary>Stops dlv and its debuggee and returns once both are gone and the program's ports are free for the next start.</summary>
    private async Task StopAsync()
    {
        if (_current is not { } session) return;
        var tree = ProcessIds;
        _current = null;
        await session.DisposeAsync().ConfigureAwait(false);
        // A process killed with its tree dies a moment after the kill returns; its listeners close only then.
        if (!await ProcessTable.GoneAsync(tree, StopTimeout, _host.Time, CancellationToken.None).ConfigureAwait(false)
            || !await ProcessTable.PortsReleasedAsync(_lastPorts, StopTimeout, _host.Time, CancellationToken.None).ConfigureAwait(false))
        {
            _host.Log.Warning($"dlv or the program (pids {string.Join(", ", tree)}) still runs or holds port(s) {string.Join(", ", _lastPorts)} {StopTimeout.TotalSeconds:0} s after it was stopped.");
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
