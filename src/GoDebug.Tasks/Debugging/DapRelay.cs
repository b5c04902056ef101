using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// A DAP client (VS Code's dlv-dap) relayed to the current dlv's DAP server.
/// <para>
/// At a swap the client is sent <c>terminated {restart: true}</c> and its session ends; VS Code then disconnects, attaches
/// again (with <c>__restart</c>) and re-sends every breakpoint on <c>initialized</c>, to the new dlv. The other design,
/// keeping the client's connection and replaying initialize/attach/setBreakpoints on a new upstream session with seq
/// renumbered and <c>invalidated</c> sent, was not taken: a dlv DAP session's thread ids (goroutines), frame and
/// variable references and breakpoint ids belong to one process and one session, so every id the client holds would
/// need translating or forgetting, <c>invalidated</c> reaches only clients that declare support for it, and dlv's
/// remote <c>attach</c> halts the target, which a replay would have to hide. The restart is part of the protocol, VS
/// Code implements it, and the client rebuilds all its state from one consistent session.
/// </para>
/// <para>
/// So that VS Code's own Restart button does not kill the program, initialize's answer says
/// <c>supportsRestartRequest: false</c> (dlv 1.25.1 says true, and its restart of a <c>dlv exec</c> target kills the
/// program), a <c>restart</c> request is refused here, and every <c>disconnect</c> goes on with
/// <c>terminateDebuggee: false</c>: the program belongs to the Debug run, not to one client.
/// </para>
/// </summary>
internal sealed class DapRelay : IClientRelay
{
    private readonly DebugEndpoint _endpoint;
    private readonly NetworkStream _client;
    private readonly MessageReader _reader;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<long, string> _inflight = [];
    private readonly CancellationTokenSource _closed = new();
    private NetworkStream? _upstream;
    private Task _pump = Task.CompletedTask;
    private bool _detached;
    private bool _disconnecting;
    private long _seq = 100_000;

