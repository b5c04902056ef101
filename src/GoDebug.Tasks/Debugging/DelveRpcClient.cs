using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// A minimal client for Delve's JSON-RPC 2 API (<c>RPCServer.*</c>, newline-free JSON objects over
/// TCP). Used to prove a headless server is ready and to drive it from tests and later steps.
/// </summary>
internal sealed class DelveRpcClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _nextId;

    private DelveRpcClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    public static async Task<DelveRpcClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new DelveRpcClient(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Calls <c>RPCServer.{method}</c> with one argument object and returns its result.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonObject? arguments, CancellationToken cancellationToken)
        => await ExchangeAsync(method, arguments, cancellationToken).ConfigureAwait(false) is { } response
            ? response["result"]
            : throw new GoDebugException($"dlv closed the connection during {method}.");

    /// <summary>Sends one request; the response object, or null when dlv closed the connection instead of answering.</summary>
    private async Task<JsonObject?> ExchangeAsync(string method, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["method"] = "RPCServer." + method,
            ["params"] = new JsonArray(arguments ?? new JsonObject()),
            ["id"] = id,
        };
        var bytes = Encoding.UTF8.GetBytes(request.ToJsonString());
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

        // Go's jsonrpc codec writes one JSON value per response followed by a newline.
        var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null) return null;
        var response = JsonNode.Parse(line) as JsonObject
            ?? throw new GoDebugException($"dlv sent a response that is not a JSON object to {method}: {line}");
        if (response["error"] is JsonNode error && error.GetValueKind() != JsonValueKind.Null)
        {
            throw new GoDebugException($"dlv {method} failed: {error}");
        }

        return response;
    }

    /// <summary>Delve's version and API version, e.g. ("Version: 1.20.2 ...", 2).</summary>
    public async Task<(string DelveVersion, int ApiVersion)> GetVersionAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetVersion", null, cancellationToken).ConfigureAwait(false);
        return (result?["DelveVersion"]?.GetValue<string>() ?? string.Empty, result?["APIVersion"]?.GetValue<int>() ?? 0);
    }

    /// <summary>
    /// Sends <c>Command {name}</c> and returns the debugger state it answers with. <c>halt</c> answers at
    /// once; <c>continue</c> answers only when the target stops again (see <see cref="SendAsync"/>).
    /// </summary>
    public Task<JsonNode?> CommandAsync(string name, CancellationToken cancellationToken)
        => CallAsync("Command", new JsonObject { ["name"] = name }, cancellationToken);

    /// <summary>
    /// Sends a request without waiting for its answer: a <c>continue</c> answers only at the next stop,
    /// which may be never. Use a connection that is closed afterwards, since the answer arrives later.
    /// </summary>
    public async Task SendAsync(string method, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["method"] = "RPCServer." + method,
            ["params"] = new JsonArray(arguments ?? new JsonObject()),
            ["id"] = Interlocked.Increment(ref _nextId),
        };
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Relaunches the target from the binary at the path dlv was started with (rebuild=false: we built it);
    /// the breakpoints dlv could not set again in the new binary come back, empty when all were kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestartAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync("Restart", new JsonObject { ["Rebuild"] = false }, cancellationToken).ConfigureAwait(false);
        return result?["DiscardedBreakpoints"] is JsonArray discarded
            ? discarded.Select(d => $"{d?["breakpoint"]?["file"]}:{d?["breakpoint"]?["line"]}: {d?["reason"]}").ToList()
            : [];
    }

    /// <summary>The debugger state; non-blocking answers even while the target runs.</summary>
    public async Task<JsonObject> StateAsync(bool nonBlocking, CancellationToken cancellationToken)
        => await CallAsync("State", new JsonObject { ["NonBlocking"] = nonBlocking }, cancellationToken).ConfigureAwait(false) is { } result
           && result["State"] is JsonObject state
            ? state
            : throw new GoDebugException("dlv answered State without a state.");

    /// <summary>Sets a breakpoint at <paramref name="file"/>:<paramref name="line"/> (the target must be stopped) and returns its id.</summary>
    public async Task<int> CreateBreakpointAsync(string file, int line, CancellationToken cancellationToken)
    {
        var result = await CallAsync("CreateBreakpoint", new JsonObject { ["Breakpoint"] = new JsonObject { ["file"] = file, ["line"] = line } }, cancellationToken).ConfigureAwait(false);
        return result?["Breakpoint"]?["id"]?.GetValue<int>() ?? throw new GoDebugException($"dlv set no breakpoint at {file}:{line}.");
    }

    /// <summary>Ends the debug session; with <paramref name="kill"/> dlv kills the debuggee and exits.</summary>
    public async Task DetachAsync(bool kill, CancellationToken cancellationToken)
    {
        // No response is fine too: dlv may exit before it answers a Detach, which is the outcome we asked for.
        await ExchangeAsync("Detach", new JsonObject { ["Kill"] = kill }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}
