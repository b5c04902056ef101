using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>The start-up retry runs on the host's clock: a fake one shows the backoff and the give-up point without waiting for them.</summary>
public class RetryClockTests
{
    [Test]
    public async Task Retries_back_off_on_the_hosts_clock_and_give_up_at_the_startup_timeout()
    {
        using var temp = new TempDir("clock");
        var port = Ports.Free();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLog();
        var host = SampleService.Host(log) with { Time = clock };
        var settings = new ProfileCaptureSettings { BaseUrl = $"http://127.0.0.1:{port}", StartupTimeout = TimeSpan.FromMinutes(2) };
        using var fetcher = new PprofFetcher(PprofEndpoint.Create(settings, host.Environment), host, settings.StartupTimeout);
        var fetch = fetcher.FetchAsync(ProfileKind.Heap, 1, temp.Combine("heap.pb.gz"), CancellationToken.None);

        // Each refusal is instant; what spaces the attempts is the fake clock, so two fake minutes pass in moments.
        var advanced = TimeSpan.Zero;
        while (!fetch.IsCompleted && advanced < TimeSpan.FromMinutes(5))
        {
            await Task.Yield();
            await Task.Delay(2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
        }

        var ex = Assert.ThrowsAsync<GoDebugException>(() => fetch);
        Assert.That(ex!.Message, Does.StartWith(ProfilingCodes.ServiceDown).And.Contain("refused for 12"));
        var delays = log.Lines.Where(l => l.Message.Contains("retrying in", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.That(delays[0], Does.Contain("retrying in 100 ms"));
        Assert.That(delays[1], Does.Contain("retrying in 200 ms"));
        Assert.That(delays.Last(), Does.Contain("retrying in 2000 ms"), "the backoff doubles up to a 2 s cap");
        Assert.That(delays, Has.Count.LessThan(80), "a capped backoff, not a busy loop");
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.Empty);
    }
}
