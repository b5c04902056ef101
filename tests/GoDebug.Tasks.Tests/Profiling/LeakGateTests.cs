using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

public class LeakGateTests
{
    private static LeakGateSettings Settings(string output, string load) => new()
    {
        Capture = SampleService.Settings(output) with { CallGraphs = false },
        LoadPath = load,
    };

    [Test]
    public async Task Fails_on_a_leaking_handler_and_names_the_leaking_function()
    {
        using var temp = new TempDir("leak");
        var log = new RecordingLog();
        var result = await LeakGate.RunAsync(Settings(temp.Path, "/leak?n=5"), SampleService.Host(log), null, CancellationToken.None);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Comparison.GoroutineGrowth, Is.GreaterThan(10));
        Assert.That(result.Comparison.GrowingStacks[0].Function, Is.EqualTo("main.handleLeak.func1"));
        // Other goroutines (idle connections of earlier tests) may end meanwhile; the leaking stack's own count is exact.
        Assert.That(result.Comparison.GrowingStacks[0].Growth, Is.EqualTo(500), "100 requests leaving 5 goroutines each");
        Assert.That(result.Message, Does.Contain(ProfilingCodes.GoroutineLeak).And.Contain("main.handleLeak.func1").And.Contain(result.After.ReportPath));
        Assert.That(log.Lines.Any(l => l.Level == "error" && l.Message.Contains("main.handleLeak.func1")), Is.True);
        var report = await File.ReadAllTextAsync(result.After.ReportPath);
        Assert.That(report, Does.Contain("id=\"comparison\"").And.Contain("FAILED").And.Contain("main.handleLeak.func1"));
        Assert.That(File.Exists(Path.Combine(result.After.Directory, "diff-goroutine-goroutine.svg")), Is.True, "a differential flame graph of the goroutines");
    }

    [Test]
    public async Task Passes_on_a_handler_that_leaves_nothing_behind()
    {
        using var temp = new TempDir("noleak");
        var result = await LeakGate.RunAsync(Settings(temp.Path, "/hello?name=gate"), SampleService.Host(), null, CancellationToken.None);

        Assert.That(result.Passed, Is.True, result.Message);
        Assert.That(result.Comparison.GoroutineGrowth, Is.LessThanOrEqualTo(10));
        Assert.That(result.Comparison.HeapGrowthBytes, Is.Not.Null.And.LessThan(8L << 20));
        Assert.That(result.Message, Does.StartWith("LeakGate passed"));
    }

    [Test]
    public async Task A_tight_heap_limit_fails_with_the_growing_functions()
    {
        using var temp = new TempDir("heap");
        var settings = Settings(temp.Path, "/leak?n=50") with { MaxHeapGrowthBytes = 1, MaxGoroutineGrowth = 1_000_000 };
        var result = await LeakGate.RunAsync(settings, SampleService.Host(), null, CancellationToken.None);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Comparison.HeapGrowthBytes, Is.GreaterThan(1), "5000 goroutines and their channels stay reachable");
        Assert.That(result.Message, Does.Contain(ProfilingCodes.HeapGrowth).And.Not.Contain(ProfilingCodes.GoroutineLeak));
    }

    [Test]
    public void A_load_path_that_fails_stops_the_gate_with_the_request_named()
    {
        using var temp = new TempDir("bad");
        var ex = Assert.ThrowsAsync<GoDebugException>(() => LeakGate.RunAsync(Settings(temp.Path, "/leak?n=100000"), SampleService.Host(), null, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("/leak?n=100000").And.Contain("400").And.Contain("at most 1000"), "the sample bounds /leak per request");
    }
}
