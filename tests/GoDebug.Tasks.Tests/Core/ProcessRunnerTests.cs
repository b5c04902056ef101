using System.Globalization;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

/// <summary>Both ways a child starts: through CliWrap, and a program through posix_spawn with default signals.</summary>
public class ProcessRunnerTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task Captures_output_and_exit_code_with_arguments_kept_whole(bool defaultSignals)
    {
        var lines = new List<string>();
        var result = await ProcessRunner.Default.RunAsync(
            new ProcessSpec("/bin/sh", ["-c", "printf '%s\\n' \"$1\"; echo err >&2; exit 3", "sh", "a b; $(touch nope)"]) { OnStandardOutput = lines.Add, DefaultSignals = defaultSignals },
            CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.StandardOutput.Trim(), Is.EqualTo("a b; $(touch nope)"));
        Assert.That(result.StandardError.Trim(), Is.EqualTo("err"));
        Assert.That(lines, Is.EqualTo(new[] { "a b; $(touch nope)" }));
        Assert.That(() => result.EnsureSuccess(), Throws.TypeOf<GoDebugException>().With.Message.Contains("exited with code 3").And.Message.Contains("err"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_environment_overlay_sets_and_removes_variables_and_the_working_directory_is_the_one_given(bool defaultSignals)
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("GDT_RUNNER_INHERITED", "kept");
        Environment.SetEnvironmentVariable("GDT_RUNNER_REMOVED", "present");
        var result = await ProcessRunner.Default.RunAsync(
            new ProcessSpec("sh", ["-c", "pwd; echo \"$GDT_RUNNER_INHERITED\"; echo \"${GDT_RUNNER_REMOVED-unset}\"; echo \"$GDT_RUNNER_SET\""])
            {
                WorkingDirectory = dir.Path,
                Environment = new Dictionary<string, string?> { ["GDT_RUNNER_SET"] = "a=b c", ["GDT_RUNNER_REMOVED"] = null },
                DefaultSignals = defaultSignals,
            },
            CancellationToken.None);

        Assert.That(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { Path.GetFullPath(dir.Path), "kept", "unset", "a=b c" }));
    }

    [Test]
    public async Task A_program_starts_with_every_signal_at_its_default_and_none_blocked_where_a_plain_child_inherits_what_dotnet_ignores()
    {
        // The .NET runtime ignores SIGPIPE in its own process and hands that to Process.Start children; a program
        // started from a background job of a shell gets SIGINT ignored the same way (the launch-path tests).
        var ours = SignalBits.Read("self");
        Assert.That(ours.Ignored & SignalBits.Bit(13), Is.Not.Zero, "the test host ignores SIGPIPE, as every .NET process does");

        var plain = await ReadOwnStatusAsync(defaultSignals: false);
        var program = await ReadOwnStatusAsync(defaultSignals: true);

        Assert.That(plain.Ignored & SignalBits.Bit(13), Is.Not.Zero, "a CliWrap child inherits the ignored SIGPIPE (what the new path fixes)");
        Assert.That(program.Ignored, Is.Zero, $"SigIgn of the program: {program.Ignored:x16}");
        Assert.That(program.Blocked, Is.Zero, $"SigBlk of the program: {program.Blocked:x16}");
    }

    private static async Task<SignalBits> ReadOwnStatusAsync(bool defaultSignals)
    {
        // grep reads its own status: nothing between the runner and the process read.
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec("grep", ["^Sig", "/proc/self/status"]) { DefaultSignals = defaultSignals }, CancellationToken.None);
        return SignalBits.Parse(result.EnsureSuccess().StandardOutput);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Cancellation_kills_the_whole_process_tree(bool defaultSignals)
    {
        using var dir = new TempDir();
        var pidFile = Path.Combine(dir.Path, "child.pid");
        using var cts = new CancellationTokenSource();
        var started = 0;
        var run = ProcessRunner.Default.RunAsync(new ProcessSpec("/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"]) { DefaultSignals = defaultSignals, OnStarted = p => started = p }, cts.Token);
        var childPid = await ProcessChecks.WaitForPidFileAsync(pidFile, run, TimeSpan.FromSeconds(10));
        Assert.That(started, Is.GreaterThan(0));
        Assert.That(File.ReadAllText($"/proc/{childPid}/stat").Split(' ')[3], Is.EqualTo(started.ToString(CultureInfo.InvariantCulture)), "OnStarted reported the pid of the shell that started sleep");
        cts.Cancel();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await ProcessChecks.GoneWithinAsync(childPid, TimeSpan.FromSeconds(5)), Is.True, "grandchild 'sleep' must be killed with its parent");
        Assert.That(ProcessChecks.IsAlive(started), Is.False, "the shell is gone too");
    }

    [TestCase(PosixSpawn.Sigint, "INT")]
    [TestCase(PosixSpawn.Sigterm, "TERM")]
    public async Task A_graceful_stop_sends_the_stop_signal_to_a_program_and_lets_its_handler_run(int signal, string name)
    {
        using var graceful = new CancellationTokenSource();
        var lines = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Traps for both: the one that runs names the signal that came.
        var run = ProcessRunner.Default.RunAsync(
            new ProcessSpec("sh", ["-c", "trap 'echo got-INT; exit 3' INT; trap 'echo got-TERM; exit 4' TERM; echo ready; while true; do sleep 0.05; done"])
            {
                OnStandardOutput = l =>
                {
                    lock (lines) lines.Add(l);
                    if (l == "ready") ready.TrySetResult();
                },
                GracefulStop = graceful.Token,
                DefaultSignals = true,
                StopSignal = signal,
            },
            CancellationToken.None);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await graceful.CancelAsync();

        Assert.That(async () => await run.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>());
        lock (lines) Assert.That(lines, Does.Contain("got-" + name).And.Not.Contain(name == "INT" ? "got-TERM" : "got-INT"));
    }

    [Test]
    public async Task A_program_killed_by_a_signal_reports_128_plus_its_number_as_Process_does()
    {
        var plain = await ProcessRunner.Default.RunAsync(new ProcessSpec("sh", ["-c", "kill -KILL $$"]), CancellationToken.None);
        var program = await ProcessRunner.Default.RunAsync(new ProcessSpec("sh", ["-c", "kill -KILL $$"]) { DefaultSignals = true }, CancellationToken.None);

        Assert.That(program.ExitCode, Is.EqualTo(137));
        Assert.That(program.ExitCode, Is.EqualTo(plain.ExitCode));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_line_callback_that_throws_ends_the_run_with_its_exception(bool defaultSignals)
    {
        var seen = new List<string>();
        Assert.That(
            async () => await ProcessRunner.Default.RunAsync(
                new ProcessSpec("sh", ["-c", "echo one; echo two"])
                {
                    DefaultSignals = defaultSignals,
                    OnStandardOutput = line =>
                    {
                        seen.Add(line);
                        throw new InvalidOperationException("callback failed on " + line);
                    },
                },
                CancellationToken.None),
            Throws.InstanceOf<InvalidOperationException>().With.Message.EqualTo("callback failed on one"));
        Assert.That(seen, Is.EqualTo(new[] { "one" }), "not called again after it threw");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Missing_executable_names_it(bool defaultSignals)
    {
        Assert.That(
            async () => await ProcessRunner.Default.RunAsync(new ProcessSpec("/nonexistent/go", ["version"]) { DefaultSignals = defaultSignals }, CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("/nonexistent/go"));
    }

    [Test]
    public void A_program_name_not_on_PATH_and_a_missing_working_directory_are_named()
    {
        Assert.That(
            async () => await ProcessRunner.Default.RunAsync(new ProcessSpec("gdt-no-such-tool", []) { DefaultSignals = true }, CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("'gdt-no-such-tool': not found on PATH"));
        Assert.That(
            async () => await ProcessRunner.Default.RunAsync(new ProcessSpec("sh", ["-c", "true"]) { DefaultSignals = true, WorkingDirectory = "/nonexistent/dir" }, CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("working directory /nonexistent/dir does not exist"));
    }
}
