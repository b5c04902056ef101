using System.Net.Sockets;
using System.Text;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Debugging;

/// <summary>Ctrl+C or SIGTERM to ./build.sh --target=Debug while debugger clients are attached through the endpoint.</summary>
[NonParallelizable]
public class DebugStopTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var signal in new[] { "INT", "TERM" })
        {
            foreach (var dlv in RealTools.Dlvs())
            {
                var which = (string)dlv.Arguments[0]!;
                yield return new TestCaseData(which, signal).SetArgDisplayNames($"dlv-{which}", "SIG" + signal);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Clients_attached_when_the_build_is_stopped_leave_no_process_and_no_listener(string which, string signal)
    {
        var dlv = await RealTools.DelveAsync(which);
        using var dir = new TempDir("debugstop");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var (port, appPort) = (Ports.Free(), Ports.Free());
        // The product finds dlv on PATH first: the dlv under test goes in front.
        var path = Path.GetDirectoryName(dlv.DlvExecutable) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        await using var run = BuildScript.Start(
            ["--target=Debug", $"--workspace={workspace}", $"--dlv-listen=127.0.0.1:{port}", $"--program-args=-addr 127.0.0.1:{appPort}", "--dlv-source=existing"],
            new Dictionary<string, string> { ["PATH"] = path });
        await run.GetJsonWhileRunningAsync($"http://127.0.0.1:{appPort}/hello?name=stop");
        Assert.That(run.Output, Does.Contain($"dlv ready on 127.0.0.1:{port}").And.Contain($"Version: {dlv.Version}"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var rpc = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
        await rpc.GetVersionAsync(timeout.Token);
        using var dap = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await dap.ConnectAsync("127.0.0.1", port, timeout.Token);
        var initialize = """{"seq":1,"type":"request","command":"initialize","arguments":{"adapterID":"go","linesStartAt1":true,"columnsStartAt1":true,"pathFormat":"path"}}""";
        await dap.SendAsync(Encoding.ASCII.GetBytes($"Content-Length: {initialize.Length}\r\n\r\n{initialize}"), timeout.Token);
        var buffer = new byte[65536];
        var read = await dap.ReceiveAsync(buffer, timeout.Token);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, read), Does.StartWith("Content-Length:").And.Contain("\"command\":\"initialize\""), "the DAP client is attached");
        IReadOnlyList<int> tree = [run.ProcessId, .. ProcessTable.Descendants(run.ProcessId)];
        Assert.That(tree, Has.Count.GreaterThanOrEqualTo(3), "build.sh, dlv and the program at least");

        if (signal == "INT") run.Interrupt();
        else run.Terminate();
        await run.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.That(await ProcessTable.GoneAsync(tree, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None), Is.True, $"left running: {string.Join(", ", tree.Where(ProcessTable.IsAlive))}\n{run.Output}");
        Assert.That(await Ports.ClosesWithinAsync(port, TimeSpan.FromSeconds(5)), Is.True, "the endpoint must not outlive the build");
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the program must not outlive the build");
        Assert.That(await dap.ReceiveAsync(buffer, timeout.Token), Is.Zero, "the DAP client's connection was closed");
    }
}
