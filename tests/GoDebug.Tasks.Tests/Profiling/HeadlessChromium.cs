using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// Debian's chromium driven over the DevTools protocol (a WebSocket, no browser download, no node): open a
/// page, collect console errors and exceptions, evaluate checks, take a screenshot. Disposing ends the browser
/// process tree and removes its fresh profile folder.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly CancellationTokenSource _stop;
    private readonly Task<ProcessResult> _browser;
    private readonly TempDir _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _errors = [];
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reader;
    private int _nextId;

    private HeadlessChromium(CancellationTokenSource stop, Task<ProcessResult> browser, TempDir profile)
    {
        _stop = stop;
        _browser = browser;
        _profile = profile;
    }

    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return _errors.ToArray(); }
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Executable)) throw new AssertionException($"{Executable} is missing: apt-get install chromium (the .ci/run packages).");
        var profile = new TempDir("chromium");
        var stop = new CancellationTokenSource();
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = new ProcessSpec(Executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile.Path}", "--remote-debugging-port=0", "--window-size=1400,1800", "about:blank",
        ])
        {
            OnStandardError = line =>
            {
                const string marker = "DevTools listening on ";
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0) endpoint.TrySetResult(line[(at + marker.Length)..].Trim());
            },
        };
        var browser = ProcessRunner.Default.RunAsync(spec, stop.Token);
        var chromium = new HeadlessChromium(stop, browser, profile);
        try
        {
            var ready = await Task.WhenAny(endpoint.Task, browser, Task.Delay(TimeSpan.FromSeconds(30)));
            if (ready != endpoint.Task) throw new AssertionException("chromium did not print its DevTools endpoint within 30 s.");
            var browserWs = new Uri(await endpoint.Task);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://{browserWs.Authority}/json/list"))!.AsArray();
            var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
            await chromium._socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
            chromium._reader = chromium.ReadAsync();
            await chromium.SendAsync("Runtime.enable");
            await chromium.SendAsync("Log.enable");
            await chromium.SendAsync("Page.enable");
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    public async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (await Task.WhenAny(_loaded.Task, Task.Delay(TimeSpan.FromSeconds(30))) != _loaded.Task) throw new AssertionException($"{url} did not finish loading within 30 s.");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } ex) throw new AssertionException($"evaluate threw: {ex.ToJsonString()}");
        return result["result"]?["value"];
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        if (await Task.WhenAny(reply.Task, Task.Delay(TimeSpan.FromSeconds(30))) != reply.Task) throw new AssertionException($"DevTools did not answer {method} within 30 s.");
        return await reply.Task;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                Dispatch(node);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private void Dispatch(JsonNode node)
    {
        if (node["id"] is { } idNode)
        {
            TaskCompletionSource<JsonNode>? reply;
            lock (_pending) _pending.Remove(idNode.GetValue<int>(), out reply);
            if (node["error"] is { } error) reply?.TrySetException(new AssertionException($"DevTools error: {error.ToJsonString()}"));
            else reply?.TrySetResult(node["result"] ?? new JsonObject());
            return;
        }

        var method = node["method"]?.GetValue<string>();
        var p = node["params"];
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.exceptionThrown":
                lock (_errors) _errors.Add("exception: " + p?["exceptionDetails"]?.ToJsonString());
                break;
            case "Runtime.consoleAPICalled" when (p?["type"]?.GetValue<string>() is "error" or "assert"):
                lock (_errors) _errors.Add("console: " + p?["args"]?.ToJsonString());
                break;
            case "Log.entryAdded" when (p?["entry"]?["level"]?.GetValue<string>() == "error"):
                lock (_errors) _errors.Add("log: " + p?["entry"]?["text"]?.GetValue<string>());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _browser;
        }
        catch (OperationCanceledException)
        {
        }

        if (_reader is not null) await _reader;
        _socket.Dispose();
        _stop.Dispose();
        _profile.Dispose();
    }

    public static string Json(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
}
