using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// A JSON-RPC client (dlv connect, GoLand) relayed to the current dlv over a connection of its own. Requests are
/// remembered until answered, so a swap can send them to the new dlv; a resume command (<c>continue</c>, <c>next</c>
/// ...) still waiting is answered with the new program's next stop instead of being sent again, which would resume
/// it twice. <c>Detach</c> is answered here: in a multi-client dlv it would end dlv, and with Kill the program.
/// </summary>
internal sealed class RpcRelay : IClientRelay
{
    /// <summary>Command names that do not resume the target.</summary>
    private static readonly HashSet<string> StillCommands = new(StringComparer.Ordinal) { "halt", "switchThread", "switchGoroutine" };

    private readonly DebugEndpoint _endpoint;
    private readonly NetworkStream _client;
    private readonly MessageReader _reader;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<Pending> _inflight = [];
    private readonly CancellationTokenSource _closed = new();
    private Upstream? _upstream;

    public RpcRelay(DebugEndpoint endpoint, NetworkStream client, MessageReader reader)
    {
        _endpoint = endpoint;
        _client = client;
        _reader = reader;
    }

    private sealed record Pending(string Key, JsonNode? Id, string Method, JsonNode? Arguments, byte[] Raw)
    {
        public bool Resumes => Method == "RPCServer.Command" && Arguments?["name"]?.GetValue<string>() is { } name && !StillCommands.Contains(name);
    }

    private sealed record Upstream(NetworkStream Stream, Task Pump);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var token = linked.Token;
        await ConnectAsync(await _endpoint.UpstreamAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
        while (await _reader.ReadAsync(ClientProtocol.JsonRpc, token).ConfigureAwait(false) is { } raw)
        {
            var request = Messages.ParseObject(raw, "JSON-RPC");
            var method = request["method"]?.GetValue<string>() ?? throw new ProtocolViolationException("a JSON-RPC request without a method");
            var id = request["id"];
            var pending = new Pending(id?.ToJsonString() ?? string.Empty, id?.DeepClone(), method, (request["params"] as JsonArray)?.FirstOrDefault()?.DeepClone(), raw);
            if (method == "RPCServer.Detach")
            {
                await AnswerAsync(pending, new JsonObject(), null, token).ConfigureAwait(false);
                return;
            }

            await _endpoint.WhenOpenAsync(token).ConfigureAwait(false);
            NetworkStream? stream;
            lock (_gate)
            {
                if (id is not null) _inflight.Add(pending);
                stream = _upstream?.Stream;
            }

            await SendAsync(stream, raw, token).ConfigureAwait(false);
        }
    }

    public void OnSwapStarted()
    {
        // Requests wait at the endpoint's gate; the old dlv's answers still come back until it is stopped.
    }

    public async Task OnSwapCompletedAsync(IPEndPoint upstream, Task<JsonNode?> nextStop, CancellationToken cancellationToken)
    {
        Upstream? old;
        List<Pending> replay;
        lock (_gate)
        {
            old = _upstream;
            _upstream = null;
            replay = [.. _inflight];
        }

        if (old is not null) await old.Stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            _endpoint.Host.Log.Verbose($"A JSON-RPC client could not be connected to the new dlv: {ex.Message}");
            await _closed.CancelAsync().ConfigureAwait(false);
            return;
        }

        NetworkStream? stream;
        lock (_gate) stream = _upstream?.Stream;
        foreach (var pending in replay)
        {
            if (pending.Resumes) _ = AnswerAtStopAsync(pending, nextStop);
            else await SendAsync(stream, pending.Raw, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConnectAsync(IPEndPoint upstream, CancellationToken cancellationToken)
    {
        var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        lock (_gate) _upstream = new Upstream(stream, PumpAsync(stream));
    }

    /// <summary>dlv's answers to the client, noting breakpoint changes; ends quietly when that dlv goes away (a swap or a crash follows).</summary>
    private async Task PumpAsync(NetworkStream stream)
    {
        await Task.Yield();
        var reader = new MessageReader(stream, TimeSpan.FromMinutes(1));
        try
        {
            while (await reader.ReadAsync(ClientProtocol.JsonRpc, _closed.Token).ConfigureAwait(false) is { } raw)
            {
                var answer = JsonNode.Parse(raw) as JsonObject;
                var key = answer?["id"]?.ToJsonString() ?? string.Empty;
                Pending? pending;
                lock (_gate)
                {
                    if (_upstream?.Stream != stream) return;
                    pending = _inflight.FirstOrDefault(p => p.Key == key);
                    if (pending is not null) _inflight.Remove(pending);
                }

                // JSON null reads back as a missing node: no error.
                if (pending is not null && answer?["error"] is null)
                {
                    _endpoint.Breakpoints.OnRpcAnswer(pending.Method, pending.Arguments, answer?["result"]);
                }

                // dlv ends each answer with a newline, which clients reading lines rely on; the reader left it out.
                await WriteClientAsync([.. raw, (byte)'\n'], _closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or ProtocolViolationException or System.Text.Json.JsonException)
        {
            // That dlv went away (stopped for a swap, or it died: a new one is put behind the endpoint); the client stays.
        }
    }

    private async Task AnswerAtStopAsync(Pending pending, Task<JsonNode?> nextStop)
    {
        JsonNode? result = null;
        string? error = null;
        try
        {
            result = (await nextStop.ConfigureAwait(false))?.DeepClone();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = $"the program was reloaded and did not stop again: {ex.Message}";
        }

        lock (_gate)
        {
            if (!_inflight.Remove(pending)) return;
        }

        try
        {
            await AnswerAsync(pending, result, error, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client left meanwhile.
        }
    }

    private Task AnswerAsync(Pending pending, JsonNode? result, string? error, CancellationToken cancellationToken)
    {
        var answer = new JsonObject { ["id"] = pending.Id?.DeepClone(), ["result"] = result, ["error"] = error };
        return WriteClientAsync(Encoding.UTF8.GetBytes(answer.ToJsonString() + "\n"), cancellationToken);
    }

    private static async Task SendAsync(NetworkStream? stream, byte[] raw, CancellationToken cancellationToken)
    {
        if (stream is null) return;
        try
        {
            await stream.WriteAsync(raw, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // dlv is going away; the request stays in flight and goes to the next dlv.
        }
    }

    private async Task WriteClientAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Upstream? upstream;
        lock (_gate)
        {
            upstream = _upstream;
            _upstream = null;
        }

        if (!_closed.IsCancellationRequested) await _closed.CancelAsync().ConfigureAwait(false);
        _client.Close();
        if (upstream is not null)
        {
            await upstream.Stream.DisposeAsync().ConfigureAwait(false);
            await upstream.Pump.ConfigureAwait(false);
        }
    }
}