    public DapRelay(DebugEndpoint endpoint, NetworkStream client, MessageReader reader)
    {
        _endpoint = endpoint;
        _client = client;
        _reader = reader;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var token = linked.Token;
        var upstream = await _endpoint.UpstreamAsync(token).ConfigureAwait(false);
        var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(upstream, token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        lock (_gate)
        {
            _upstream = stream;
            _pump = PumpAsync(stream);
        }

        while (await _reader.ReadAsync(ClientProtocol.Dap, token).ConfigureAwait(false) is { } body)
        {
            var message = Messages.ParseObject(body, "DAP");
            if (message["type"]?.GetValue<string>() != "request")
            {
                await SendUpstreamAsync(body, token).ConfigureAwait(false);
                continue;
            }

            var seq = message["seq"]?.GetValue<long>() ?? throw new ProtocolViolationException("a DAP request without a seq");
            var command = message["command"]?.GetValue<string>() ?? throw new ProtocolViolationException("a DAP request without a command");
            bool detached;
            lock (_gate) detached = _detached;
            if (detached)
            {
                // The session ended with terminated {restart}: answer what the client still says, so it can close cleanly.
                await RespondAsync(seq, command, command == "disconnect" ? null : "the program was reloaded; this debug session has ended, attach again", token).ConfigureAwait(false);
                if (command == "disconnect") return;
                continue;
            }

            switch (command)
            {
                case "restart":
                    await RespondAsync(seq, command, "restart is not supported here: the program is rebuilt and reloaded on every save", token).ConfigureAwait(false);
                    continue;
                case "disconnect":
                    var arguments = message["arguments"] as JsonObject ?? new JsonObject();
                    arguments["terminateDebuggee"] = false;
                    message["arguments"] = arguments;
                    lock (_gate) _disconnecting = true;
                    body = Encoding.UTF8.GetBytes(message.ToJsonString());
                    break;
                case "setBreakpoints":
                case "setFunctionBreakpoints":
                    _endpoint.Breakpoints.OnDapRequest(command, message["arguments"] as JsonObject);
                    break;
                default:
                    break;
            }

            lock (_gate) _inflight[seq] = command;
            await SendUpstreamAsync(body, token).ConfigureAwait(false);
        }
    }

    public void OnSwapStarted() => _ = EndSessionAsync();

    public Task OnSwapCompletedAsync(IPEndPoint upstream, Task<JsonNode?> nextStop, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Fails what the old dlv will not answer, closes that upstream session and asks the client to restart its own.</summary>
    private async Task EndSessionAsync()
    {
        NetworkStream? upstream;
        List<KeyValuePair<long, string>> unanswered;
        lock (_gate)
        {
            if (_detached || _disconnecting) return;
            _detached = true;
            upstream = _upstream;
            _upstream = null;
            unanswered = [.. _inflight];
            _inflight.Clear();
        }

        upstream?.Dispose();
        try
        {
            foreach (var (seq, command) in unanswered) await RespondAsync(seq, command, "the program was reloaded before dlv answered", _closed.Token).ConfigureAwait(false);
            await WriteClientAsync(new JsonObject { ["seq"] = NextSeq(), ["type"] = "event", ["event"] = "terminated", ["body"] = new JsonObject { ["restart"] = true } }, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client is gone already.
        }
    }

    private async Task PumpAsync(NetworkStream stream)
    {
        await Task.Yield();
        var reader = new MessageReader(stream, TimeSpan.FromMinutes(1));
        try
        {
            while (await reader.ReadAsync(ClientProtocol.Dap, _closed.Token).ConfigureAwait(false) is { } body)
            {
                var message = JsonNode.Parse(body) as JsonObject;
                if (message is null) continue;
                lock (_gate)
                {
                    if (_upstream != stream) return;
                    if (message["seq"]?.GetValue<long>() is { } seq && seq >= _seq) _seq = seq + 1;
                    if (message["type"]?.GetValue<string>() == "response" && message["request_seq"]?.GetValue<long>() is { } answered) _inflight.Remove(answered);
                }

                if (AdvertisesRestart(message))
                {
                    await WriteClientAsync(message, _closed.Token).ConfigureAwait(false);
                    continue;
                }

                await WriteClientAsync(body, _closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or ProtocolViolationException or System.Text.Json.JsonException)
        {
            // Ended below.
        }

        bool disconnecting;
        lock (_gate)
        {
            if (_upstream != stream) return;
            disconnecting = _disconnecting;
        }

        if (disconnecting)
        {
            // dlv answered the client's disconnect and closed the session: so do we.
            await _closed.CancelAsync().ConfigureAwait(false);
            _client.Close();
        }
        else
        {
            // dlv went away on its own (it died): the client restarts its session and finds the dlv started in its place.
            await EndSessionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Turns supportsRestartRequest off in initialize's answer and capabilities events; true when it changed the message.</summary>
    private static bool AdvertisesRestart(JsonObject message)
    {
        var capabilities = message["type"]?.GetValue<string>() switch
        {
            "response" when message["command"]?.GetValue<string>() == "initialize" => message["body"] as JsonObject,
            "event" when message["event"]?.GetValue<string>() == "capabilities" => message["body"]?["capabilities"] as JsonObject,
            _ => null,
        };
        if (capabilities is null || capabilities["supportsRestartRequest"]?.GetValue<bool>() != true) return false;
        capabilities["supportsRestartRequest"] = false;
        return true;
    }

    private Task RespondAsync(long requestSeq, string command, string? error, CancellationToken cancellationToken)
    {
        var response = new JsonObject
        {
            ["seq"] = NextSeq(),
            ["type"] = "response",
            ["request_seq"] = requestSeq,
            ["success"] = error is null,
            ["command"] = command,
        };
        if (error is not null) response["message"] = error;
        return WriteClientAsync(response, cancellationToken);
    }

    private long NextSeq()
    {
        lock (_gate) return _seq++;
    }

    private async Task SendUpstreamAsync(byte[] body, CancellationToken cancellationToken)
    {
        NetworkStream? upstream;
        lock (_gate) upstream = _upstream;
        if (upstream is null) return;
        try
        {
            await upstream.WriteAsync(DapFraming.Frame(body), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // dlv is going away; the pump ends the session.
        }
    }

    private Task WriteClientAsync(JsonObject message, CancellationToken cancellationToken) => WriteClientAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), cancellationToken);

    private async Task WriteClientAsync(byte[] body, CancellationToken cancellationToken)
    {
        var framed = DapFraming.Frame(body);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        NetworkStream? upstream;
        Task pump;
        lock (_gate)
        {
            upstream = _upstream;
            _upstream = null;
            pump = _pump;
        }

        if (!_closed.IsCancellationRequested) await _closed.CancelAsync().ConfigureAwait(false);
        _client.Close();
        if (upstream is not null) await upstream.DisposeAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
    }
}
