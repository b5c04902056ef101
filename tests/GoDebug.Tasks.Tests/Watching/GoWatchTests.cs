using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

[NonParallelizable]
public class GoWatchTests
{
    [Test]
    public async Task Edits_swap_the_app_unused_packages_restart_nothing_and_a_broken_save_keeps_the_old_app()
    {
        await using var run = await WatchRun.StartAsync();
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hello, w"), "APP_ADDR from the engine's environment reached the app");
        var firstPid = run.Loop.ProcessIds[0];

        run.Write("module-a/greet.go", WatchRun.Greeting("hi"));
        await run.WaitReadyAsync(2);
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hi, w"), "editing module-a reaches the app");
        Assert.That(run.Loop.ProcessIds[0], Is.Not.EqualTo(firstPid));
        Assert.That(ProcessTable.IsAlive(firstPid), Is.False, "the old process is gone");
        Assert.That(run.Log.Text, Does.Contain("reloaded in").And.Contain("from save to ready").And.Contain($"listening on {run.AppPort}"));
        var pid = run.Loop.ProcessIds[0];

        run.Write("module-a/unused/unused.go", "package unused\n\n// Answer is imported by no binary.\nfunc Answer() int { return 42 }\n");
        await run.WaitForLogAsync("No running binary uses");
        Assert.That(run.Loop.ReadyCount, Is.EqualTo(2), "nothing restarted");
        Assert.That(run.Loop.ProcessIds[0], Is.EqualTo(pid));

        run.Write("module-a/greet.go", "package greet\n\nfunc Hello(name string) string { return \n");
        await run.WaitForLogAsync(WatchCodes.BuildFailed);
        Assert.That(run.Log.Diagnostics.Any(d => d.File?.EndsWith("greet.go", StringComparison.Ordinal) == true && d.Line > 0), Is.True, "the compile error is reported with its file and line, like the Build target's:\n" + run.Log.Text);
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hi, w"), "the old app keeps serving");
        Assert.That(run.Loop.ProcessIds[0], Is.EqualTo(pid));

        run.Write("module-a/greet.go", WatchRun.Greeting("hey"));
        await run.WaitReadyAsync(3);
        Assert.That(await run.HelloAsync("w"), Is.EqualTo("hey, w"), "the next good save recovers");

        await run.StopAsync();
        Assert.That(run.SeenProcesses, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty, "no process of ours remains after cancellation");
        Assert.That(Ports.Accepts(run.AppPort), Is.False, "the app's port is free");
        Assert.That(run.Log.Text, Does.Not.Contain(WatchCodes.ProgramExited), "every stop was ours");
        Assert.That(run.Log.Text, Does.Not.Contain("did not stop within").And.Not.Contain("still in use"), "the app stops on SIGINT and frees its port at once:\n" + run.Log.Text);
    }

    [Test]
    public async Task A_burst_of_200_files_is_one_build_and_one_restart()
    {
        await using var run = await WatchRun.StartAsync();
        var builds = run.Loop.Builds;
        for (var i = 0; i < 200; i++)
        {
            run.Write($"module-a/burst_{i:000}.go", $"package greet\n\nconst burst{i} = {i}\n");
        }

        await run.WaitReadyAsync(2);
        // Give late events the chance to (wrongly) start another build before counting.
        await Task.Delay(1500);
        Assert.That(run.Loop.ReadyCount, Is.EqualTo(2), "one restart");
        Assert.That(run.Loop.Builds - builds, Is.EqualTo(1), $"one finished build ({run.Loop.CancelledBuilds} cancelled by newer changes)");
        Assert.That(await run.HelloAsync("b"), Is.EqualTo("hello, b"));
    }

    [Test]
    public async Task Once_stops_after_the_first_ready_and_frees_the_port()
    {
        await using var run = await WatchRun.StartAsync(configure: s => s with { Once = true, ProgramEnvironment = ["GDT_PROBE=1"] });
        await run.Run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(run.Log.Text, Does.Contain("Ready once"));
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
    }
}
