using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>Ctrl+C (a cancelled token) in the middle of a capture leaves no folder and no running service behind.</summary>
public class CancellationTests
{
    [Test]
    public async Task Cancelling_a_capture_of_a_started_service_removes_the_partial_folder_and_stops_the_service()
    {
        using var temp = new TempDir("cancel");
        var app = await SampleBinaries.DebugAppAsync();
        var log = new GoDebug.Tasks.Diagnostics.RecordingLog();
        using var cts = new CancellationTokenSource();
        var settings = new ProfileCaptureSettings { Profiles = [ProfileKind.Heap, ProfileKind.Cpu, ProfileKind.Trace], Seconds = 30, OutputDirectory = temp.Path, CallGraphs = false };
        var run = SampleProfiler.RunAsync(app, settings, SampleProfiler.SampleLoad, SampleService.Host(log), null, cts.Token);

        // Cancel once the service answers and the 30 s profiles are under way.
        var started = await WaitForAsync(() => log.Text.Contains("Capturing", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.That(started, Is.True, log.Text);
        var port = new Uri(log.Lines.Select(l => l.Message).First(m => m.StartsWith("Started", StringComparison.Ordinal)).Split(" on ")[1].TrimEnd('.')).Port;
        await Task.Delay(500);
        await cts.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => run);
        Assert.That(await Ports.ClosesWithinAsync(port, TimeSpan.FromSeconds(5)), Is.True, "the started service is stopped");
        Assert.That(Directory.GetFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories).Where(File.Exists), Is.Empty, "no partial capture is left");
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await timer.WaitForNextTickAsync();
        }

        return true;
    }
}
