using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// Sets DAP clients' breakpoints in a new dlv through a short DAP session of our own (initialize, remote attach, the
/// clients' setBreakpoints requests, disconnect without ending anything), so they carry dlv's DAP names: when the
/// client attaches again, its own setBreakpoints finds and amends them instead of failing on "breakpoint exists".
/// The target is stopped at its entry point, so attach's halt costs nothing.
/// </summary>
internal static class DapBreakpoints
{
    public static async Task<IReadOnlyList<string>> SetAsync(IPEndPoint dlv, IReadOnlyList<(string Command, JsonObject Arguments)> requests, CancellationToken cancellationToken)
    {
        using var socket = new Socket(dlv.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(dlv, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new MessageReader(stream, TimeSpan.FromSeconds(30));
        var seq = 0;

        async Task<JsonObject> CallAsync(string command, JsonObject arguments)
        {
            var mine = ++seq;
            var request = new JsonObject { ["seq"] = mine, ["type"] = "request", ["command"] = command, ["arguments"] = arguments };
            await stream.WriteAsync(DapFraming.Frame(Encoding.UTF8.GetBytes(request.ToJsonString())), cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(ClientProtocol.Dap, cancellationToken).ConfigureAwait(false) is { } body)
            {
                if (JsonNode.Parse(body) is JsonObject { } message && message["type"]?.GetValue<string>() == "response" && message["request_seq"]?.GetValue<int>() == mine)
                {
                    return message;
                }
            }

            throw new IOException($"dlv closed the DAP connection before answering {command}");
        }

        var dropped = new List<string>();
        await CallAsync("initialize", new JsonObject { ["adapterID"] = "go", ["clientID"] = "godebug-tasks", ["linesStartAt1"] = true, ["columnsStartAt1"] = true, ["pathFormat"] = "path" }).ConfigureAwait(false);
        var attach = await CallAsync("attach", new JsonObject { ["request"] = "attach", ["mode"] = "remote" }).ConfigureAwait(false);
        if (attach["success"]?.GetValue<bool>() != true) return [$"DAP breakpoints ({attach["message"]})"];
        foreach (var (command, arguments) in requests)
        {
            var answer = await CallAsync(command, arguments).ConfigureAwait(false);
            var asked = arguments["breakpoints"] as JsonArray ?? [];
            var got = answer["body"]?["breakpoints"] as JsonArray ?? [];
            for (var i = 0; i < asked.Count; i++)
            {
                if (i < got.Count && got[i]?["verified"]?.GetValue<bool>() == true) continue;
                var where = command == "setBreakpoints" ? $"{arguments["source"]?["path"]}:{asked[i]?["line"]}" : $"{asked[i]?["name"]}";
                dropped.Add($"{where} ({got.ElementAtOrDefault(i)?["message"] ?? answer["message"]})");
            }
        }

        await CallAsync("disconnect", new JsonObject { ["terminateDebuggee"] = false }).ConfigureAwait(false);
        return dropped;
    }
}
