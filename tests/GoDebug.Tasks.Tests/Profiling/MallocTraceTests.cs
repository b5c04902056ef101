using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>bpftrace on this machine (root, Debian bpftrace): entry uprobes on runtime.mallocgc of the sample app.</summary>
public class MallocTraceTests
{
    [Test]
    public async Task Bpftrace_returns_malloc_stacks_with_the_sample_apps_callers()
    {
        Assert.That(Environment.UserName, Is.EqualTo("root"), "this machine runs the suite as root so bpftrace can attach uprobes");
        var host = SampleService.Host();
        using var load = new CancellationTokenSource();
        var busy = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => LoadDriver.SustainAsync(SampleService.BaseUrl, SampleProfiler.SampleLoad, load.Token)));
        MallocTrace trace;
        try
        {
            trace = await BpfMallocTracer.CaptureAsync(SampleService.BaseUrl, 2, host, CancellationToken.None);
        }
        finally
        {
            await load.CancelAsync();
            await busy;
        }

        Assert.That(trace.Skipped, Is.Null);
        Assert.That(trace.Executable, Is.EqualTo(GoDebug.Tasks.Toolchain.PathSearch.Resolve(await SampleBinaries.DebugAppAsync())), "the process found behind the port is the sample");
        var paths = Paths(trace.Stacks!).ToList();
        Assert.That(paths, Is.Not.Empty);
        Assert.That(paths.All(p => p[^1] == "runtime.mallocgc"), Is.True, "every stack ends in the probed function");
        Assert.That(paths.Any(p => p.Any(f => f.StartsWith("main.handle", StringComparison.Ordinal) || f == "main.writeJSON")), Is.True,
            "the sample's own handlers appear as callers: " + string.Join(" | ", paths.Take(5).Select(p => string.Join(";", p))));
        Assert.That(ProfileAnalyzer.MallocFlame(Path.GetTempPath(), trace) is { } flame ? flame.Svg : string.Empty, Does.Contain("runtime.mallocgc"));
    }

    [Test]
    public void Bpftrace_map_output_is_parsed_leaf_last()
    {
        var tree = BpfMallocTracer.Parse("Attaching 2 probes...\n\n\n@[\n    runtime.mallocgc+0\n    runtime.newobject+48\n    main.handleSum+120\n]: 7\n@[\n    runtime.mallocgc+0\n    main.writeJSON+33\n]: 3\n");
        Assert.That(tree.Value, Is.EqualTo(10));
        Assert.That(tree.Child("main.handleSum")?.Child("runtime.newobject")?.Child("runtime.mallocgc")?.Value, Is.EqualTo(7));
        Assert.That(tree.Child("main.writeJSON")?.Child("runtime.mallocgc")?.Value, Is.EqualTo(3));
    }

    private static IEnumerable<string[]> Paths(StackNode node, List<string>? prefix = null)
    {
        prefix ??= [];
        if (node.Children.Count == 0)
        {
            yield return prefix.ToArray();
            yield break;
        }

        foreach (var child in node.Children)
        {
            prefix.Add(child.Name);
            foreach (var p in Paths(child, prefix)) yield return p;
            prefix.RemoveAt(prefix.Count - 1);
        }
    }
}
