using System.Text.Json.Nodes;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
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
        await client.CommandAsync("halt", timeout.Token);
        var oldPid = (await client.StateAsync(nonBlocking: true, timeout.Token))["Pid"]!.GetValue<int>();
        Assert.That(oldPid, Is.Positive.And.AnyOf(run.Loop.ProcessIds.ToArray()), "the halted debuggee is ours");
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

    [Test]
    public async Task When_dlv_cannot_restart_the_binary_in_place_a_new_dlv_serves_it_on_the_same_port_and_says_clients_must_reattach()
    {
        // dlv's Restart relaunches the path it was started with; a build now written elsewhere (here the Release
        // folder) cannot be restarted in place, so a new dlv must take over the same API port.
        using var dir = new TempDir("dlvfallback");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var go = await RealTools.GoAsync();
        var log = new RecordingLog();
        var (dlvPort, appPort) = (Ports.Free(), Ports.Free());
        var host = GoDebugHost.Create(log) with { Environment = EnvironmentSnapshot.Capture().With("APP_ADDR", $"127.0.0.1:{appPort}") };
        var settings = new GoWatchSettings { Build = new GoBuildSettings { Workspace = workspace } };
        var debug = (await GoBuilder.BuildAsync(settings.Build, go, host, CancellationToken.None)).Targets.Single(t => t.OutputPath.Length > 0);
        File.WriteAllText(Path.Combine(workspace, "module-a", "greet.go"), WatchRun.Greeting("release"));
        var release = (await GoBuilder.BuildAsync(settings.Build with { Configuration = GoBuildConfiguration.Release }, go, host, CancellationToken.None)).Targets.Single(t => t.OutputPath.Length > 0);
        Assert.That(release.OutputPath, Is.Not.EqualTo(debug.OutputPath));

        var dlv = new DelveResult(RealTools.FindDlv(), "real", SupportsGoVersion: false, DelveSource.Existing);
        var seen = new HashSet<int>();
        await using (var program = new DelveProgram(settings, new DelveSessionSettings { ListenAddress = $"127.0.0.1:{dlvPort}" }, dlv, host))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            Assert.That(await program.StartAsync(debug, timeout.Token), Does.Contain(appPort));
            var before = program.ProcessIds;
            Assert.That(before, Has.Count.GreaterThanOrEqualTo(2), "dlv and its debuggee");
            await using var client = await DelveRpcClient.ConnectAsync("127.0.0.1", dlvPort, timeout.Token);
            await client.GetVersionAsync(timeout.Token);

            Assert.That(await program.ReloadAsync(release, timeout.Token), Does.Contain(appPort));
            var after = program.ProcessIds;
            seen.UnionWith(before.Concat(after));

            Assert.That(log.Text, Does.Contain(WatchCodes.DelveRestartFailed).And.Contain(release.OutputPath).And.Contain("must reattach"));
            using var http = new HttpClient();
            Assert.That(await http.GetStringAsync($"http://127.0.0.1:{appPort}/hello?name=w", timeout.Token), Does.Contain("release, w"), "the new build answers on the same app port");
            Assert.That(after, Has.Count.GreaterThanOrEqualTo(2), "dlv and its debuggee");
            Assert.That(after.Intersect(before), Is.Empty, "a new dlv and a new debuggee");
            Assert.That(before.Where(ProcessTable.IsAlive), Is.Empty, "the old dlv and debuggee are gone");
            await using var reattached = await DelveRpcClient.ConnectAsync("127.0.0.1", dlvPort, timeout.Token);
            Assert.That((await reattached.GetVersionAsync(timeout.Token)).ApiVersion, Is.EqualTo(2), "the new dlv answers on the same API port");
            Assert.That(async () => await client.GetVersionAsync(timeout.Token), Throws.InstanceOf<Exception>(), "the old dlv's connection is closed: clients reattach");
        }

        Assert.That(seen.Where(ProcessTable.IsAlive), Is.Empty, "no dlv or debuggee is left");
        Assert.That(Ports.Accepts(appPort), Is.False);
        Assert.That(Ports.Accepts(dlvPort), Is.False);
    }
}
