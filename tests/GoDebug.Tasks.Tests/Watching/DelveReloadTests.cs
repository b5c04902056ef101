using System.Text.Json.Nodes;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

[NonParallelizable]
public class DelveReloadTests
{
    private static Task<WatchRun> StartAsync(DelveResult dlv, int endpointPort)
        => WatchRun.StartAsync(program: (settings, host) => new DelveProgram(settings, new DelveSessionSettings { ListenAddress = $"127.0.0.1:{endpointPort}" }, dlv, host));

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task A_json_rpc_client_keeps_its_connection_and_breakpoints_and_its_blocked_continue_is_answered_by_the_new_process(string which)
    {
        var dlv = await RealTools.DelveAsync(which);
        var port = Ports.Free();
        await using var run = await StartAsync(dlv, port);
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hello, w"));
        Assert.That(run.Log.Text, Does.Contain($"dlv ready on 127.0.0.1:{port}"));

        var mainGo = Path.Combine(run.Workspace, "app", "main.go");
        var greetGo = Path.Combine(run.Workspace, "module-a", "greet.go");
        var line = Array.FindIndex(File.ReadAllLines(mainGo), l => l.Contains("greet.Hello(", StringComparison.Ordinal)) + 1;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var client = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
        await client.CommandAsync("halt", timeout.Token);
        var oldPid = (await client.StateAsync(nonBlocking: true, timeout.Token))["Pid"]!.GetValue<int>();
        Assert.That(oldPid, Is.Positive.And.AnyOf(run.Loop.ProcessIds.ToArray()), "the halted debuggee is ours");
        var breakpoint = await client.CreateBreakpointAsync(mainGo, line, timeout.Token);
        // A condition, a hit condition and a tracepoint (on a line /hello?name=w does not reach, as a tracepoint stops each continue): what the new dlv must be given besides file and line.
        var conditional = (await client.CallAsync("CreateBreakpoint", new JsonObject { ["Breakpoint"] = new JsonObject { ["file"] = greetGo, ["line"] = 8, ["Cond"] = "name == \"never\"", ["HitCond"] = "> 2", ["name"] = "guarded" } }, timeout.Token))!["Breakpoint"]!["id"]!.GetValue<int>();
        var tracepoint = (await client.CallAsync("CreateBreakpoint", new JsonObject { ["Breakpoint"] = new JsonObject { ["file"] = greetGo, ["line"] = 10, ["continue"] = true } }, timeout.Token))!["Breakpoint"]!["id"]!.GetValue<int>();
        var continued = client.CommandAsync("continue", timeout.Token);

        run.Write("module-a/greet.go", WatchRun.Greeting("hi"));
        await run.WaitReadyAsync(2, TimeSpan.FromSeconds(120));
        Assert.That(run.Log.Text, Does.Contain("reloaded in").And.Not.Contain(DebugCodes.DelveDied).And.Not.Contain(DebugCodes.BreakpointDropped));
        Assert.That(continued.IsCompleted, Is.False, "the continue sent before the reload waits for the new process's next stop");

        var answer = run.HelloAsync("w");
        var stop = (await continued.WaitAsync(TimeSpan.FromSeconds(60)))!["State"]!;
        Assert.That(stop["Pid"]!.GetValue<int>(), Is.Not.EqualTo(oldPid), "the answer to the continue is the new process's stop");
        Assert.That(stop["currentThread"]?["breakPoint"]?["id"]?.GetValue<int>(), Is.EqualTo(breakpoint), "stopped at the breakpoint set before the reload, with its id");
        Assert.That(answer.IsCompleted, Is.False, "the request waits at the breakpoint");

        var listed = (await client.CallAsync("ListBreakpoints", new JsonObject(), timeout.Token))!["Breakpoints"]!.AsArray().OfType<JsonObject>().ToDictionary(b => b["id"]!.GetValue<int>());
        Assert.That(listed.Keys, Is.SupersetOf(new[] { breakpoint, conditional, tracepoint }), "the same ids in the new dlv");
        Assert.That(((string?)listed[conditional]["Cond"], (string?)listed[conditional]["HitCond"], (string?)listed[conditional]["name"]), Is.EqualTo(("name == \"never\"", "> 2", "guarded")));
        Assert.That(listed[tracepoint]["continue"]?.GetValue<bool>(), Is.True, "still a tracepoint");
        run.NoteProcesses();
        await client.SendAsync("Command", new JsonObject { ["name"] = "continue" }, timeout.Token);
        Assert.That(await answer.WaitAsync(timeout.Token), Is.EqualTo("hi, w"), "after continue the request answers with the new code");

        await run.StopAsync();
        Assert.That(run.SeenProcesses, Has.Count.GreaterThanOrEqualTo(2), "dlv and the debuggee were seen");
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty, "dlv and the debuggee are gone");
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
        Assert.That(Ports.Accepts(port), Is.False, "the endpoint is closed");
    }

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task Killing_dlv_is_reported_with_its_status_the_program_it_left_is_ended_and_a_new_dlv_serves_the_same_client(string which)
    {
        var dlv = await RealTools.DelveAsync(which);
        var port = Ports.Free();
        await using var run = await StartAsync(dlv, port);
        Assert.That(await run.HelloAsync("k"), Is.EqualTo("hello, k"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var client = await DelveRpcClient.ConnectAsync("127.0.0.1", port, timeout.Token);
        await client.GetVersionAsync(timeout.Token);
        var before = run.Loop.ProcessIds;
        Assert.That(before, Has.Count.GreaterThanOrEqualTo(2), "dlv and its debuggee");
        var dlvPid = before[0];
        var programPid = before[1];

        using (var process = System.Diagnostics.Process.GetProcessById(dlvPid)) process.Kill();
        await run.WaitForLogAsync(DebugCodes.DelveDied, seconds: 30);
        var report = run.Log.Lines.First(l => l.Message.Contains(DebugCodes.DelveDied, StringComparison.Ordinal)).Message;
        Assert.That(report, Does.Contain($"pid {dlvPid}").And.Contain("code 137 (signal 9)").And.Contain($"pid {programPid}"));

        await run.WaitForLogAsync("dlv is back on", seconds: 60);
        var after = run.Loop.ProcessIds;

        Assert.That(ProcessTable.IsAlive(programPid), Is.False, "the program the dead dlv left behind was ended");
        Assert.That(await run.HelloAsync("k"), Is.EqualTo("hello, k"), "the same build answers again");
        Assert.That(after.Intersect(before), Is.Empty, "a new dlv and a new debuggee");
        var (_, api) = await client.GetVersionAsync(timeout.Token);
        Assert.That(api, Is.EqualTo(2), "the client's connection, opened before dlv died, reaches the new dlv");
        run.NoteProcesses();

        await run.StopAsync();
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
        Assert.That(Ports.Accepts(port), Is.False);
    }

    [TestCaseSource(typeof(RealTools), nameof(RealTools.Dlvs))]
    public async Task A_build_that_panics_at_start_is_reported_with_its_output_never_as_ready_and_the_next_good_save_recovers(string which)
    {
        var dlv = await RealTools.DelveAsync(which);
        var port = Ports.Free();
        await using var run = await StartAsync(dlv, port);
        run.Write("module-a/boom.go", "package greet\n\nfunc init() { panic(\"boom at start\") }\n");
        await run.WaitForLogAsync(DebugCodes.ProgramExitedAtStart, seconds: 120);
        var report = run.Log.Lines.First(l => l.Message.Contains(DebugCodes.ProgramExitedAtStart, StringComparison.Ordinal)).Message;
        Assert.That(report, Does.Contain("exited with status 2").And.Contain("panic: boom at start"), "the program's last output is shown");
        await run.WaitForLogAsync("exited before it was ready", seconds: 30);
        Assert.That(run.Loop.ReadyCount, Is.EqualTo(1), "the panicking build never counted as ready");

        File.Delete(Path.Combine(run.Workspace, "module-a", "boom.go"));
        run.Write("module-a/greet.go", WatchRun.Greeting("back"));
        await run.WaitReadyAsync(2, TimeSpan.FromSeconds(120));
        Assert.That(await run.HelloAsync("b"), Is.EqualTo("back, b"));
        await run.StopAsync();
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty);
    }
}
