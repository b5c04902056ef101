using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

[NonParallelizable]
public class WatchLifetimeTests
{
    private const string Stubborn = """
        package main

        import (
        	"net"
        	"os"
        	"os/signal"
        	"time"
        )

        const version = "VERSION"

        // Ignores SIGINT, so only the tree kill after the grace period ends it.
        func main() {
        	signal.Ignore(os.Interrupt)
        	l, err := net.Listen("tcp", os.Getenv("APP_ADDR"))
        	if err != nil {
        		panic(err)
        	}
        	defer l.Close()
        	for {
        		time.Sleep(time.Hour)
        	}
        }
        """;

    private const string SelfWriter = """
        package main

        import (
        	"fmt"
        	"os"
        	"time"
        )

        // Writes a Go file into its own module at every start: each start causes the next.
        func main() {
        	_ = os.WriteFile("gen.go", []byte(fmt.Sprintf("package main\n\nconst stamp = %d\n", time.Now().UnixNano())), 0o644)
        	time.Sleep(time.Hour)
        }
        """;

    private static Action<string> Module(string main, string? extra = null) => dir =>
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "go.mod"), "module example.com/tool\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(dir, "main.go"), main);
        if (extra is not null) File.WriteAllText(Path.Combine(dir, "gen.go"), extra);
    };

    [Test]
    public async Task A_program_that_ignores_SIGINT_is_killed_after_the_grace_period_and_its_port_freed()
    {
        await using var run = await WatchRun.StartAsync(
            configure: s => s with { GracePeriod = TimeSpan.FromSeconds(1) },
            writeWorkspace: Module(Stubborn.Replace("VERSION", "1", StringComparison.Ordinal)));
        var first = run.Loop.ProcessIds[0];
        Assert.That(Ports.Accepts(run.AppPort), Is.True);

        run.Write("main.go", Stubborn.Replace("VERSION", "2", StringComparison.Ordinal));
        await run.WaitReadyAsync(2);
        Assert.That(run.Log.Text, Does.Contain("did not stop within 1 s of SIGINT"));
        Assert.That(ProcessTable.IsAlive(first), Is.False);
        Assert.That(run.Log.Text, Does.Contain($"listening on {run.AppPort}"), "the new process could bind the port the old one held");

        await run.StopAsync();
        Assert.That(run.SeenProcesses.Where(ProcessTable.IsAlive), Is.Empty);
        Assert.That(Ports.Accepts(run.AppPort), Is.False);
    }

    [Test]
    public async Task A_program_writing_into_its_watched_tree_is_reported_with_the_file_and_stops_looping()
    {
        await using var run = await WatchRun.StartAsync(
            configure: s => s with { ReadyTimeout = TimeSpan.FromMilliseconds(200) },
            writeWorkspace: Module(SelfWriter, "package main\n\nconst stamp = 0\n"));
        await run.WaitForLogAsync(WatchCodes.RestartLoop, seconds: 120);
        Assert.That(run.Log.Lines.Single(l => l.Message.Contains(WatchCodes.RestartLoop, StringComparison.Ordinal)).Message, Does.Contain("gen.go"));
        var settled = run.Loop.ReadyCount;
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.That(run.Loop.ReadyCount, Is.LessThanOrEqualTo(settled + 1), "the loop ended once the file was ignored");
    }
}
