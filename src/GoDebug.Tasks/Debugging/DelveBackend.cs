using System.Text.Json.Nodes;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// One dlv on a private loopback port with the program it runs, started stopped at the entry point so breakpoints
/// can be set before any of the program's code runs; <see cref="ContinueAsync"/> starts it.
/// </summary>
internal sealed class DelveBackend : IAsyncDisposable
{
    private static readonly TimeSpan RpcTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _life = new();
    private readonly TaskCompletionSource<int> _programExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DelveBackend(DelveSession session, int programId, string program)
    {
        Session = session;
        ProgramId = programId;
        Program = program;
    }

    public DelveSession Session { get; }

    /// <summary>The debuggee's pid, from dlv's state at the entry point: what is left to end when dlv dies.</summary>
    public int ProgramId { get; }

    /// <summary>The binary dlv runs.</summary>
    public string Program { get; }

    /// <summary>Completes with the program's exit status when a continue answered that it exited.</summary>
    public Task<int> ProgramExited => _programExited.Task;

    public static async Task<DelveBackend> StartAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        var session = await DelveSession.StartPrivateAsync(settings with { Continue = false }, dlv, host, cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RpcTimeout);
            await using var rpc = await DelveRpcClient.ConnectAsync(session.Endpoint.Address.ToString(), session.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            var state = await rpc.StateAsync(nonBlocking: true, timeout.Token).ConfigureAwait(false);
            var pid = state["Pid"]?.GetValue<int>() ?? 0;
            return new DelveBackend(session, pid, Path.GetFullPath(settings.Program));
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets the ledger's breakpoints in this (stopped) dlv; returns the ones the new build has no place for.</summary>
    public async Task<IReadOnlyList<string>> CopyBreakpointsAsync(BreakpointLedger ledger, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        var rpcBreakpoints = ledger.RpcBreakpoints();
        var dapRequests = ledger.DapRequests();
        if (rpcBreakpoints.Count == 0 && dapRequests.Count == 0) return dropped;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RpcTimeout);
        if (rpcBreakpoints.Count > 0)
        {
            await using var rpc = await DelveRpcClient.ConnectAsync(Session.Endpoint.Address.ToString(), Session.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            foreach (var breakpoint in rpcBreakpoints)
            {
                try
                {
                    await rpc.CallAsync("CreateBreakpoint", new JsonObject { ["Breakpoint"] = breakpoint }, timeout.Token).ConfigureAwait(false);
                }
                catch (GoDebugException ex)
                {
                    dropped.Add($"{breakpoint["file"]}:{breakpoint["line"]} ({ex.Message})");
                }
            }
        }

        if (dapRequests.Count > 0) dropped.AddRange(await DapBreakpoints.SetAsync(Session.Endpoint, dapRequests, timeout.Token).ConfigureAwait(false));
        return dropped;
    }

    /// <summary>
    /// Resumes the program and returns dlv's answer, which comes at its next stop (a breakpoint, a halt, its exit); an
    /// answer saying it exited completes <see cref="ProgramExited"/>. Cancelled when the backend is stopped.
    /// </summary>
    public async Task<JsonNode?> ContinueAsync()
    {
        var token = _life.Token;
        await using var rpc = await DelveRpcClient.ConnectAsync(Session.Endpoint.Address.ToString(), Session.Endpoint.Port, token).ConfigureAwait(false);
        while (true)
        {
            var answer = await rpc.CommandAsync("continue", token).ConfigureAwait(false);
            var state = answer?["State"];
            if (state?["exited"]?.GetValue<bool>() == true) _programExited.TrySetResult(state["exitStatus"]?.GetValue<int>() ?? 0);
            // dlv stops a program at an unrecovered panic (-1) or fatal throw (-2) before the runtime prints it; one that does
            // so while starting is let go on, so that it exits and its message can be shown instead of hanging unready.
            if (Ready || state?["currentThread"]?["breakPoint"]?["id"]?.GetValue<int>() is not (-1 or -2)) return answer;
        }
    }

    /// <summary>Set once the program listened (or counted as ready): from then on a panic stops it for the debugger.</summary>
    public bool Ready { get; set; }

    /// <summary>Whether the program is stopped (halted, at a breakpoint) rather than running or gone.</summary>
    public async Task<bool> IsHaltedAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _life.Token);
        timeout.CancelAfter(RpcTimeout);
        await using var rpc = await DelveRpcClient.ConnectAsync(Session.Endpoint.Address.ToString(), Session.Endpoint.Port, timeout.Token).ConfigureAwait(false);
        var state = await rpc.StateAsync(nonBlocking: true, timeout.Token).ConfigureAwait(false);
        return state["Running"]?.GetValue<bool>() == false && state["exited"]?.GetValue<bool>() != true;
    }

    /// <summary>
    /// Completes when dlv itself exits, true when that was not our doing. A killed dlv's debuggee keeps dlv's output
    /// pipes open, so the session's completion (which waits for them) comes only once that orphan is ended too.
    /// </summary>
    public async Task<bool> DelveExitedAsync()
    {
        try
        {
            using var dlv = System.Diagnostics.Process.GetProcessById(Session.ProcessId);
            await dlv.WaitForExitAsync(_life.Token).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return !_life.IsCancellationRequested;
    }

    /// <summary>Kills dlv and the program (the whole tree) and returns when dlv has exited.</summary>
    public async Task KillAsync()
    {
        await _life.CancelAsync().ConfigureAwait(false);
        await Session.KillAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        await Session.DisposeAsync().ConfigureAwait(false);
        _life.Dispose();
    }
}
