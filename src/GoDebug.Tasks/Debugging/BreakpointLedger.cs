using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// Every breakpoint the clients set, as the endpoint saw it go by, so a new dlv can be given them all. dlv lists its
/// breakpoints only while the target is stopped (the list takes the lock a running <c>continue</c> holds), and halting
/// the old program to ask would cost its first stop (hundreds of ms: libc's debug info is read then) and stop it
/// serving; watching the traffic costs nothing. JSON-RPC breakpoints are kept as dlv answered them (conditions, hit
/// conditions, tracepoints, the variables they load) and recreated with their ids, so a client's <c>clear 3</c> still
/// means the same one. DAP clients name theirs with dlv's <c>sourceBp</c>/<c>funcBp</c> names, which JSON-RPC refuses;
/// their last request per source is kept and replayed over DAP, which also carries logpoints' messages.
/// </summary>
internal sealed class BreakpointLedger
{
    private static readonly string[] DapNamePrefixes = ["sourceBp ", "funcBp ", "instructionBreakpoint"];

    /// <summary>Fields of dlv's answer that describe where and what a breakpoint was in the old process, not what the user asked for.</summary>
    private static readonly string[] ProcessFields = ["addr", "addrs", "addrpid", "hitCount", "totalHitCount", "functionName", "VerboseDescr"];

    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, JsonObject> _rpc = [];
    private readonly Dictionary<string, JsonObject> _dapSources = new(StringComparer.Ordinal);
    private JsonObject? _dapFunctions;

    /// <summary>Learns from a JSON-RPC request that dlv answered without an error.</summary>
    public void OnRpcAnswer(string method, JsonNode? arguments, JsonNode? result)
    {
        lock (_gate)
        {
            switch (method)
            {
                case "RPCServer.CreateBreakpoint":
                case "RPCServer.ToggleBreakpoint":
                    Keep(result?["Breakpoint"] as JsonObject);
                    break;
                case "RPCServer.AmendBreakpoint":
                    Keep(arguments?["Breakpoint"] as JsonObject);
                    break;
                case "RPCServer.ClearBreakpoint":
                    if (result?["Breakpoint"]?["id"]?.GetValue<int>() is { } cleared) _rpc.Remove(cleared);
                    break;
                case "RPCServer.ListBreakpoints":
                    if (result?["Breakpoints"] is not JsonArray all || arguments?["All"]?.GetValue<bool>() == true) break;
                    _rpc.Clear();
                    foreach (var breakpoint in all.OfType<JsonObject>()) Keep(breakpoint);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Learns from a DAP request a client sent; setBreakpoints replaces that source's set, as dlv's DAP server does.</summary>
    public void OnDapRequest(string command, JsonObject? arguments)
    {
        if (arguments is null) return;
        lock (_gate)
        {
            if (command == "setBreakpoints" && arguments["source"]?["path"]?.GetValue<string>() is { } path)
            {
                if (arguments["breakpoints"] is JsonArray { Count: > 0 }) _dapSources[path] = (JsonObject)arguments.DeepClone();
                else _dapSources.Remove(path);
            }
            else if (command == "setFunctionBreakpoints")
            {
                _dapFunctions = arguments["breakpoints"] is JsonArray { Count: > 0 } ? (JsonObject)arguments.DeepClone() : null;
            }
        }
    }

    /// <summary>The JSON-RPC breakpoints as CreateBreakpoint arguments, in id order (dlv's id counter then ends past the last).</summary>
    public IReadOnlyList<JsonObject> RpcBreakpoints()
    {
        lock (_gate)
        {
            return _rpc.Values.Select(b =>
            {
                var copy = (JsonObject)b.DeepClone();
                foreach (var field in ProcessFields) copy.Remove(field);
                return copy;
            }).ToList();
        }
    }

    /// <summary>The DAP requests to replay: (command, arguments).</summary>
    public IReadOnlyList<(string Command, JsonObject Arguments)> DapRequests()
    {
        lock (_gate)
        {
            var requests = _dapSources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => ("setBreakpoints", (JsonObject)s.Value.DeepClone())).ToList();
            if (_dapFunctions is not null) requests.Add(("setFunctionBreakpoints", (JsonObject)_dapFunctions.DeepClone()));
            return requests;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate) return _rpc.Count + _dapSources.Values.Sum(s => (s["breakpoints"] as JsonArray)?.Count ?? 0) + ((_dapFunctions?["breakpoints"] as JsonArray)?.Count ?? 0);
        }
    }

    private void Keep(JsonObject? breakpoint)
    {
        // dlv's own breakpoints (unrecovered panics -1, fatal throws -2) come back by themselves; DAP's are replayed over DAP.
        if (breakpoint?["id"]?.GetValue<int>() is not { } id || id <= 0) return;
        var name = breakpoint["name"]?.GetValue<string>() ?? string.Empty;
        if (DapNamePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) return;
        // A watchpoint watches an address of the old process; dlv's own restart drops them too.
        if (breakpoint["WatchExpr"]?.GetValue<string>() is { Length: > 0 }) return;
        _rpc[id] = (JsonObject)breakpoint.DeepClone();
    }
}
