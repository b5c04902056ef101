using System.Text.Json;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

public class CaptureTests
{
    [Test]
    public async Task Captures_every_profile_kind_from_the_sample_and_decodes_each()
    {
        using var temp = new TempDir("cap");
        var log = new RecordingLog();
        using var load = new CancellationTokenSource();
        var busy = LoadDriver.SustainAsync(SampleService.BaseUrl, SampleProfiler.SampleLoad, load.Token);
        ProfileCaptureResult result;
        try
        {
            result = await ProfileCapture.CaptureAsync(SampleService.Settings(temp.Path) with { CallGraphs = false }, SampleService.Host(log), null, CancellationToken.None);
        }
        finally
        {
            await load.CancelAsync();
            await busy;
        }

        Assert.That(result.Failures, Is.Empty, log.Text);
        var expectedTypes = new Dictionary<ProfileKind, string>
        {
            [ProfileKind.Heap] = "inuse_space",
            [ProfileKind.Allocs] = "alloc_space",
            [ProfileKind.Goroutine] = "goroutine",
            [ProfileKind.Block] = "delay",
            [ProfileKind.Mutex] = "delay",
            [ProfileKind.ThreadCreate] = "threadcreate",
            [ProfileKind.Cpu] = "cpu",
        };
        foreach (var (kind, type) in expectedTypes)
        {
            var path = result.PathOf(kind);
            Assert.That(path, Is.Not.Null, $"{kind} captured");
            var profile = PprofProfile.Load(path!);
            Assert.That(profile.SampleTypes.Select(t => t.Type), Does.Contain(type), $"{kind} decodes with its sample types");
        }

        var goroutines = PprofProfile.Load(result.PathOf(ProfileKind.Goroutine)!);
        Assert.That(goroutines.Total(0), Is.GreaterThan(1));
        Assert.That(goroutines.TopFunctions(0, int.MaxValue).Select(f => f.Name), Does.Contain("main.main"), "stacks name the sample's functions (main.main waits in ListenAndServe: cumulative only, so not necessarily among the top by flat value)");
        var cpu = PprofProfile.Load(result.PathOf(ProfileKind.Cpu)!);
        Assert.That(cpu.DurationNanos, Is.GreaterThanOrEqualTo(900_000_000), "the CPU profile ran for the requested second");

        var go = await RealTools.GoAsync();
        var header = TraceHeader.Read(result.PathOf(ProfileKind.Trace)!);
        Assert.That(header?.Version, Is.EqualTo(await RealTools.TraceHeaderVersionAsync(go)), "the trace header is the one the Go that built the sample writes");
        var traced = result.Profiles.Single(p => p.Kind == ProfileKind.Trace);
        Assert.That(TraceClock.Span(result.PathOf(ProfileKind.Trace)!)?.TotalMilliseconds, Is.InRange(900, traced.DurationMs), "trace?seconds=1 covers about a second by its own clock, within the request's wall time");

        var leak = result.Profiles.Single(p => p.Kind == ProfileKind.GoroutineLeak);
        Assert.That(leak.Succeeded || leak.Skipped is not null, Is.True, "goroutineleak is captured when offered (Go 1.26) and skipped, not failed, otherwise");

        // The folder appeared whole: raw files, meta.json and report.html, and no temporary sibling left beside it.
        Assert.That(File.Exists(result.ReportPath), Is.True);
        var siblings = Directory.GetFileSystemEntries(Path.GetDirectoryName(result.Directory)!);
        Assert.That(siblings, Is.EqualTo(new[] { result.Directory }));
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.Directory, "meta.json")));
        Assert.That(meta.RootElement.GetProperty("url").GetString(), Does.StartWith(SampleService.BaseUrl.ToString()));
        Assert.That(meta.RootElement.GetProperty("profiles").GetArrayLength(), Is.EqualTo(ProfileKinds.All.Count));
        Assert.That(result.WallTime, Is.LessThan(TimeSpan.FromSeconds(10)), "profiles are fetched concurrently");
    }

    [Test]
    public async Task A_second_CPU_profile_while_one_runs_gets_pprofs_error_text_and_no_file()
    {
        using var temp = new TempDir("cpu2");
        var host = SampleService.Host();
        var settings = SampleService.Settings(temp.Path) with { Seconds = 2 };
        var endpoint = PprofEndpoint.Create(settings, host.Environment);
        using var fetcher = new PprofFetcher(endpoint, host, TimeSpan.FromSeconds(5));
        var first = fetcher.FetchAsync(ProfileKind.Cpu, 2, temp.Combine("first.pb.gz"), CancellationToken.None);
        await Task.Delay(500);
        var ex = Assert.ThrowsAsync<GoDebugException>(() => fetcher.FetchAsync(ProfileKind.Cpu, 1, temp.Combine("second.pb.gz"), CancellationToken.None));
        Assert.That(ex!.Message, Does.StartWith(ProfilingCodes.PprofError));
        Assert.That(ex.Message, Does.Contain("cpu profiling already in use").IgnoreCase);
        Assert.That(ex.Message, Does.Contain("/debug/pprof/profile?seconds=1"), "the error names the endpoint");
        var ok = await first;
        Assert.That(PprofProfile.Load(ok.Path).SampleTypes, Is.Not.Empty, "the first capture is unharmed");
        Assert.That(Directory.GetFiles(temp.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "first.pb.gz" }));
    }

    [Test]
    public async Task An_endpoint_nobody_listens_on_gives_a_clear_error_after_the_startup_wait()
    {
        using var temp = new TempDir("down");
        var port = Ports.Free();
        var host = SampleService.Host();
        var settings = new ProfileCaptureSettings { BaseUrl = $"http://127.0.0.1:{port}", StartupTimeout = TimeSpan.FromSeconds(1) };
        using var fetcher = new PprofFetcher(PprofEndpoint.Create(settings, host.Environment), host, settings.StartupTimeout);
        var ex = Assert.ThrowsAsync<GoDebugException>(() => fetcher.FetchAsync(ProfileKind.Heap, 1, temp.Combine("heap.pb.gz"), CancellationToken.None));
        Assert.That(ex!.Message, Does.StartWith(ProfilingCodes.ServiceDown));
        Assert.That(ex.Message, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.Empty);
    }

    [Test]
    public async Task Retries_while_the_service_is_still_starting()
    {
        using var temp = new TempDir("retry");
        var port = Ports.Free();
        var log = new RecordingLog();
        var host = SampleService.Host(log);
        var settings = new ProfileCaptureSettings { BaseUrl = $"http://127.0.0.1:{port}/debug/pprof/", StartupTimeout = TimeSpan.FromSeconds(30) };
        using var fetcher = new PprofFetcher(PprofEndpoint.Create(settings, host.Environment), host, settings.StartupTimeout);
        var fetch = fetcher.FetchAsync(ProfileKind.Goroutine, 1, temp.Combine("goroutine.pb.gz"), CancellationToken.None);
        await Task.Delay(700);
        Assert.That(fetch.IsCompleted, Is.False, "nothing listens yet, so the capture waits");

        using var stop = new CancellationTokenSource();
        var app = ProcessRunner.Default.RunAsync(new ProcessSpec(await SampleBinaries.DebugAppAsync(), ["-addr", $"127.0.0.1:{port}"]), stop.Token);
        try
        {
            var fetched = await fetch;
            Assert.That(PprofProfile.Load(fetched.Path).Total(0), Is.GreaterThan(0));
            Assert.That(log.Text, Does.Contain("connection refused, retrying"));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.CatchAsync<OperationCanceledException>(() => app);
        }

        Assert.That(await Ports.ClosesWithinAsync(port, TimeSpan.FromSeconds(5)), Is.True);
    }
}
