using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Watching;

/// <summary>
/// Every program the product starts begins with every signal at its default and none blocked, however build.sh
/// was started: read from the program's own /proc/self/status, beside the Cake process's, which shows what the
/// launcher left it (so each case could fail).
/// </summary>
[NonParallelizable]
public class ProgramSignalsTests
{
    /// <summary>Writes its own status where GDT_SIGNAL_REPORT points (a file per pid), then serves pprof and /hello.</summary>
    private const string Probe = """
        package main

        import (
        	"flag"
        	"net/http"
        	_ "net/http/pprof"
        	"os"
        	"path/filepath"
        	"strconv"
        )

        func main() {
        	addr := flag.String("addr", os.Getenv("APP_ADDR"), "listen address")
        	flag.Parse()
        	status, _ := os.ReadFile("/proc/self/status")
        	file := filepath.Join(os.Getenv("GDT_SIGNAL_REPORT"), strconv.Itoa(os.Getpid()))
        	_ = os.WriteFile(file+".tmp", status, 0o644)
        	_ = os.Rename(file+".tmp", file+".status")
        	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hello\n")) })
        	_ = http.ListenAndServe(*addr, nil)
        }
        """;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var target in new[] { "Watch", "Debug", "DlvTrace", "Profile", "LeakGate" })
        {
            foreach (var launcher in new[] { ScriptLauncher.BackgroundJob, ScriptLauncher.Nohup, ScriptLauncher.PowerShell })
            {
                yield return new TestCaseData(target, launcher).SetName($"{target}_started_from_{launcher}_runs_its_program_with_no_signal_ignored_or_blocked");
            }
        }

        yield return new TestCaseData("Watch", ScriptLauncher.Blocked).SetName("Watch_started_with_SIGUSR1_blocked_runs_its_program_with_none_blocked");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task The_program_starts_with_default_signals(string target, ScriptLauncher launcher)
    {
        using var dir = new TempDir("signals");
        var workspace = dir.Combine("ws");
        dir.Write("ws/go.mod", "module example.com/probe\n\ngo 1.19\n");
        dir.Write("ws/main.go", Probe);
        var report = dir.Combine("report");
        Directory.CreateDirectory(report);
        var appPort = Ports.Free();
        var address = $"127.0.0.1:{appPort}";
        string[] arguments = target switch
        {
            "Watch" => ["--target=Watch"],
            "Debug" => ["--target=Debug", $"--dlv-listen=127.0.0.1:{Ports.Free()}"],
            "DlvTrace" => ["--target=DlvTrace", "--trace-pattern=main\\.main", "--trace-seconds=3", $"--program-args=-addr {address}"],
            "Profile" => ["--target=Profile", "--profiles=heap", "--seconds=1", $"--output={dir.Combine("profiles")}"],
            _ => ["--target=LeakGate", "--profiles=goroutine,heap", "--requests=5", "--max-heap-growth=64MB", "--max-goroutine-growth=100", $"--output={dir.Combine("profiles")}"],
        };
        await using var run = BuildScript.Launch(launcher, [.. arguments, $"--workspace={workspace}"], new Dictionary<string, string>
        {
            ["GDT_SIGNAL_REPORT"] = report,
            ["APP_ADDR"] = address,
        });

        var (status, cake) = await WaitForProgramAsync(run, report);
        var program = SignalBits.Parse(status);
        var (ignored, blocked) = LeftByLauncher(launcher);
        Assert.That((cake.Ignored & ignored, cake.Blocked & blocked), Is.EqualTo((ignored, blocked)), $"the launcher left Cake its mark to hand down ({cake})");
        Assert.That(program.Ignored, Is.Zero, $"{target} from {launcher}: the program's {program}; Cake's {cake}");
        Assert.That(program.Blocked, Is.Zero, $"{target} from {launcher}: the program's {program}; Cake's {cake}");
        if (target == "Debug")
        {
            // Its mask is not a witness: read from outside, a Go process's main thread may be inside the runtime's
            // fork or signal handling, which block every signal for a moment. The program above read its own.
            var dlv = SignalBits.Read(Field(status, "PPid"));
            Assert.That(dlv.Ignored, Is.Zero, $"dlv, the debuggee's parent: {dlv}");
        }

        if (target is "Watch" or "Debug")
        {
            run.TerminateCake();
        }

        await run.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the program must not outlive the build");
    }

    /// <summary>What each launcher leaves the process it starts (SIGHUP 1, SIGINT 2, SIGQUIT 3, SIGUSR1 10).</summary>
    private static (ulong Ignored, ulong Blocked) LeftByLauncher(ScriptLauncher launcher) => launcher switch
    {
        ScriptLauncher.BackgroundJob or ScriptLauncher.PowerShell => (SignalBits.Bit(2) | SignalBits.Bit(3), 0),
        ScriptLauncher.Nohup => (SignalBits.Bit(1), 0),
        ScriptLauncher.Blocked => (0, SignalBits.Bit(10)),
        _ => (0, 0),
    };

    /// <summary>The first status a started program wrote, and the Cake process's signals read while it runs.</summary>
    private static async Task<(string Status, SignalBits Cake)> WaitForProgramAsync(BuildScript run, string report)
    {
        SignalBits? cake = null;
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (true)
        {
            if (cake is null && run.CakeProcessId() is var pid and > 0) cake = SignalBits.Read(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Directory.GetFiles(report, "*.status").FirstOrDefault() is { } file && cake is not null) return (File.ReadAllText(file), cake);
            Assert.That(run.HasExited, Is.False, "the script ended before the program started:\n" + run.Output);
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the program never started:\n" + run.Output);
            await Task.Delay(50);
        }
    }

    private static string Field(string status, string name)
        => status.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
}
