using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Tests.Watching;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Debugging;

/// <summary>
/// Real clients through the endpoint: VS Code's DAP behaviour (npm's @vscode/debugadapter-testsupport DebugClient,
/// driven by dap-client.mjs), a scripted <c>dlv connect</c> and our JSON-RPC client, at the same time and across a reload.
/// </summary>
[NonParallelizable]
public class DebugEndpointTests
{
    private const string Install = "npm install --no-save --prefix artifacts/dap-client @vscode/debugadapter-testsupport@1.68.0";

    private static Task<WatchRun> StartAsync(DelveResult dlv, int endpointPort)
        => WatchRun.StartAsync(program: (settings, host) => new DelveProgram(settings, new DelveSessionSettings { ListenAddress = $"127.0.0.1:{endpointPort}" }, dlv, host));

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task A_vscode_session_survives_a_reload_beside_a_json_rpc_client_and_neither_restart_nor_stop_kills_the_program(string which)
    {
        var modules = Path.Combine(RepoPaths.Root, "artifacts", "dap-client", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@vscode", "debugadapter-testsupport"))) Assert.Fail($"The DAP test client is not installed in {modules}; run '{Install}' in {RepoPaths.Root} (.ci/run does).");
        var node = PathSearch.OnPath("node").FirstOrDefault(File.Exists) ?? throw new AssertionException("node is not on PATH; install Node.js to run the DAP client.");
        var dlv = await RealTools.DelveAsync(which);
        var port = Ports.Free();
        await using var run = await StartAsync(dlv, port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var rpc = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
        await rpc.GetVersionAsync(timeout.Token);

        var greetGo = Path.Combine(run.Workspace, "module-a", "greet.go");
        var script = Path.Combine(RepoPaths.Root, "tests", "GoDebug.Tasks.Tests", "Debugging", "dap-client.mjs");
        var result = await Cli.Wrap(node).WithArguments([script, modules, port.ToString(System.Globalization.CultureInfo.InvariantCulture), run.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture), greetGo, "8"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(timeout.Token);
        var context = $"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}\nlog:\n{run.Log.Text}";
        Assert.That(result.ExitCode, Is.Zero, context);
        var seen = JsonNode.Parse(result.StandardOutput.Trim().Split('\n')[^1]) as JsonObject;

        Assert.That(seen!["supportsRestartRequest"]?.GetValue<bool>(), Is.False, "VS Code must not send restart, which kills a dlv exec target");
        foreach (var (phase, greeting) in new[] { ("before", "hello, w"), ("after", "hi, w") })
        {
            var stop = seen[phase]!;
            Assert.That((string?)stop["reason"], Is.EqualTo("breakpoint"), phase + context);
            Assert.That(stop["threads"]!.GetValue<int>(), Is.Positive, phase);
            Assert.That((string?)stop["top"], Does.EndWith("Hello"), phase);
            Assert.That((int?)stop["topLine"], Is.EqualTo(8), phase);
            Assert.That((string?)stop["locals"]?["name"], Does.Contain("w"), phase + ": variables of the stopped frame");
            Assert.That(((string?)stop["nextReason"], (int?)stop["nextLine"]), Is.EqualTo(("step", 9)), phase + ": next");
            Assert.That((string?)stop["answer"], Is.EqualTo(greeting), phase + ": continue lets the request finish");
        }

        Assert.That(seen["verifiedAfter"]!.AsArray().Select(v => v!.GetValue<bool>()), Is.EqualTo(new[] { true }), "the breakpoint re-sent after the reload is verified");
        Assert.That(seen["seen"]!["restarts"]![0]!["restart"]?.GetValue<bool>(), Is.True, "the reload asked VS Code to restart its session");
        Assert.That((string?)seen["afterRestartButton"], Is.EqualTo("hi, x"), "the Restart button left the program running");
        Assert.That((string?)seen["afterStop"], Is.EqualTo("hi, y"), "disconnecting with terminateDebuggee left the program running");
        Assert.That(run.Loop.ReadyCount, Is.EqualTo(2), "one start and one reload: no client restarted or ended the program");
        Assert.That(run.Log.Text, Does.Not.Contain(DebugCodes.DelveDied));

        var state = await rpc.StateAsync(nonBlocking: true, timeout.Token);
        Assert.That(state["Running"]?.GetValue<bool>(), Is.True, "the JSON-RPC connection opened before everything still answers, and the program runs");
        run.NoteProcesses();
        await run.StopAsync();
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Ports.Accepts(port), Is.False);
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
    }

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task A_scripted_dlv_connect_stops_at_its_breakpoint_and_quitting_it_leaves_the_program_running(string which)
    {
        var dlv = await RealTools.DelveAsync(which);
        var port = Ports.Free();
        await using var run = await StartAsync(dlv, port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var rpc = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
        var greetGo = Path.Combine(run.Workspace, "module-a", "greet.go");
        var init = run.Write("dlv-init.txt", $"break {greetGo}:8\ncontinue\nprint name\nclear 1\nquit -c\n");

        var set = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        void Line(string line)
        {
            lock (output) output.AppendLine(line);
            if (line.Contains("Breakpoint 1 set at", StringComparison.Ordinal)) set.TrySetResult();
        }

        var connect = ProcessRunner.Default.RunAsync(new ProcessSpec(dlv.DlvExecutable, ["connect", $"127.0.0.1:{port}", "--init", init]) { OnStandardOutput = Line, OnStandardError = Line }, timeout.Token);
        await Task.WhenAny(set.Task, connect).WaitAsync(timeout.Token);
        Assert.That(set.Task.IsCompleted, Is.True, "dlv connect set its breakpoint:\n" + output);
        var answer = run.HelloAsync("dc");
        var exited = await connect;
        Assert.That(exited.ExitCode, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("greet.go:8").And.Contain("\"dc\""), "stopped at the breakpoint and printed the argument");
        Assert.That(await answer.WaitAsync(timeout.Token), Is.EqualTo("hello, dc"), "quit -c continued the program");
        Assert.That(await run.HelloAsync("after"), Is.EqualTo("hello, after"), "dlv connect's exit ended neither dlv nor the program");
        Assert.That((await rpc.GetVersionAsync(timeout.Token)).ApiVersion, Is.EqualTo(2), "the other client is undisturbed");

        // The last client halts the program and goes: it must not stay frozen.
        await rpc.CommandAsync("halt", timeout.Token);
        await rpc.DisposeAsync();
        Assert.That(await run.HelloAsync("resumed"), Is.EqualTo("hello, resumed"), "the program left halted by the last client was continued");
        Assert.That(run.Log.Text, Does.Contain("The last debugger client left the program halted; continuing it."));
        await run.StopAsync();
    }

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task Garbage_and_half_messages_close_only_that_connection(string which)
    {
        var dlv = await RealTools.DelveAsync(which);
        var app = await SampleBinaries.DebugAppAsync();
        var (port, appPort) = (Ports.Free(), Ports.Free());
        var log = new RecordingLog();
        var host = GoDebugHost.Create(log);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var backend = await DelveBackend.StartAsync(new DelveSessionSettings { Program = app, ProgramArguments = ["-addr", $"127.0.0.1:{appPort}"] }, dlv, host, timeout.Token);
        var endpoint = DebugEndpoint.Open($"127.0.0.1:{port}", allowRemote: false, host, TimeSpan.FromSeconds(1));
        await using (endpoint)
        {
            endpoint.Serve(backend.Session.Endpoint);
            var running = backend.ContinueAsync();
            await using var rpc = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
            await rpc.GetVersionAsync(timeout.Token);

            string[] attempts =
            [
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                "{\"method\":\"RPCServer.GetVersion\",\"params\":[{}]",
                "Content-Length: 200\r\n\r\n{\"seq\":1,\"type\":\"request\"",
                "Content-Length: 9\r\n\r\nnot json!",
                "{\"id\":1}{]",
            ];
            foreach (var attempt in attempts)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", port, timeout.Token);
                await socket.SendAsync(Encoding.ASCII.GetBytes(attempt), timeout.Token);
                var buffer = new byte[4096];
                int read;
                using (var closed = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token))
                {
                    closed.CancelAfter(TimeSpan.FromSeconds(10));
                    read = await socket.ReceiveAsync(buffer, closed.Token);
                }

                Assert.That(read, Is.Zero, $"the endpoint closed the connection that sent {attempt.ReplaceLineEndings(" ")}, and answered nothing");
                Assert.That((await rpc.GetVersionAsync(timeout.Token)).ApiVersion, Is.EqualTo(2), "the other client is undisturbed");
            }

            Assert.That(log.Lines.Count(l => l.Message.Contains(DebugCodes.ClientProtocolError, StringComparison.Ordinal)), Is.EqualTo(attempts.Length), log.Text);
            Assert.That(log.Text, Does.Contain("unfinished for 1 s").And.Contain("neither a JSON-RPC object nor a DAP Content-Length header"));
            using var http = new HttpClient();
            Assert.That(await http.GetStringAsync($"http://127.0.0.1:{appPort}/hello?name=g", timeout.Token), Does.Contain("hello, g"), "the program was not disturbed either");
            Assert.That(running.IsCompleted, Is.False, "the program never stopped");
        }

        Assert.That(Ports.Accepts(port), Is.False, "the endpoint is closed");
    }
}
