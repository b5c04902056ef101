using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>Turns the raw files of a capture folder into report sections: totals, top tables, flame graphs, call graphs, trace views.</summary>
internal sealed class ProfileAnalyzer(GoDebugHost host, GoProfileTools tools, bool callGraphs)
{
    private const int TopCount = 15;

    public async Task<ProfileSection> AnalyzeAsync(string dir, CapturedProfile captured, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dir, captured.File!);
        var profile = ProfileDigest.Read(path, TopCount, (types, defaultIndex) => FlameIndexes(captured.Kind, types, defaultIndex));
        var totals = profile.SampleTypes.Select((t, i) => (t, profile.Totals[i])).ToList();
        var tops = profile.SampleTypes.Select((t, i) => (t, profile.Tops[i])).ToList();
        var flames = new List<FlameSection>();
        var name = ProfileKinds.Endpoint(captured.Kind);
        foreach (var index in FlameIndexes(captured.Kind, profile.SampleTypes, profile.DefaultSampleIndex))
        {
            var type = profile.SampleTypes[index];
            flames.Add(WriteFlame(dir, $"flame-{name}-{type.Type}.svg", $"{name} {type.Type}", profile.Trees[index], type.Unit));
        }

        string? callGraph = null;
        string? callGraphError = null;
        if (callGraphs && profile.SampleTypes.Count > 0 && profile.Totals[profile.DefaultSampleIndex] != 0)
        {
            var output = await tools.CallGraphAsync(path, Path.Combine(dir, $"callgraph-{name}.svg"), cancellationToken).ConfigureAwait(false);
            callGraph = output.Path is null ? null : Path.GetFileName(output.Path);
            callGraphError = output.Error;
        }
        else if (callGraphs)
        {
            callGraphError = "The profile has no samples, so there is no call graph.";
        }

        return new ProfileSection(captured.Kind, captured.File!, totals, tops, flames, callGraph, callGraphError);
    }

    /// <summary>The default sample type, plus allocated space for heap (where leaks and churn both show).</summary>
    private static IEnumerable<int> FlameIndexes(ProfileKind kind, IReadOnlyList<SampleType> types, int defaultIndex)
    {
        if (types.Count == 0) yield break;
        yield return defaultIndex;
        var alloc = types.ToList().FindIndex(t => t.Type == "alloc_space");
        if (kind == ProfileKind.Heap && alloc >= 0 && alloc != defaultIndex) yield return alloc;
    }

    public async Task<TraceSection> AnalyzeTraceAsync(string dir, CapturedProfile captured, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dir, captured.File!);
        var header = TraceHeader.Read(path)!;
        var covered = TraceClock.Span(path);
        var go = await tools.GoForTraceAsync(header, cancellationToken).ConfigureAwait(false);
        if (go is null)
        {
            return new TraceSection(captured.File!, header, captured.Bytes, captured.DurationMs, covered, null, [], $"{ProfilingCodes.GoToolFailed}: no installed go is {header.Version} or newer, which 'go tool trace' needs to read this trace (the format changed in Go 1.22).");
        }

        // Each view is its own go tool trace process reading the same file: run them side by side.
        var parts = await Task.WhenAll(GoProfileTools.TraceProfiles.Select(kind => TraceViewAsync(go, dir, path, kind, cancellationToken))).ConfigureAwait(false);

        host.Log.Verbose($"Trace {captured.File}: Go {header.Version}, read with {go.Executable}.");
        return new TraceSection(captured.File!, header, captured.Bytes, captured.DurationMs, covered, $"{go.Executable} (go{go.Version})", parts, null);
    }

    private async Task<TracePart> TraceViewAsync(GoTool go, string dir, string path, string kind, CancellationToken cancellationToken)
    {
        var output = await tools.TraceProfileAsync(go, path, kind, Path.Combine(dir, $"trace-{kind}.pb.gz"), cancellationToken).ConfigureAwait(false);
        if (output.Path is null) return new TracePart(kind, null, 0, null, output.Error);
        try
        {
            // An empty view (no network waits in the window) is an empty file, not an error.
            var profile = ProfileDigest.Read(output.Path, 0, (_, defaultIndex) => [defaultIndex]);
            if (profile.SampleTypes.Count == 0) return new TracePart(kind, Path.GetFileName(output.Path), 0, null, null);
            var index = profile.DefaultSampleIndex;
            var flame = WriteFlame(dir, $"flame-trace-{kind}.svg", $"trace {kind} ({profile.SampleTypes[index].Type})", profile.Trees[index], profile.SampleTypes[index].Unit);
            return new TracePart(kind, Path.GetFileName(output.Path), profile.Totals[index], flame, null);
        }
        catch (InvalidDataException ex)
        {
            return new TracePart(kind, Path.GetFileName(output.Path), 0, null, $"{ProfilingCodes.GoToolFailed}: 'go tool trace -pprof={kind}' wrote something that does not decode: {ex.Message}");
        }
    }

    public static FlameSection? MallocFlame(string dir, MallocTrace trace)
        => trace.Stacks is { Value: > 0 } stacks ? WriteFlame(dir, "flame-malloc-bpftrace.svg", $"runtime.mallocgc calls by user stack (bpftrace, pid {trace.Pid})", stacks, "calls") : null;

    internal static FlameSection WriteFlame(string dir, string file, string title, StackNode tree, string unit)
    {
        var svg = FlameGraph.Render(tree, title, unit);
        AtomicFile.WriteAllText(Path.Combine(dir, file), svg);
        return new FlameSection(title, file, svg);
    }
}
