using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

[NonParallelizable]
public partial class WatchLifetimeTests
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

    private const string TermOnly = """
        package main

        import (
        	"fmt"
        	"net/http"
        	"os"
        	"os/signal"
        	"syscall"
        )

        const version = "VERSION"

        // Stops on SIGTERM alone, as programs written for containers do; SIGINT does nothing.
        func main() {
        	signal.Ignore(os.Interrupt)
        	stop := make(chan os.Signal, 1)
        	signal.Notify(stop, syscall.SIGTERM)
        	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, version) })
        	go func() { _ = http.ListenAndServe(os.Getenv("APP_ADDR"), nil) }()
        	<-stop
        }
        """;

    /// <summary>http.ListenAndServe and nothing else: no signal handling of its own, as many small services are.</summary>
    private const string Plain = """
        package main

        import (
        	"fmt"
        	"net/http"
        	"os"
        )

        func main() {
        	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "VERSION") })
        	_ = http.ListenAndServe(os.Getenv("APP_ADDR"), nil)
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
    public async Task With_stop_signal_TERM_a_program_that_listens_for_SIGTERM_alone_stops_without_the_grace_period()
    {
        await using var run = await WatchRun.StartAsync(
            configure: s => s with { GracePeriod = TimeSpan.FromSeconds(60), StopSignal = StopSignal.Term },
            writeWorkspace: Module(TermOnly.Replace("VERSION", "1", StringComparison.Ordinal)));
        var first = run.Loop.ProcessIds[0];

        run.Write("main.go", TermOnly.Replace("VERSION", "2", StringComparison.Ordinal));
        await run.WaitReadyAsync(2);

        Assert.That(run.Log.Text, Does.Contain("The program stopped").And.Contain("after SIGTERM").And.Not.Contain("did not stop within"), run.Log.Text);
        Assert.That(ProcessTable.IsAlive(first), Is.False);
        Assert.That(await GetTextAsync(run.AppPort), Is.EqualTo("2"));
    }

    [Test]
    public async Task A_plain_ListenAndServe_program_stops_at_once_on_reload_when_build_sh_runs_as_a_background_job()
    {
        // The case the issue measured: SIGINT ignored on entry to the job, handed down to the program, 5.6 s per reload.
        using var dir = new TempDir("bgwatch");
        var workspace = dir.Combine("ws");
        Module(Plain.Replace("VERSION", "v1", StringComparison.Ordinal))(workspace);
        var port = Ports.Free();
        await using var run = BuildScript.Launch(
            ScriptLauncher.BackgroundJob,
            ["--target=Watch", $"--workspace={workspace}", "--grace-period=60", "--verbosity=verbose"],
            new Dictionary<string, string> { ["APP_ADDR"] = $"127.0.0.1:{port}" });
        await WaitForTextAsync(run, port, "v1", TimeSpan.FromMinutes(8));

        File.WriteAllText(Path.Combine(workspace, "main.go"), Plain.Replace("VERSION", "v2", StringComparison.Ordinal));
        await WaitForTextAsync(run, port, "v2", TimeSpan.FromMinutes(2));

        var stopped = StoppedAfter().Match(run.Output);
        Assert.That(stopped.Success, Is.True, "the old program ended on SIGINT:\n" + run.Output);
        Assert.That(int.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(1000), "it stopped well under a second after SIGINT, not after the grace period");
        Assert.That(run.Output, Does.Not.Contain("did not stop within"));
        run.TerminateCake();
        await run.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.That(await Ports.ClosesWithinAsync(port, TimeSpan.FromSeconds(5)), Is.True, "the program must not outlive the build");
    }

    [TestCase("HUP")]
    [TestCase("9")]
    public async Task A_stop_signal_other_than_INT_or_TERM_is_refused_by_name(string value)
    {
        using var dir = new TempDir("stopsig");
        Module(Plain)(dir.Path);
        var run = await BuildScript.RunAsync(["--target=Watch", $"--stop-signal={value}", $"--workspace={dir.Path}"], TimeSpan.FromMinutes(5));

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Output, Does.Not.Contain("building example.com/tool"), "refused before anything was built");
        Assert.That(run.Output, Does.Contain($"--stop-signal={value} is not one of: int, term"));
    }

    private static async Task WaitForTextAsync(BuildScript run, int port, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await GetTextAsync(port) != expected)
        {
            Assert.That(run.HasExited, Is.False, "the script ended:\n" + run.Output);
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no '{expected}' on port {port}:\n" + run.Output);
            await Task.Delay(50);
        }
    }

    private static async Task<string?> GetTextAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}/");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"The program stopped (\d+) ms after SIGINT")]
    private static partial System.Text.RegularExpressions.Regex StoppedAfter();

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
