using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

public class ProcessRunnerTests
{
    [Test]
    public async Task Captures_output_and_exit_code_with_arguments_kept_whole()
    {
        var lines = new List<string>();
        var result = await ProcessRunner.Default.RunAsync(
            new ProcessSpec("/bin/sh", ["-c", "printf '%s\\n' \"$1\"; echo err >&2; exit 3", "sh", "a b; $(touch nope)"]) { OnStandardOutput = lines.Add },
            CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.StandardOutput.Trim(), Is.EqualTo("a b; $(touch nope)"));
        Assert.That(lines, Is.EqualTo(new[] { "a b; $(touch nope)" }));
        Assert.That(() => result.EnsureSuccess(), Throws.TypeOf<GoDebugException>().With.Message.Contains("exited with code 3").And.Message.Contains("err"));
    }

    [Test]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        using var dir = new TempDir();
        var pidFile = Path.Combine(dir.Path, "child.pid");
        using var cts = new CancellationTokenSource();
        var run = ProcessRunner.Default.RunAsync(new ProcessSpec("/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"]), cts.Token);
        var childPid = await ProcessChecks.WaitForPidFileAsync(pidFile, run, TimeSpan.FromSeconds(10));
        cts.Cancel();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await ProcessChecks.GoneWithinAsync(childPid, TimeSpan.FromSeconds(5)), Is.True, "grandchild 'sleep' must be killed with its parent");
    }

    [Test]
    public void Missing_executable_names_it()
    {
        Assert.That(
            async () => await ProcessRunner.Default.RunAsync("/nonexistent/go", ["version"], null, CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("/nonexistent/go"));
    }
}
