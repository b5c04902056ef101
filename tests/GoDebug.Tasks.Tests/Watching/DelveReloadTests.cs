using System.Text.Json.Nodes;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

[NonParallelizable]
public class DelveReloadTests
{
    [Test]
    public async Task A_save_reloads_under_dlv_and_the_same_client_keeps_its_breakpoint_in_the_new_process()
    {
        var dlvPort = Ports.Free();
        var dlv = new DelveResult(RealTools.FindDlv(), "real", SupportsGoVersion: false, DelveSource.Existing);
        await using var run = await WatchRun.StartAsync(program: (settings, host) => new DelveProgram(settings, new DelveSessionSettings { ListenAddress = $"127.0.0.1:{dlvPort}" }, dlv, host));
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hello, w"));

        var mainGo = Path.Combine(run.Workspace, "app", "main.go");
        var line = Array.FindIndex(File.ReadAllLines(mainGo), l => l.Contains("greet.Hello(", StringComparison.Ordinal)) + 1;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var client = await DelveRpcClient.ConnectAsync("127.0.0.1", dlvPort, timeout.Token);
        var oldPid = (await client.StateAsync(nonBlocking: true, timeout.Token))["Pid"]!.GetValue<int>();
        await client.CommandAsync("halt", timeout.Token);
        var breakpoint = await client.CreateBreakpointAsync(mainGo, line, timeout.Token);
        var continued = client.CommandAsync("continue", timeout.Token);

        run.Write("module-a/greet.go", WatchRun.Greeting("hi"));
        await run.WaitReadyAsync(2, TimeSpan.FromSeconds(90));
        await continued.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(run.Log.Text, Does.Contain("reloaded in").And.Not.Contain(WatchCodes.DelveRestartFailed));

        var answer = run.HelloAsync("w");
        JsonObject? stopped = null;
        while (stopped is null)
        {
            var state = await client.StateAsync(nonBlocking: true, timeout.Token);
            var threads = (state["Threads"] as JsonArray ?? []).Append(state["currentThread"]);
            if (state["Running"]?.GetValue<bool>() == false && threads.Any(t => t?["breakPoint"]?["id"]?.GetValue<int>() == breakpoint)) stopped = state;
            else await Task.Delay(50, timeout.Token);
        }

        Assert.That(stopped["Pid"]!.GetValue<int>(), Is.Not.EqualTo(oldPid), "the breakpoint stopped the new process, through the connection opened before the reload");
        Assert.That(answer.IsCompleted, Is.False, "the request waits at the breakpoint");
        run.NoteProcesses();
        await client.SendAsync("Command", new JsonObject { ["name"] = "continue" }, timeout.Token);
        Assert.That(await answer.WaitAsync(timeout.Token), Is.EqualTo("hi, w"), "after continue the request answers with the new code");

        await run.StopAsync();
        Assert.That(run.SeenProcesses, Has.Count.GreaterThanOrEqualTo(2), "dlv and the debuggee were seen");
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty, "dlv and the debuggee are gone");
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
        Assert.That(Ports.Accepts(dlvPort), Is.False);
    }
}
