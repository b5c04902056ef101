using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// The address debugger clients attach to (<see cref="DelveSessionSettings.ListenAddress"/>), owned by us, with dlv on a private loopback port
/// behind it. Each connection is told apart by its first bytes as dlv does (DAP begins with <c>Content-Length:</c>,
/// dlv's JSON-RPC is bare JSON objects) and relayed message by message, so a reload can put a new dlv behind the
/// same address: JSON-RPC clients keep their connection (requests in flight are sent again, a blocked
/// <c>continue</c> is answered by the new process's next stop); DAP clients are asked to restart their session
/// (see <see cref="DapRelay"/>). A client never ends dlv or the program: Detach and DAP's terminateDebuggee are
/// answered here.
/// </summary>
internal sealed class DebugEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly GoDebugHost _host;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly HashSet<IClientRelay> _relays = [];
    private readonly HashSet<Task> _connections = [];
    private readonly Task _accepting;
    private IPEndPoint? _upstream;
    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DebugEndpoint(TcpListener listener, GoDebugHost host, TimeSpan partialMessageTimeout)
    {
        _listener = listener;
        _host = host;
        PartialMessageTimeout = partialMessageTimeout;
        Address = (IPEndPoint)listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    /// <summary>The address clients attach to.</summary>
    public IPEndPoint Address { get; }

    /// <summary>Every breakpoint set through this endpoint, for the next dlv.</summary>
    public BreakpointLedger Breakpoints { get; } = new();

    /// <summary>How long a client may leave a message half sent before its connection is closed.</summary>
    public TimeSpan PartialMessageTimeout { get; }

    /// <summary>Called (without awaiting the caller) when the last client has gone; the program may be left halted.</summary>
    public Func<Task>? LastClientLeft { get; set; }

    public int ClientCount
    {
        get
        {
            lock (_gate) return _relays.Count;
        }
    }

    internal GoDebugHost Host => _host;

    /// <summary>Listens on <paramref name="address"/> (host:port; a non-loopback host only with <paramref name="allowRemote"/>).</summary>
    public static DebugEndpoint Open(string address, bool allowRemote, GoDebugHost host, TimeSpan? partialMessageTimeout = null)
    {
        var endpoint = DelveSession.ParseListenAddress(address, allowRemote);
        var listener = new TcpListener(endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new GoDebugException($"Port {endpoint.Port} on {endpoint.Address} is already in use; stop what listens there or choose another address.", FixHint.Set(GoSetting.DlvListen, $"{endpoint.Address}:PORT"), ex);
        }

        return new DebugEndpoint(listener, host, partialMessageTimeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Puts the first dlv behind the endpoint.</summary>
    public void Serve(IPEndPoint upstream)
    {
        lock (_gate)
        {
            _upstream = upstream;
            _open.TrySetResult();
        }
    }

    /// <summary>
    /// Holds every client's new requests until <see cref="CompleteSwapAsync"/> and ends DAP sessions with
    /// <c>terminated {restart}</c>, so no client talks to the dlv about to be stopped.
    /// </summary>
    public void BeginSwap()
    {
        List<IClientRelay> relays;
        lock (_gate)
        {
            if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            relays = [.. _relays];
        }

        foreach (var relay in relays) relay.OnSwapStarted();
    }

    /// <summary>
    /// Points the endpoint at the new dlv: JSON-RPC clients get a connection to it with their unanswered requests sent
    /// again, blocked resume commands answered by <paramref name="nextStop"/> (the answer to the continue that started
    /// the new program); then held requests flow again.
    /// </summary>
    public async Task CompleteSwapAsync(IPEndPoint? upstream, Task<JsonNode?> nextStop, CancellationToken cancellationToken)
    {
        List<IClientRelay> relays;
        lock (_gate)
        {
            _upstream = upstream;
            relays = [.. _relays];
        }

        // With no dlv (the first one failed to start) clients wait for the next one.
        if (upstream is null) return;
        foreach (var relay in relays) await relay.OnSwapCompletedAsync(upstream, nextStop, cancellationToken).ConfigureAwait(false);
        lock (_gate) _open.TrySetResult();
    }

    /// <summary>The dlv to talk to, waiting while a swap is under way.</summary>
    internal async Task<IPEndPoint> UpstreamAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task open;
            lock (_gate)
            {
                if (_open.Task.IsCompleted && _upstream is { } upstream) return upstream;
                open = _open.Task;
            }

            await open.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when no swap is under way.</summary>
    internal Task WhenOpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _open.Task.WaitAsync(cancellationToken);
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = ServeClientAsync(socket);
            lock (_gate) _connections.Add(connection);
            _ = connection.ContinueWith(
                t =>
                {
                    lock (_gate) _connections.Remove(t);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeClientAsync(Socket socket)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "a client";
        IClientRelay? relay = null;
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var reader = new MessageReader(stream, PartialMessageTimeout);
                var protocol = await reader.DetectAsync(_closing.Token).ConfigureAwait(false);
                if (protocol is null) return;
                relay = protocol == ClientProtocol.Dap ? new DapRelay(this, stream, reader) : new RpcRelay(this, stream, reader);
                lock (_gate) _relays.Add(relay);
                _host.Log.Verbose($"Debugger client {peer} attached ({protocol}).");
                await relay.RunAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (ProtocolViolationException ex)
            {
                _host.Log.Warning($"{DebugCodes.ClientProtocolError}: closed the connection of debugger client {peer}: {ex.Message}.");
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // System.Text.Json's GetValue on a field of another type (a number where a string belongs).
                _host.Log.Warning($"{DebugCodes.ClientProtocolError}: closed the connection of debugger client {peer}: a message field of the wrong type ({ex.Message}).");
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away, or we are closing.
            }
            finally
            {
                if (relay is not null) await relay.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (relay is null) return;
        bool last;
        lock (_gate)
        {
            _relays.Remove(relay);
            last = _relays.Count == 0 && !_closing.IsCancellationRequested;
        }

        _host.Log.Verbose($"Debugger client {peer} detached.");
        if (last && LastClientLeft is { } left) await left().ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes every client connection; returns once they are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        List<IClientRelay> relays;
        Task[] connections;
        lock (_gate)
        {
            relays = [.. _relays];
            connections = [.. _connections];
            _open.TrySetCanceled();
        }

        foreach (var relay in relays) await relay.DisposeAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(connections).ConfigureAwait(false);
        _listener.Dispose();
        _closing.Dispose();
    }
}

/// <summary>One client's connection, relayed to the current dlv.</summary>
internal interface IClientRelay : IAsyncDisposable
{
    Task RunAsync(CancellationToken cancellationToken);

    void OnSwapStarted();

    Task OnSwapCompletedAsync(IPEndPoint upstream, Task<JsonNode?> nextStop, CancellationToken cancellationToken);
}
