using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

public class GracefulStopTests
{
    [Test]
    public async Task A_graceful_stop_sends_SIGINT_and_reports_the_started_pid()
    {
        using var graceful = new CancellationTokenSource();
        var pid = 0;
        var lines = new List<string>();
        var run = ProcessRunner.Default.RunAsync(
            new ProcessSpec("sh", ["-c", "trap 'echo got-int; exit 3' INT; echo ready; while true; do sleep 0.1; done"])
            {
                OnStarted = p => pid = p,
                OnStandardOutput = l => { lock (lines) lines.Add(l); },
                GracefulStop = graceful.Token,
            },
            CancellationToken.None);
        Assert.That(pid, Is.GreaterThan(0));
        Assert.That(ProcessTable.IsAlive(pid), Is.True);
        while (true)
        {
            lock (lines) if (lines.Contains("ready")) break;
            await Task.Delay(20);
        }

        await graceful.CancelAsync();
        Assert.That(async () => await run.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>());
        lock (lines) Assert.That(lines, Does.Contain("got-int"), "the child got SIGINT and ran its handler rather than being killed");
        Assert.That(ProcessTable.IsAlive(pid), Is.False);
    }
}
